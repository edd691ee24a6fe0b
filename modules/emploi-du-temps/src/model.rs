//! The timetable as the module keeps it: weekly courses (every week, or week A or B), and the
//! changes of one occurrence (cancelled, another room). Times are minutes after midnight,
//! local time; days are 1 = lundi … 6 = samedi.

use time::Date;

pub use cartable_core::dates::{
    DAYS, date_in_week, day_and_date, day_name, day_number, hhmm, iso, long_date, monday_of,
    paris_offset_hours, parse_iso, parse_time,
};

/// Which weeks a course takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Weeks {
    Every,
    A,
    B,
}

impl Weeks {
    pub fn code(self) -> &'static str {
        match self {
            Weeks::Every => "H",
            Weeks::A => "A",
            Weeks::B => "B",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "H" => Some(Weeks::Every),
            "A" => Some(Weeks::A),
            "B" => Some(Weeks::B),
            _ => None,
        }
    }

    /// Whether a course of this pattern takes place in a week of kind `week`.
    pub fn in_week(self, week: Weeks) -> bool {
        self == Weeks::Every || self == week
    }
}

/// Who a course is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Audience {
    Class(String),
    Group(String),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Course {
    pub id: i64,
    pub day: u8,
    pub start: u16,
    pub end: u16,
    pub weeks: Weeks,
    pub subject: String,
    /// Logins.
    pub teachers: Vec<String>,
    pub audience: Audience,
    pub room: String,
}

/// A course before it is stored (import, demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    pub day: u8,
    pub start: u16,
    pub end: u16,
    pub weeks: Weeks,
    pub subject: String,
    pub teachers: Vec<String>,
    pub audience: Audience,
    pub room: String,
}

/// What happens to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ChangeKind {
    Cancelled,
    Room(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub course_id: i64,
    pub date: Date,
    pub kind: ChangeKind,
    pub note: String,
}

/// Week A or B of the week starting on `monday`, counting from `reference` (a Monday of a
/// week A): weeks alternate from there.
pub fn week_kind(monday: Date, reference: Date) -> Weeks {
    let weeks = (monday - monday_of(reference)).whole_days().div_euclid(7);
    if weeks.rem_euclid(2) == 0 {
        Weeks::A
    } else {
        Weeks::B
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_alternate_from_the_reference() {
        let a = date!(2026 - 08 - 31);
        assert_eq!(week_kind(a, a), Weeks::A);
        assert_eq!(week_kind(date!(2026 - 09 - 07), a), Weeks::B);
        assert_eq!(week_kind(date!(2026 - 09 - 14), a), Weeks::A);
        // Before the reference too.
        assert_eq!(week_kind(date!(2026 - 08 - 24), a), Weeks::B);
        // A reference given mid-week counts from its Monday.
        assert_eq!(
            week_kind(date!(2026 - 09 - 07), date!(2026 - 09 - 02)),
            Weeks::B
        );
        assert!(Weeks::Every.in_week(Weeks::B) && !Weeks::A.in_week(Weeks::B));
    }
}
