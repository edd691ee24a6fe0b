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

/// The entry and the change that record `login`'s sign-in at `at` (None for a login that
/// cannot be one).
fn modification(inner: &Inner, login: &str, at: i64) -> Option<(String, Vec<ldap3::Mod<String>>)> {
    let login = crate::directory::Login::parse(login).ok()?;
    Some((
        inner.tree.person(&login),
        vec![ldap3::Mod::Replace(
            "cartableLastLogin".to_owned(),
            one(at.to_string()),
        )],
    ))
}

/// Most modifications in one transaction.
const IN_TRANSACTION: usize = 512;

const TXN_START: &str = "1.3.6.1.1.21.1";
const TXN_SPEC: &str = "1.3.6.1.1.21.2";
const TXN_END: &str = "1.3.6.1.1.21.3";

/// Writes `times` in one LDAP transaction: all of them or none.
async fn in_transaction(
    inner: &Inner,
    mut ldap: ldap3::Ldap,
    times: &[(String, i64)],
) -> crate::Result<()> {
    let err = |what: &str| crate::Error::Directory(format!("LDAP transaction: {what}"));
    let started = ldap
        .extended(ldap3::exop::Exop {
            name: Some(TXN_START.to_owned()),
            val: None,
        })
        .await
        .map_err(|e| err(&e.to_string()))?;
    if started.1.rc != 0 {
        return Err(err(&format!("start refused, code {}", started.1.rc)));
    }
    let id = started.0.val.ok_or_else(|| err("no identifier"))?;
    // txnEndReq ::= SEQUENCE { commit BOOLEAN DEFAULT TRUE, identifier OCTET STRING }
    let end_with = |commit: bool| -> Option<Vec<u8>> {
        let mut body = Vec::new();
        if !commit {
            body.extend_from_slice(&[0x01, 0x01, 0x00]);
        }
        body.extend_from_slice(&[0x04, u8::try_from(id.len()).ok().filter(|n| *n < 0x80)?]);
        body.extend_from_slice(&id);
        let mut out = vec![0x30, u8::try_from(body.len()).ok().filter(|n| *n < 0x80)?];
        out.extend(body);
        Some(out)
    };
    let (commit, abort) = match (end_with(true), end_with(false)) {
        (Some(c), Some(a)) => (c, a),
        _ => return Err(err("identifier too long")),
    };
    let control = ldap3::controls::RawControl {
        ctype: TXN_SPEC.to_owned(),
        crit: true,
        val: Some(id.clone()),
    };
    let mut queued = true;
    for (login, at) in times {
        let Some((dn, mods)) = modification(inner, login, *at) else {
            continue;
        };
        let r = ldap
            .with_controls(vec![control.clone()])
            .modify(&dn, mods)
            .await;
        if !matches!(&r, Ok(res) if res.rc == 0) {
            queued = false;
            break;
        }
    }
    let end = if queued { commit } else { abort };
    let ended = ldap
        .extended(ldap3::exop::Exop {
            name: Some(TXN_END.to_owned()),
            val: Some(end),
        })
        .await
        .map_err(|e| err(&e.to_string()))?;
    match (queued, ended.1.rc) {
        (true, 0) => Ok(()),
        (true, rc) => Err(err(&format!("commit refused, code {rc}"))),
        (false, _) => Err(err("a modification refused; aborted")),
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
    let batch: Vec<(String, i64)> = batch.into_iter().collect();
    // Each modification is a write slapd syncs to disk on its own; in one LDAP transaction
    // (RFC 5805) a chunk is one. Where transactions are refused (another server, a person
    // deleted meanwhile), the chunk is written entry by entry as before.
    let mut rest: Vec<(String, i64)> = Vec::new();
    for chunk in batch.chunks(IN_TRANSACTION) {
        match in_transaction(inner, ldap.clone(), chunk).await {
            Ok(()) => {}
            Err(e) => {
                tracing::debug!(error = %e, "sign-in times: one by one");
                rest.extend_from_slice(chunk);
            }
        }
    }
    let mut failed = HashMap::new();
    let mut batch = rest.into_iter().peekable();
    while batch.peek().is_some() {
        let mut wave = tokio::task::JoinSet::new();
        for (login, at) in batch.by_ref().take(IN_FLIGHT) {
            let mut ldap = ldap.clone();
            let Some((dn, mods)) = modification(inner, &login, at) else {
                continue;
            };
            wave.spawn(async move {
                let r = ldap.modify(&dn, mods).await;
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
