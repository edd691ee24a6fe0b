//! The mail outbox: e-mails written with what they tell, handed to the relay by the daemon.
//!
//! Each round takes the mails due, oldest first. Accepted: marked sent. Refused for good (a
//! 5xx answer: the address does not exist): marked failed with the relay's words, never
//! retried. Anything else (relay down, 4xx): retried later, the delay doubling from the
//! configured one up to an hour, and the round stops there — no point hammering a relay that
//! is down. A mail is marked sent right after the relay's acceptance; the only window for a
//! duplicate is a crash between the two, and the mail's Message-ID is the same on both tries,
//! so a mailbox can tell it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use time::OffsetDateTime;

use crate::Result;
use crate::clock::SharedClock;
use crate::dates::{in_france, instant_in_france, today_in_france};
use crate::messages;
use crate::store::{MailRow, NewMail, Store};

/// Longest wait between two attempts of one mail.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);
/// Mails taken per round.
const ROUND: i64 = 500;
/// Notifications listed in one daily summary (the rest are counted).
const DIGEST_ITEMS: usize = 30;

/// Why the relay did not take a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Try again later (relay unreachable, 4xx), with what happened, in French.
    Later(String),
    /// Never (5xx on the recipient or the message).
    Refused(String),
}

/// One mail as the relay receives it.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// Stable across retries.
    pub message_id: String,
}

/// How mails reach the relay (SMTP in the daemon).
pub trait MailTransport: Send + Sync {
    fn send<'a>(
        &'a self,
        mail: Outgoing<'a>,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<(), SendError>> + Send + 'a>>;
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub refused: usize,
    pub later: usize,
}

#[derive(Clone)]
pub struct MailOutbox {
    store: Store,
    clock: SharedClock,
    retry: Duration,
    /// Domain of the Message-IDs.
    domain: String,
}

impl MailOutbox {
    pub fn new(store: Store, clock: SharedClock, retry: Duration, domain: String) -> Self {
        Self {
            store,
            clock,
            retry,
            domain,
        }
    }

    fn delay(&self, attempts: i64) -> Duration {
        let factor = 1u32 << attempts.clamp(0, 16);
        self.retry.saturating_mul(factor).min(MAX_DELAY)
    }

    pub fn message_id(&self, m: &MailRow) -> String {
        format!("<cartable.{}.{}@{}>", m.id, m.created_at, self.domain)
    }

    /// Sends what is due; see the module's doc.
    pub async fn send_due(&self, transport: &dyn MailTransport) -> Result<Round> {
        let mut out = Round::default();
        let now = self.clock.now().unix_timestamp();
        let due = self.store.read(move |r| r.mails_due(now, ROUND)).await?;
        for (i, m) in due.iter().enumerate() {
            let sent = transport
                .send(Outgoing {
                    to: &m.address,
                    subject: &m.subject,
                    body: &m.body,
                    message_id: self.message_id(m),
                })
                .await;
            let at = self.clock.now().unix_timestamp();
            let id = m.id;
            match sent {
                Ok(()) => {
                    self.store.write(move |w| w.mail_sent(id, at)).await?;
                    out.sent += 1;
                }
                Err(SendError::Refused(e)) => {
                    tracing::warn!(to = %m.recipient, "courriel refusé par le relais : {e}");
                    self.store
                        .write(move |w| w.mail_refused(id, at, &e))
                        .await?;
                    out.refused += 1;
                }
                Err(SendError::Later(e)) => {
                    // The relay is down for every mail of the round: each waits, saying why.
                    tracing::warn!(attempts = m.attempts + 1, "relais de courriel : {e}");
                    let waiting: Vec<(i64, i64)> = due[i..]
                        .iter()
                        .map(|m| (m.id, at + self.delay(m.attempts).as_secs() as i64))
                        .collect();
                    out.later += waiting.len();
                    self.store
                        .write(move |w| {
                            for (id, next) in &waiting {
                                w.mail_retry(*id, *next, &e)?;
                            }
                            Ok(())
                        })
                        .await?;
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Seconds until the next mail is due (None: nothing waits).
    pub async fn next_due_in(&self) -> Result<Option<i64>> {
        let now = self.clock.now().unix_timestamp();
        Ok(self
            .store
            .read(|r| r.mail_next_due())
            .await?
            .map(|t| (t - now).max(0)))
    }

    /// From `hour` (French time) on, puts each person's waiting notifications in one summary
    /// mail for the day (once a day: the key names the day; what comes after waits for the
    /// next). Returns how many summaries were queued.
    pub async fn queue_digests(&self, hour: u8, base_url: &str, signature: &str) -> Result<usize> {
        let now = self.clock.now();
        if in_france(now).hour() < hour {
            return Ok(0);
        }
        let day = today_in_france(now);
        let (base, signature) = (base_url.to_owned(), signature.to_owned());
        let at = now.unix_timestamp();
        self.store
            .write(move |w| {
                let mut queued = 0;
                for login in w.digest_recipients()? {
                    let key = format!("resume:{login}:{day}");
                    if w.mail_key_exists(&key)? {
                        continue;
                    }
                    let items = w.digest_of(&login)?;
                    let Some((_, address)) = items.last() else {
                        continue;
                    };
                    let address = address.clone();
                    let lines: Vec<(String, Option<String>)> = items
                        .iter()
                        .take(DIGEST_ITEMS)
                        .map(|(n, _)| {
                            (
                                n.title.clone(),
                                n.link.as_ref().map(|l| format!("{base}{l}")),
                            )
                        })
                        .collect();
                    let body = messages::digest_mail(
                        &lines,
                        items.len().saturating_sub(DIGEST_ITEMS),
                        &format!("{base}/notifications"),
                        &format!("{base}/compte/notifications"),
                        &signature,
                    );
                    w.mail_enqueue(&NewMail {
                        key: &key,
                        recipient: &login,
                        address: &address,
                        subject: &messages::digest_subject(items.len()),
                        body: &body,
                        notification_id: None,
                        at,
                        next_at: at,
                    })?;
                    w.digest_done(&login)?;
                    queued += 1;
                }
                Ok(queued)
            })
            .await
    }
}

/// When the daily summaries are next due after `now` (for the daemon's timer).
pub fn next_digest_time(now: OffsetDateTime, hour: u8) -> OffsetDateTime {
    let today = today_in_france(now);
    let at = instant_in_france(today, u16::from(hour) * 60).unwrap_or(now);
    if at > now {
        at
    } else {
        today
            .next_day()
            .and_then(|d| instant_in_france(d, u16::from(hour) * 60))
            .unwrap_or(now + time::Duration::days(1))
    }
}
