//! The module's tables (`vs_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{CourseRow, ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};
use time::Date;

use crate::model::{Appel, Half, JustState, Justification, Mark, MarkKind, Motif, PupilMark};

pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_suivi.sql"),
    include_str!("migrations/0003_discipline.sql"),
    include_str!("migrations/0004_reported.sql"),
    include_str!("migrations/0005_lists.sql"),
    include_str!("migrations/0006_presence.sql"),
    include_str!("migrations/0007_contradictoire.sql"),
    include_str!("migrations/0008_instance.sql"),
];

/// A code for a new entry of a list: its label in lower-case ASCII words, made unique.
fn code_for(c: cartable_core::store::Sql<'_>, table: &str, label: &str) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let base: String = label
        .nfd()
        .filter(|ch| ch.is_ascii())
        .map(|ch| {
            if ch.is_ascii_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let base = if base.is_empty() {
        "entree".to_owned()
    } else {
        base
    };
    for n in 1..1000 {
        let code = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken: bool = c
            .query_row(
                &format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE code = ?1)"),
                [&code],
                |r| r.get(0),
            )
            .map_err(err("read list"))?;
        if !taken {
            return Ok(code);
        }
    }
    Ok(format!("{base}-{}", label.len()))
}

/// Adds a motif at the end of the list; its code.
pub fn add_motif(w: &WriteTxn<'_>, label: &str, justifies: bool) -> Result<String> {
    let c = w.sql_mut();
    let code = code_for(c, "vs_motifs", label)?;
    c.execute(
        "INSERT INTO vs_motifs(code, label, justifies, ord)
         VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(ord), 0) + 1 FROM vs_motifs))",
        params![code, label, i64::from(justifies)],
    )
    .map_err(err("add motif"))?;
    Ok(code)
}

/// Adds a kind of punition; its code.
pub fn add_punition_type(
    w: &WriteTxn<'_>,
    label: &str,
    retenue: bool,
    report: bool,
) -> Result<String> {
    let c = w.sql_mut();
    let code = code_for(c, "vs_punition_types", label)?;
    c.execute(
        "INSERT INTO vs_punition_types(code, label, retenue, report, ord)
         VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(ord), 0) + 1 FROM vs_punition_types))",
        params![code, label, i64::from(retenue), i64::from(report)],
    )
    .map_err(err("add punition type"))?;
    Ok(code)
}

/// Withdraws an entry of a list (`vs_motifs` or `vs_punition_types`); false if unknown.
pub fn withdraw(w: &WriteTxn<'_>, motif: bool, code: &str) -> Result<bool> {
    let table = if motif {
        "vs_motifs"
    } else {
        "vs_punition_types"
    };
    w.sql_mut()
        .execute(
            &format!("UPDATE {table} SET hidden = 1 WHERE code = ?1"),
            [code],
        )
        .map(|n| n == 1)
        .map_err(err("withdraw entry"))
}

/// Demi-journées of absence the vie scolaire entered: (pupil, day, half, note), from `from` to
/// `to`, for one pupil or everyone.
pub fn reported(
    r: &ReadTxn<'_>,
    pupil: Option<&str>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<(String, Date, Half, String)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT pupil, day, half, note FROM vs_reported
             WHERE (?1 IS NULL OR pupil = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)
             ORDER BY day, half LIMIT 20000",
        )
        .map_err(err("read reported absences"))?;
    let rows = st
        .query_map(params![pupil, from.map(iso), to.map(iso)], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(err("read reported absences"))?;
    let mut out = Vec::new();
    for row in rows {
        let (p, d, h, n) = row.map_err(err("read reported absences"))?;
        if let (Some(d), Some(h)) = (parse_iso(&d), Half::parse(&h)) {
            out.push((p, d, h, n));
        }
    }
    Ok(out)
}

/// Records the demi-journées (those already there are kept); how many were new.
pub fn report(
    w: &WriteTxn<'_>,
    pupil: &str,
    halves: &[(Date, Half)],
    note: &str,
    by: &str,
    at: i64,
) -> Result<usize> {
    let mut st = w
        .sql_mut()
        .prepare_cached(
            "INSERT INTO vs_reported(pupil, day, half, note, by_login, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(pupil, day, half) DO NOTHING",
        )
        .map_err(err("write reported absence"))?;
    let mut n = 0;
    for (d, h) in halves {
        n += st
            .execute(params![pupil, iso(*d), h.as_str(), note, by, at])
            .map_err(err("write reported absence"))?;
    }
    Ok(n)
}

/// One line of a pupil's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub kind: String,
    pub day: Date,
    pub means: String,
    pub note: String,
    pub by: String,
}

pub fn follow_ups(r: &ReadTxn<'_>, pupil: &str) -> Result<Vec<FollowUp>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT kind, day, means, note, by_login FROM vs_suivi WHERE pupil = ?1
             ORDER BY day DESC, id DESC LIMIT 500",
        )
        .map_err(err("read follow-up"))?;
    let rows = st
        .query_map([pupil], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
            ))
        })
        .map_err(err("read follow-up"))?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, day, means, note, by) = row.map_err(err("read follow-up"))?;
        if let Some(day) = parse_iso(&day) {
            out.push(FollowUp {
                kind,
                day,
                means,
                note,
                by,
            });
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub fn add_follow_up(
    w: &WriteTxn<'_>,
    pupil: &str,
    kind: &str,
    day: Date,
    means: &str,
    note: &str,
    by: &str,
    at: i64,
) -> Result<()> {
    w.sql_mut()
        .execute(
            "INSERT INTO vs_suivi(pupil, kind, day, means, note, by_login, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![pupil, kind, iso(day), means, note, by, at],
        )
        .map(|_| ())
        .map_err(err("write follow-up"))
}

const APPEL: &str = "id, day, start_min, end_min, audience, is_group, subject, teacher, added, version, taken_by, taken_at";

fn appel_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Appel, String)> {
    let day: String = r.get(1)?;
    Ok((
        Appel {
            id: r.get(0)?,
            day: parse_iso(&day).unwrap_or(Date::MIN),
            start: r.get(2)?,
            end: r.get(3)?,
            audience: r.get(4)?,
            is_group: r.get::<_, i64>(5)? != 0,
            subject: r.get(6)?,
            teacher: r.get(7)?,
            added: r.get::<_, i64>(8)? != 0,
            version: r.get(9)?,
            taken_by: r.get(10)?,
            taken_at: r.get(11)?,
        },
        day,
    ))
}

fn appels(r: &ReadTxn<'_>, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Appel>> {
    let mut st = r.sql().prepare_cached(sql).map_err(err("read appels"))?;
    let rows = st.query_map(p, appel_row).map_err(err("read appels"))?;
    let mut out = Vec::new();
    for row in rows {
        let (a, _) = row.map_err(err("read appels"))?;
        out.push(a);
    }
    Ok(out)
}

/// The appels of the day's courses, created if missing (each course once per day); those not
/// taken of a course no longer given that day (cancelled, moved) go, within `teacher`'s when
/// the list is his only.
pub fn ensure_day(
    w: &WriteTxn<'_>,
    day: Date,
    courses: &[CourseRow],
    teacher: Option<&str>,
) -> Result<()> {
    let gone: Vec<i64> = {
        let mut st = w
            .sql_mut()
            .prepare_cached(
                "SELECT id, start_min, audience FROM vs_appels WHERE day = ?1 AND version = 0
                 AND added = 0 AND (?2 IS NULL OR teacher = ?2)",
            )
            .map_err(err("read appels"))?;
        let rows = st
            .query_map(params![iso(day), teacher], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, u16>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(err("read appels"))?;
        let mut gone = Vec::new();
        for row in rows {
            let (id, start, audience) = row.map_err(err("read appels"))?;
            if !courses
                .iter()
                .any(|c| c.start == start && c.audience == audience)
            {
                gone.push(id);
            }
        }
        gone
    };
    for id in gone {
        w.sql_mut()
            .execute("DELETE FROM vs_appels WHERE id = ?1 AND version = 0", [id])
            .map_err(err("drop appel"))?;
    }
    let mut st = w
        .sql_mut()
        .prepare_cached(
            "INSERT INTO vs_appels(day, start_min, end_min, audience, is_group, subject, teacher)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(day, start_min, audience) DO NOTHING",
        )
        .map_err(err("create appels"))?;
    for c in courses {
        st.execute(params![
            iso(day),
            c.start,
            c.end,
            c.audience,
            i64::from(c.group),
            c.subject,
            c.teacher
        ])
        .map_err(err("create appels"))?;
    }
    Ok(())
}

/// A course not in the timetable (a replacement); None when one exists at that time.
pub fn add_appel(w: &WriteTxn<'_>, day: Date, c: &CourseRow) -> Result<Option<i64>> {
    let n = w
        .sql_mut()
        .execute(
            "INSERT INTO vs_appels(day, start_min, end_min, audience, is_group, subject, teacher, added)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) ON CONFLICT(day, start_min, audience) DO NOTHING",
            params![iso(day), c.start, c.end, c.audience, i64::from(c.group), c.subject, c.teacher],
        )
        .map_err(err("add appel"))?;
    Ok((n == 1).then(|| w.sql_mut().last_insert_rowid()))
}

pub fn appels_of_day(r: &ReadTxn<'_>, day: Date) -> Result<Vec<Appel>> {
    appels(
        r,
        &format!("SELECT {APPEL} FROM vs_appels WHERE day = ?1 ORDER BY start_min, audience"),
        [iso(day)],
    )
}

pub fn appel(r: &ReadTxn<'_>, id: i64) -> Result<Option<Appel>> {
    Ok(appels(
        r,
        &format!("SELECT {APPEL} FROM vs_appels WHERE id = ?1"),
        [id],
    )?
    .into_iter()
    .next())
}

/// The marks of the appel's current version.
pub fn marks(r: &ReadTxn<'_>, a: &Appel) -> Result<Vec<Mark>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT pupil, kind, minutes, note FROM vs_marks WHERE appel_id = ?1 AND version = ?2",
        )
        .map_err(err("read marks"))?;
    let rows = st
        .query_map([a.id, a.version], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<u16>>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(err("read marks"))?;
    let mut out = Vec::new();
    for row in rows {
        let (pupil, kind, minutes, note) = row.map_err(err("read marks"))?;
        if let Some(kind) = MarkKind::parse(&kind) {
            out.push(Mark {
                pupil,
                kind,
                minutes,
                note,
            });
        }
    }
    Ok(out)
}

/// Records a new version of the appel; the version written.
pub fn take(
    w: &WriteTxn<'_>,
    appel: i64,
    by: &str,
    at: i64,
    listed: usize,
    marks: &[Mark],
) -> Result<i64> {
    let c = w.sql_mut();
    let version: i64 = c
        .query_row(
            "UPDATE vs_appels SET version = version + 1, taken_by = ?2, taken_at = ?3 WHERE id = ?1
             RETURNING version",
            params![appel, by, at],
            |r| r.get(0),
        )
        .map_err(err("take appel"))?;
    c.execute(
        "INSERT INTO vs_versions(appel_id, version, by_login, at, listed) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![appel, version, by, at, listed as i64],
    )
    .map_err(err("take appel"))?;
    let mut st = c
        .prepare_cached(
            "INSERT INTO vs_marks(appel_id, version, pupil, kind, minutes, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .map_err(err("write marks"))?;
    for m in marks {
        st.execute(params![
            appel,
            version,
            m.pupil,
            m.kind.as_str(),
            m.minutes,
            m.note
        ])
        .map_err(err("write marks"))?;
    }
    Ok(version)
}

/// Every current mark of a pupil (or of everyone on `day` when `pupil` is None), newest first.
pub fn pupil_marks(
    r: &ReadTxn<'_>,
    pupil: Option<&str>,
    day: Option<Date>,
) -> Result<Vec<PupilMark>> {
    marks_where(r, pupil, day, day)
}

/// Everyone's current marks from `from` to `to`, newest first (at most 20,000).
pub fn marks_between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<PupilMark>> {
    marks_where(r, None, Some(from), Some(to))
}

/// Every justification of the period.
pub fn justifications_between(r: &ReadTxn<'_>, from: Date, to: Date) -> Result<Vec<Justification>> {
    justifications_where(r, "day BETWEEN ?1 AND ?2", [iso(from), iso(to)])
}

pub(crate) fn marks_where(
    r: &ReadTxn<'_>,
    pupil: Option<&str>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<PupilMark>> {
    let sql = format!(
        "SELECT {cols}, m.pupil, m.kind, m.minutes, m.note FROM vs_marks m
         JOIN vs_appels a ON a.id = m.appel_id AND a.version = m.version
         WHERE (?1 IS NULL OR m.pupil = ?1) AND (?2 IS NULL OR a.day >= ?2)
           AND (?3 IS NULL OR a.day <= ?3)
         ORDER BY a.day DESC, a.start_min DESC LIMIT 20000",
        cols = APPEL
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut st = r.sql().prepare_cached(&sql).map_err(err("read marks"))?;
    let rows = st
        .query_map(params![pupil, from.map(iso), to.map(iso)], |row| {
            let (appel, _) = appel_row(row)?;
            Ok((
                appel,
                row.get::<_, String>(12)?,
                row.get::<_, String>(13)?,
                row.get::<_, Option<u16>>(14)?,
                row.get::<_, String>(15)?,
            ))
        })
        .map_err(err("read marks"))?;
    let mut out = Vec::new();
    for row in rows {
        let (appel, pupil, kind, minutes, note) = row.map_err(err("read marks"))?;
        if let Some(kind) = MarkKind::parse(&kind) {
            out.push(PupilMark {
                appel,
                mark: Mark {
                    pupil,
                    kind,
                    minutes,
                    note,
                },
            });
        }
    }
    Ok(out)
}

/// The motifs offered in the forms.
pub fn motifs(r: &ReadTxn<'_>) -> Result<Vec<Motif>> {
    motifs_where(r, "WHERE hidden = 0")
}

/// Every motif, withdrawn ones too (their labels name what was decided with them).
pub fn all_motifs(r: &ReadTxn<'_>) -> Result<Vec<Motif>> {
    motifs_where(r, "")
}

fn motifs_where(r: &ReadTxn<'_>, cond: &str) -> Result<Vec<Motif>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT code, label, justifies FROM vs_motifs {cond} ORDER BY ord, label"
        ))
        .map_err(err("read motifs"))?;
    let rows = st
        .query_map([], |row| {
            Ok(Motif {
                code: row.get(0)?,
                label: row.get(1)?,
                justifies: row.get::<_, i64>(2)? != 0,
            })
        })
        .map_err(err("read motifs"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(err("read motifs"))
}

const JUST: &str =
    "id, pupil, day, half, motif, message, piece_name, sent_by, sent_at, state, decided_at";

fn just_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Justification>> {
    let day: String = r.get(2)?;
    let half: String = r.get(3)?;
    let state: String = r.get(9)?;
    Ok(
        match (
            parse_iso(&day),
            Half::parse(&half),
            JustState::parse(&state),
        ) {
            (Some(day), Some(half), Some(state)) => Some(Justification {
                id: r.get(0)?,
                pupil: r.get(1)?,
                day,
                half,
                motif: r.get(4)?,
                message: r.get(5)?,
                piece_name: r.get(6)?,
                sent_by: r.get(7)?,
                sent_at: r.get(8)?,
                state,
                decided_at: r.get(10)?,
            }),
            _ => None,
        },
    )
}

fn justifications_where(
    r: &ReadTxn<'_>,
    cond: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Justification>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {JUST} FROM vs_justifications WHERE {cond} ORDER BY sent_at DESC, id DESC LIMIT 5000"
        ))
        .map_err(err("read justifications"))?;
    let rows = st
        .query_map(p, just_row)
        .map_err(err("read justifications"))?;
    let mut out = Vec::new();
    for row in rows {
        if let Some(j) = row.map_err(err("read justifications"))? {
            out.push(j);
        }
    }
    Ok(out)
}

pub fn justifications_of(r: &ReadTxn<'_>, pupil: &str) -> Result<Vec<Justification>> {
    justifications_where(r, "pupil = ?1", [pupil])
}

pub fn waiting_justifications(r: &ReadTxn<'_>) -> Result<Vec<Justification>> {
    justifications_where(r, "state = 'attente'", [])
}

pub fn justification(r: &ReadTxn<'_>, id: i64) -> Result<Option<Justification>> {
    Ok(justifications_where(r, "id = ?1", [id])?.into_iter().next())
}

pub fn piece(r: &ReadTxn<'_>, id: i64) -> Result<Option<(String, Vec<u8>)>> {
    r.sql()
        .query_row(
            "SELECT piece_name, piece FROM vs_justifications WHERE id = ?1 AND piece IS NOT NULL",
            [id],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?)),
        )
        .optional()
        .map_err(err("read piece"))
}

pub struct NewJustification<'a> {
    pub pupil: &'a str,
    pub day: Date,
    pub half: Half,
    pub motif: &'a str,
    pub message: &'a str,
    pub piece: Option<(String, Vec<u8>)>,
    pub by: &'a str,
    pub at: i64,
}

pub fn justify(w: &WriteTxn<'_>, j: &NewJustification<'_>) -> Result<i64> {
    let (name, bytes) = match &j.piece {
        Some((n, b)) => (Some(n.as_str()), Some(b.as_slice())),
        None => (None, None),
    };
    w.sql_mut()
        .execute(
            "INSERT INTO vs_justifications(pupil, day, half, motif, message, piece_name, piece,
               sent_by, sent_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'attente')",
            params![
                j.pupil,
                iso(j.day),
                j.half.as_str(),
                j.motif,
                j.message,
                name,
                bytes,
                j.by,
                j.at
            ],
        )
        .map_err(err("write justification"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

/// Accepts or refuses a justification still waiting; false if it was not.
pub fn decide(w: &WriteTxn<'_>, id: i64, state: JustState, by: &str, at: i64) -> Result<bool> {
    w.sql_mut()
        .execute(
            "UPDATE vs_justifications SET state = ?2, decided_by = ?3, decided_at = ?4
             WHERE id = ?1 AND state = 'attente'",
            params![id, state.as_str(), by, at],
        )
        .map(|n| n == 1)
        .map_err(err("decide justification"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use cartable_core::store::Store;
    use time::macros::date;

    fn course(audience: &str, start: u16) -> CourseRow {
        CourseRow {
            teacher: "prof".into(),
            audience: audience.into(),
            group: false,
            subject: "Maths".into(),
            day: 1,
            start,
            end: start + 55,
            weeks: "H".into(),
            room: String::new(),
        }
    }

    /// A course the timetable cancels is no longer an appel of the day, unless it was taken.
    #[tokio::test]
    async fn a_cancelled_course_is_no_longer_an_appel() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        store
            .migrate_module("vie-scolaire", MIGRATIONS)
            .await
            .unwrap();
        let monday = date!(2026 - 11 - 30);
        let rows = vec![
            course("6A", 8 * 60),
            course("6A", 9 * 60),
            course("5B", 8 * 60),
        ];
        store
            .write(move |w| w.replace_courses("edt", &rows))
            .await
            .unwrap();
        let sync = |teacher: Option<&'static str>| {
            let store = &store;
            async move {
                let courses = store.read(move |r| r.courses_on(monday)).await.unwrap();
                store
                    .write(move |w| ensure_day(w, monday, &courses, teacher))
                    .await
                    .unwrap();
                store
                    .read(move |r| appels_of_day(r, monday))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|a| (a.audience, a.start))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(sync(None).await.len(), 3);
        // 5B's 8:00 taken, then both 6A 9:00 and 5B 8:00 cancelled on that Monday only.
        let taken = store
            .read(move |r| appels_of_day(r, monday))
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.audience == "5B")
            .unwrap();
        store
            .write(move |w| take(w, taken.id, "prof", 0, 25, &[]).map(|_| ()))
            .await
            .unwrap();
        store
            .write(move |w| {
                w.replace_course_cancellations(
                    "edt",
                    &[("6A".into(), monday, 9 * 60), ("5B".into(), monday, 8 * 60)],
                )
            })
            .await
            .unwrap();
        let left = sync(Some("prof")).await;
        assert_eq!(left, vec![("5B".into(), 8 * 60), ("6A".into(), 8 * 60)]);
        // The next Monday, every course is given.
        let next = monday + time::Duration::days(7);
        assert_eq!(
            store.read(move |r| r.courses_on(next)).await.unwrap().len(),
            3
        );
        // Put back: the appel is there again.
        store
            .write(|w| w.replace_course_cancellations("edt", &[]))
            .await
            .unwrap();
        assert_eq!(sync(None).await.len(), 3);
    }
}
