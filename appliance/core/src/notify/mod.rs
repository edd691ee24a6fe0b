//! Notifications: what a person is told in the ENT, and by e-mail as he chose.
//!
//! A sender (the host or a module) declares its [`Kind`]s as data and calls
//! [`Notifier::send`]: in one store transaction, each recipient gets the notification (once
//! per key), and, by his preference for that kind, an e-mail in the outbox now (or at the end
//! of his quiet hours unless the kind is urgent), a place in his daily summary, or nothing.
//! Acknowledged means written: the daemon's sender ([`outbox`]) hands the mails to the relay.

pub mod audience;
pub mod outbox;
pub mod quiet;

use std::sync::Arc;

use sha2::Digest;
use time::OffsetDateTime;

use crate::clock::SharedClock;
use crate::store::{AddressRow, NewMail, NewNotification, Store};
pub use crate::store::{MailRow, NotificationRow};
use crate::{Error, Result, messages};
pub use quiet::QuietHours;

/// How a person wants a kind by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Immediate,
    Daily,
    Never,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediate, Delivery::Daily, Delivery::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Immediate => "immediat",
            Delivery::Daily => "quotidien",
            Delivery::Never => "jamais",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediate => messages::DELIVERY_IMMEDIATE,
            Delivery::Daily => messages::DELIVERY_DAILY,
            Delivery::Never => messages::DELIVERY_NEVER,
        }
    }
}

/// A type of notification, declared by its sender.
#[derive(Debug)]
pub struct Kind {
    /// `module.what`, stable: preferences are kept under it.
    pub id: &'static str,
    /// What it is, for the preferences page (« Absences et retards de mes enfants »).
    pub label: &'static str,
    /// Sent during quiet hours too.
    pub urgent: bool,
    /// Until the person says otherwise.
    pub default: Delivery,
    /// Who may receive it (the preferences page lists only these).
    pub profiles: &'static [crate::directory::Profile],
}

/// Someone to tell.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub login: String,
    pub given_name: String,
    /// The annuaire's address (AAF `mail`), used unless he checked one of his own.
    pub annuaire_mail: Option<String>,
}

impl Recipient {
    pub fn of(p: &crate::directory::Person) -> Self {
        Self {
            login: p.login.to_string(),
            given_name: p.given_name.clone(),
            annuaire_mail: p.email.clone(),
        }
    }
}

/// What to tell.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: &'static Kind,
    /// One notification per recipient and key: sending again with the same key does nothing.
    pub key: String,
    pub title: String,
    pub body: String,
    /// Path inside the ENT (`/emploi-du-temps?semaine=…`).
    pub link: Option<String>,
}

/// What one call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Told {
    /// Notifications created (recipients already told under this key are not counted).
    pub notifications: usize,
    /// E-mails queued.
    pub mails: usize,
}

/// Longest subject and body kept (a notice is a summary, the ENT has the rest).
const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 2000;
/// Recipients of one notice, at most (a whole collège with its parents).
pub const MAX_RECIPIENTS: usize = 5000;
/// How long a link to check an address is valid.
const CHECK_LINK_SECONDS: i64 = 48 * 3600;

/// The notifications service, shared by the host and the modules (through the app state).
#[derive(Clone)]
pub struct Notifier {
    store: Store,
    clock: SharedClock,
    /// `https://ent.college.fr`: where links in e-mails point.
    base_url: String,
    /// The ENT's name, signing the e-mails.
    signature: String,
    /// A relay is configured: without one, nothing goes to the mail outbox.
    mail_on: bool,
    /// Quiet hours of those who did not choose theirs.
    default_quiet: QuietHours,
    wake: Arc<tokio::sync::Notify>,
}

fn clip(s: &str, n: usize) -> String {
    s.trim().chars().take(n).collect()
}

/// A plausible address: what a form accepts before a check link is sent to it.
pub fn plausible_address(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | ',' | ';' | '\\'))
        && !domain.contains('@')
}

fn token_hash(token: &str) -> Vec<u8> {
    sha2::Sha256::digest(token.as_bytes()).to_vec()
}

impl Notifier {
    pub fn new(
        store: Store,
        clock: SharedClock,
        base_url: String,
        signature: String,
        mail_on: bool,
        default_quiet: QuietHours,
    ) -> Self {
        Self {
            store,
            clock,
            base_url: base_url.trim_end_matches('/').to_owned(),
            signature,
            mail_on,
            default_quiet,
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Woken when mails are queued (the daemon's sender waits on it).
    pub fn wake(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.wake)
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Tells each recipient (see the module's doc); returns once everything is written.
    pub async fn send(&self, recipients: Vec<Recipient>, notice: Notice) -> Result<Told> {
        let this = self.clone();
        let told = self
            .store
            .write(move |w| this.write_in(w, &recipients, &notice))
            .await?;
        self.woken(told);
        Ok(told)
    }

    /// The same inside a transaction of the caller's (what it tells is then written with what
    /// happened, in one commit); call [`Notifier::woken`] with the result once committed.
    pub fn write_in(
        &self,
        w: &crate::store::WriteTxn<'_>,
        recipients: &[Recipient],
        notice: &Notice,
    ) -> Result<Told> {
        if recipients.len() > MAX_RECIPIENTS {
            return Err(Error::Invalid {
                field: "recipients",
                reason: format!("{} > {MAX_RECIPIENTS}", recipients.len()),
            });
        }
        let now = self.now();
        let base = &self.base_url;
        let title = clip(&notice.title, MAX_TITLE);
        let body = clip(&notice.body, MAX_BODY);
        let kind = notice.kind;
        let link = notice.link.as_deref();
        let mut told = Told::default();
        let mut seen = std::collections::HashSet::new();
        for r in recipients {
            if !seen.insert(r.login.clone()) {
                continue;
            }
            let n = NewNotification {
                recipient: &r.login,
                kind: kind.id,
                dedup: &notice.key,
                title: &title,
                body: &body,
                link,
                urgent: kind.urgent,
                at: now.unix_timestamp(),
            };
            let Some(id) = w.notification_insert(&n)? else {
                continue;
            };
            told.notifications += 1;
            if !self.mail_on {
                continue;
            }
            let delivery = w
                .notify_pref(&r.login, kind.id)?
                .and_then(|d| Delivery::parse(&d))
                .unwrap_or(kind.default);
            if delivery == Delivery::Never {
                continue;
            }
            let Some(address) = effective_address(w.mail_address(&r.login)?, r) else {
                continue;
            };
            if delivery == Delivery::Daily {
                w.notification_digest(id, &address)?;
                continue;
            }
            let quiet = w
                .notify_quiet(&r.login)?
                .and_then(|(s, e)| QuietHours::new(s, e))
                .unwrap_or(self.default_quiet);
            let at = if kind.urgent {
                now
            } else {
                quiet.next_allowed(now)
            };
            let text = messages::notification_mail(
                &r.given_name,
                &title,
                &body,
                link.map(|l| format!("{base}{l}")).as_deref(),
                &format!("{base}/compte/notifications"),
                &self.signature,
            );
            let queued = w.mail_enqueue(&NewMail {
                key: &format!("n{id}"),
                recipient: &r.login,
                address: &address,
                subject: &title,
                body: &text,
                notification_id: Some(id),
                at: now.unix_timestamp(),
                next_at: at.unix_timestamp(),
            })?;
            told.mails += usize::from(queued);
        }
        Ok(told)
    }

    /// After a commit that queued mails: the sender takes them at once.
    pub fn woken(&self, told: Told) {
        if told.mails > 0 {
            self.wake.notify_one();
        }
    }

    pub async fn unread(&self, login: &str) -> Result<i64> {
        let login = login.to_owned();
        self.store
            .read(move |r| r.notifications_unread(&login))
            .await
    }

    /// A page of a person's notifications, newest first, with their e-mail's state; and the
    /// total.
    pub async fn list(
        &self,
        login: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<(NotificationRow, Option<MailRow>)>, i64)> {
        let login = login.to_owned();
        self.store
            .read(move |r| {
                let rows = r.notifications_of(&login, offset, limit)?;
                let mut out = Vec::with_capacity(rows.len());
                for n in rows {
                    let mail = r.mail_of_notification(n.id)?;
                    out.push((n, mail));
                }
                Ok((out, r.notifications_count(&login)?))
            })
            .await
    }

    /// Marks one as read and gives its link; None if it is not his.
    pub async fn open(&self, login: &str, id: i64) -> Result<Option<Option<String>>> {
        let login = login.to_owned();
        let at = self.now().unix_timestamp();
        self.store
            .write(move |w| w.notification_open(&login, id, at))
            .await
    }

    pub async fn mark_all_read(&self, login: &str) -> Result<usize> {
        let login = login.to_owned();
        let at = self.now().unix_timestamp();
        self.store
            .write(move |w| w.notifications_all_read(&login, at))
            .await
    }

    /// A person's choice for each kind (the kinds he did not set are absent) and his quiet hours.
    pub async fn prefs(&self, login: &str) -> Result<(Vec<(String, Delivery)>, QuietHours)> {
        let login = login.to_owned();
        let default_quiet = self.default_quiet;
        self.store
            .read(move |r| {
                let prefs = r
                    .notify_prefs(&login)?
                    .into_iter()
                    .filter_map(|(k, d)| Delivery::parse(&d).map(|d| (k, d)))
                    .collect();
                let quiet = r
                    .notify_quiet(&login)?
                    .and_then(|(s, e)| QuietHours::new(s, e))
                    .unwrap_or(default_quiet);
                Ok((prefs, quiet))
            })
            .await
    }

    pub async fn set_prefs(
        &self,
        login: &str,
        prefs: Vec<(String, Delivery)>,
        quiet: QuietHours,
    ) -> Result<()> {
        let login = login.to_owned();
        self.store
            .write(move |w| {
                for (kind, d) in &prefs {
                    w.set_notify_pref(&login, kind, d.as_str())?;
                }
                w.set_notify_quiet(&login, quiet.start, quiet.end)
            })
            .await
    }

    /// The address a person gave, checked or not.
    pub async fn address(&self, login: &str) -> Result<Option<AddressRow>> {
        let login = login.to_owned();
        self.store.read(move |r| r.mail_address(&login)).await
    }

    /// Keeps `address` as the person's, unchecked, and sends the link that checks it.
    pub async fn request_address(&self, who: &Recipient, address: &str) -> Result<()> {
        let address = address.trim().to_owned();
        if !plausible_address(&address) {
            return Err(Error::Invalid {
                field: "courriel",
                reason: messages::BAD_ADDRESS.to_owned(),
            });
        }
        let token = random_token();
        let hash = token_hash(&token);
        let now = self.now().unix_timestamp();
        let login = who.login.clone();
        let text = messages::check_address_mail(
            &who.given_name,
            &format!("{}/compte/courriel/verifier?jeton={token}", self.base_url),
            &self.signature,
        );
        self.store
            .write(move |w| {
                w.set_mail_address(&login, &address, &hash, now)?;
                w.mail_enqueue(&NewMail {
                    key: &format!("verif:{login}:{}", hex(&hash[..8])),
                    recipient: &login,
                    address: &address,
                    subject: messages::CHECK_ADDRESS_SUBJECT,
                    body: &text,
                    notification_id: None,
                    at: now,
                    next_at: now,
                })?;
                Ok(())
            })
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Checks the address with the link's token; true when it now is the person's.
    pub async fn verify_address(&self, login: &str, token: &str) -> Result<bool> {
        let login = login.to_owned();
        let hash = token_hash(token);
        let now = self.now().unix_timestamp();
        self.store
            .write(move |w| w.verify_mail_address(&login, &hash, now - CHECK_LINK_SECONDS, now))
            .await
    }

    /// Forgets the address a person gave (the annuaire's is used again).
    pub async fn remove_address(&self, login: &str) -> Result<()> {
        let login = login.to_owned();
        self.store
            .write(move |w| w.delete_mail_address(&login))
            .await
    }

    /// The last e-mails sent to a person, newest first (the console's person page).
    pub async fn mails_to(&self, login: &str, limit: i64) -> Result<Vec<MailRow>> {
        let login = login.to_owned();
        self.store.read(move |r| r.mails_to(&login, limit)).await
    }

    /// The e-mail state of the notifications sent under `key` (per recipient login).
    pub async fn deliveries(&self, key: &str) -> Result<Vec<(String, Option<MailRow>)>> {
        let key = key.to_owned();
        self.store.read(move |r| r.deliveries(&key)).await
    }
}

/// 256 random bits, URL-safe.
fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The checked address the person gave, else the annuaire's.
fn effective_address(given: Option<AddressRow>, r: &Recipient) -> Option<String> {
    given
        .filter(|a| a.verified_at.is_some())
        .map(|a| a.address)
        .or_else(|| r.annuaire_mail.clone())
        .filter(|a| plausible_address(a))
}

/// What the state of an e-mail is, in French, for whoever it matters to.
pub fn mail_state(m: &MailRow, now: i64) -> String {
    match (m.sent_at, m.failed_at) {
        (Some(at), _) => messages::mail_sent(&crate::dates::french_date_time(at)),
        (None, Some(_)) => messages::mail_failed(m.last_error.as_deref().unwrap_or_default()),
        (None, None) if m.next_at > now && m.attempts == 0 => {
            messages::mail_waits_until(&crate::dates::french_date_time(m.next_at))
        }
        (None, None) => match &m.last_error {
            Some(e) => messages::mail_retrying(e),
            None => messages::MAIL_QUEUED.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::outbox::{MailOutbox, MailTransport, Outgoing, SendError};
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::directory::Profile;
    use std::sync::Mutex;
    use time::macros::datetime;

    static KIND: Kind = Kind {
        id: "essai.changement",
        label: "Essai",
        urgent: false,
        default: Delivery::Immediate,
        profiles: &[Profile::Eleve],
    };
    static URGENT: Kind = Kind {
        id: "essai.absence",
        label: "Absence",
        urgent: true,
        default: Delivery::Immediate,
        profiles: &[Profile::Responsable],
    };

    /// A relay that keeps what it is given, or is down.
    #[derive(Default)]
    struct Relay {
        got: Mutex<Vec<(String, String, String)>>,
        down: Mutex<bool>,
    }

    impl MailTransport for Relay {
        fn send<'a>(
            &'a self,
            m: Outgoing<'a>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = std::result::Result<(), SendError>> + Send + 'a>,
        > {
            Box::pin(async move {
                if *self.down.lock().unwrap() {
                    return Err(SendError::Later("injoignable".into()));
                }
                self.got.lock().unwrap().push((
                    m.to.to_owned(),
                    m.subject.to_owned(),
                    m.message_id,
                ));
                Ok(())
            })
        }
    }

    fn who(login: &str, mail: Option<&str>) -> Recipient {
        Recipient {
            login: login.into(),
            given_name: "Léa".into(),
            annuaire_mail: mail.map(str::to_owned),
        }
    }

    fn notice(kind: &'static Kind, key: &str) -> Notice {
        Notice {
            kind,
            key: key.into(),
            title: format!("Titre {key}"),
            body: "Texte".into(),
            link: Some("/emploi-du-temps".into()),
        }
    }

    async fn setup(
        at: OffsetDateTime,
    ) -> (tempfile::TempDir, Notifier, MailOutbox, Arc<ManualClock>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let clock = Arc::new(ManualClock::new(at));
        let n = Notifier::new(
            store.clone(),
            clock.clone(),
            "https://ent.example".into(),
            "ENT".into(),
            true,
            QuietHours::default(),
        );
        let o = MailOutbox::new(
            store,
            clock.clone(),
            std::time::Duration::from_secs(30),
            "example".into(),
        );
        (dir, n, o, clock)
    }

    #[tokio::test]
    async fn once_per_key_by_preference_with_quiet_hours_and_urgent_types() {
        // Wednesday 2 December 2026, 21:30 in Paris: quiet hours.
        let (_d, n, o, clock) = setup(datetime!(2026-12-02 20:30 UTC)).await;
        let relay = Relay::default();
        let people = vec![
            who("lea", Some("lea@example.fr")),
            who("sans.adresse", None),
            who("lea", Some("lea@example.fr")),
        ];
        let t = n.send(people.clone(), notice(&KIND, "k1")).await.unwrap();
        assert_eq!(
            t,
            Told {
                notifications: 2,
                mails: 1
            }
        );
        // The same key again: nothing new.
        let t = n.send(people, notice(&KIND, "k1")).await.unwrap();
        assert_eq!(t, Told::default());
        assert_eq!(n.unread("lea").await.unwrap(), 1);
        // Quiet hours: nothing goes out now…
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 0);
        // …but an urgent kind goes at once.
        n.send(
            vec![who("lea", Some("lea@example.fr"))],
            notice(&URGENT, "a1"),
        )
        .await
        .unwrap();
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 1);
        // 7:00 in Paris: the rest.
        clock.advance(time::Duration::hours(9) + time::Duration::minutes(31));
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 1);
        let got = relay.got.lock().unwrap().clone();
        assert_eq!(got[0].1, "Titre a1");
        assert_eq!(got[1].1, "Titre k1");
        assert!(got.iter().all(|g| g.0 == "lea@example.fr"));
    }

    #[tokio::test]
    async fn never_daily_summary_and_relay_down() {
        // 10:00 in Paris.
        let (_d, n, o, clock) = setup(datetime!(2026-12-02 09:00 UTC)).await;
        let relay = Relay::default();
        n.set_prefs(
            "lea",
            vec![
                (KIND.id.into(), Delivery::Never),
                (URGENT.id.into(), Delivery::Daily),
            ],
            QuietHours::default(),
        )
        .await
        .unwrap();
        let lea = || vec![who("lea", Some("lea@example.fr"))];
        n.send(lea(), notice(&KIND, "k1")).await.unwrap();
        n.send(lea(), notice(&URGENT, "a1")).await.unwrap();
        n.send(lea(), notice(&URGENT, "a2")).await.unwrap();
        assert_eq!(n.unread("lea").await.unwrap(), 3);
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 0);
        // Before 17:00, no summary; after, one with both.
        assert_eq!(
            o.queue_digests(17, "https://ent.example", "ENT")
                .await
                .unwrap(),
            0
        );
        clock.advance(time::Duration::hours(8));
        assert_eq!(
            o.queue_digests(17, "https://ent.example", "ENT")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            o.queue_digests(17, "https://ent.example", "ENT")
                .await
                .unwrap(),
            0
        );
        // The relay down: the summary waits, its state says so; back up: sent once.
        *relay.down.lock().unwrap() = true;
        assert_eq!(o.send_due(&relay).await.unwrap().later, 1);
        let waiting = n.mails_to("lea", 10).await.unwrap();
        assert!(mail_state(&waiting[0], clock.now().unix_timestamp()).contains("nouvel essai"));
        *relay.down.lock().unwrap() = false;
        assert_eq!(
            o.send_due(&relay).await.unwrap().sent,
            0,
            "not before its retry"
        );
        clock.advance(time::Duration::minutes(1));
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 1);
        assert_eq!(o.send_due(&relay).await.unwrap().sent, 0);
        let got = relay.got.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "Votre résumé du jour : 2 notifications");
    }

    #[tokio::test]
    async fn an_address_of_ones_own_is_used_once_checked() {
        let (_d, n, o, _clock) = setup(datetime!(2026-12-02 09:00 UTC)).await;
        let relay = Relay::default();
        let lea = who("lea", Some("lea@annuaire.fr"));
        assert!(n.request_address(&lea, "pas une adresse").await.is_err());
        n.request_address(&lea, "lea@maison.fr").await.unwrap();
        o.send_due(&relay).await.unwrap();
        // The check mail went to the new address; notifications still to the annuaire's.
        n.send(vec![lea.clone()], notice(&KIND, "k1"))
            .await
            .unwrap();
        o.send_due(&relay).await.unwrap();
        assert!(!n.verify_address("lea", "faux").await.unwrap());
        assert!(!n.verify_address("autre", "faux").await.unwrap());
        let got = relay.got.lock().unwrap().clone();
        assert_eq!(got[0].0, "lea@maison.fr");
        assert_eq!(got[1].0, "lea@annuaire.fr");
    }
}
