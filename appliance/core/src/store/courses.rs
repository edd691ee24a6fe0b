//! The établissement's weekly courses as the timetable publishes them (`courses`): one
//! module writes them, others read them through core, never through each other.

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// One weekly course of one teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRow {
    pub teacher: String,
    /// A class's code, or a group's when `group`.
    pub audience: String,
    pub group: bool,
    pub subject: String,
    /// 1 = lundi.
    pub day: u8,
    pub start: u16,
    pub end: u16,
    /// `H` every week, `A`, `B`.
    pub weeks: String,
    /// Where it is given, as the timetable names the room (empty: not said).
    pub room: String,
}

/// A row of `SELECT teacher, class_code, group_code, subject, day, start_min, end_min, weeks,
/// room`.
fn course_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CourseRow> {
    let class: Option<String> = row.get(1)?;
    let group: Option<String> = row.get(2)?;
    Ok(CourseRow {
        teacher: row.get(0)?,
        group: class.is_none(),
        audience: class.or(group).unwrap_or_default(),
        subject: row.get(3)?,
        day: row.get(4)?,
        start: row.get(5)?,
        end: row.get(6)?,
        weeks: row.get(7)?,
        room: row.get(8)?,
    })
}

/// Store meta key: the Monday of a week A, as the timetable publishes it.
pub const WEEK_A_KEY: &str = "courses.semaine_a";

impl WriteTxn<'_> {
    /// Replaces every course `source` published.
    pub fn replace_courses(&self, source: &str, rows: &[CourseRow]) -> Result<()> {
        let c = self.read.conn;
        c.execute("DELETE FROM courses WHERE source = ?1", [source])
            .map_err(sql_err("clear courses"))?;
        let mut add = c
            .prepare(
                "INSERT INTO courses(source, teacher, class_code, group_code, subject, day,
                 start_min, end_min, weeks, room) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(sql_err("add course"))?;
        for r in rows {
            let (class, group) = if r.group {
                (None, Some(r.audience.as_str()))
            } else {
                (Some(r.audience.as_str()), None)
            };
            add.execute(rusqlite::params![
                source, r.teacher, class, group, r.subject, r.day, r.start, r.end, r.weeks, r.room
            ])
            .map_err(sql_err("add course"))?;
        }
        Ok(())
    }

    /// Replaces the cancelled occurrences `source` published: (audience, date, start).
    pub fn replace_course_cancellations(
        &self,
        source: &str,
        rows: &[(String, time::Date, u16)],
    ) -> Result<()> {
        let c = self.read.conn;
        c.execute(
            "DELETE FROM course_cancellations WHERE source = ?1",
            [source],
        )
        .map_err(sql_err("clear course cancellations"))?;
        let mut add = c
            .prepare(
                "INSERT OR IGNORE INTO course_cancellations(source, audience, date, start_min)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql_err("add course cancellation"))?;
        for (audience, date, start) in rows {
            add.execute(rusqlite::params![
                source,
                audience,
                crate::dates::iso(*date),
                start
            ])
            .map_err(sql_err("add course cancellation"))?;
        }
        Ok(())
    }
}

impl ReadTxn<'_> {
    /// A teacher's weekly courses, by day and time.
    pub fn courses_of(&self, teacher: &str) -> Result<Vec<CourseRow>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT teacher, class_code, group_code, subject, day, start_min, end_min, weeks, room
                 FROM courses WHERE teacher = ?1 ORDER BY day, start_min",
            )
            .map_err(sql_err("read courses"))?;
        let rows = st
            .query_map([teacher], course_row)
            .map_err(sql_err("read courses"))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(sql_err("read courses"))
    }

    /// Week A or B of `date`, counted from the week A the timetable published; None when it
    /// published none (every course every week).
    pub fn week_kind(&self, date: time::Date) -> Result<Option<&'static str>> {
        let reference = self
            .meta(WEEK_A_KEY)?
            .and_then(|s| crate::dates::parse_iso(&s));
        Ok(reference.map(|r| {
            let weeks = (crate::dates::monday_of(date) - crate::dates::monday_of(r))
                .whole_days()
                .div_euclid(7);
            if weeks.rem_euclid(2) == 0 { "A" } else { "B" }
        }))
    }

    /// The courses given on `date`: its weekday's, every week or of this week's kind (A or B,
    /// counted from the published week A; every course when none was published), less the
    /// occurrences cancelled. One row per course and teacher.
    pub fn courses_on(&self, date: time::Date) -> Result<Vec<CourseRow>> {
        let kind = self.week_kind(date)?;
        let day = date.weekday().number_from_monday();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT teacher, class_code, group_code, subject, day, start_min, end_min, weeks, room
                 FROM courses c WHERE day = ?1 AND (?2 IS NULL OR weeks = 'H' OR weeks = ?2)
                 AND NOT EXISTS (SELECT 1 FROM course_cancellations x
                   WHERE x.audience = coalesce(c.class_code, c.group_code) AND x.date = ?3
                   AND x.start_min = c.start_min)
                 ORDER BY start_min, teacher",
            )
            .map_err(sql_err("read courses"))?;
        let rows = st
            .query_map(
                rusqlite::params![day, kind, crate::dates::iso(date)],
                course_row,
            )
            .map_err(sql_err("read courses"))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(sql_err("read courses"))
    }
}
