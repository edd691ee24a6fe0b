//! What the store offers ENT modules: their own migrations, versioned per module, and SQL on
//! their own tables inside the store's transactions (so a module's write commits, or not,
//! with the rest). A module's tables are named after it (`edt_…`, `agenda_…`).

use rusqlite::OptionalExtension;

use super::{ReadTxn, Store, WriteTxn, sql_err};
use crate::{Error, Result};

impl ReadTxn<'_> {
    /// The connection, for a module's queries on its own tables.
    pub fn sql(&self) -> super::Sql<'_> {
        self.conn
    }
}

impl WriteTxn<'_> {
    /// The connection, for a module's writes to its own tables.
    pub fn sql_mut(&self) -> super::Sql<'_> {
        self.read.conn
    }
}

/// A module's SQL error, with what it was doing.
pub fn module_sql_err(context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    sql_err(context)
}

impl Store {
    /// Applies `module`'s migrations it has not applied yet, each in its own transaction;
    /// returns the version reached. Entry `i` is version `i + 1`; never edit one that shipped.
    pub async fn migrate_module(
        &self,
        module: &'static str,
        migrations: &'static [&'static str],
    ) -> Result<usize> {
        let current: usize = self
            .read(move |r| {
                r.conn
                    .query_row(
                        "SELECT version FROM module_versions WHERE module = ?1",
                        [module],
                        |row| row.get::<_, i64>(0),
                    )
                    .optional()
                    .map(|v| v.unwrap_or(0).max(0) as usize)
                    .map_err(sql_err("read module version"))
            })
            .await?;
        if current > migrations.len() {
            return Err(Error::SchemaTooNew {
                found: current as i64,
                known: migrations.len() as i64,
            });
        }
        for (i, sql) in migrations.iter().enumerate().skip(current) {
            let version = i as i64 + 1;
            self.write(move |w| {
                w.read
                    .conn
                    .execute_batch(sql)
                    .map_err(sql_err("apply module migration"))?;
                w.read
                    .conn
                    .execute(
                        "INSERT INTO module_versions(module, version) VALUES (?1, ?2)
                         ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                        rusqlite::params![module, version],
                    )
                    .map_err(sql_err("record module version"))?;
                Ok(())
            })
            .await?;
            tracing::info!(module, version, "module schema migrated");
        }
        Ok(migrations.len())
    }
}

impl ReadTxn<'_> {
    /// Whose secret address of `module` this is (by the secret's SHA-256).
    pub fn feed_owner(&self, module: &str, token_sha256: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT login FROM module_feeds WHERE module = ?1 AND token_sha256 = ?2",
                [module, token_sha256],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql_err("read feed"))
    }

    /// Everyone who has a secret address, in any module.
    pub fn feed_logins(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT login FROM module_feeds ORDER BY login")
            .map_err(sql_err("read feeds"))?;
        let rows = st
            .query_map([], |row| row.get(0))
            .map_err(sql_err("read feeds"))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(sql_err("read feeds"))
    }

    pub fn has_feed(&self, module: &str, login: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM module_feeds WHERE module = ?1 AND login = ?2)",
                [module, login],
                |row| row.get(0),
            )
            .map_err(sql_err("read feed"))
    }
}

impl WriteTxn<'_> {
    /// A new secret address of `module` for `login`; the previous one stops working.
    pub fn set_feed(&self, module: &str, login: &str, token_sha256: &str, at: i64) -> Result<()> {
        self.read
            .conn
            .execute(
                "INSERT INTO module_feeds(module, login, token_sha256, created_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(module, login) DO UPDATE SET token_sha256 = excluded.token_sha256,
                   created_at = excluded.created_at",
                rusqlite::params![module, login, token_sha256, at],
            )
            .map(|_| ())
            .map_err(sql_err("write feed"))
    }

    /// Removes a person's addresses in every module (the account is gone).
    pub fn delete_feeds_of(&self, login: &str) -> Result<usize> {
        self.read
            .conn
            .execute("DELETE FROM module_feeds WHERE login = ?1", [login])
            .map_err(sql_err("delete feeds"))
    }

    pub fn delete_feed(&self, module: &str, login: &str) -> Result<bool> {
        self.read
            .conn
            .execute(
                "DELETE FROM module_feeds WHERE module = ?1 AND login = ?2",
                [module, login],
            )
            .map(|n| n > 0)
            .map_err(sql_err("delete feed"))
    }
}
