//! The module's tables (`agenda_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use time::Date;

use crate::model::{Audience, Event};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

/// Events from `from` to `to` (inclusive), by day then time; the caller keeps those the
/// viewer sees.
pub fn between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<Event>> {
    let c = r.sql();
    let mut st = c
        .prepare(
            "SELECT id, owner, title, place, description, day, start_min, end_min, author
             FROM agenda_events WHERE day BETWEEN ?1 AND ?2
             ORDER BY day, COALESCE(start_min, -1), id",
        )
        .map_err(err("read events"))?;
    let rows = st
        .query_map([iso(from), iso(to)], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<i64>>(6)?,
                row.get::<_, Option<i64>>(7)?,
                row.get::<_, String>(8)?,
            ))
        })
        .map_err(err("read events"))?;
    let mut aud = c
        .prepare("SELECT kind, code FROM agenda_audiences WHERE event_id = ?1 ORDER BY kind, code")
        .map_err(err("read audiences"))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, owner, title, place, description, day, start, end, author) =
            row.map_err(err("read events"))?;
        let Some(day) = parse_iso(&day) else { continue };
        let times = match (start, end) {
            (Some(s), Some(e)) => u16::try_from(s).ok().zip(u16::try_from(e).ok()),
            _ => None,
        };
        let audiences = aud
            .query_map([id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(err("read audiences"))?
            .filter_map(|r| r.ok())
            .filter_map(|(k, code)| {
                Audience::parse(&if code.is_empty() {
                    k
                } else {
                    format!("{k}:{code}")
                })
            })
            .collect();
        out.push(Event {
            id,
            owner,
            title,
            place,
            description,
            day,
            times,
            author,
            audiences,
        });
    }
    Ok(out)
}

pub fn one(r: &ReadTxn<'_>, id: i64) -> Result<Option<Event>> {
    // Events are few per day: read the day's and pick.
    let day: Option<String> = rusqlite::OptionalExtension::optional(r.sql().query_row(
        "SELECT day FROM agenda_events WHERE id = ?1",
        [id],
        |row| row.get(0),
    ))
    .map_err(err("read event"))?;
    let Some(day) = day.as_deref().and_then(parse_iso) else {
        return Ok(None);
    };
    Ok(between(r, day, day)?.into_iter().find(|e| e.id == id))
}

pub fn add(w: &WriteTxn<'_>, e: &Event, at: i64) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO agenda_events(owner, title, place, description, day, start_min, end_min,
         author, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            e.owner,
            e.title,
            e.place,
            e.description,
            iso(e.day),
            e.times.map(|t| t.0),
            e.times.map(|t| t.1),
            e.author,
            at
        ],
    )
    .map_err(err("add event"))?;
    let id = c.last_insert_rowid();
    for a in &e.audiences {
        let (kind, code) = match a {
            Audience::Everyone => ("tous", ""),
            Audience::Staff => ("personnels", ""),
            Audience::Class(k) => ("classe", k.as_str()),
            Audience::Parents(k) => ("parents", k.as_str()),
        };
        c.execute(
            "INSERT OR IGNORE INTO agenda_audiences(event_id, kind, code) VALUES (?1, ?2, ?3)",
            rusqlite::params![id, kind, code],
        )
        .map_err(err("add audience"))?;
    }
    Ok(id)
}

pub fn delete(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute("DELETE FROM agenda_events WHERE id = ?1", [id])
        .map(|n| n > 0)
        .map_err(err("delete event"))
}

/// A person's own events (their data export).
pub fn owned_by(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(String, String)>> {
    let mut st = r
        .sql()
        .prepare("SELECT day, title FROM agenda_events WHERE owner = ?1 ORDER BY day")
        .map_err(err("read events"))?;
    let rows = st
        .query_map([login], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(err("read events"))?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(err("read events"))
}

/// Removes events whose day is before `before`; returns how many.
pub fn delete_before(w: &WriteTxn<'_>, before: Date) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM agenda_events WHERE day < ?1", [iso(before)])
        .map_err(err("purge events"))
}

/// Everyone who has events of his own.
pub fn owners(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT DISTINCT owner FROM agenda_events WHERE owner IS NOT NULL")
        .map_err(err("read owners"))?;
    let rows = st
        .query_map([], |row| row.get(0))
        .map_err(err("read owners"))?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(err("read owners"))
}

/// Removes a person's own events (the account is gone).
pub fn delete_owned_by(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM agenda_events WHERE owner = ?1", [login])
        .map_err(err("purge events"))
}
