//! Sign-in times, written to the annuaire in batches rather than one modification on each
//! sign-in's path (at 8:00, hundreds a second). Until written they are kept here, and this
//! process's reads of a person show them. A crash loses at most the last interval's times:
//! a usage indicator (who never signed in), not an acknowledged write of the person's.

use std::collections::HashMap;
use std::sync::{Mutex, Weak};
use std::time::Duration;

use super::Inner;
use super::pool::one;

/// How often the times are written.
const INTERVAL: Duration = Duration::from_secs(2);
/// Modifications in flight at once on the service connection (pipelined).
const IN_FLIGHT: usize = 32;

#[derive(Default)]
pub(super) struct LastLogins {
    pending: Mutex<HashMap<String, i64>>,
}

impl LastLogins {
    pub(super) fn signed_in(&self, login: &crate::directory::Login, at: i64) {
        if let Ok(mut p) = self.pending.lock() {
            p.insert(login.as_str().to_owned(), at);
        }
    }

    pub(super) fn pending(&self, login: &str) -> Option<i64> {
        self.pending.lock().ok()?.get(login).copied()
    }

    fn take(&self) -> HashMap<String, i64> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    /// Puts back what could not be written (a newer time wins).
    fn restore(&self, failed: HashMap<String, i64>) {
        if let Ok(mut p) = self.pending.lock() {
            for (login, at) in failed {
                p.entry(login).or_insert(at);
            }
        }
    }
}

/// Writes the pending times every [`INTERVAL`] while the directory lives.
pub(super) async fn writer(inner: Weak<Inner>) {
    loop {
        tokio::time::sleep(INTERVAL).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        if let Err(e) = write(&inner).await {
            tracing::warn!(error = %e, "sign-in times not written to the annuaire yet");
        }
    }
}

async fn write(inner: &Inner) -> crate::Result<()> {
    let batch = inner.last_logins.take();
    if batch.is_empty() {
        return Ok(());
    }
    let conn = match inner.pool.get().await {
        Ok(c) => c,
        Err(e) => {
            inner.last_logins.restore(batch);
            return Err(e);
        }
    };
    // One connection, the modifications pipelined on it.
    let ldap = (*conn).clone();
    let mut failed = HashMap::new();
    let mut batch = batch.into_iter().peekable();
    while batch.peek().is_some() {
        let mut wave = tokio::task::JoinSet::new();
        for (login, at) in batch.by_ref().take(IN_FLIGHT) {
            let mut ldap = ldap.clone();
            let dn = match crate::directory::Login::parse(&login) {
                Ok(l) => inner.tree.person(&l),
                Err(_) => continue,
            };
            wave.spawn(async move {
                let r = ldap
                    .modify(
                        &dn,
                        vec![ldap3::Mod::Replace(
                            "cartableLastLogin".to_owned(),
                            one(at.to_string()),
                        )],
                    )
                    .await;
                // A person deleted since (no such object) has nothing to record.
                let ok =
                    matches!(&r, Ok(res) if res.rc == 0 || res.rc == super::rc::NO_SUCH_OBJECT);
                (login, at, ok)
            });
        }
        while let Some(done) = wave.join_next().await {
            if let Ok((login, at, false)) = done {
                failed.insert(login, at);
            }
        }
    }
    drop(conn);
    if failed.is_empty() {
        Ok(())
    } else {
        let n = failed.len();
        inner.last_logins.restore(failed);
        Err(crate::Error::Directory(format!(
            "{n} sign-in time(s) refused by the annuaire"
        )))
    }
}
