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

/// Work handed out by a teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Devoir {
    pub id: i64,
    pub teacher: String,
    /// Its folder name in each pupil's `devoirs/<enseignant>/`.
    pub reference: String,
    pub title: String,
    /// `classe` or `groupe`.
    pub audience_kind: String,
    pub audience: String,
    pub created_at: i64,
    /// None while an exam waits to be released.
    pub released_at: Option<i64>,
    pub collected_at: Option<i64>,
    pub returned_at: Option<i64>,
    pub files: Vec<String>,
    /// The day it is due (ISO date), when the teacher set one.
    pub due_on: Option<String>,
}

const DEVOIR_COLUMNS: &str = "id, teacher, ref, title, audience_kind, audience, created_at, \
                              released_at, collected_at, returned_at, files, due_on";

fn devoir_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Devoir> {
    let files: String = r.get(10)?;
    Ok(Devoir {
        id: r.get(0)?,
        teacher: r.get(1)?,
        reference: r.get(2)?,
        title: r.get(3)?,
        audience_kind: r.get(4)?,
        audience: r.get(5)?,
        created_at: r.get(6)?,
        released_at: r.get(7)?,
        collected_at: r.get(8)?,
        returned_at: r.get(9)?,
        files: serde_json::from_str(&files).unwrap_or_default(),
        due_on: r.get(11)?,
    })
}

impl ReadTxn<'_> {
    pub fn devoirs_of(&self, teacher: &str) -> Result<Vec<Devoir>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {DEVOIR_COLUMNS} FROM devoirs WHERE teacher = ?1 ORDER BY created_at DESC, id DESC"
            ))
            .map_err(sql_err("read devoirs"))?;
        st.query_map([teacher], devoir_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(sql_err("read devoirs"))
    }

    /// The devoirs handed out to these audiences (`(kind, code)`: `classe`/`groupe`), those
    /// released only, soonest due first (undated last), then newest.
    pub fn devoirs_for(&self, audiences: &[(String, String)]) -> Result<Vec<Devoir>> {
        let mut out = Vec::new();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {DEVOIR_COLUMNS} FROM devoirs
                 WHERE audience_kind = ?1 AND audience = ?2 AND released_at IS NOT NULL"
            ))
            .map_err(sql_err("read devoirs"))?;
        for (kind, code) in audiences {
            let rows = st
                .query_map([kind, code], devoir_row)
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(sql_err("read devoirs"))?;
            out.extend(rows);
        }
        out.sort_by(|a, b| {
            (
                a.due_on.is_none(),
                &a.due_on,
                std::cmp::Reverse(a.created_at),
                a.id,
            )
                .cmp(&(
                    b.due_on.is_none(),
                    &b.due_on,
                    std::cmp::Reverse(b.created_at),
                    b.id,
                ))
        });
        Ok(out)
    }

    pub fn devoir(&self, id: i64) -> Result<Option<Devoir>> {
        self.conn
            .query_row(
                &format!("SELECT {DEVOIR_COLUMNS} FROM devoirs WHERE id = ?1"),
                [id],
                devoir_row,
            )
            .optional()
            .map_err(sql_err("read devoir"))
    }

    /// Each pupil's copy and its status, by pupil.
    pub fn devoir_copies(&self, id: i64) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT pupil, status FROM devoir_copies WHERE devoir = ?1 ORDER BY pupil")
            .map_err(sql_err("read copies"))?;
        st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(sql_err("read copies"))
    }
}

impl WriteTxn<'_> {
    /// Records a new devoir (its id is assigned); `reference` must be free for the teacher.
    pub fn insert_devoir(&self, d: &Devoir) -> Result<i64> {
        let files = serde_json::to_string(&d.files).unwrap_or_else(|_| "[]".to_owned());
        self.conn
            .execute(
                "INSERT INTO devoirs(teacher, ref, title, audience_kind, audience, created_at,
                                     released_at, files, due_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    d.teacher,
                    d.reference,
                    d.title,
                    d.audience_kind,
                    d.audience,
                    d.created_at,
                    d.released_at,
                    files,
                    d.due_on
                ],
            )
            .map_err(sql_err("write devoir"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Sets a step's time: `released_at`, `collected_at` or `returned_at`.
    pub fn devoir_step(&self, id: i64, step: DevoirStep, at: i64) -> Result<()> {
        let column = match step {
            DevoirStep::Released => "released_at",
            DevoirStep::Collected => "collected_at",
            DevoirStep::Returned => "returned_at",
        };
        self.conn
            .execute(
                &format!("UPDATE devoirs SET {column} = ?2 WHERE id = ?1"),
                rusqlite::params![id, at],
            )
            .map(|_| ())
            .map_err(sql_err("write devoir"))
    }

    /// Forgets a devoir whose distribution failed.
    pub fn delete_devoir(&self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM devoirs WHERE id = ?1", [id])
            .map(|_| ())
            .map_err(sql_err("delete devoir"))
    }

    pub fn set_devoir_copy(&self, id: i64, pupil: &str, status: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO devoir_copies(devoir, pupil, status) VALUES (?1, ?2, ?3)
                 ON CONFLICT(devoir, pupil) DO UPDATE SET status = excluded.status",
                rusqlite::params![id, pupil, status],
            )
            .map(|_| ())
            .map_err(sql_err("write copy"))
    }
}

/// The steps of a devoir after its distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevoirStep {
    Released,
    Collected,
    Returned,
}
