//! The periods and the conseil's avis list.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::params;

use crate::periods::{Period, defaults};

/// The periods set by the direction, or the default trimestres of `today`'s school year.
pub fn periods(r: &ReadTxn<'_>, today: time::Date) -> Result<Vec<Period>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT position, first_day, last_day, locked_after, of FROM notes_periods
             ORDER BY position",
        )
        .map_err(err("read periods"))?;
    let rows = st
        .query_map([], |row| {
            Ok((
                row.get::<_, u8>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, u8>(4)?,
            ))
        })
        .map_err(err("read periods"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read periods"))?;
    let set: Vec<Period> = rows
        .into_iter()
        .filter_map(|(position, a, b, c, of)| {
            Some(Period {
                position,
                first_day: parse_iso(&a)?,
                last_day: parse_iso(&b)?,
                locked_after: parse_iso(&c)?,
                of,
            })
        })
        .collect();
    Ok(if set.is_empty() { defaults(today) } else { set })
}

pub fn set_periods(w: &WriteTxn<'_>, periods: &[Period]) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM notes_periods", [])
        .map_err(err("write periods"))?;
    for p in periods {
        c.execute(
            "INSERT INTO notes_periods(position, first_day, last_day, locked_after, of)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                p.position,
                iso(p.first_day),
                iso(p.last_day),
                iso(p.locked_after),
                p.of
            ],
        )
        .map_err(err("write periods"))?;
    }
    Ok(())
}

/// The avis the conseil chooses from, in the établissement's order.
pub fn avis(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT label FROM notes_avis ORDER BY position")
        .map_err(err("read avis"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read avis"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read avis"))
}

pub fn set_avis(w: &WriteTxn<'_>, labels: &[String]) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM notes_avis", [])
        .map_err(err("write avis"))?;
    for (i, l) in labels.iter().enumerate() {
        c.execute(
            "INSERT INTO notes_avis(position, label) VALUES (?1, ?2)",
            params![i as i64 + 1, l],
        )
        .map_err(err("write avis"))?;
    }
    Ok(())
}
