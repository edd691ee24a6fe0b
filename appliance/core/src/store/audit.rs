//! The audit log (who changed which account, when) and tombstones of deleted accounts.

use rusqlite::{OptionalExtension, params};

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Filters of the audit log; newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub target: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub limit: usize,
    /// Entries skipped, newest first (for paging).
    pub offset: usize,
}

/// What remains of a deleted account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub login: String,
    pub jointure: Option<String>,
    pub profile: String,
    pub deleted_at: i64,
}

impl ReadTxn<'_> {
    pub fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let limit = if q.limit == 0 {
            200
        } else {
            q.limit.min(10_000)
        } as i64;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT at, actor, action, target, detail FROM audit_log
                 WHERE (?1 IS NULL OR target = ?1) AND (?2 IS NULL OR actor = ?2)
                   AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR at >= ?4)
                 ORDER BY at DESC, id DESC LIMIT ?5 OFFSET ?6",
            )
            .map_err(sql_err("prepare audit"))?;
        let rows = st
            .query_map(
                params![
                    q.target,
                    q.actor,
                    q.action,
                    q.since,
                    limit,
                    i64::try_from(q.offset).unwrap_or(i64::MAX)
                ],
                |r| {
                    Ok(AuditEntry {
                        at: r.get(0)?,
                        actor: r.get(1)?,
                        action: r.get(2)?,
                        target: r.get(3)?,
                        detail: r.get(4)?,
                    })
                },
            )
            .map_err(sql_err("read audit"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql_err("read audit"))
    }

    /// How many entries match `q` (its limit and offset aside).
    pub fn audit_count(&self, q: &AuditQuery) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM audit_log
                 WHERE (?1 IS NULL OR target = ?1) AND (?2 IS NULL OR actor = ?2)
                   AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR at >= ?4)",
                params![q.target, q.actor, q.action, q.since],
                |r| r.get(0),
            )
            .map_err(sql_err("count audit"))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub fn tombstone(&self, login_or_jointure: &str) -> Result<Option<Tombstone>> {
        self.conn
            .query_row(
                "SELECT login, jointure, profile, deleted_at FROM tombstones
                 WHERE login = ?1 OR jointure = ?1 ORDER BY deleted_at DESC LIMIT 1",
                [login_or_jointure],
                |r| {
                    Ok(Tombstone {
                        login: r.get(0)?,
                        jointure: r.get(1)?,
                        profile: r.get(2)?,
                        deleted_at: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(sql_err("read tombstone"))
    }
}

impl WriteTxn<'_> {
    pub fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO audit_log(at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.at, e.actor, e.action, e.target, e.detail],
            )
            .map(|_| ())
            .map_err(sql_err("write audit"))
    }

    pub fn add_tombstone(&self, t: &Tombstone) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO tombstones(login, jointure, profile, deleted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(login) DO UPDATE SET deleted_at = excluded.deleted_at",
                params![t.login, t.jointure, t.profile, t.deleted_at],
            )
            .map(|_| ())
            .map_err(sql_err("write tombstone"))
    }
}
