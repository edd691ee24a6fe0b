//! Audience rows and the outbox.

use rusqlite::OptionalExtension;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;
use crate::academie::audience::DayFigure;

/// A message waiting for the académie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    pub kind: String,
    pub body: String,
    pub attempts: i64,
    pub next_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        key: r.get(1)?,
        kind: r.get(2)?,
        body: r.get(3)?,
        attempts: r.get(4)?,
        next_at: r.get(5)?,
        sent_at: r.get(6)?,
        last_error: r.get(7)?,
    })
}

const COLUMNS: &str = "id, key, kind, body, attempts, next_at, sent_at, last_error";

impl ReadTxn<'_> {
    pub fn day_figures(&self, day: &str) -> Result<Vec<DayFigure>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT service, profile, SUM(visits), COUNT(*) FROM audience WHERE day = ?1
                 GROUP BY service, profile ORDER BY service, profile",
            )
            .map_err(sql_err("prepare figures"))?;
        let rows = st
            .query_map([day], |r| {
                Ok(DayFigure {
                    service: r.get(0)?,
                    profil: r.get(1)?,
                    visites: r.get(2)?,
                    visiteurs: r.get(3)?,
                })
            })
            .map_err(sql_err("read figures"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read figures"))
    }

    pub fn audience_days_before(&self, day: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT day FROM audience WHERE day < ?1 ORDER BY day")
            .map_err(sql_err("prepare days"))?;
        let rows = st
            .query_map([day], |r| r.get(0))
            .map_err(sql_err("read days"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read days"))
    }

    pub fn outbox_has(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM outbox WHERE key = ?1", [key], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(sql_err("read outbox"))
    }

    /// Unsent messages due at `now`, oldest first.
    pub fn outbox_due(&self, now: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL AND next_at <= ?1
                 ORDER BY id LIMIT ?2"
            ))
            .map_err(sql_err("prepare outbox"))?;
        let rows = st
            .query_map([now, limit], row)
            .map_err(sql_err("read outbox"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read outbox"))
    }

    pub fn outbox_all(&self) -> Result<Vec<OutboxRow>> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id"))
            .map_err(sql_err("prepare outbox"))?;
        let rows = st.query_map([], row).map_err(sql_err("read outbox"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read outbox"))
    }

    /// When the last import changed the annuaire (audit log), if ever.
    pub fn last_import_at(&self) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT MAX(at) FROM audit_log WHERE actor = 'import'",
                [],
                |r| r.get(0),
            )
            .map_err(sql_err("read last import"))
    }
}

impl WriteTxn<'_> {
    pub fn add_visits(
        &self,
        day: &str,
        service: &str,
        profile: &str,
        user: &[u8],
        visits: i64,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO audience(day, service, profile, user, visits) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(day, service, profile, user) DO UPDATE SET visits = visits + ?5",
                rusqlite::params![day, service, profile, user, visits],
            )
            .map(|_| ())
            .map_err(sql_err("record visit"))
    }

    /// Drops the detail of days before `day`.
    pub fn purge_audience_before(&self, day: &str) -> Result<usize> {
        self.conn
            .execute("DELETE FROM audience WHERE day < ?1", [day])
            .map_err(sql_err("purge audience"))
    }

    /// Queues a message unless one with this key exists; true when queued now.
    pub fn enqueue(&self, key: &str, kind: &str, body: &str, now: i64) -> Result<bool> {
        self.conn
            .execute(
                "INSERT INTO outbox(key, kind, body, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT(key) DO NOTHING",
                rusqlite::params![key, kind, body, now],
            )
            .map(|n| n == 1)
            .map_err(sql_err("enqueue"))
    }

    pub fn outbox_sent(&self, id: i64, now: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL
                 WHERE id = ?1",
                [id, now],
            )
            .map(|_| ())
            .map_err(sql_err("mark sent"))
    }

    pub fn outbox_failed(&self, id: i64, next_at: i64, error: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?2, last_error = ?3
                 WHERE id = ?1",
                rusqlite::params![id, next_at, error],
            )
            .map(|_| ())
            .map_err(sql_err("mark failed"))
    }
}
