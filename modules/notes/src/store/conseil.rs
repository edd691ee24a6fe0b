//! Appréciations and the conseil de classe, per period and pupil.

use std::collections::BTreeMap;

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

/// What the conseil wrote for a pupil.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conseil {
    pub synthese: String,
    pub cpe: String,
    pub avis: String,
}

/// The appréciations of a period for these pupils: (pupil, subject) → text.
pub fn appreciations(
    r: &ReadTxn<'_>,
    period: u8,
    pupils: &[String],
) -> Result<BTreeMap<(String, String), String>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT subject, text FROM notes_appreciations WHERE period = ?1 AND pupil = ?2",
        )
        .map_err(err("read appreciations"))?;
    let mut out = BTreeMap::new();
    for p in pupils {
        let rows = st
            .query_map(params![period, p], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(err("read appreciations"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err("read appreciations"))?;
        for (s, t) in rows {
            out.insert((p.clone(), s), t);
        }
    }
    Ok(out)
}

/// Writes a teacher's appréciations for a subject (an empty text removes one). Returns how
/// many changed.
pub fn set_appreciations(
    w: &WriteTxn<'_>,
    period: u8,
    subject: &str,
    texts: &[(String, String)],
    by: &str,
    at: i64,
) -> Result<usize> {
    let c = w.sql_mut();
    let mut n = 0;
    for (pupil, text) in texts {
        let had: Option<String> = c
            .query_row(
                "SELECT text FROM notes_appreciations WHERE period = ?1 AND pupil = ?2
                 AND subject = ?3",
                params![period, pupil, subject],
                |r| r.get(0),
            )
            .optional()
            .map_err(err("read appreciation"))?;
        if had.as_deref().unwrap_or("") == text {
            continue;
        }
        if text.is_empty() {
            c.execute(
                "DELETE FROM notes_appreciations WHERE period = ?1 AND pupil = ?2 AND subject = ?3",
                params![period, pupil, subject],
            )
        } else {
            c.execute(
                "INSERT INTO notes_appreciations(period, pupil, subject, text, by, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(period, pupil, subject) DO UPDATE SET text = excluded.text,
                   by = excluded.by, at = excluded.at",
                params![period, pupil, subject, text, by, at],
            )
        }
        .map_err(err("write appreciation"))?;
        n += 1;
    }
    Ok(n)
}

/// The conseil's words for these pupils.
pub fn conseils(
    r: &ReadTxn<'_>,
    period: u8,
    pupils: &[String],
) -> Result<BTreeMap<String, Conseil>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT synthese, cpe, avis FROM notes_conseil WHERE period = ?1 AND pupil = ?2",
        )
        .map_err(err("read conseil"))?;
    let mut out = BTreeMap::new();
    for p in pupils {
        let c = st
            .query_row(params![period, p], |row| {
                Ok(Conseil {
                    synthese: row.get(0)?,
                    cpe: row.get(1)?,
                    avis: row.get(2)?,
                })
            })
            .optional()
            .map_err(err("read conseil"))?;
        if let Some(c) = c {
            out.insert(p.clone(), c);
        }
    }
    Ok(out)
}

/// Writes the conseil's words for pupils (each as the form left it). Returns how many changed.
pub fn set_conseils(
    w: &WriteTxn<'_>,
    period: u8,
    rows: &[(String, Conseil)],
    by: &str,
    at: i64,
) -> Result<usize> {
    let had = conseils(
        w,
        period,
        &rows.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
    )?;
    let c = w.sql_mut();
    let mut n = 0;
    for (pupil, new) in rows {
        if had.get(pupil).cloned().unwrap_or_default() == *new {
            continue;
        }
        c.execute(
            "INSERT INTO notes_conseil(period, pupil, synthese, cpe, avis, by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(period, pupil) DO UPDATE SET synthese = excluded.synthese,
               cpe = excluded.cpe, avis = excluded.avis, by = excluded.by, at = excluded.at",
            params![period, pupil, new.synthese, new.cpe, new.avis, by, at],
        )
        .map_err(err("write conseil"))?;
        n += 1;
    }
    Ok(n)
}
