//! Per-person quotas set in the console.

use rusqlite::OptionalExtension;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

impl ReadTxn<'_> {
    pub fn file_quota(&self, login: &str) -> Result<Option<u64>> {
        self.conn
            .query_row(
                "SELECT bytes FROM file_quotas WHERE login = ?1",
                [login],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map(|v| v.map(|b| b as u64))
            .map_err(sql_err("read quota"))
    }
}

impl WriteTxn<'_> {
    /// Sets (or with `None` removes) a person's own quota.
    pub fn set_file_quota(&self, login: &str, bytes: Option<u64>) -> Result<()> {
        match bytes {
            Some(b) => self.conn.execute(
                "INSERT INTO file_quotas(login, bytes) VALUES (?1, ?2)
                 ON CONFLICT(login) DO UPDATE SET bytes = excluded.bytes",
                rusqlite::params![login, b as i64],
            ),
            None => self
                .conn
                .execute("DELETE FROM file_quotas WHERE login = ?1", [login]),
        }
        .map(|_| ())
        .map_err(sql_err("write quota"))
    }
}
