//! The module's tables (`notes_…`), inside the store's transactions.

use std::str::FromStr;

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};
use rust_decimal::Decimal;

use crate::average::Mark;
use crate::model::{Evaluation, counting_code, parse_counting, parse_status, status_code};

pub mod bulletins;
pub mod conseil;
pub mod periods;
pub mod skills;

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_periods_conseil_bulletins.sql"),
];

const COLUMNS: &str = "id, teacher, class, subject, title, day, coefficient, out_of, to_twenty, \
     counting, visible_from, marked, is_group";

fn evaluation_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Evaluation>> {
    let day: String = row.get(5)?;
    let coef: String = row.get(6)?;
    let counting: String = row.get(9)?;
    let visible: String = row.get(10)?;
    // Written by this module only; a row it cannot read is left out rather than failing a page.
    Ok(
        match (
            parse_iso(&day),
            Decimal::from_str(&coef).ok(),
            parse_counting(&counting),
            parse_iso(&visible),
        ) {
            (Some(day), Some(coefficient), Some(counting), Some(visible_from)) => {
                Some(Evaluation {
                    id: row.get(0)?,
                    teacher: row.get(1)?,
                    class: row.get(2)?,
                    is_group: row.get::<_, i64>(12)? != 0,
                    subject: row.get(3)?,
                    title: row.get(4)?,
                    day,
                    coefficient,
                    out_of: row.get(7)?,
                    to_twenty: row.get::<_, i64>(8)? != 0,
                    counting,
                    visible_from,
                    marked: row.get::<_, i64>(11)? != 0,
                })
            }
            _ => None,
        },
    )
}

fn mark_of(value: Option<String>, status: Option<String>) -> Option<Mark> {
    match (value, status) {
        (Some(v), _) => Decimal::from_str(&v).ok().map(Mark::Value),
        (None, Some(s)) => parse_status(&s),
        _ => None,
    }
}

pub fn create(w: &WriteTxn<'_>, e: &Evaluation, at: i64) -> Result<i64> {
    w.sql_mut()
        .execute(
            "INSERT INTO notes_evaluations(teacher, class, subject, title, day, coefficient,
               out_of, to_twenty, counting, visible_from, created_at, marked, is_group)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                e.teacher,
                e.class,
                e.subject,
                e.title,
                iso(e.day),
                e.coefficient.normalize().to_string(),
                e.out_of,
                e.to_twenty,
                counting_code(e.counting),
                iso(e.visible_from),
                at,
                e.marked,
                e.is_group
            ],
        )
        .map_err(err("write evaluation"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

/// An évaluation's new settings (its teacher, audience and subject stay).
pub fn update(w: &WriteTxn<'_>, e: &Evaluation) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE notes_evaluations SET title = ?2, day = ?3, coefficient = ?4, out_of = ?5,
               to_twenty = ?6, counting = ?7, visible_from = ?8, marked = ?9 WHERE id = ?1",
            params![
                e.id,
                e.title,
                iso(e.day),
                e.coefficient.normalize().to_string(),
                e.out_of,
                e.to_twenty,
                counting_code(e.counting),
                iso(e.visible_from),
                e.marked
            ],
        )
        .map_err(err("write evaluation"))?;
    Ok(())
}

/// Deletes an évaluation with its marks and levels (their history stays, with who and when).
/// Returns how many marks it had.
pub fn delete_evaluation(w: &WriteTxn<'_>, id: i64) -> Result<usize> {
    let c = w.sql_mut();
    let n = c
        .execute("DELETE FROM notes_marks WHERE evaluation = ?1", [id])
        .map_err(err("delete evaluation"))?;
    for sql in [
        "DELETE FROM notes_skill_levels WHERE evaluation = ?1",
        "DELETE FROM notes_evaluation_skills WHERE evaluation = ?1",
        "DELETE FROM notes_evaluations WHERE id = ?1",
    ] {
        c.execute(sql, [id]).map_err(err("delete evaluation"))?;
    }
    Ok(n)
}

pub fn evaluation(r: &ReadTxn<'_>, id: i64) -> Result<Option<Evaluation>> {
    Ok(r.sql()
        .query_row(
            &format!("SELECT {COLUMNS} FROM notes_evaluations WHERE id = ?1"),
            [id],
            evaluation_of,
        )
        .optional()
        .map_err(err("read evaluation"))?
        .flatten())
}

/// A teacher's évaluations, newest first.
pub fn of_teacher(r: &ReadTxn<'_>, teacher: &str) -> Result<Vec<Evaluation>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM notes_evaluations WHERE teacher = ?1
             ORDER BY day DESC, id DESC LIMIT 500"
        ))
        .map_err(err("read evaluations"))?;
    let rows = st
        .query_map([teacher], evaluation_of)
        .map_err(err("read evaluations"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read evaluations"))?;
    Ok(rows.into_iter().flatten().collect())
}

/// The marks of an évaluation: pupil → mark.
pub fn marks(r: &ReadTxn<'_>, evaluation: i64) -> Result<Vec<(String, Mark)>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT pupil, value, status FROM notes_marks WHERE evaluation = ?1")
        .map_err(err("read marks"))?;
    let rows = st
        .query_map([evaluation], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
        })
        .map_err(err("read marks"))?
        .collect::<rusqlite::Result<Vec<(String, Option<String>, Option<String>)>>>()
        .map_err(err("read marks"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(p, v, s)| mark_of(v, s).map(|m| (p, m)))
        .collect())
}

/// Writes a grid: each pupil's mark (None: no mark); only changes are written, each kept in
/// the history with who and when. Returns how many changed.
pub fn save_marks(
    w: &WriteTxn<'_>,
    evaluation: i64,
    grid: &[(String, Option<Mark>)],
    by: &str,
    at: i64,
) -> Result<usize> {
    let c = w.sql_mut();
    let mut changed = 0;
    for (pupil, mark) in grid {
        let had: Option<(Option<String>, Option<String>)> = c
            .query_row(
                "SELECT value, status FROM notes_marks WHERE evaluation = ?1 AND pupil = ?2",
                params![evaluation, pupil],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(err("read mark"))?;
        let (value, status) = match mark {
            Some(Mark::Value(v)) => (Some(v.normalize().to_string()), None),
            Some(m) => (None, status_code(m).map(str::to_owned)),
            None => (None, None),
        };
        let same = match &had {
            Some((v, s)) => *v == value && *s == status,
            None => mark.is_none(),
        };
        if same {
            continue;
        }
        if mark.is_none() {
            c.execute(
                "DELETE FROM notes_marks WHERE evaluation = ?1 AND pupil = ?2",
                params![evaluation, pupil],
            )
            .map_err(err("write mark"))?;
        } else {
            c.execute(
                "INSERT INTO notes_marks(evaluation, pupil, value, status, by, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(evaluation, pupil) DO UPDATE SET value = excluded.value,
                   status = excluded.status, by = excluded.by, at = excluded.at",
                params![evaluation, pupil, value, status, by, at],
            )
            .map_err(err("write mark"))?;
        }
        c.execute(
            "INSERT INTO notes_mark_history(evaluation, pupil, value, status, by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![evaluation, pupil, value, status, by, at],
        )
        .map_err(err("write mark"))?;
        changed += 1;
    }
    Ok(changed)
}

/// The évaluations a pupil has a mark on, of his class or his groups (those seen on
/// `visible_on` if given), with his mark; by subject, oldest first.
pub fn marked_of_pupil(
    r: &ReadTxn<'_>,
    pupil: &str,
    visible_on: Option<time::Date>,
) -> Result<Vec<(Evaluation, Mark)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            &format!(
                "SELECT {COLUMNS}, m.value, m.status FROM notes_marks m
             JOIN notes_evaluations e ON e.id = m.evaluation
             WHERE m.pupil = ?1 AND (?2 IS NULL OR e.visible_from <= ?2)
             ORDER BY e.subject, e.day, e.id LIMIT 5000"
            )
            .replace("SELECT id,", "SELECT e.id,"),
        )
        .map_err(err("read marks"))?;
    let rows = st
        .query_map(params![pupil, visible_on.map(iso)], |row| {
            Ok((evaluation_of(row)?, row.get(13)?, row.get(14)?))
        })
        .map_err(err("read marks"))?
        .collect::<rusqlite::Result<Vec<(Option<Evaluation>, Option<String>, Option<String>)>>>()
        .map_err(err("read marks"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, v, s)| Some((e?, mark_of(v, s)?)))
        .collect())
}

/// Évaluations, each with every pupil's mark.
pub type WithMarks = Vec<(Evaluation, Vec<(String, Mark)>)>;

/// A class (`false`) or a teaching group (`true`), by its code.
pub type Audience = (String, bool);

/// Every évaluation of a class and of the teaching groups its pupils are in, from `from` to
/// `to` (those seen on `visible_on` if given), with all their marks: what the averages, the
/// conseil's grid and the bulletins are made of, in one read per audience.
pub fn of_audiences(
    r: &ReadTxn<'_>,
    audiences: &[Audience],
    from: time::Date,
    to: time::Date,
    visible_on: Option<time::Date>,
) -> Result<WithMarks> {
    let mut out = Vec::new();
    for (code, is_group) in audiences {
        out.extend(of_audience(r, code, *is_group, from, to, visible_on)?);
    }
    Ok(out)
}

/// The same for one class.
pub fn of_class(
    r: &ReadTxn<'_>,
    class: &str,
    from: time::Date,
    to: time::Date,
    visible_on: Option<time::Date>,
) -> Result<WithMarks> {
    of_audience(r, class, false, from, to, visible_on)
}

fn of_audience(
    r: &ReadTxn<'_>,
    class: &str,
    is_group: bool,
    from: time::Date,
    to: time::Date,
    visible_on: Option<time::Date>,
) -> Result<WithMarks> {
    let mut st = r
        .sql()
        .prepare_cached(
            &format!(
                "SELECT {COLUMNS}, m.pupil, m.value, m.status FROM notes_evaluations e
             LEFT JOIN notes_marks m ON m.evaluation = e.id
             WHERE e.class = ?1 AND e.is_group = ?5 AND e.day BETWEEN ?2 AND ?3
               AND (?4 IS NULL OR e.visible_from <= ?4)
             ORDER BY e.subject, e.day, e.id"
            )
            .replace("SELECT id,", "SELECT e.id,"),
        )
        .map_err(err("read marks"))?;
    let mut rows = st
        .query(params![
            class,
            iso(from),
            iso(to),
            visible_on.map(iso),
            is_group
        ])
        .map_err(err("read marks"))?;
    let mut out: WithMarks = Vec::new();
    // The évaluation's columns repeat on each of its marks' rows: read once.
    let mut current: Option<i64> = None;
    let mut skip = false;
    while let Some(row) = rows.next().map_err(err("read marks"))? {
        let id: i64 = row.get(0).map_err(err("read marks"))?;
        if current != Some(id) {
            current = Some(id);
            match evaluation_of(row).map_err(err("read marks"))? {
                Some(e) => {
                    out.push((e, Vec::new()));
                    skip = false;
                }
                None => skip = true,
            }
        }
        if skip {
            continue;
        }
        let pupil: Option<String> = row.get(13).map_err(err("read marks"))?;
        let mark = mark_of(
            row.get(14).map_err(err("read marks"))?,
            row.get(15).map_err(err("read marks"))?,
        );
        if let (Some(p), Some(m), Some((_, marks))) = (pupil, mark, out.last_mut()) {
            marks.push((p, m));
        }
    }
    Ok(out)
}

/// Marks not yet told to the pupil and his family whose évaluation is seen on `today`:
/// (évaluation, pupil), at most `limit`.
pub fn untold(
    r: &ReadTxn<'_>,
    today: time::Date,
    limit: usize,
) -> Result<Vec<(Evaluation, String)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            &format!(
                "SELECT {COLUMNS}, m.pupil FROM notes_marks m
             JOIN notes_evaluations e ON e.id = m.evaluation
             WHERE m.told = 0 AND e.visible_from <= ?1 ORDER BY m.pupil LIMIT ?2"
            )
            .replace("SELECT id,", "SELECT e.id,"),
        )
        .map_err(err("read untold"))?;
    let rows = st
        .query_map(params![iso(today), limit as i64], |row| {
            Ok((evaluation_of(row)?, row.get::<_, String>(13)?))
        })
        .map_err(err("read untold"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read untold"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, p)| e.map(|e| (e, p)))
        .collect())
}

/// Every mark as told (the demo's term, seeded at once).
pub fn mark_all_told(w: &WriteTxn<'_>) -> Result<()> {
    w.sql_mut()
        .execute("UPDATE notes_marks SET told = 1 WHERE told = 0", [])
        .map_err(err("write told"))?;
    Ok(())
}

pub fn mark_told(w: &WriteTxn<'_>, evaluation: i64, pupil: &str) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE notes_marks SET told = 1 WHERE evaluation = ?1 AND pupil = ?2",
            params![evaluation, pupil],
        )
        .map_err(err("write told"))?;
    Ok(())
}

/// One version of a mark: the pupil, the mark (None: removed), who, when.
pub type Version = (String, Option<Mark>, String, i64);

/// Who wrote a pupil's mark and when, every version.
pub fn history(r: &ReadTxn<'_>, evaluation: i64) -> Result<Vec<Version>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT pupil, value, status, by, at FROM notes_mark_history WHERE evaluation = ?1
             ORDER BY at, id",
        )
        .map_err(err("read history"))?;
    let rows = st
        .query_map([evaluation], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })
        .map_err(err("read history"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read history"))?;
    Ok(rows
        .into_iter()
        .map(|(p, v, s, by, at)| (p, mark_of(v, s), by, at))
        .collect())
}

/// Everyone with a mark (the purge asks the annuaire about each).
pub fn pupils(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT pupil FROM notes_marks UNION SELECT pupil FROM notes_bulletins
             UNION SELECT pupil FROM notes_appreciations",
        )
        .map_err(err("read pupils"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read pupils"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read pupils"))
}

/// A departed pupil's marks and their history.
pub fn forget(w: &WriteTxn<'_>, pupil: &str) -> Result<usize> {
    let c = w.sql_mut();
    let n = c
        .execute("DELETE FROM notes_marks WHERE pupil = ?1", [pupil])
        .map_err(err("forget"))?;
    for table in [
        "notes_mark_history",
        "notes_appreciations",
        "notes_conseil",
        "notes_bulletins",
        "notes_skill_levels",
        "notes_cycle_bilan",
    ] {
        c.execute(&format!("DELETE FROM {table} WHERE pupil = ?1"), [pupil])
            .map_err(err("forget"))?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::average::{Average, Counting, average};
    use cartable_core::store::Store;
    use time::macros::date;

    fn eval(title: &str, day: time::Date, visible_from: time::Date, out_of: u16) -> Evaluation {
        Evaluation {
            id: 0,
            teacher: "prof".into(),
            class: "5B".into(),
            is_group: false,
            subject: "Mathématiques".into(),
            title: title.into(),
            day,
            coefficient: Decimal::ONE,
            out_of,
            to_twenty: true,
            counting: Counting::Always,
            visible_from,
            marked: true,
        }
    }

    /// Marks are written once per change, each change kept; a pupil and his parents see an
    /// évaluation from its day, and its average is the engine's.
    #[tokio::test]
    async fn marks_are_kept_with_who_and_when_and_seen_from_their_day() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("s.sqlite"))
            .await
            .expect("open");
        store
            .migrate_module("notes", MIGRATIONS)
            .await
            .expect("migrate");
        let (a, b) = (
            eval(
                "Fractions",
                date!(2026 - 11 - 30),
                date!(2026 - 11 - 30),
                20,
            ),
            eval("Géométrie", date!(2026 - 12 - 02), date!(2026 - 12 - 07), 5),
        );
        let ids = store
            .write(move |w| Ok((create(w, &a, 1)?, create(w, &b, 1)?)))
            .await
            .expect("create");
        let (ea, eb) = ids;
        let v = |s: &str| Some(Mark::Value(Decimal::from_str(s).expect("d")));
        let grid = vec![
            ("lucas".to_owned(), v("12.5")),
            ("emma".to_owned(), Some(Mark::Absent)),
        ];
        let g = grid.clone();
        let n = store
            .write(move |w| save_marks(w, ea, &g, "prof", 10))
            .await
            .expect("save");
        assert_eq!(n, 2);
        // The same grid again changes nothing; a correction is one change, kept.
        let g = grid.clone();
        let n = store
            .write(move |w| save_marks(w, ea, &g, "prof", 20))
            .await
            .expect("save");
        assert_eq!(n, 0);
        let n = store
            .write(move |w| save_marks(w, ea, &[("lucas".to_owned(), v("14"))], "prof", 30))
            .await
            .expect("save");
        assert_eq!(n, 1);
        let h = store.read(move |r| history(r, ea)).await.expect("history");
        assert_eq!(h.len(), 3);
        assert_eq!(h[2].1, v("14"));
        let n = store
            .write(move |w| save_marks(w, eb, &[("lucas".to_owned(), v("4"))], "prof", 40))
            .await
            .expect("save");
        assert_eq!(n, 1);
        // On 3 December the Géométrie mark is not shown to the family yet.
        let seen = store
            .read(|r| marked_of_pupil(r, "lucas", Some(date!(2026 - 12 - 03))))
            .await
            .expect("read");
        assert_eq!(seen.len(), 1);
        let all = store
            .read(|r| marked_of_pupil(r, "lucas", None))
            .await
            .expect("read");
        assert_eq!(all.len(), 2);
        let marks: Vec<_> = all.iter().map(|(e, m)| (e.assessment(), *m)).collect();
        // (14 + 4/5·20) / 2 = 15
        assert_eq!(
            average(&marks).average,
            Average::Value(Decimal::from_str("15.0").expect("d"))
        );
    }
}
