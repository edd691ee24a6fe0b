//! The school calendar: days without school — public holidays (computed) and school holidays
//! (set by the RUPN, or imported from the national calendar's iCalendar file for the
//! établissement's zone). Every dated service asks here before showing a course or accepting
//! a date: the timetable shows no course during the holidays, the cahier de textes gives no
//! work for a day off.

pub mod ical;

use time::{Date, Duration, Month, Weekday};

/// A period without school, both days included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub id: i64,
    /// « Vacances de Noël ».
    pub name: String,
    pub first_day: Date,
    pub last_day: Date,
}

/// What is known of the days off.
#[derive(Debug, Clone, Default)]
pub struct SchoolCalendar {
    pub holidays: Vec<Holiday>,
}

impl SchoolCalendar {
    /// Why there is no school on `day`, if there is none: a school holiday's name, a public
    /// holiday's, or « week-end ».
    pub fn day_off(&self, day: Date) -> Option<String> {
        if let Some(h) = self
            .holidays
            .iter()
            .find(|h| h.first_day <= day && day <= h.last_day)
        {
            return Some(h.name.clone());
        }
        if let Some(name) = public_holiday(day) {
            return Some(name.to_owned());
        }
        None
    }

    /// `day_off`, week-ends included.
    pub fn closed(&self, day: Date) -> Option<String> {
        match day.weekday() {
            Weekday::Saturday | Weekday::Sunday => Some(crate::messages::WEEKEND.to_owned()),
            _ => self.day_off(day),
        }
    }
}

/// Easter Sunday (Gregorian, anonymous algorithm).
fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(
        year,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()
}

/// The French public holidays (jours fériés, metropolitan France).
pub fn public_holiday(day: Date) -> Option<&'static str> {
    let fixed = match (day.month(), day.day()) {
        (Month::January, 1) => Some("Jour de l'an"),
        (Month::May, 1) => Some("Fête du Travail"),
        (Month::May, 8) => Some("Victoire 1945"),
        (Month::July, 14) => Some("Fête nationale"),
        (Month::August, 15) => Some("Assomption"),
        (Month::November, 1) => Some("Toussaint"),
        (Month::November, 11) => Some("Armistice 1918"),
        (Month::December, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let e = easter(day.year())?;
    if day == e + Duration::days(1) {
        Some("Lundi de Pâques")
    } else if day == e + Duration::days(39) {
        Some("Ascension")
    } else if day == e + Duration::days(50) {
        Some("Lundi de Pentecôte")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn public_holidays_of_2027() {
        assert_eq!(easter(2027), Some(date!(2027 - 03 - 28)));
        assert_eq!(
            public_holiday(date!(2027 - 03 - 29)),
            Some("Lundi de Pâques")
        );
        assert_eq!(public_holiday(date!(2027 - 05 - 06)), Some("Ascension"));
        assert_eq!(
            public_holiday(date!(2027 - 05 - 17)),
            Some("Lundi de Pentecôte")
        );
        assert_eq!(
            public_holiday(date!(2026 - 11 - 11)),
            Some("Armistice 1918")
        );
        assert_eq!(public_holiday(date!(2026 - 12 - 03)), None);
    }

    #[test]
    fn holidays_include_both_ends() {
        let c = SchoolCalendar {
            holidays: vec![Holiday {
                id: 1,
                name: "Vacances de Noël".into(),
                first_day: date!(2026 - 12 - 19),
                last_day: date!(2027 - 01 - 03),
            }],
        };
        assert_eq!(c.day_off(date!(2026 - 12 - 18)), None);
        assert_eq!(
            c.day_off(date!(2026 - 12 - 21)).as_deref(),
            Some("Vacances de Noël")
        );
        assert_eq!(
            c.day_off(date!(2027 - 01 - 03)).as_deref(),
            Some("Vacances de Noël")
        );
        assert_eq!(c.day_off(date!(2027 - 01 - 04)), None);
        assert_eq!(c.closed(date!(2026 - 12 - 05)).as_deref(), Some("week-end"));
    }
}
