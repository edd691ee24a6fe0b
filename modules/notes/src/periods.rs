//! The year's periods (trimestres or semestres) and their lock dates: the direction sets them,
//! every page asks here which period a day is in and whether its marks may still change.
//! Pure: the store keeps them, the pages read them.

use cartable_core::dates::{iso, long_date, parse_iso};
use time::{Date, Duration, Month};

/// A period of the year; `position` (1, 2, 3) is its key: what is written for a period
/// (appréciations, the conseil's, bulletins) stays with its position when its dates change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub position: u8,
    pub first_day: Date,
    pub last_day: Date,
    /// From the day after, its marks cannot change.
    pub locked_after: Date,
    /// Of two periods (semestres) or three (trimestres).
    pub of: u8,
}

impl Period {
    /// « 1er trimestre », « 2e semestre ».
    pub fn name(&self) -> String {
        let rank = if self.position == 1 {
            "1er".to_owned()
        } else {
            format!("{}e", self.position)
        };
        let kind = if self.of == 2 {
            "semestre"
        } else {
            "trimestre"
        };
        format!("{rank} {kind}")
    }

    pub fn contains(&self, day: Date) -> bool {
        self.first_day <= day && day <= self.last_day
    }

    pub fn locked_on(&self, today: Date) -> bool {
        today > self.locked_after
    }

    /// « du 1er septembre 2026 au 30 novembre 2026 ».
    pub fn span(&self) -> String {
        format!(
            "du {} au {}",
            long_date(self.first_day),
            long_date(self.last_day)
        )
    }
}

/// The first day of the school year `day` is in (1 September).
pub fn year_start(day: Date) -> Date {
    let year = if day.month() as u8 >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    Date::from_calendar_date(year, Month::September, 1).unwrap_or(day)
}

fn on(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// Until the direction sets them: trimestres ending on 30 November, 15 March and 4 July, each
/// locked two weeks after its end (the time of the conseils de classe).
pub fn defaults(today: Date) -> Vec<Period> {
    let y = year_start(today).year();
    let spans = [
        (on(y, Month::September, 1), on(y, Month::November, 30)),
        (on(y, Month::December, 1), on(y + 1, Month::March, 15)),
        (on(y + 1, Month::March, 16), on(y + 1, Month::July, 4)),
    ];
    spans
        .iter()
        .enumerate()
        .map(|(i, (first, last))| Period {
            position: i as u8 + 1,
            first_day: *first,
            last_day: *last,
            locked_after: *last + Duration::days(14),
            of: 3,
        })
        .collect()
}

/// The period `day` is in.
pub fn containing(periods: &[Period], day: Date) -> Option<&Period> {
    periods.iter().find(|p| p.contains(day))
}

/// The period to show on `today`: the one it is in, else the last one begun, else the first.
pub fn current(periods: &[Period], today: Date) -> Option<&Period> {
    containing(periods, today)
        .or_else(|| periods.iter().rev().find(|p| p.first_day <= today))
        .or_else(|| periods.first())
}

/// One row of the settings form as typed: first day, last day, lock date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedPeriod {
    pub first: String,
    pub last: String,
    pub lock: String,
}

impl TypedPeriod {
    pub fn of(p: &Period) -> Self {
        Self {
            first: iso(p.first_day),
            last: iso(p.last_day),
            lock: iso(p.locked_after),
        }
    }

    fn is_empty(&self) -> bool {
        self.first.trim().is_empty() && self.last.trim().is_empty() && self.lock.trim().is_empty()
    }
}

/// The settings form read: two filled rows make semestres, three trimestres; each row's dates
/// in order, each period after the previous one. The error names the row and the field.
pub fn parse(rows: &[TypedPeriod]) -> Result<Vec<Period>, String> {
    let filled: Vec<&TypedPeriod> = rows.iter().filter(|r| !r.is_empty()).collect();
    // Empty rows only at the end: a hole would shift the positions.
    if let Some(gap) = rows
        .iter()
        .position(TypedPeriod::is_empty)
        .filter(|g| *g < filled.len())
    {
        return Err(format!(
            "Période {} : remplissez-la, ou videz les suivantes.",
            gap + 1
        ));
    }
    let of = match filled.len() {
        2 => 2,
        3 => 3,
        _ => return Err("Découpage : deux périodes (semestres) ou trois (trimestres).".into()),
    };
    let mut out: Vec<Period> = Vec::new();
    for (i, r) in filled.iter().enumerate() {
        let n = i + 1;
        let date = |what: &str, s: &str| {
            parse_iso(s).ok_or_else(|| format!("Période {n}, « {what} » : une date (jj/mm/aaaa)."))
        };
        let first = date("du", &r.first)?;
        let last = date("au", &r.last)?;
        let lock = date("notes modifiables jusqu'au", &r.lock)?;
        if last < first {
            return Err(format!(
                "Période {n} : elle finit ({}) avant de commencer ({}).",
                long_date(last),
                long_date(first)
            ));
        }
        if lock < last {
            return Err(format!(
                "Période {n}, « notes modifiables jusqu'au » : au plus tôt le dernier jour de la période ({}).",
                long_date(last)
            ));
        }
        if let Some(prev) = out.last()
            && first <= prev.last_day
        {
            return Err(format!(
                "Période {n}, « du » : après la fin de la période {} ({}).",
                n - 1,
                long_date(prev.last_day)
            ));
        }
        out.push(Period {
            position: n as u8,
            first_day: first,
            last_day: last,
            locked_after: lock,
            of,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(a: &str, b: &str, c: &str) -> TypedPeriod {
        TypedPeriod {
            first: a.into(),
            last: b.into(),
            lock: c.into(),
        }
    }

    #[test]
    fn defaults_are_the_school_years_trimestres() {
        let p = defaults(date!(2027 - 02 - 10));
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].first_day, date!(2026 - 09 - 01));
        assert_eq!(p[1].name(), "2e trimestre");
        assert_eq!(
            containing(&p, date!(2027 - 02 - 10)).map(|p| p.position),
            Some(2)
        );
        assert!(p[0].locked_on(date!(2026 - 12 - 15)));
        assert!(!p[0].locked_on(date!(2026 - 12 - 14)));
        // During the summer the last period is the one shown.
        assert_eq!(
            current(&p, date!(2027 - 08 - 01)).map(|p| p.position),
            Some(3)
        );
    }

    #[test]
    fn settings_are_read_or_refused_naming_the_row() {
        let ok = parse(&[
            row("2026-09-01", "2027-01-22", "2027-02-05"),
            row("2027-01-25", "2027-07-04", "2027-07-04"),
            row("", "", ""),
        ])
        .expect("semestres");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].name(), "2e semestre");
        let overlap = parse(&[
            row("2026-09-01", "2026-11-30", "2026-12-10"),
            row("2026-11-15", "2027-03-15", "2027-03-30"),
            row("2027-03-16", "2027-07-04", "2027-07-10"),
        ]);
        assert!(
            overlap
                .expect_err("overlap")
                .starts_with("Période 2, « du »")
        );
        let early_lock = parse(&[
            row("2026-09-01", "2026-11-30", "2026-11-10"),
            row("2026-12-01", "2027-07-04", "2027-07-10"),
        ]);
        assert!(early_lock.expect_err("lock").contains("notes modifiables"));
        let hole = parse(&[
            row("2026-09-01", "2026-11-30", "2026-12-10"),
            row("", "", ""),
            row("2027-03-16", "2027-07-04", "2027-07-10"),
        ]);
        assert!(hole.expect_err("hole").starts_with("Période 2"));
        assert!(parse(&[row("2026-09-01", "2027-07-04", "2027-07-10")]).is_err());
        assert!(
            parse(&[
                row("bientôt", "2026-11-30", "2026-12-10"),
                row("2026-12-01", "2027-07-04", "2027-07-10")
            ])
            .expect_err("date")
            .contains("« du »")
        );
    }
}
