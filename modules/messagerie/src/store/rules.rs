//! The communication matrix, the suspensions, the limits and the alerts.

use cartable_core::Result;
use cartable_core::directory::Profile;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

use crate::rules::{Matrix, Scope};

/// The matrix in force: the RUPN's once he changed it, else the defaults; with who and when.
pub fn matrix(r: &ReadTxn<'_>) -> Result<(Matrix, Option<(String, i64)>)> {
    let c = r.sql();
    let edited: Option<(String, i64)> = c
        .query_row("SELECT by, at FROM msg_rules_edited", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(err("read rules"))?;
    if edited.is_none() {
        return Ok((Matrix::defaults(), None));
    }
    let mut st = c
        .prepare_cached("SELECT profile, scope FROM msg_rules")
        .map_err(err("read rules"))?;
    let pairs: Vec<(String, String)> = st
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(err("read rules"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read rules"))?;
    let m = Matrix::from_pairs(
        pairs
            .iter()
            .filter_map(|(p, s)| Some((Profile::parse(p)?, Scope::parse(s)?))),
    );
    Ok((m, edited))
}

pub fn set_matrix(w: &WriteTxn<'_>, m: &Matrix, by: &str, at: i64) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM msg_rules", [])
        .map_err(err("write rules"))?;
    for (p, s) in m.pairs() {
        c.execute(
            "INSERT INTO msg_rules(profile, scope) VALUES (?1, ?2)",
            params![p.as_str(), s.code()],
        )
        .map_err(err("write rules"))?;
    }
    c.execute(
        "INSERT INTO msg_rules_edited(one, by, at) VALUES (1, ?1, ?2)
         ON CONFLICT(one) DO UPDATE SET by = excluded.by, at = excluded.at",
        params![by, at],
    )
    .map_err(err("write rules"))?;
    Ok(())
}

pub fn reset_matrix(w: &WriteTxn<'_>) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM msg_rules", [])
        .map_err(err("write rules"))?;
    c.execute("DELETE FROM msg_rules_edited", [])
        .map_err(err("write rules"))?;
    Ok(())
}

/// Suspensions: (who, by, at).
pub fn suspensions(r: &ReadTxn<'_>) -> Result<Vec<(String, String, i64)>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT who, by, at FROM msg_suspensions ORDER BY who")
        .map_err(err("read suspensions"))?;
    st.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read suspensions"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read suspensions"))
}

pub fn suspend(w: &WriteTxn<'_>, who: &str, by: &str, at: i64) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "INSERT OR IGNORE INTO msg_suspensions(who, by, at) VALUES (?1, ?2, ?3)",
            params![who, by, at],
        )
        .map_err(err("suspend"))?;
    Ok(n == 1)
}

pub fn resume(w: &WriteTxn<'_>, who: &str) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute("DELETE FROM msg_suspensions WHERE who = ?1", [who])
        .map_err(err("resume"))?;
    Ok(n == 1)
}

/// Limits the RUPN set: (profile, messages, recipients) per hour.
pub fn limits(r: &ReadTxn<'_>) -> Result<Vec<(String, i64, i64)>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT profile, messages, recipients FROM msg_limits")
        .map_err(err("read limits"))?;
    st.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read limits"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read limits"))
}

pub fn set_limit(w: &WriteTxn<'_>, profile: &str, messages: i64, recipients: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "INSERT INTO msg_limits(profile, messages, recipients) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile) DO UPDATE SET messages = excluded.messages,
               recipients = excluded.recipients",
            params![profile, messages, recipients],
        )
        .map_err(err("write limits"))?;
    Ok(())
}

/// Records that a sender hit his limit; true if he had not in the hour before (tell the RUPN).
pub fn alert(w: &WriteTxn<'_>, sender: &str, what: &str, at: i64) -> Result<bool> {
    let c = w.sql_mut();
    let recent: bool = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM msg_alerts WHERE sender = ?1 AND at > ?2)",
            params![sender, at - 3600],
            |row| row.get(0),
        )
        .map_err(err("write alert"))?;
    c.execute(
        "INSERT INTO msg_alerts(sender, what, at) VALUES (?1, ?2, ?3)",
        params![sender, what, at],
    )
    .map_err(err("write alert"))?;
    Ok(!recent)
}

/// The latest alerts: (sender, what, at).
pub fn alerts(r: &ReadTxn<'_>, limit: i64) -> Result<Vec<(String, String, i64)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT sender, what, at FROM msg_alerts ORDER BY at DESC, id DESC LIMIT ?1",
        )
        .map_err(err("read alerts"))?;
    st.query_map([limit], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read alerts"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read alerts"))
}
