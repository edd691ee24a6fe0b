//! Fuzz target for the national school calendar's iCalendar file as the RUPN uploads it:
//! never a panic; every period read is within the dates cartable accepts, its last day not
//! before its first, a hundred days at most; a devoir title always gives a folder name.
//!
//!     cargo fuzz run calendar_ics

#![no_main]

use cartable_core::calendar::ical::periods;
use cartable_core::dates::YEARS;
use cartable_core::files::SafeName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(found) = periods(text) {
        for p in found {
            assert!(YEARS.contains(&p.first_day.year()));
            assert!(p.last_day >= p.first_day);
            assert!((p.last_day - p.first_day).whole_days() <= 100);
        }
    }
    let name = SafeName::from_title(text, "Devoir");
    assert!(SafeName::parse_new(name.as_str()).is_ok());
});
