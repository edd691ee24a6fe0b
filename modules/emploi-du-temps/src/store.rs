//! The module's tables (`edt_…`), read and written inside the store's transactions.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;
use time::Date;

use crate::model::{Audience, Change, ChangeKind, Course, NewCourse, Weeks, iso, parse_iso};

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_feeds_in_core.sql"),
];

const REFERENCE_A: &str = "semaine_a";

/// The Monday of a week A, if the RUPN set it.
pub fn reference_a(r: &ReadTxn<'_>) -> Result<Option<Date>> {
    let v: Option<String> = r
        .sql()
        .query_row(
            "SELECT value FROM edt_settings WHERE key = ?1",
            [REFERENCE_A],
            |row| row.get(0),
        )
        .optional()
        .map_err(err("read edt settings"))?;
    Ok(v.and_then(|s| parse_iso(&s)))
}

pub fn set_reference_a(w: &WriteTxn<'_>, d: Date) -> Result<()> {
    w.sql_mut()
        .execute(
            "INSERT INTO edt_settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [REFERENCE_A, &iso(d)],
        )
        .map_err(err("write edt settings"))?;
    // Published for the other services (the appel), through core.
    w.set_meta(cartable_core::store::WEEK_A_KEY, &iso(d))
}

/// Every course, teachers included, by day then start.
pub fn courses(r: &ReadTxn<'_>) -> Result<Vec<Course>> {
    let c = r.sql();
    let mut teachers: std::collections::HashMap<i64, Vec<String>> = Default::default();
    {
        let mut st = c
            .prepare("SELECT course_id, login FROM edt_course_teachers ORDER BY login")
            .map_err(err("read teachers"))?;
        let rows = st
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(err("read teachers"))?;
        for row in rows {
            let (id, login) = row.map_err(err("read teachers"))?;
            teachers.entry(id).or_default().push(login);
        }
    }
    let mut st = c
        .prepare(
            "SELECT id, day, start_min, end_min, weeks, subject, class_code, group_code, room
             FROM edt_courses ORDER BY day, start_min, id",
        )
        .map_err(err("read courses"))?;
    let rows = st
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, String>(8)?,
            ))
        })
        .map_err(err("read courses"))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, day, start, end, weeks, subject, class, group, room) =
            row.map_err(err("read courses"))?;
        let audience = match (class, group) {
            (Some(c), _) => Audience::Class(c),
            (None, Some(g)) => Audience::Group(g),
            (None, None) => continue,
        };
        out.push(Course {
            id,
            day: u8::try_from(day).unwrap_or(1),
            start: u16::try_from(start).unwrap_or(0),
            end: u16::try_from(end).unwrap_or(0),
            weeks: Weeks::from_code(&weeks).unwrap_or(Weeks::Every),
            subject,
            teachers: teachers.remove(&id).unwrap_or_default(),
            audience,
            room,
        });
    }
    Ok(out)
}

/// Replaces the whole timetable (an import): the old courses and their changes go.
pub fn replace_all(w: &WriteTxn<'_>, courses: &[NewCourse]) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM edt_courses", [])
        .map_err(err("clear courses"))?;
    add(w, courses)
}

/// Replaces the courses of one class or group (an iCalendar import for it).
pub fn replace_audience(w: &WriteTxn<'_>, who: &Audience, courses: &[NewCourse]) -> Result<usize> {
    let (sql, code) = match who {
        Audience::Class(c) => ("DELETE FROM edt_courses WHERE class_code = ?1", c),
        Audience::Group(g) => ("DELETE FROM edt_courses WHERE group_code = ?1", g),
    };
    w.sql_mut()
        .execute(sql, [code])
        .map_err(err("clear courses"))?;
    add(w, courses)
}

/// Publishes the whole timetable to core's `courses`, for the modules that need a teacher's
/// courses (the cahier de textes), in the same transaction as the change.
fn publish(w: &WriteTxn<'_>) -> Result<()> {
    let rows: Vec<cartable_core::store::CourseRow> = courses(w)?
        .into_iter()
        .flat_map(|c| {
            let (audience, group) = match &c.audience {
                Audience::Class(k) => (k.clone(), false),
                Audience::Group(g) => (g.clone(), true),
            };
            c.teachers
                .iter()
                .map(|t| cartable_core::store::CourseRow {
                    teacher: t.clone(),
                    audience: audience.clone(),
                    group,
                    subject: c.subject.clone(),
                    day: c.day,
                    start: c.start,
                    end: c.end,
                    weeks: c.weeks.code().to_owned(),
                    room: c.room.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if let Some(d) = reference_a(w)? {
        w.set_meta(cartable_core::store::WEEK_A_KEY, &iso(d))?;
    }
    w.replace_courses(crate::ID, &rows)?;
    publish_cancellations(w)
}

/// Publishes the cancelled occurrences to core, so that those who read the day's courses
/// (the appels) skip them; in the same transaction as the change.
fn publish_cancellations(w: &WriteTxn<'_>) -> Result<()> {
    let rows = {
        let mut st = w
            .sql_mut()
            .prepare(
                "SELECT coalesce(c.class_code, c.group_code), x.date, c.start_min
                 FROM edt_changes x JOIN edt_courses c ON c.id = x.course_id
                 WHERE x.kind = 'annule'",
            )
            .map_err(err("read changes"))?;
        let rows = st
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, u16>(2)?,
                ))
            })
            .map_err(err("read changes"))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(err("read changes"))?
    };
    let rows: Vec<(String, Date, u16)> = rows
        .into_iter()
        .filter_map(|(a, d, s)| parse_iso(&d).map(|d| (a, d, s)))
        .collect();
    w.replace_course_cancellations(crate::ID, &rows)
}

fn add(w: &WriteTxn<'_>, courses: &[NewCourse]) -> Result<usize> {
    let c = w.sql_mut();
    let mut add = c
        .prepare(
            "INSERT INTO edt_courses(day, start_min, end_min, weeks, subject, class_code,
             group_code, room) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(err("add course"))?;
    let mut teach = c
        .prepare("INSERT OR IGNORE INTO edt_course_teachers(course_id, login) VALUES (?1, ?2)")
        .map_err(err("add course teacher"))?;
    for k in courses {
        let (class, group) = match &k.audience {
            Audience::Class(c) => (Some(c.as_str()), None),
            Audience::Group(g) => (None, Some(g.as_str())),
        };
        add.execute(rusqlite::params![
            k.day,
            k.start,
            k.end,
            k.weeks.code(),
            k.subject,
            class,
            group,
            k.room
        ])
        .map_err(err("add course"))?;
        let id = c.last_insert_rowid();
        for t in &k.teachers {
            teach
                .execute(rusqlite::params![id, t])
                .map_err(err("add course teacher"))?;
        }
    }
    drop(add);
    drop(teach);
    publish(w)?;
    Ok(courses.len())
}

/// Changes of occurrences between two dates (inclusive).
pub fn changes_between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<Change>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT course_id, date, kind, room, note FROM edt_changes
             WHERE date BETWEEN ?1 AND ?2 ORDER BY date",
        )
        .map_err(err("read changes"))?;
    let rows = st
        .query_map([iso(from), iso(to)], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
            ))
        })
        .map_err(err("read changes"))?;
    let mut out = Vec::new();
    for row in rows {
        let (course_id, date, kind, room, note) = row.map_err(err("read changes"))?;
        let Some(date) = parse_iso(&date) else {
            continue;
        };
        let kind = match (kind.as_str(), room) {
            ("salle", Some(r)) => ChangeKind::Room(r),
            _ => ChangeKind::Cancelled,
        };
        out.push(Change {
            course_id,
            date,
            kind,
            note,
        });
    }
    Ok(out)
}

pub fn set_change(w: &WriteTxn<'_>, ch: &Change, by: &str, at: i64) -> Result<()> {
    let (kind, room) = match &ch.kind {
        ChangeKind::Cancelled => ("annule", None),
        ChangeKind::Room(r) => ("salle", Some(r.as_str())),
    };
    w.sql_mut()
        .execute(
            "INSERT INTO edt_changes(course_id, date, kind, room, note, by_login, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(course_id, date) DO UPDATE SET kind = excluded.kind,
               room = excluded.room, note = excluded.note, by_login = excluded.by_login,
               at = excluded.at",
            rusqlite::params![ch.course_id, iso(ch.date), kind, room, ch.note, by, at],
        )
        .map_err(err("write change"))?;
    publish_cancellations(w)
}

pub fn clear_change(w: &WriteTxn<'_>, course_id: i64, date: Date) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "DELETE FROM edt_changes WHERE course_id = ?1 AND date = ?2",
            rusqlite::params![course_id, iso(date)],
        )
        .map_err(err("clear change"))?;
    publish_cancellations(w)?;
    Ok(n > 0)
}

/// The changes a person entered: (course, date, kind).
pub fn changes_by(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(i64, String, String)>> {
    let mut st = r
        .sql()
        .prepare("SELECT course_id, date, kind FROM edt_changes WHERE by_login = ?1 ORDER BY date")
        .map_err(err("read changes"))?;
    let rows = st
        .query_map([login], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read changes"))?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(err("read changes"))
}
