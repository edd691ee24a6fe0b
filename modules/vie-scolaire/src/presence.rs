//! Stored: the counting settings, the sorties with their participants, the dispenses.

use std::collections::BTreeSet;

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};
use time::Date;

use crate::counting::{Dispense, Excuses, Settings, Sortie, Unit};

pub fn settings(r: &ReadTxn<'_>) -> Result<Settings> {
    let get = |key: &str| -> Result<Option<String>> {
        r.sql()
            .query_row(
                "SELECT value FROM vs_settings WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()
            .map_err(err("read settings"))
    };
    let d = Settings::default();
    Ok(Settings {
        unit: get("decompte")?
            .and_then(|s| Unit::parse(&s))
            .unwrap_or(d.unit),
        threshold: get("seuil")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(d.threshold),
    })
}

pub fn set_settings(w: &WriteTxn<'_>, s: Settings) -> Result<()> {
    for (k, v) in [
        ("decompte", s.unit.as_str().to_owned()),
        ("seuil", s.threshold.to_string()),
    ] {
        w.sql_mut()
            .execute(
                "INSERT INTO vs_settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![k, v],
            )
            .map_err(err("write settings"))?;
    }
    Ok(())
}

pub struct NewSortie<'a> {
    pub label: &'a str,
    pub audience: &'a str,
    pub is_group: bool,
    pub from: (Date, u16),
    pub to: (Date, u16),
    pub pupils: &'a [String],
    pub by: &'a str,
    pub at: i64,
}

pub fn add_sortie(w: &WriteTxn<'_>, s: &NewSortie<'_>) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO vs_sorties(label, audience, is_group, day_from, start_min, day_to, end_min,
           by_login, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            s.label,
            s.audience,
            i64::from(s.is_group),
            iso(s.from.0),
            s.from.1,
            iso(s.to.0),
            s.to.1,
            s.by,
            s.at
        ],
    )
    .map_err(err("add sortie"))?;
    let id = c.last_insert_rowid();
    set_participants(w, id, s.pupils)?;
    Ok(id)
}

/// Replaces who takes part.
pub fn set_participants(w: &WriteTxn<'_>, id: i64, pupils: &[String]) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM vs_sortie_pupils WHERE sortie_id = ?1", [id])
        .map_err(err("write sortie"))?;
    let mut st = c
        .prepare_cached("INSERT OR IGNORE INTO vs_sortie_pupils(sortie_id, pupil) VALUES (?1, ?2)")
        .map_err(err("write sortie"))?;
    for p in pupils {
        st.execute(params![id, p]).map_err(err("write sortie"))?;
    }
    Ok(())
}

/// Cancels a sortie; false when there is none to cancel.
pub fn cancel_sortie(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute(
            "UPDATE vs_sorties SET cancelled = 1 WHERE id = ?1 AND cancelled = 0",
            [id],
        )
        .map(|n| n == 1)
        .map_err(err("cancel sortie"))
}

const SORTIE: &str =
    "id, label, audience, is_group, day_from, start_min, day_to, end_min, by_login, cancelled";

fn sorties_where(r: &ReadTxn<'_>, cond: &str, p: impl rusqlite::Params) -> Result<Vec<Sortie>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {SORTIE} FROM vs_sorties WHERE {cond} ORDER BY day_from DESC, start_min DESC"
        ))
        .map_err(err("read sorties"))?;
    let rows = st
        .query_map(p, |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, bool>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, u16>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, u16>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, bool>(9)?,
            ))
        })
        .map_err(err("read sorties"))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, label, audience, is_group, df, sm, dt, em, by, cancelled) =
            row.map_err(err("read sorties"))?;
        let (Some(df), Some(dt)) = (parse_iso(&df), parse_iso(&dt)) else {
            continue;
        };
        out.push(Sortie {
            id,
            label,
            audience,
            is_group,
            from: (df, sm),
            to: (dt, em),
            pupils: BTreeSet::new(),
            by,
            cancelled,
        });
    }
    drop(st);
    let mut st = r
        .sql()
        .prepare_cached("SELECT pupil FROM vs_sortie_pupils WHERE sortie_id = ?1")
        .map_err(err("read sorties"))?;
    for s in &mut out {
        let rows = st
            .query_map([s.id], |row| row.get::<_, String>(0))
            .map_err(err("read sorties"))?;
        s.pupils = rows
            .collect::<std::result::Result<_, _>>()
            .map_err(err("read sorties"))?;
    }
    Ok(out)
}

/// The sorties (cancelled ones too) meeting the days `from`..=`to`.
pub fn sorties_between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<Sortie>> {
    sorties_where(
        r,
        "day_to >= ?1 AND day_from <= ?2",
        params![iso(from), iso(to)],
    )
}

pub fn sortie(r: &ReadTxn<'_>, id: i64) -> Result<Option<Sortie>> {
    Ok(sorties_where(r, "id = ?1", [id])?.into_iter().next())
}

pub struct NewDispense<'a> {
    pub pupil: &'a str,
    pub subject: &'a str,
    pub from: Date,
    pub to: Date,
    pub attendance: bool,
    pub note: &'a str,
    pub by: &'a str,
    pub at: i64,
}

pub fn add_dispense(w: &WriteTxn<'_>, d: &NewDispense<'_>) -> Result<i64> {
    w.sql_mut()
        .execute(
            "INSERT INTO vs_dispenses(pupil, subject, day_from, day_to, attendance, note,
               by_login, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                d.pupil,
                d.subject,
                iso(d.from),
                iso(d.to),
                i64::from(d.attendance),
                d.note,
                d.by,
                d.at
            ],
        )
        .map_err(err("add dispense"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

/// Withdraws a dispense (entered by mistake, ended early); the pupil's login when done.
pub fn withdraw_dispense(w: &WriteTxn<'_>, id: i64) -> Result<Option<String>> {
    w.sql_mut()
        .query_row(
            "UPDATE vs_dispenses SET withdrawn = 1 WHERE id = ?1 AND withdrawn = 0
             RETURNING pupil",
            [id],
            |row| row.get(0),
        )
        .optional()
        .map_err(err("withdraw dispense"))
}

fn dispenses_where(r: &ReadTxn<'_>, cond: &str, p: impl rusqlite::Params) -> Result<Vec<Dispense>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT id, pupil, subject, day_from, day_to, attendance, note, by_login
             FROM vs_dispenses WHERE withdrawn = 0 AND {cond} ORDER BY day_from DESC, id DESC"
        ))
        .map_err(err("read dispenses"))?;
    let rows = st
        .query_map(p, |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, bool>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
            ))
        })
        .map_err(err("read dispenses"))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, pupil, subject, from, to, attendance, note, by) =
            row.map_err(err("read dispenses"))?;
        let (Some(from), Some(to)) = (parse_iso(&from), parse_iso(&to)) else {
            continue;
        };
        out.push(Dispense {
            id,
            pupil,
            subject,
            from,
            to,
            attendance,
            note,
            by,
        });
    }
    Ok(out)
}

pub fn dispenses_between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<Dispense>> {
    dispenses_where(
        r,
        "day_to >= ?1 AND day_from <= ?2",
        params![iso(from), iso(to)],
    )
}

pub fn dispenses_of(r: &ReadTxn<'_>, pupil: &str) -> Result<Vec<Dispense>> {
    dispenses_where(r, "pupil = ?1", [pupil])
}

/// The sorties and dispenses meeting the days `from`..=`to`.
pub fn excuses(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Excuses> {
    Ok(Excuses {
        sorties: sorties_between(r, from, to)?,
        dispenses: dispenses_between(r, from, to)?,
    })
}

/// A pupil's sorties and dispenses, whenever.
pub fn excuses_of(r: &ReadTxn<'_>, pupil: &str) -> Result<Excuses> {
    let sorties = sorties_where(
        r,
        "id IN (SELECT sortie_id FROM vs_sortie_pupils WHERE pupil = ?1)",
        [pupil],
    )?;
    Ok(Excuses {
        sorties,
        dispenses: dispenses_of(r, pupil)?,
    })
}
