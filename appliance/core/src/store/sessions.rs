//! Server-side sessions. Only a hash of the cookie's token is stored, so a copy of the
//! database does not hand out live sessions.

use rusqlite::{OptionalExtension, params};

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub login: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Who the person was when the session began (profile as stored, first name, family
    /// name): what the console's server page goes by while the annuaire does not answer.
    pub profile: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

impl ReadTxn<'_> {
    pub fn session(&self, token_hash: &[u8]) -> Result<Option<SessionRow>> {
        self.conn
            .query_row(
                "SELECT login, csrf_token, created_at, last_seen_at, profile, given_name,
                        family_name
                 FROM sessions WHERE token_hash = ?1",
                [token_hash],
                |r| {
                    Ok(SessionRow {
                        login: r.get(0)?,
                        csrf_token: r.get(1)?,
                        created_at: r.get(2)?,
                        last_seen_at: r.get(3)?,
                        profile: r.get(4)?,
                        given_name: r.get(5)?,
                        family_name: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(sql_err("read session"))
    }
}

impl WriteTxn<'_> {
    pub fn create_session(&self, token_hash: &[u8], row: &SessionRow) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sessions(token_hash, login, csrf_token, created_at, last_seen_at,
                                      profile, given_name, family_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    token_hash,
                    row.login,
                    row.csrf_token,
                    row.created_at,
                    row.last_seen_at,
                    row.profile,
                    row.given_name,
                    row.family_name
                ],
            )
            .map(|_| ())
            .map_err(sql_err("create session"))
    }

    pub fn touch_session(&self, token_hash: &[u8], now: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                params![token_hash, now],
            )
            .map(|_| ())
            .map_err(sql_err("touch session"))
    }

    pub fn delete_session(&self, token_hash: &[u8]) -> Result<()> {
        self.conn
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
            .map(|_| ())
            .map_err(sql_err("delete session"))
    }

    /// Ends every session of a person ("se déconnecter partout", disabled account).
    pub fn delete_sessions_of(&self, login: &str) -> Result<usize> {
        self.conn
            .execute("DELETE FROM sessions WHERE login = ?1", [login])
            .map_err(sql_err("delete sessions"))
    }

    /// Ends every session of a person but `keep` (a password change ends the others).
    pub fn delete_sessions_of_except(&self, login: &str, keep: Option<&[u8]>) -> Result<usize> {
        self.conn
            .execute(
                "DELETE FROM sessions WHERE login = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
                params![login, keep],
            )
            .map_err(sql_err("delete sessions"))
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<usize> {
        self.conn
            .execute(
                "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
                [idle_before, created_before],
            )
            .map_err(sql_err("purge sessions"))
    }
}
