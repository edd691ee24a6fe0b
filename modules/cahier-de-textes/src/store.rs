//! The module's tables (`cdt_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;
use time::Date;

use crate::model::{Audience, Draft, Piece, Seance, Travail, school_year};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

/// Which séances a query wants.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Of these classes and groups (codes), any when empty and `teacher` is set.
    pub audiences: Vec<String>,
    /// Written by this teacher.
    pub teacher: Option<String>,
    pub school_year: Option<String>,
}

const COLUMNS: &str = "s.id, s.class_code, s.group_code, s.subject, s.teacher, s.date, s.title, \
                       s.content, s.publish_on, s.school_year, t.due, t.text, t.minutes";

fn read_rows(r: &ReadTxn<'_>, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Seance>> {
    let c = r.sql();
    let mut st = c.prepare(sql).map_err(err("read séances"))?;
    let rows = st
        .query_map(params, |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, String>(9)?,
                row.get::<_, Option<String>>(10)?,
                row.get::<_, Option<String>>(11)?,
                row.get::<_, Option<i64>>(12)?,
            ))
        })
        .map_err(err("read séances"))?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            class,
            group,
            subject,
            teacher,
            date,
            title,
            content,
            publish,
            year,
            due,
            text,
            minutes,
        ) = row.map_err(err("read séances"))?;
        let audience = match (class, group) {
            (Some(c), _) => Audience::Class(c),
            (None, Some(g)) => Audience::Group(g),
            (None, None) => continue,
        };
        let (Some(date), Some(publish_on)) = (parse_iso(&date), parse_iso(&publish)) else {
            continue;
        };
        let travail = match (due.as_deref().and_then(parse_iso), text) {
            (Some(due), Some(text)) => Some(Travail {
                due,
                text,
                minutes: minutes.and_then(|m| u16::try_from(m).ok()),
            }),
            _ => None,
        };
        out.push(Seance {
            id,
            audience,
            subject,
            teacher,
            date,
            title,
            content,
            publish_on,
            school_year: year,
            travail,
            pieces: Vec::new(),
        });
    }
    // The attachments of these séances, in one query.
    if !out.is_empty() {
        let marks = vec!["?"; out.len()].join(",");
        let mut st = c
            .prepare(&format!(
                "SELECT seance_id, id, name, size FROM cdt_pieces
                 WHERE seance_id IN ({marks}) ORDER BY name"
            ))
            .map_err(err("read pieces"))?;
        let rows = st
            .query_map(
                rusqlite::params_from_iter(out.iter().map(|s| s.id)),
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        Piece {
                            id: row.get(1)?,
                            name: row.get(2)?,
                            size: row.get::<_, i64>(3)?.max(0) as u64,
                        },
                    ))
                },
            )
            .map_err(err("read pieces"))?;
        for row in rows {
            let (seance, piece) = row.map_err(err("read pieces"))?;
            if let Some(s) = out.iter_mut().find(|s| s.id == seance) {
                s.pieces.push(piece);
            }
        }
    }
    Ok(out)
}

/// `COALESCE(class, group) IN (?, …)` for these codes.
fn audience_in(codes: &[String]) -> String {
    format!(
        "COALESCE(s.class_code, s.group_code) IN ({})",
        vec!["?"; codes.len()].join(",")
    )
}

/// Séances by date, newest first; the filter runs in SQL.
pub fn seances(r: &ReadTxn<'_>, f: &Filter) -> Result<Vec<Seance>> {
    if f.teacher.is_none() && f.audiences.is_empty() {
        return Ok(Vec::new());
    }
    let mut clauses = Vec::new();
    let mut params: Vec<&dyn rusqlite::ToSql> = Vec::new();
    if let Some(t) = &f.teacher {
        clauses.push("s.teacher = ?".to_owned());
        params.push(t);
    }
    if !f.audiences.is_empty() {
        clauses.push(audience_in(&f.audiences));
        params.extend(f.audiences.iter().map(|a| a as &dyn rusqlite::ToSql));
    }
    if let Some(y) = &f.school_year {
        clauses.push("s.school_year = ?".to_owned());
        params.push(y);
    }
    read_rows(
        r,
        &format!(
            "SELECT {COLUMNS} FROM cdt_seances s LEFT JOIN cdt_travaux t ON t.seance_id = s.id
             WHERE {} ORDER BY s.date DESC, s.id DESC",
            clauses.join(" AND ")
        ),
        &params,
    )
}

pub fn seance(r: &ReadTxn<'_>, id: i64) -> Result<Option<Seance>> {
    Ok(read_rows(
        r,
        &format!(
            "SELECT {COLUMNS} FROM cdt_seances s LEFT JOIN cdt_travaux t ON t.seance_id = s.id
             WHERE s.id = ?1"
        ),
        &[&id],
    )?
    .pop())
}

/// Saves a new séance (`id` None) or replaces one; returns its id.
pub fn save(w: &WriteTxn<'_>, id: Option<i64>, teacher: &str, d: &Draft, at: i64) -> Result<i64> {
    let c = w.sql_mut();
    let (class, group) = match &d.audience {
        Audience::Class(c) => (Some(c.as_str()), None),
        Audience::Group(g) => (None, Some(g.as_str())),
    };
    let id = match id {
        Some(id) => {
            c.execute(
                "UPDATE cdt_seances SET class_code = ?2, group_code = ?3, subject = ?4, date = ?5,
                 title = ?6, content = ?7, publish_on = ?8, school_year = ?9, updated_at = ?10
                 WHERE id = ?1",
                rusqlite::params![
                    id,
                    class,
                    group,
                    d.subject,
                    iso(d.date),
                    d.title,
                    d.content,
                    iso(d.publish_on),
                    school_year(d.date),
                    at
                ],
            )
            .map_err(err("update séance"))?;
            c.execute("DELETE FROM cdt_travaux WHERE seance_id = ?1", [id])
                .map_err(err("update travail"))?;
            id
        }
        None => {
            c.execute(
                "INSERT INTO cdt_seances(class_code, group_code, subject, teacher, date, title,
                 content, publish_on, school_year, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                rusqlite::params![
                    class,
                    group,
                    d.subject,
                    teacher,
                    iso(d.date),
                    d.title,
                    d.content,
                    iso(d.publish_on),
                    school_year(d.date),
                    at
                ],
            )
            .map_err(err("add séance"))?;
            c.last_insert_rowid()
        }
    };
    if let Some(t) = &d.travail {
        c.execute(
            "INSERT INTO cdt_travaux(seance_id, due, text, minutes) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![id, iso(t.due), t.text, t.minutes],
        )
        .map_err(err("add travail"))?;
    }
    Ok(id)
}

pub fn delete(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute("DELETE FROM cdt_seances WHERE id = ?1", [id])
        .map(|n| n > 0)
        .map_err(err("delete séance"))
}

pub fn add_piece(w: &WriteTxn<'_>, seance: i64, name: &str, size: u64) -> Result<i64> {
    w.sql_mut()
        .execute(
            "INSERT INTO cdt_pieces(seance_id, name, size) VALUES (?1, ?2, ?3)",
            rusqlite::params![seance, name, size as i64],
        )
        .map_err(err("add piece"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

/// The séance an attachment belongs to, and its name.
pub fn piece(r: &ReadTxn<'_>, id: i64) -> Result<Option<(i64, String)>> {
    r.sql()
        .query_row(
            "SELECT seance_id, name FROM cdt_pieces WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(err("read piece"))
}

/// Work due between two dates (inclusive) for these classes and groups.
pub fn due_between(
    r: &ReadTxn<'_>,
    audiences: &[String],
    from: Date,
    to: Date,
) -> Result<Vec<Seance>> {
    if audiences.is_empty() {
        return Ok(Vec::new());
    }
    let (from, to) = (iso(from), iso(to));
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&from, &to];
    params.extend(audiences.iter().map(|a| a as &dyn rusqlite::ToSql));
    read_rows(
        r,
        &format!(
            "SELECT {COLUMNS} FROM cdt_seances s JOIN cdt_travaux t ON t.seance_id = s.id
             WHERE t.due BETWEEN ? AND ? AND {} ORDER BY t.due, s.subject",
            audience_in(audiences)
        ),
        &params,
    )
}
