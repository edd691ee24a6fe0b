//! What the console's server page reads: backup runs, and what waits in the two outboxes.

use rusqlite::params;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// One backup run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupRun {
    /// Unix seconds, when it started.
    pub at: i64,
    pub seconds: i64,
    /// `programmee` or `manuelle`.
    pub trigger: String,
    pub ok: bool,
    /// The backup's folder, when it was written.
    pub folder: Option<String>,
    pub bytes: Option<u64>,
    pub error: Option<String>,
}

/// What an outbox holds that is not delivered yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    pub count: u64,
    /// Unix seconds, the oldest waiting message's creation.
    pub oldest: Option<i64>,
    /// Why the last attempt of a waiting message failed, if one did.
    pub last_error: Option<String>,
    /// Unix seconds, the last delivery acknowledged.
    pub last_sent: Option<i64>,
    /// Refused for good (mail only: the relay said the address does not exist).
    pub refused: u64,
}

/// A stored incident (see `server::incidents`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub area: String,
    pub error: bool,
    pub text: String,
    pub first_at: i64,
    pub last_at: i64,
    pub count: i64,
}

impl ReadTxn<'_> {
    /// The newest `limit` incidents, oldest first.
    pub fn incidents(&self, limit: i64) -> Result<Vec<IncidentRow>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT area, error, text, first_at, last_at, count FROM
                   (SELECT * FROM incidents ORDER BY last_at DESC LIMIT ?1)
                 ORDER BY last_at",
            )
            .map_err(sql_err("prepare incidents"))?;
        let rows = st
            .query_map([limit], |r| {
                Ok(IncidentRow {
                    area: r.get(0)?,
                    error: r.get(1)?,
                    text: r.get(2)?,
                    first_at: r.get(3)?,
                    last_at: r.get(4)?,
                    count: r.get(5)?,
                })
            })
            .map_err(sql_err("read incidents"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read incidents"))
    }

    pub fn backup_runs(&self, limit: i64) -> Result<Vec<BackupRun>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT at, seconds, trigger, ok, folder, bytes, error FROM backup_runs
                 ORDER BY id DESC LIMIT ?1",
            )
            .map_err(sql_err("prepare backup runs"))?;
        let rows = st
            .query_map([limit], |r| {
                Ok(BackupRun {
                    at: r.get(0)?,
                    seconds: r.get(1)?,
                    trigger: r.get(2)?,
                    ok: r.get(3)?,
                    folder: r.get(4)?,
                    bytes: r.get::<_, Option<i64>>(5)?.map(|b| b.max(0) as u64),
                    error: r.get(6)?,
                })
            })
            .map_err(sql_err("read backup runs"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read backup runs"))
    }

    /// The académie outbox: messages not acknowledged yet.
    pub fn academie_waiting(&self) -> Result<Waiting> {
        let (count, oldest, last_sent): (i64, Option<i64>, Option<i64>) = self
            .conn
            .query_row(
                "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL),
                        MIN(created_at) FILTER (WHERE sent_at IS NULL),
                        MAX(sent_at)
                 FROM outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(sql_err("read académie outbox"))?;
        let last_error = self
            .conn
            .query_row(
                "SELECT last_error FROM outbox
                 WHERE sent_at IS NULL AND last_error IS NOT NULL
                 ORDER BY next_at DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .or_else(none)
            .map_err(sql_err("read académie outbox"))?;
        Ok(Waiting {
            count: count.max(0) as u64,
            oldest,
            last_error,
            last_sent,
            refused: 0,
        })
    }

    /// The mail outbox: messages neither sent nor refused for good.
    pub fn mail_waiting(&self) -> Result<Waiting> {
        let (count, oldest, last_sent, refused): (i64, Option<i64>, Option<i64>, i64) = self
            .conn
            .query_row(
                "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
                        MIN(created_at) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
                        MAX(sent_at),
                        COUNT(*) FILTER (WHERE failed_at IS NOT NULL)
                 FROM mail_outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(sql_err("read mail outbox"))?;
        let last_error = self
            .conn
            .query_row(
                "SELECT last_error FROM mail_outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL
                 ORDER BY next_at DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .or_else(none)
            .map_err(sql_err("read mail outbox"))?;
        Ok(Waiting {
            count: count.max(0) as u64,
            oldest,
            last_error,
            last_sent,
            refused: refused.max(0) as u64,
        })
    }
}

fn none<T>(e: rusqlite::Error) -> rusqlite::Result<Option<T>> {
    match e {
        rusqlite::Error::QueryReturnedNoRows => Ok(None),
        e => Err(e),
    }
}

impl WriteTxn<'_> {
    /// Keeps an incident as it now stands (first seen, last seen, times), and only the
    /// newest `keep`.
    pub fn put_incident(&self, i: &IncidentRow, keep: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO incidents(area, error, text, first_at, last_at, count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(area, text) DO UPDATE SET error = ?2, first_at = ?4,
                     last_at = ?5, count = ?6",
                params![i.area, i.error, i.text, i.first_at, i.last_at, i.count],
            )
            .map_err(sql_err("record incident"))?;
        self.conn
            .execute(
                "DELETE FROM incidents WHERE rowid NOT IN
                   (SELECT rowid FROM incidents ORDER BY last_at DESC LIMIT ?1)",
                [keep],
            )
            .map(|_| ())
            .map_err(sql_err("record incident"))
    }

    pub fn add_backup_run(&self, run: &BackupRun) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO backup_runs(at, seconds, trigger, ok, folder, bytes, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    run.at,
                    run.seconds,
                    run.trigger,
                    run.ok,
                    run.folder,
                    run.bytes.map(|b| b.min(i64::MAX as u64) as i64),
                    run.error
                ],
            )
            .map(|_| ())
            .map_err(sql_err("record backup run"))
    }
}
