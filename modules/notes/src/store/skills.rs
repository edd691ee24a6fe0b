//! Compétences: which composantes an évaluation assesses, each pupil's level on it, and the
//! bilan de fin de cycle.

use std::collections::BTreeMap;

use cartable_core::Result;
use cartable_core::dates::iso;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

/// The composantes an évaluation assesses; levels of one it no longer assesses go.
pub fn set_skills(w: &WriteTxn<'_>, evaluation: i64, codes: &[String]) -> Result<()> {
    let c = w.sql_mut();
    for had in skills_of(w, evaluation)? {
        if !codes.contains(&had) {
            c.execute(
                "DELETE FROM notes_skill_levels WHERE evaluation = ?1 AND code = ?2",
                params![evaluation, had],
            )
            .map_err(err("write skills"))?;
        }
    }
    c.execute(
        "DELETE FROM notes_evaluation_skills WHERE evaluation = ?1",
        [evaluation],
    )
    .map_err(err("write skills"))?;
    for code in codes {
        c.execute(
            "INSERT OR IGNORE INTO notes_evaluation_skills(evaluation, code) VALUES (?1, ?2)",
            params![evaluation, code],
        )
        .map_err(err("write skills"))?;
    }
    Ok(())
}

/// The composantes an évaluation assesses, in the LSU's order.
pub fn skills_of(r: &ReadTxn<'_>, evaluation: i64) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT code FROM notes_evaluation_skills WHERE evaluation = ?1")
        .map_err(err("read skills"))?;
    let mut codes: Vec<String> = st
        .query_map([evaluation], |row| row.get(0))
        .map_err(err("read skills"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read skills"))?;
    codes.sort_by_key(|c| {
        crate::skills::COMPOSANTES
            .iter()
            .position(|(k, _)| k == c)
            .unwrap_or(usize::MAX)
    });
    Ok(codes)
}

/// Each pupil's levels on an évaluation: (pupil, code) → level.
pub fn levels(r: &ReadTxn<'_>, evaluation: i64) -> Result<BTreeMap<(String, String), u8>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT pupil, code, level FROM notes_skill_levels WHERE evaluation = ?1")
        .map_err(err("read levels"))?;
    let rows = st
        .query_map([evaluation], |row| {
            Ok(((row.get(0)?, row.get(1)?), row.get(2)?))
        })
        .map_err(err("read levels"))?
        .collect::<rusqlite::Result<Vec<((String, String), u8)>>>()
        .map_err(err("read levels"))?;
    Ok(rows.into_iter().collect())
}

/// Writes levels (None removes one); returns how many changed.
pub fn save_levels(
    w: &WriteTxn<'_>,
    evaluation: i64,
    rows: &[(String, String, Option<u8>)],
    by: &str,
    at: i64,
) -> Result<usize> {
    let had = levels(w, evaluation)?;
    let c = w.sql_mut();
    let mut n = 0;
    for (pupil, code, level) in rows {
        if had.get(&(pupil.clone(), code.clone())).copied() == *level {
            continue;
        }
        match level {
            Some(l) => c.execute(
                "INSERT INTO notes_skill_levels(evaluation, pupil, code, level, by, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(evaluation, pupil, code) DO UPDATE SET level = excluded.level,
                   by = excluded.by, at = excluded.at",
                params![evaluation, pupil, code, l, by, at],
            ),
            None => c.execute(
                "DELETE FROM notes_skill_levels WHERE evaluation = ?1 AND pupil = ?2 AND code = ?3",
                params![evaluation, pupil, code],
            ),
        }
        .map_err(err("write levels"))?;
        n += 1;
    }
    Ok(n)
}

/// Every level reached in a class and its groups from `from` to `to` (on évaluations seen on
/// `visible_on` if given): (pupil, code) → levels.
pub fn class_levels(
    r: &ReadTxn<'_>,
    audiences: &[super::Audience],
    from: time::Date,
    to: time::Date,
    visible_on: Option<time::Date>,
) -> Result<BTreeMap<(String, String), Vec<u8>>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT l.pupil, l.code, l.level FROM notes_skill_levels l
             JOIN notes_evaluations e ON e.id = l.evaluation
             WHERE e.class = ?1 AND e.is_group = ?5 AND e.day BETWEEN ?2 AND ?3
               AND (?4 IS NULL OR e.visible_from <= ?4)",
        )
        .map_err(err("read levels"))?;
    let mut out: BTreeMap<(String, String), Vec<u8>> = BTreeMap::new();
    for (code, is_group) in audiences {
        let rows = st
            .query_map(
                params![code, iso(from), iso(to), visible_on.map(iso), is_group],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, u8>(2)?,
                    ))
                },
            )
            .map_err(err("read levels"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err("read levels"))?;
        for (p, c, l) in rows {
            out.entry((p, c)).or_default().push(l);
        }
    }
    Ok(out)
}

/// The bilan de fin de cycle settled for these pupils: (pupil, code) → level.
pub fn bilan(r: &ReadTxn<'_>, pupils: &[String]) -> Result<BTreeMap<(String, String), u8>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT code, level FROM notes_cycle_bilan WHERE pupil = ?1")
        .map_err(err("read bilan"))?;
    let mut out = BTreeMap::new();
    for p in pupils {
        let rows = st
            .query_map([p], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, u8>(1)?))
            })
            .map_err(err("read bilan"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err("read bilan"))?;
        for (c, l) in rows {
            out.insert((p.clone(), c), l);
        }
    }
    Ok(out)
}

/// Writes the bilan (None removes a level); returns how many changed.
pub fn set_bilan(
    w: &WriteTxn<'_>,
    rows: &[(String, String, Option<u8>)],
    by: &str,
    at: i64,
) -> Result<usize> {
    let c = w.sql_mut();
    let mut n = 0;
    for (pupil, code, level) in rows {
        let had: Option<u8> = c
            .query_row(
                "SELECT level FROM notes_cycle_bilan WHERE pupil = ?1 AND code = ?2",
                params![pupil, code],
                |r| r.get(0),
            )
            .optional()
            .map_err(err("read bilan"))?;
        if had == *level {
            continue;
        }
        match level {
            Some(l) => c.execute(
                "INSERT INTO notes_cycle_bilan(pupil, code, level, by, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(pupil, code) DO UPDATE SET level = excluded.level, by = excluded.by,
                   at = excluded.at",
                params![pupil, code, l, by, at],
            ),
            None => c.execute(
                "DELETE FROM notes_cycle_bilan WHERE pupil = ?1 AND code = ?2",
                params![pupil, code],
            ),
        }
        .map_err(err("write bilan"))?;
        n += 1;
    }
    Ok(n)
}
