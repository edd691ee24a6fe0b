//! The school year: September to August, counted in weeks that start on Monday.

use time::{Date, Month};

/// The school year a day belongs to, by its first year (2026 for 2026-2027).
pub fn school_year(d: Date) -> i32 {
    if d.month() as u8 >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// First day of the school year, and the first day after it.
pub fn year_bounds(annee: i32) -> (Date, Date) {
    let start = Date::from_calendar_date(annee, Month::September, 1).unwrap_or(Date::MIN);
    let end = Date::from_calendar_date(annee + 1, Month::September, 1).unwrap_or(Date::MAX);
    (start, end)
}

/// « 2026-2027 ».
pub fn year_label(annee: i32) -> String {
    format!("{annee}-{}", annee + 1)
}

/// A week on a chart's axis: its Monday, « 07/09 ».
pub fn week_label(monday: Date) -> String {
    format!("{:02}/{:02}", monday.day(), monday.month() as u8)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_school_year_runs_from_september_to_august() {
        assert_eq!(school_year(date!(2026 - 09 - 01)), 2026);
        assert_eq!(school_year(date!(2027 - 08 - 31)), 2026);
        assert_eq!(school_year(date!(2026 - 08 - 31)), 2025);
        assert_eq!(
            year_bounds(2026),
            (date!(2026 - 09 - 01), date!(2027 - 09 - 01))
        );
        assert_eq!(week_label(date!(2026 - 09 - 07)), "07/09");
    }
}
