//! The académie's staff who read the dashboard: accounts (argon2id, core's hashing, checked
//! off the executor) and sessions (the cookie holds a random token; only its SHA-256 is
//! stored, with the form token that every POST must carry).

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::Db;
use crate::error::{Error, Result};

/// Password checks at once: one per core, the others wait their turn (first come, first
/// served), so a burst of sign-ins cannot take every thread.
static CHECKS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// A session lasts a working day.
pub const SESSION: Duration = Duration::hours(10);

/// Who is signed in.
#[derive(Debug, Clone)]
pub struct Session {
    pub login: String,
    pub nom: String,
    pub csrf: String,
}

fn token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

async fn off_executor<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Database(e.to_string()))
}

impl Db {
    /// Creates an account, or sets a new password (which ends its sessions).
    pub async fn set_account(
        &self,
        login: &str,
        nom: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let pw = password.to_owned();
        let hash = off_executor(move || cartable_core::auth::password::hash(&pw))
            .await?
            .map_err(|e| Error::Refused(e.to_string()))?;
        let mut c = self.client().await?;
        let t = c.transaction().await?;
        t.execute(
            "INSERT INTO comptes (login, nom, condensat, cree_le) VALUES ($1, $2, $3, $4)
             ON CONFLICT (login) DO UPDATE SET nom = EXCLUDED.nom, condensat = EXCLUDED.condensat",
            &[&login, &nom, &hash, &now],
        )
        .await?;
        t.execute("DELETE FROM sessions WHERE login = $1", &[&login])
            .await?;
        t.commit().await?;
        Ok(())
    }

    /// Checks a password; on success opens a session and returns its cookie token. The same
    /// work is done for an unknown login (no timing oracle).
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<Option<String>> {
        let c = self.client().await?;
        let stored: Option<String> = c
            .query_opt("SELECT condensat FROM comptes WHERE login = $1", &[&login])
            .await?
            .map(|r| r.get(0));
        let pw = password.to_owned();
        let _turn = CHECKS
            .acquire()
            .await
            .map_err(|e| Error::Database(e.to_string()))?;
        let ok = off_executor(move || {
            cartable_core::auth::password::verify_or_dummy(stored.as_deref(), &pw)
        })
        .await?;
        if !ok {
            return Ok(None);
        }
        let (t, csrf) = (token(), token());
        c.execute(
            "INSERT INTO sessions (jeton, login, csrf, expire_le) VALUES ($1, $2, $3, $4)",
            &[&digest(&t), &login, &csrf, &(now + SESSION)],
        )
        .await?;
        c.execute("DELETE FROM sessions WHERE expire_le < $1", &[&now])
            .await?;
        Ok(Some(t))
    }

    pub async fn session(&self, token: &str, now: OffsetDateTime) -> Result<Option<Session>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT s.login, c.nom, s.csrf FROM sessions s JOIN comptes c USING (login)
                  WHERE s.jeton = $1 AND s.expire_le > $2",
                &[&digest(token), &now],
            )
            .await?;
        Ok(row.map(|r| Session {
            login: r.get(0),
            nom: r.get(1),
            csrf: r.get(2),
        }))
    }

    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let c = self.client().await?;
        c.execute("DELETE FROM sessions WHERE jeton = $1", &[&digest(token)])
            .await?;
        Ok(())
    }
}
