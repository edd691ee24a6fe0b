//! The school holidays (`school_holidays`), set by the RUPN or imported.

use rusqlite::OptionalExtension;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;
use crate::calendar::{Holiday, SchoolCalendar};
use crate::dates::{iso, parse_iso};

impl ReadTxn<'_> {
    /// Every holiday period, in order.
    pub fn school_calendar(&self) -> Result<SchoolCalendar> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, name, first_day, last_day FROM school_holidays
                 ORDER BY first_day, last_day, id",
            )
            .map_err(sql_err("read holidays"))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(sql_err("read holidays"))?;
        Ok(SchoolCalendar {
            holidays: rows
                .into_iter()
                .filter_map(|(id, name, first, last)| {
                    Some(Holiday {
                        id,
                        name,
                        first_day: parse_iso(&first)?,
                        last_day: parse_iso(&last)?,
                    })
                })
                .collect(),
        })
    }
}

impl WriteTxn<'_> {
    /// Adds a period; the same one twice is recorded once. Returns whether it was new.
    pub fn add_holiday(&self, name: &str, first: time::Date, last: time::Date) -> Result<bool> {
        let n = self
            .read
            .conn
            .execute(
                "INSERT OR IGNORE INTO school_holidays(name, first_day, last_day)
                 VALUES (?1, ?2, ?3)",
                rusqlite::params![name, iso(first), iso(last)],
            )
            .map_err(sql_err("write holiday"))?;
        Ok(n > 0)
    }

    /// Removes a period; returns its name when there was one.
    pub fn delete_holiday(&self, id: i64) -> Result<Option<String>> {
        let c = self.read.conn;
        let name: Option<String> = c
            .query_row(
                "SELECT name FROM school_holidays WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read holiday"))?;
        c.execute("DELETE FROM school_holidays WHERE id = ?1", [id])
            .map_err(sql_err("delete holiday"))?;
        Ok(name)
    }
}
