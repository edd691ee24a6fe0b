//! The module's tables (`resa_…`), inside the store's transactions. A booking's occurrences
//! are checked and written in the writer's one transaction: two people asking for the last
//! unit at the same second are served one after the other, and the second is refused.

use cartable_core::Result;
use cartable_core::directory::Profile;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::{Booking, Resource, ResourceType, Status};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

fn profiles_of(s: &str) -> Vec<Profile> {
    s.split(',').filter_map(Profile::parse).collect()
}

pub fn types(r: &ReadTxn<'_>) -> Result<Vec<ResourceType>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT id, name, profiles, days_ahead, validation FROM resa_types
             ORDER BY name COLLATE NOCASE",
        )
        .map_err(err("read types"))?;
    st.query_map([], |row| {
        Ok(ResourceType {
            id: row.get(0)?,
            name: row.get(1)?,
            profiles: profiles_of(&row.get::<_, String>(2)?),
            days_ahead: row.get(3)?,
            validation: row.get(4)?,
        })
    })
    .map_err(err("read types"))?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(err("read types"))
}

/// Adds a type, or None if one has that name.
pub fn add_type(w: &WriteTxn<'_>, t: &ResourceType) -> Result<Option<i64>> {
    let profiles: Vec<&str> = t.profiles.iter().map(|p| p.as_str()).collect();
    let n = w
        .sql_mut()
        .execute(
            "INSERT OR IGNORE INTO resa_types(name, profiles, days_ahead, validation)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![t.name, profiles.join(","), t.days_ahead, t.validation],
        )
        .map_err(err("add type"))?;
    Ok((n == 1).then(|| w.sql_mut().last_insert_rowid()))
}

/// Edits a type; false if another type has that name.
pub fn update_type(w: &WriteTxn<'_>, t: &ResourceType) -> Result<bool> {
    let profiles: Vec<&str> = t.profiles.iter().map(|p| p.as_str()).collect();
    let c = w.sql_mut();
    let taken: bool = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM resa_types WHERE name = ?1 AND id <> ?2)",
            rusqlite::params![t.name, t.id],
            |row| row.get(0),
        )
        .map_err(err("edit type"))?;
    if taken {
        return Ok(false);
    }
    c.execute(
        "UPDATE resa_types SET name = ?2, profiles = ?3, days_ahead = ?4, validation = ?5
         WHERE id = ?1",
        rusqlite::params![t.id, t.name, profiles.join(","), t.days_ahead, t.validation],
    )
    .map(|_| true)
    .map_err(err("edit type"))
}

/// Bookings still to come on the resources of a type (or on one resource).
fn coming(w: &WriteTxn<'_>, type_id: Option<i64>, resource: Option<i64>, now: i64) -> Result<i64> {
    w.sql_mut()
        .query_row(
            "SELECT COUNT(*) FROM resa_bookings b JOIN resa_resources r ON r.id = b.resource_id
             WHERE b.end_at > ?3 AND b.status <> 'refusee'
               AND (?1 IS NULL OR r.type_id = ?1) AND (?2 IS NULL OR r.id = ?2)",
            rusqlite::params![type_id, resource, now],
            |row| row.get(0),
        )
        .map_err(err("count coming bookings"))
}

/// Deletes a type and its resources, unless bookings are still to come: then how many.
pub fn delete_type(w: &WriteTxn<'_>, id: i64, now: i64) -> Result<std::result::Result<(), i64>> {
    let n = coming(w, Some(id), None, now)?;
    if n > 0 {
        return Ok(Err(n));
    }
    w.sql_mut()
        .execute("DELETE FROM resa_types WHERE id = ?1", [id])
        .map(|_| Ok(()))
        .map_err(err("delete type"))
}

/// Edits a resource; false if its type has another of that name.
pub fn update_resource(w: &WriteTxn<'_>, res: &Resource) -> Result<bool> {
    let c = w.sql_mut();
    let taken: bool = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM resa_resources WHERE type_id = ?1 AND name = ?2 AND id <> ?3)",
            rusqlite::params![res.kind, res.name, res.id],
            |row| row.get(0),
        )
        .map_err(err("edit resource"))?;
    if taken {
        return Ok(false);
    }
    c.execute(
        "UPDATE resa_resources SET name = ?2, quantity = ?3, room = ?4 WHERE id = ?1",
        rusqlite::params![res.id, res.name, res.quantity, res.room],
    )
    .map(|_| true)
    .map_err(err("edit resource"))
}

/// Deletes a resource, unless bookings of it are still to come: then how many.
pub fn delete_resource(
    w: &WriteTxn<'_>,
    id: i64,
    now: i64,
) -> Result<std::result::Result<(), i64>> {
    let n = coming(w, None, Some(id), now)?;
    if n > 0 {
        return Ok(Err(n));
    }
    w.sql_mut()
        .execute("DELETE FROM resa_resources WHERE id = ?1", [id])
        .map(|_| Ok(()))
        .map_err(err("delete resource"))
}

fn resource_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Resource> {
    Ok(Resource {
        id: row.get(0)?,
        kind: row.get(1)?,
        name: row.get(2)?,
        quantity: row.get(3)?,
        room: row.get(4)?,
    })
}

pub fn resources(r: &ReadTxn<'_>) -> Result<Vec<Resource>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT id, type_id, name, quantity, room FROM resa_resources
             ORDER BY name COLLATE NOCASE",
        )
        .map_err(err("read resources"))?;
    st.query_map([], resource_of)
        .map_err(err("read resources"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read resources"))
}

pub fn resource(r: &ReadTxn<'_>, id: i64) -> Result<Option<Resource>> {
    r.sql()
        .query_row(
            "SELECT id, type_id, name, quantity, room FROM resa_resources WHERE id = ?1",
            [id],
            resource_of,
        )
        .optional()
        .map_err(err("read resource"))
}

/// Adds a resource, or None if its type has one of that name.
pub fn add_resource(w: &WriteTxn<'_>, res: &Resource) -> Result<Option<i64>> {
    let n = w
        .sql_mut()
        .execute(
            "INSERT OR IGNORE INTO resa_resources(type_id, name, quantity, room)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![res.kind, res.name, res.quantity, res.room],
        )
        .map_err(err("add resource"))?;
    Ok((n == 1).then(|| w.sql_mut().last_insert_rowid()))
}

const BOOKING_COLUMNS: &str =
    "id, resource_id, login, start_at, end_at, quantity, status, reason, series, refusal";

fn booking_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Booking> {
    Ok(Booking {
        id: row.get(0)?,
        resource: row.get(1)?,
        login: row.get(2)?,
        start: row.get(3)?,
        end: row.get(4)?,
        quantity: row.get(5)?,
        status: Status::parse(&row.get::<_, String>(6)?),
        reason: row.get(7)?,
        series: row.get(8)?,
        refusal: row.get(9)?,
    })
}

fn collect(
    r: &ReadTxn<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    what: &'static str,
) -> Result<Vec<Booking>> {
    let mut st = r.sql().prepare(sql).map_err(err(what))?;
    st.query_map(params, booking_of)
        .map_err(err(what))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err(what))
}

/// A resource's bookings overlapping `from..to` (refused ones too: the caller decides).
pub fn between(r: &ReadTxn<'_>, resource: i64, from: i64, to: i64) -> Result<Vec<Booking>> {
    collect(
        r,
        &format!(
            "SELECT {BOOKING_COLUMNS} FROM resa_bookings
             WHERE resource_id = ?1 AND start_at < ?3 AND end_at > ?2 ORDER BY start_at"
        ),
        rusqlite::params![resource, from, to],
        "read bookings",
    )
}

/// A person's bookings ending after `from`, soonest first.
pub fn of(r: &ReadTxn<'_>, login: &str, from: i64) -> Result<Vec<Booking>> {
    collect(
        r,
        &format!(
            "SELECT {BOOKING_COLUMNS} FROM resa_bookings WHERE login = ?1 AND end_at > ?2
             ORDER BY start_at LIMIT 500"
        ),
        rusqlite::params![login, from],
        "read bookings",
    )
}

/// Bookings waiting for a manager, soonest first.
pub fn waiting(r: &ReadTxn<'_>) -> Result<Vec<Booking>> {
    collect(
        r,
        &format!(
            "SELECT {BOOKING_COLUMNS} FROM resa_bookings WHERE status = 'attente'
             ORDER BY start_at LIMIT 500"
        ),
        [],
        "read bookings",
    )
}

pub fn booking(r: &ReadTxn<'_>, id: i64) -> Result<Option<Booking>> {
    r.sql()
        .query_row(
            &format!("SELECT {BOOKING_COLUMNS} FROM resa_bookings WHERE id = ?1"),
            [id],
            booking_of,
        )
        .optional()
        .map_err(err("read booking"))
}

/// Writes the occurrences of one booking; the first one's id names the series.
pub fn add_bookings(w: &WriteTxn<'_>, all: &[Booking], at: i64) -> Result<Vec<i64>> {
    let c = w.sql_mut();
    let mut ids = Vec::new();
    let mut series: Option<i64> = None;
    for b in all {
        c.execute(
            "INSERT INTO resa_bookings(resource_id, login, start_at, end_at, quantity, status,
                 reason, series, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                b.resource,
                b.login,
                b.start,
                b.end,
                b.quantity,
                b.status.as_str(),
                b.reason,
                series,
                at
            ],
        )
        .map_err(err("add booking"))?;
        let id = c.last_insert_rowid();
        if all.len() > 1 && series.is_none() {
            series = Some(id);
            c.execute("UPDATE resa_bookings SET series = ?1 WHERE id = ?1", [id])
                .map_err(err("add booking"))?;
        }
        ids.push(id);
    }
    Ok(ids)
}

/// A manager's decision on a waiting booking (and the rest of its series still waiting);
/// false if it was no longer waiting.
pub fn decide(w: &WriteTxn<'_>, id: i64, by: &str, accept: bool, refusal: &str) -> Result<bool> {
    let status = if accept {
        Status::Validated
    } else {
        Status::Refused
    };
    let n = w
        .sql_mut()
        .execute(
            "UPDATE resa_bookings SET status = ?2, decided_by = ?3, refusal = ?4
             WHERE status = 'attente' AND (id = ?1 OR (series IS NOT NULL AND series =
                 (SELECT series FROM resa_bookings WHERE id = ?1)))",
            rusqlite::params![id, status.as_str(), by, refusal],
        )
        .map_err(err("decide booking"))?;
    Ok(n > 0)
}

/// Cancels one occurrence, or it and the later ones of its series; returns how many.
pub fn cancel(w: &WriteTxn<'_>, b: &Booking, and_later: bool) -> Result<usize> {
    let c = w.sql_mut();
    match (and_later, b.series) {
        (true, Some(series)) => c.execute(
            "DELETE FROM resa_bookings WHERE series = ?1 AND start_at >= ?2",
            rusqlite::params![series, b.start],
        ),
        _ => c.execute("DELETE FROM resa_bookings WHERE id = ?1", [b.id]),
    }
    .map_err(err("cancel booking"))
}

/// Bookings ended before `before` go.
pub fn delete_before(w: &WriteTxn<'_>, before: i64) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM resa_bookings WHERE end_at < ?1", [before])
        .map_err(err("purge bookings"))
}

/// Everyone with a booking.
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT DISTINCT login FROM resa_bookings")
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}

/// A departed person's bookings go.
pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM resa_bookings WHERE login = ?1", [login])
        .map_err(err("purge bookings"))
}
