//! Fuzz target for the timetable imports: any bytes, read as UDT's CSV or as iCalendar, give
//! courses or problems, never a panic; a course always ends after it starts, on a weekday.
//!
//!     cargo fuzz run timetable_parse

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use cartable_emploi_du_temps::import::{csv, ical};
    if let Ok(courses) = csv::parse(data) {
        for c in courses {
            assert!(c.end > c.start && (1..=7).contains(&c.day));
        }
    }
    let reference = time::Date::from_calendar_date(2026, time::Month::August, 31).ok();
    if let Ok((courses, _)) = ical::parse(data, "6A", "", reference) {
        for c in courses {
            assert!(c.end > c.start && (1..=7).contains(&c.day));
        }
    }
});
