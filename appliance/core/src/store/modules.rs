//! What the store offers ENT modules: their own migrations, versioned per module, and SQL on
//! their own tables inside the store's transactions (so a module's write commits, or not,
//! with the rest). A module's tables are named after it (`edt_…`, `agenda_…`).

use rusqlite::{Connection, OptionalExtension};

use super::{ReadTxn, Store, WriteTxn, sql_err};
use crate::{Error, Result};

impl ReadTxn<'_> {
    /// The connection, for a module's queries on its own tables.
    pub fn sql(&self) -> &Connection {
        self.conn
    }
}

impl WriteTxn<'_> {
    /// The connection, for a module's writes to its own tables.
    pub fn sql_mut(&self) -> &Connection {
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
