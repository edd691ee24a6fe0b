//! The publication window as its author types it — a day and a time, French time — and back.
//! French time changes twice a year; an instant is always computed for the day it falls on.

use cartable_core::dates::{hhmm, in_france, instant_in_france, iso, parse_iso, parse_time};
use time::{Duration, OffsetDateTime};

/// When an item starts being shown: the day and time typed, 00h00 without a time, now
/// without a day. None when what was typed is not a date or a time.
pub fn from(day: &str, at: &str, now: i64) -> Option<i64> {
    if day.trim().is_empty() {
        return at.trim().is_empty().then_some(now);
    }
    let d = parse_iso(day.trim())?;
    let minutes = if at.trim().is_empty() {
        0
    } else {
        parse_time(at)?
    };
    Some(instant_in_france(d, minutes)?.unix_timestamp())
}

/// When it stops being shown: the time typed on that day, or the end of the day without a
/// time; None (outer) when not a date, Some(None) when nothing was typed.
pub fn until(day: &str, at: &str) -> Option<Option<i64>> {
    if day.trim().is_empty() {
        return at.trim().is_empty().then_some(None);
    }
    let d = parse_iso(day.trim())?;
    let instant = if at.trim().is_empty() {
        instant_in_france(d.next_day()?, 0)?
    } else {
        instant_in_france(d, parse_time(at)?)?
    };
    Some(Some(instant.unix_timestamp()))
}

/// The day and time fields that give back `unix` (to fill the form again).
pub fn fields(unix: i64) -> (String, String) {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| {
            let t = in_france(t);
            (
                iso(t.date()),
                hhmm(u16::from(t.hour()) * 60 + u16::from(t.minute())),
            )
        })
        .unwrap_or_default()
}

/// « le 3 décembre 2026 à 08h00 », French time.
pub fn said(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| {
            let t = in_france(t);
            let minutes = u16::from(t.hour()) * 60 + u16::from(t.minute());
            format!(
                "le {} à {}",
                cartable_core::dates::long_date(t.date()),
                hhmm(minutes)
            )
        })
        .unwrap_or_default()
}

/// The day in France an instant falls on, as `YYYY-MM-DD` (for grouping).
pub fn day_of(unix: i64) -> time::Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| in_france(t).date())
        .unwrap_or(time::Date::MIN)
}

/// The instant `days` after `unix` (what "two years after" means for the purge).
pub fn after_days(unix: i64, days: i64) -> i64 {
    unix + Duration::days(days).whole_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix time of a UTC date and time.
    fn utc(s: &str) -> i64 {
        let (d, t) = s.split_once(' ').unwrap_or((s, "00:00"));
        let d = parse_iso(d).unwrap_or(time::Date::MIN);
        let m = parse_time(t).unwrap_or(0);
        d.with_hms(
            u8::try_from(m / 60).unwrap_or(0),
            u8::try_from(m % 60).unwrap_or(0),
            0,
        )
        .map(|x| x.assume_utc().unix_timestamp())
        .unwrap_or(0)
    }

    #[test]
    fn across_the_spring_change() {
        // Sunday 29 March 2026: 02h00 becomes 03h00. The Saturday is UTC+1, the Monday UTC+2.
        assert_eq!(
            from("2026-03-28", "08h00", 0),
            Some(utc("2026-03-28 07:00"))
        );
        assert_eq!(
            from("2026-03-30", "08h00", 0),
            Some(utc("2026-03-30 06:00"))
        );
        // « jusqu'au dimanche 29 » ends at Monday 00h00 French time, 22h00 UTC on Sunday.
        assert_eq!(until("2026-03-29", ""), Some(Some(utc("2026-03-29 22:00"))));
        assert_eq!(
            fields(utc("2026-03-30 06:00")),
            ("2026-03-30".into(), "08h00".into())
        );
        assert_eq!(said(utc("2026-03-30 06:00")), "le 30 mars 2026 à 08h00");
    }

    #[test]
    fn across_the_autumn_change() {
        // Sunday 25 October 2026: 03h00 becomes 02h00.
        assert_eq!(
            from("2026-10-24", "18h00", 0),
            Some(utc("2026-10-24 16:00"))
        );
        assert_eq!(
            from("2026-10-26", "18h00", 0),
            Some(utc("2026-10-26 17:00"))
        );
        assert_eq!(until("2026-10-25", ""), Some(Some(utc("2026-10-25 23:00"))));
        assert_eq!(
            fields(utc("2026-10-26 17:00")),
            ("2026-10-26".into(), "18h00".into())
        );
        assert_eq!(
            day_of(utc("2026-10-25 23:30")),
            parse_iso("2026-10-26").unwrap_or(time::Date::MIN)
        );
    }

    #[test]
    fn what_was_typed_or_not() {
        assert_eq!(from("", "", 42), Some(42));
        assert_eq!(from("", "08h00", 42), None);
        assert_eq!(from("2026-02-30", "", 0), None);
        assert_eq!(from("2026-12-07", "25h00", 0), None);
        assert_eq!(until("", ""), Some(None));
        assert_eq!(until("hier", ""), None);
    }
}
