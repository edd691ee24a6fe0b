//! Versioned schema migrations, embedded in the binary and applied in order on open.
//! The applied version is SQLite's `user_version`; each migration runs in its own transaction.

use rusqlite::Connection;

use super::sql_err;
use crate::{Error, Result};

/// Migrations in order; the version of entry `i` is `i + 1`. Never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_audit.sql"),
    include_str!("migrations/0003_academie.sql"),
    include_str!("migrations/0004_cas.sql"),
    include_str!("migrations/0005_files.sql"),
    include_str!("migrations/0006_modules.sql"),
    include_str!("migrations/0007_module_feeds.sql"),
    include_str!("migrations/0008_courses.sql"),
    include_str!("migrations/0009_devoir_due.sql"),
    include_str!("migrations/0010_school_holidays.sql"),
    include_str!("migrations/0011_notifications.sql"),
    include_str!("migrations/0012_course_cancellations.sql"),
    include_str!("migrations/0013_domain.sql"),
    include_str!("migrations/0014_course_rooms.sql"),
    include_str!("migrations/0015_gar.sql"),
    include_str!("migrations/0016_server.sql"),
    include_str!("migrations/0017_usage.sql"),
];

/// Schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection) -> Result<i64> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err("read schema version"))?;
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let tx = conn.transaction().map_err(sql_err("begin migration"))?;
        tx.execute_batch(sql).map_err(sql_err("apply migration"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(sql_err("record schema version"))?;
        tx.commit().map_err(sql_err("commit migration"))?;
        tracing::info!(version, "store schema migrated");
    }
    Ok(SCHEMA_VERSION)
}
