//! cartable's link with the domain: a comparison that makes the domain match the annuaire,
//! run after each change and every night, and passwords written the moment the ENT sets them.
//!
//! Nothing is lost when the controller is down: the annuaire is the record, so the next
//! comparison finds every change it missed; a password the ENT set meanwhile is marked owed in
//! the store (never kept itself) and paid at the person's next ENT sign-in, which has it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use super::account::sam_account_name;
use super::client::{self, Client};
use super::plan::{self, Op, Refused};
use crate::clock::SharedClock;
use crate::config::DomaineConfig;
use crate::directory::{
    AccountState, AnyDirectory, DirectoryRead, Login, Person, PersonQuery, Profile,
};
use crate::store::{DomainPassword, DomainRun, Store};
use crate::{Error, Result};

/// How long a password write may hold the request that set it.
const PASSWORD_WRITE_LIMIT: Duration = Duration::from_secs(5);

/// What a comparison found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Operations the domain needed.
    pub differences: usize,
    /// Of which applied.
    pub repaired: usize,
    /// Passwords written in this run.
    pub passwords: usize,
    /// Accounts the domain cannot take (login too long or not ASCII).
    pub refused: Vec<Refused>,
    /// Operations the controller refused, with its answer.
    pub failed: Vec<String>,
}

struct Inner {
    config: DomaineConfig,
    tls: Arc<rustls::ClientConfig>,
    store: Store,
    clock: SharedClock,
    wake: Notify,
    /// One comparison at a time.
    running: tokio::sync::Mutex<()>,
    /// Logins of domain accounts whose ENT password the domain lacks (owed, or never given):
    /// the next ENT sign-in writes it. Read on every sign-in: kept in memory.
    owed: Mutex<HashSet<String>>,
}

#[derive(Clone)]
pub struct Link {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("url", &self.inner.config.url)
            .finish()
    }
}

impl Link {
    pub fn new(config: DomaineConfig, store: Store, clock: SharedClock) -> Result<Self> {
        let tls = client::tls(&config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                tls,
                store,
                clock,
                wake: Notify::new(),
                running: tokio::sync::Mutex::new(()),
                owed: Mutex::new(HashSet::new()),
            }),
        })
    }

    pub fn config(&self) -> &DomaineConfig {
        &self.inner.config
    }

    /// Asks for a comparison soon (the annuaire changed).
    pub fn changed(&self) {
        self.inner.wake.notify_one();
    }

    /// Waits until [`Self::changed`] is called.
    pub async fn woken(&self) {
        self.inner.wake.notified().await;
    }

    async fn connect(&self) -> Result<Client> {
        Client::connect(&self.inner.config, &self.inner.tls).await
    }

    fn now(&self) -> i64 {
        self.inner.clock.now().unix_timestamp()
    }

    /// Whether the domain lacks this account's ENT password (checked at each sign-in).
    pub fn owes(&self, login: &str) -> bool {
        self.inner
            .owed
            .lock()
            .map(|o| o.contains(login))
            .unwrap_or(false)
    }

    fn set_owed(&self, login: &str, owed: bool) {
        if let Ok(mut o) = self.inner.owed.lock() {
            if owed {
                o.insert(login.to_owned());
            } else {
                o.remove(login);
            }
        }
    }

    /// The ENT has just set `login`'s password: the domain gets it now (the debt is recorded
    /// first). Errors are logged, not returned — the ENT's own change has already succeeded.
    pub async fn password_set(&self, dir: &AnyDirectory, login: &Login, password: &str) {
        if sam_account_name(login.as_str()).is_err() {
            return;
        }
        let write = self.write_password(dir, login, password);
        match tokio::time::timeout(PASSWORD_WRITE_LIMIT, write).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(%login, error = %e, "domain: password owed, written at the next ENT sign-in");
            }
            Err(_) => {
                tracing::warn!(%login, "domain: controller too slow, password owed");
            }
        }
    }

    /// Records passwords the domain is owed (it could not take them when the ENT set them).
    pub async fn owe<'a>(&self, logins: impl Iterator<Item = &'a String>) {
        let logins: Vec<String> = logins.cloned().collect();
        for l in &logins {
            self.set_owed(l, true);
        }
        let at = self.now();
        let r = self
            .inner
            .store
            .write(move |w| {
                logins
                    .iter()
                    .try_for_each(|l| w.set_domain_password(l, DomainPassword::Pending, at))
            })
            .await;
        if let Err(e) = r {
            tracing::warn!(error = %e, "domain: could not record the passwords owed");
        }
    }

    /// A successful ENT sign-in: pays the password the domain is owed, if any, in the
    /// background (the sign-in does not wait for the controller).
    pub fn signed_in(&self, dir: &AnyDirectory, login: &Login, password: &str) {
        if !self.owes(login.as_str()) {
            return;
        }
        let (link, dir, login, password) = (
            self.clone(),
            dir.clone(),
            login.clone(),
            password.to_owned(),
        );
        tokio::spawn(async move {
            if let Err(e) = link.write_password(&dir, &login, &password).await {
                tracing::info!(%login, error = %e, "domain: password still owed");
            }
        });
    }

    /// Records a password owed before it is written: a controller down, or a crash, leaves
    /// it owed, never forgotten; and a change the controller reports back is known as
    /// cartable's own (see [`Self::from_windows`]).
    async fn owe_one(&self, login: &str) {
        self.owe(std::iter::once(&login.to_owned())).await;
    }

    async fn write_password(
        &self,
        dir: &AnyDirectory,
        login: &Login,
        password: &str,
    ) -> Result<()> {
        self.owe_one(login.as_str()).await;
        let person = dir
            .person(login)
            .await?
            .ok_or_else(|| Error::NotFound(format!("compte {login}")))?;
        if person.profile == Profile::Responsable {
            self.paid(login.as_str(), false, None).await;
            return Ok(());
        }
        let mut c = self.connect().await?;
        let root = self.inner.config.domain.root();
        match c.user(&root, login.as_str()).await? {
            Some(found) => {
                let uac =
                    (person.state == AccountState::Active).then_some(super::account::UAC_ENABLED);
                c.set_password(&found.dn, password, uac).await?;
                let kvno = c.key_version(&found.dn).await.ok().flatten();
                c.close().await;
                self.paid(login.as_str(), true, kvno).await;
                tracing::info!(%login, "domain: password written");
                Ok(())
            }
            None => {
                c.close().await;
                // Not in the domain yet: the comparison adds it with its password.
                let mut passwords = HashMap::new();
                passwords.insert(login.as_str().to_owned(), password.to_owned());
                self.sync(dir, &passwords).await.map(|_| ())
            }
        }
    }

    async fn paid(&self, login: &str, in_domain: bool, kvno: Option<i64>) {
        let l = login.to_owned();
        let at = self.now();
        let r = self
            .inner
            .store
            .write(move |w| {
                if in_domain {
                    w.set_domain_password_version(&l, DomainPassword::Set, at, kvno)
                } else {
                    w.forget_domain_password(&l)
                }
            })
            .await;
        if let Err(e) = r {
            tracing::warn!(%login, error = %e, "domain: could not record the password written");
        }
        self.set_owed(login, false);
    }

    /// Whether a password change the controller reports came from a Windows PC (to be taken
    /// into the annuaire) rather than from cartable itself: cartable records the key version
    /// AD gave each of its writes, and, while a write is in flight, that it is making one.
    pub async fn from_windows(&self, change: &super::back::Change) -> Result<bool> {
        let Some(set_at) = change.set_at else {
            return Ok(false);
        };
        let sam = change.sam.clone();
        let ours = self
            .inner
            .store
            .read(move |r| r.domain_password(&sam))
            .await?;
        let in_flight = |at: i64| set_at <= at + PASSWORD_WRITE_LIMIT.as_secs() as i64;
        Ok(match ours {
            Some((DomainPassword::Set, _, Some(kvno))) => change.kvno != Some(kvno),
            Some((_, at, _)) => !in_flight(at),
            None => true,
        })
    }

    /// Records that the domain holds `login`'s password (it came from there), at this key
    /// version.
    pub async fn holds(&self, login: &str, kvno: Option<i64>) {
        self.paid(login, true, kvno).await;
    }

    /// Compares the domain with the annuaire and repairs every difference; `passwords` are
    /// ENT passwords just set (an import's new accounts), written with the accounts.
    pub async fn sync(
        &self,
        dir: &AnyDirectory,
        passwords: &HashMap<String, String>,
    ) -> Result<SyncReport> {
        let _one = self.inner.running.lock().await;
        if !passwords.is_empty() {
            self.owe(passwords.keys()).await;
        }
        let outcome = self.sync_once(dir, passwords).await;
        let run = match &outcome {
            Ok(r) => DomainRun {
                at: self.now(),
                differences: r.differences as i64,
                repaired: r.repaired as i64,
                error: r.failed.first().cloned(),
            },
            Err(e) => DomainRun {
                at: self.now(),
                differences: 0,
                repaired: 0,
                error: Some(e.to_string()),
            },
        };
        self.inner
            .store
            .write(move |w| w.add_domain_run(&run))
            .await?;
        outcome
    }

    async fn sync_once(
        &self,
        dir: &AnyDirectory,
        passwords: &HashMap<String, String>,
    ) -> Result<SyncReport> {
        let domain = &self.inner.config.domain;
        let people = everyone(dir).await?;
        let posix = dir.posix().await?;
        let mut labels = HashMap::new();
        for c in dir.classes().await? {
            labels.insert(c.code.as_str().to_owned(), c.label);
        }
        for g in dir.groups().await? {
            labels.insert(g.code.as_str().to_owned(), g.label);
        }
        let states = self.inner.store.read(|r| r.domain_passwords()).await?;
        let mut with_password: HashSet<String> = states
            .iter()
            .filter(|(_, s)| *s == DomainPassword::Set)
            .map(|(l, _)| l.clone())
            .collect();
        with_password.extend(passwords.keys().cloned());
        let desired = plan::desired(domain, &people, &posix, &labels, &with_password);

        let mut c = self.connect().await?;
        let root = domain.root();
        c.ensure_ous(&root).await?;
        let found = c.read(&root).await?;
        let ops = plan::plan(&desired, &found);
        let mut report = SyncReport {
            differences: ops.len(),
            refused: desired.refused.clone(),
            ..SyncReport::default()
        };
        let mut written = Vec::new();
        for op in &ops {
            let password = match op {
                Op::AddUser { login, .. } => passwords.get(login).map(String::as_str),
                _ => None,
            };
            match c.apply(op, password).await {
                Ok(()) => {
                    report.repaired += 1;
                    if let (Op::AddUser { login, entry }, Some(_)) = (op, password) {
                        written.push((login.clone(), entry.dn.clone()));
                    }
                }
                Err(e) => report.failed.push(e.to_string()),
            }
        }
        // Passwords of accounts that already existed (an import re-creating nothing).
        let existing: Vec<(&String, &String)> = passwords
            .iter()
            .filter(|(l, _)| !written.iter().any(|(w, _)| w == *l))
            .collect();
        for (login, password) in existing {
            let Some((_, entry)) = desired.users.get(&login.to_ascii_lowercase()) else {
                continue;
            };
            let enabled = entry
                .get("userAccountControl")
                .and_then(|v| v.first())
                .is_some_and(|v| {
                    v.as_slice() == super::account::UAC_ENABLED.to_string().as_bytes()
                });
            match c
                .set_password(
                    &entry.dn,
                    password,
                    enabled.then_some(super::account::UAC_ENABLED),
                )
                .await
            {
                Ok(()) => written.push((login.clone(), entry.dn.clone())),
                Err(e) => report.failed.push(e.to_string()),
            }
        }
        // The key version of each write, so that the controller's report of it is known as ours.
        let mut paid = Vec::with_capacity(written.len());
        for (login, dn) in &written {
            paid.push((login.clone(), c.key_version(dn).await.ok().flatten()));
        }
        c.close().await;
        report.passwords = written.len();
        let at = self.now();
        self.inner
            .store
            .write(move |w| {
                paid.iter().try_for_each(|(l, kvno)| {
                    w.set_domain_password_version(l, DomainPassword::Set, at, *kvno)
                })
            })
            .await?;
        let written: Vec<String> = written.into_iter().map(|(l, _)| l).collect();
        // Owed: domain accounts whose ENT password the domain lacks.
        let owed: HashSet<String> = desired
            .users
            .values()
            .map(|(l, _)| l.clone())
            .filter(|l| {
                !with_password.contains(l) || (passwords.contains_key(l) && !written.contains(l))
            })
            .collect();
        if let Ok(mut o) = self.inner.owed.lock() {
            *o = owed;
        }
        if report.differences > 0 || !report.failed.is_empty() {
            tracing::info!(
                differences = report.differences,
                repaired = report.repaired,
                passwords = report.passwords,
                failed = report.failed.len(),
                "domain compared with the annuaire"
            );
        }
        Ok(report)
    }
}

/// Every person of the annuaire, page by page.
async fn everyone(dir: &AnyDirectory) -> Result<Vec<Person>> {
    let mut out = Vec::new();
    let mut q = PersonQuery {
        per_page: PersonQuery::MAX_PAGE,
        ..PersonQuery::default()
    };
    loop {
        let page = dir.search(&q).await?;
        let n = page.people.len();
        out.extend(page.people);
        if n < PersonQuery::MAX_PAGE {
            return Ok(out);
        }
        q.page += 1;
    }
}
