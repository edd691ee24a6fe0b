//! Reported messages.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::params;

use super::{MESSAGE_COLUMNS, message_of};
use crate::model::Message;

/// A recipient reports a message: it leaves his messagerie, the report keeps it. None when
/// he does not hold it or reported it already.
pub fn report(
    w: &WriteTxn<'_>,
    reporter: &str,
    id: i64,
    reason: &str,
    at: i64,
) -> Result<Option<i64>> {
    let c = w.sql_mut();
    let holds = c
        .execute(
            "DELETE FROM msg_boxes WHERE owner = ?1 AND message = ?2 AND role != 'de'",
            params![reporter, id],
        )
        .map_err(err("report"))?;
    if holds != 1 {
        return Ok(None);
    }
    let n = c
        .execute(
            "INSERT OR IGNORE INTO msg_reports(message, reporter, reason, at) VALUES (?1, ?2, ?3, ?4)",
            params![id, reporter, reason, at],
        )
        .map_err(err("report"))?;
    Ok((n == 1).then(|| c.last_insert_rowid()))
}

/// A report: its id, the message, who reported, why, when, and who handled it when.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub message: Message,
    pub reporter: String,
    pub reason: String,
    pub at: i64,
    pub handled: Option<(String, i64)>,
}

pub fn reports(r: &ReadTxn<'_>, open_only: bool) -> Result<Vec<Report>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS}, x.id, x.reporter, x.reason, x.at, x.handled_by, x.handled_at
             FROM msg_reports x JOIN msg_messages m ON m.id = x.message
             WHERE ?1 = 0 OR x.handled_at IS NULL
             ORDER BY x.at DESC LIMIT 200"
        ))
        .map_err(err("read reports"))?;
    st.query_map([open_only], |row| {
        let by: Option<String> = row.get(17)?;
        let at: Option<i64> = row.get(18)?;
        Ok(Report {
            message: message_of(row)?,
            id: row.get(13)?,
            reporter: row.get(14)?,
            reason: row.get(15)?,
            at: row.get(16)?,
            handled: by.zip(at),
        })
    })
    .map_err(err("read reports"))?
    .collect::<rusqlite::Result<_>>()
    .map_err(err("read reports"))
}

pub fn handle_report(w: &WriteTxn<'_>, id: i64, by: &str, at: i64) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "UPDATE msg_reports SET handled_by = ?2, handled_at = ?3 WHERE id = ?1 AND handled_at IS NULL",
            params![id, by, at],
        )
        .map_err(err("handle report"))?;
    Ok(n == 1)
}

/// The messages of a thread before a reported one, for its context (any owner's).
pub fn context(r: &ReadTxn<'_>, thread: i64, upto: i64) -> Result<Vec<Message>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM msg_messages m
             WHERE m.thread = ?1 AND m.id < ?2 AND m.state != 'brouillon'
             ORDER BY m.id DESC LIMIT 5"
        ))
        .map_err(err("read context"))?;
    let mut out: Vec<Message> = st
        .query_map(params![thread, upto], message_of)
        .map_err(err("read context"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read context"))?;
    out.reverse();
    Ok(out)
}
