//! The timetable as the module keeps it: weekly courses (every week, or week A or B), and the
//! changes of one occurrence (cancelled, another room). Times are minutes after midnight,
//! local time; days are 1 = lundi … 6 = samedi.

use time::{Date, Duration, Weekday};

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

pub const DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// `1` → « lundi ».
pub fn day_name(day: u8) -> &'static str {
    DAYS.get(usize::from(day.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

/// « lundi » → 1.
pub fn day_number(name: &str) -> Option<u8> {
    let n = name.trim().to_lowercase();
    DAYS.iter()
        .position(|d| *d == n)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// `500` → « 08h20 ».
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}h{:02}", minutes / 60, minutes % 60)
}

/// « 08h20 », « 8h20 », « 08:20 » → 500.
pub fn parse_time(s: &str) -> Option<u16> {
    let s = s.trim();
    let (h, m) = s.split_once(['h', 'H', ':'])?;
    let h: u16 = h.trim().parse().ok()?;
    let m: u16 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
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

/// The date of `day` (1 = lundi) in the week of `monday`.
pub fn date_in_week(monday: Date, day: u8) -> Date {
    monday + Duration::days(i64::from(day.saturating_sub(1)))
}

/// `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

pub fn parse_iso(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « 23 novembre 2026 ».
pub fn long_date(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[usize::from(d.month() as u8 - 1)],
        d.year()
    )
}

/// « lundi 23 novembre ».
pub fn day_and_date(d: Date) -> String {
    let day = match d.weekday() {
        Weekday::Monday => 1,
        Weekday::Tuesday => 2,
        Weekday::Wednesday => 3,
        Weekday::Thursday => 4,
        Weekday::Friday => 5,
        Weekday::Saturday => 6,
        Weekday::Sunday => 7,
    };
    format!(
        "{} {} {}",
        day_name(day),
        d.day(),
        MONTHS[usize::from(d.month() as u8 - 1)]
    )
}

/// Offset of French local time from UTC on `d` (CET, CEST from the last Sunday of March to
/// the last Sunday of October): the rule of the EU since 1996.
pub fn paris_offset_hours(d: Date) -> i64 {
    let last_sunday = |month: time::Month| {
        let mut x = Date::from_calendar_date(d.year(), month, 31).unwrap_or(d);
        while x.weekday() != Weekday::Sunday {
            x = x.previous_day().unwrap_or(x);
        }
        x
    };
    if d >= last_sunday(time::Month::March) && d < last_sunday(time::Month::October) {
        2
    } else {
        1
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

    #[test]
    fn times_days_and_offsets() {
        assert_eq!(parse_time("  09h00"), Some(540));
        assert_eq!(parse_time("8h5"), Some(485));
        assert_eq!(parse_time("13:30"), Some(810));
        assert_eq!(parse_time("25h00"), None);
        assert_eq!(hhmm(810), "13h30");
        assert_eq!(day_number("Mercredi"), Some(3));
        assert_eq!(monday_of(date!(2026 - 11 - 26)), date!(2026 - 11 - 23));
        assert_eq!(paris_offset_hours(date!(2026 - 11 - 23)), 1);
        assert_eq!(paris_offset_hours(date!(2026 - 06 - 01)), 2);
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(paris_offset_hours(date!(2026 - 03 - 28)), 1);
        assert_eq!(paris_offset_hours(date!(2026 - 03 - 29)), 2);
        assert_eq!(paris_offset_hours(date!(2026 - 10 - 25)), 1);
        assert_eq!(day_and_date(date!(2026 - 11 - 23)), "lundi 23 novembre");
    }
}
