//! Punitions and sanctions: the établissement's list of punitions, the national scale of
//! sanctions (R.511-13) with its limits, and their tables.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};
use time::Date;

/// A sanction of the national scale; `max` bounds its length (days, or hours for the mesure
/// de responsabilisation), None when it has none.
pub struct SanctionKind {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: Option<(&'static str, u16)>,
}

pub const SANCTIONS: &[SanctionKind] = &[
    SanctionKind {
        code: "avertissement",
        label: "Avertissement",
        unit: None,
    },
    SanctionKind {
        code: "blame",
        label: "Blâme",
        unit: None,
    },
    SanctionKind {
        code: "responsabilisation",
        label: "Mesure de responsabilisation",
        unit: Some(("heures", 20)),
    },
    SanctionKind {
        code: "exclusion-classe",
        label: "Exclusion temporaire de la classe",
        unit: Some(("jours", 8)),
    },
    SanctionKind {
        code: "exclusion-etablissement",
        label: "Exclusion temporaire de l'établissement",
        unit: Some(("jours", 8)),
    },
    SanctionKind {
        code: "exclusion-service-annexe",
        label: "Exclusion temporaire d'un service annexe",
        unit: Some(("jours", 8)),
    },
    SanctionKind {
        code: "exclusion-definitive",
        label: "Exclusion définitive",
        unit: None,
    },
];

/// `instance` of a sanction pronounced by the conseil de discipline, or by the chef
/// d'établissement alone.
const COUNCIL: &str = "conseil";
const HEAD: &str = "chef";

pub fn sanction_kind(code: &str) -> Option<&'static SanctionKind> {
    SANCTIONS.iter().find(|k| k.code == code)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PunitionType {
    pub code: String,
    pub label: String,
    pub retenue: bool,
    pub report: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retenue {
    pub day: Date,
    pub start: u16,
    pub end: u16,
    pub supervisor: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Punition {
    pub id: i64,
    pub pupil: String,
    pub kind: String,
    pub reason: String,
    pub report: String,
    pub day: Date,
    pub given_by: String,
    pub retenue: Option<Retenue>,
    pub attended: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    pub id: i64,
    pub pupil: String,
    pub kind: String,
    pub length: Option<u16>,
    pub sursis: String,
    pub sursis_days: Option<u16>,
    pub reason: String,
    pub day: Date,
    pub decided_by: String,
    /// The procédure contradictoire: the day the pupil and his family were told of the facts
    /// and of their right to a defence, and their observations.
    pub heard: Option<Date>,
    pub observations: String,
    /// Pronounced by the conseil de discipline (else by the chef d'établissement alone).
    pub by_council: bool,
}

/// The punitions offered in the forms.
pub fn punition_types(r: &ReadTxn<'_>) -> Result<Vec<PunitionType>> {
    types_where(r, "WHERE hidden = 0")
}

/// Every kind of punition, withdrawn ones too.
pub fn all_punition_types(r: &ReadTxn<'_>) -> Result<Vec<PunitionType>> {
    types_where(r, "")
}

fn types_where(r: &ReadTxn<'_>, cond: &str) -> Result<Vec<PunitionType>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT code, label, retenue, report FROM vs_punition_types {cond} ORDER BY ord"
        ))
        .map_err(err("read punition types"))?;
    let rows = st
        .query_map([], |row| {
            Ok(PunitionType {
                code: row.get(0)?,
                label: row.get(1)?,
                retenue: row.get::<_, i64>(2)? != 0,
                report: row.get::<_, i64>(3)? != 0,
            })
        })
        .map_err(err("read punition types"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(err("read punition types"))
}

pub fn punitions_of(r: &ReadTxn<'_>, pupil: &str) -> Result<Vec<Punition>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT id, pupil, kind, reason, report, day, given_by, retenue_day, retenue_start,
                    retenue_end, supervisor, attended
             FROM vs_punitions WHERE pupil = ?1 ORDER BY day DESC, id DESC LIMIT 500",
        )
        .map_err(err("read punitions"))?;
    let rows = st
        .query_map([pupil], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, Option<u16>>(8)?,
                row.get::<_, Option<u16>>(9)?,
                row.get::<_, Option<String>>(10)?,
                row.get::<_, Option<i64>>(11)?,
            ))
        })
        .map_err(err("read punitions"))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, pupil, kind, reason, report, day, given_by, rd, rs, re, sup, att) =
            row.map_err(err("read punitions"))?;
        let Some(day) = parse_iso(&day) else { continue };
        let retenue = match (rd.as_deref().and_then(parse_iso), rs, re) {
            (Some(day), Some(start), Some(end)) => Some(Retenue {
                day,
                start,
                end,
                supervisor: sup.unwrap_or_default(),
            }),
            _ => None,
        };
        out.push(Punition {
            id,
            pupil,
            kind,
            reason,
            report,
            day,
            given_by,
            retenue,
            attended: att.map(|a| a != 0),
        });
    }
    Ok(out)
}

pub fn punition(r: &ReadTxn<'_>, id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    r.sql()
        .query_row(
            "SELECT pupil FROM vs_punitions WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()
        .map_err(err("read punition"))
}

pub struct NewPunition<'a> {
    pub pupil: &'a str,
    pub kind: &'a str,
    pub reason: &'a str,
    pub report: &'a str,
    pub day: Date,
    pub by: &'a str,
    pub at: i64,
    pub retenue: Option<Retenue>,
}

pub fn give(w: &WriteTxn<'_>, p: &NewPunition<'_>) -> Result<i64> {
    let r = p.retenue.as_ref();
    w.sql_mut()
        .execute(
            "INSERT INTO vs_punitions(pupil, kind, reason, report, day, given_by, given_at,
               retenue_day, retenue_start, retenue_end, supervisor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                p.pupil,
                p.kind,
                p.reason,
                p.report,
                iso(p.day),
                p.by,
                p.at,
                r.map(|r| iso(r.day)),
                r.map(|r| r.start),
                r.map(|r| r.end),
                r.map(|r| r.supervisor.clone())
            ],
        )
        .map_err(err("write punition"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

pub fn set_attended(w: &WriteTxn<'_>, id: i64, attended: bool) -> Result<bool> {
    w.sql_mut()
        .execute(
            "UPDATE vs_punitions SET attended = ?2 WHERE id = ?1 AND retenue_day IS NOT NULL",
            params![id, i64::from(attended)],
        )
        .map(|n| n == 1)
        .map_err(err("write attendance"))
}

pub fn sanction_by_id(r: &ReadTxn<'_>, id: i64) -> Result<Option<Sanction>> {
    let pupil: Option<String> = r
        .sql()
        .query_row(
            "SELECT pupil FROM vs_sanctions WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()
        .map_err(err("read sanction"))?;
    Ok(match pupil {
        Some(p) => sanctions_of(r, &p)?.into_iter().find(|s| s.id == id),
        None => None,
    })
}

pub fn sanctions_of(r: &ReadTxn<'_>, pupil: &str) -> Result<Vec<Sanction>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT id, pupil, kind, length, sursis, sursis_days, reason, day, decided_by,
               heard_day, observations, instance
             FROM vs_sanctions WHERE pupil = ?1 ORDER BY day DESC, id DESC LIMIT 200",
        )
        .map_err(err("read sanctions"))?;
    let rows = st
        .query_map([pupil], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<u16>>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<u16>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
                row.get::<_, Option<String>>(9)?,
                row.get::<_, String>(10)?,
                row.get::<_, String>(11)? == COUNCIL,
            ))
        })
        .map_err(err("read sanctions"))?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            pupil,
            kind,
            length,
            sursis,
            sursis_days,
            reason,
            day,
            decided_by,
            heard,
            obs,
            by_council,
        ) = row.map_err(err("read sanctions"))?;
        if let Some(day) = parse_iso(&day) {
            out.push(Sanction {
                id,
                pupil,
                kind,
                length,
                sursis,
                sursis_days,
                reason,
                day,
                decided_by,
                heard: heard.as_deref().and_then(parse_iso),
                observations: obs,
                by_council,
            });
        }
    }
    Ok(out)
}

pub fn sanction(w: &WriteTxn<'_>, s: &Sanction, at: i64) -> Result<i64> {
    w.sql_mut()
        .execute(
            "INSERT INTO vs_sanctions(pupil, kind, length, sursis, sursis_days, reason, day,
               decided_by, decided_at, heard_day, observations, instance)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                s.pupil,
                s.kind,
                s.length,
                s.sursis,
                s.sursis_days,
                s.reason,
                iso(s.day),
                s.decided_by,
                at,
                s.heard.map(iso),
                s.observations,
                if s.by_council { COUNCIL } else { HEAD }
            ],
        )
        .map_err(err("write sanction"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

/// A sanction's limits (R.511-13): a length where the scale has one, within its bound; a
/// partial sursis shorter than the sanction. The French reason when refused.
pub fn check_sanction(
    kind: &str,
    length: Option<u16>,
    sursis: &str,
    sursis_days: Option<u16>,
    by_council: bool,
) -> std::result::Result<(), &'static str> {
    let k = sanction_kind(kind).ok_or(crate::messages::BAD_SANCTION_KIND)?;
    // Only the conseil de discipline excludes definitively (R.421-10, R.511-13).
    if k.code == "exclusion-definitive" && !by_council {
        return Err(crate::messages::COUNCIL_ONLY);
    }
    match (k.unit, length) {
        (Some((_, max)), Some(n)) if (1..=max).contains(&n) => {}
        (Some(_), _) => return Err(crate::messages::BAD_SANCTION_LENGTH),
        (None, None) => {}
        (None, Some(_)) => return Err(crate::messages::BAD_SANCTION_LENGTH),
    }
    match (sursis, sursis_days) {
        ("aucun" | "total", None) => Ok(()),
        ("partiel", Some(d)) if length.is_some_and(|n| d >= 1 && d < n) => Ok(()),
        ("partiel", _) => Err(crate::messages::BAD_SURSIS),
        _ => Err(crate::messages::BAD_SURSIS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_scale_and_its_limits() {
        assert!(check_sanction("avertissement", None, "aucun", None, false).is_ok());
        assert!(check_sanction("exclusion-classe", Some(8), "aucun", None, false).is_ok());
        assert!(check_sanction("exclusion-classe", Some(9), "aucun", None, false).is_err());
        assert!(check_sanction("exclusion-classe", None, "aucun", None, false).is_err());
        assert!(check_sanction("responsabilisation", Some(20), "total", None, false).is_ok());
        assert!(check_sanction("responsabilisation", Some(21), "total", None, false).is_err());
        assert!(
            check_sanction(
                "exclusion-etablissement",
                Some(4),
                "partiel",
                Some(2),
                false
            )
            .is_ok()
        );
        assert!(
            check_sanction(
                "exclusion-etablissement",
                Some(4),
                "partiel",
                Some(4),
                false
            )
            .is_err()
        );
        assert!(check_sanction("blame", Some(2), "aucun", None, false).is_err());
        assert!(check_sanction("colle", None, "aucun", None, false).is_err());
        // The chef d'établissement alone cannot exclude definitively; the conseil can.
        assert!(check_sanction("exclusion-definitive", None, "aucun", None, false).is_err());
        assert!(check_sanction("exclusion-definitive", None, "aucun", None, true).is_ok());
    }
}
