//! Key/value facts about the installation (demo seeded, certificate generated...).

use rusqlite::OptionalExtension;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

impl ReadTxn<'_> {
    /// Whether a key is set, without reading its (possibly large) value.
    pub fn has_meta(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
                [key],
                |r| r.get(0),
            )
            .map_err(sql_err("read meta"))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(sql_err("read meta"))
    }
}

impl WriteTxn<'_> {
    pub fn delete_meta(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])
            .map(|_| ())
            .map_err(sql_err("delete meta"))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(sql_err("write meta"))
    }
}
