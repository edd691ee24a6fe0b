//! Dates and times as a French school reads and writes them: `YYYY-MM-DD` in forms and
//! URLs, « lundi 23 novembre » on pages, « 08h00 » for times, weeks from Monday, and the
//! time in France (CET/CEST) for "today".

use time::{Date, Duration, OffsetDateTime, Weekday};

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
    // Checked before computing: `then_some` would multiply first (found by the fuzzer).
    (h < 24 && m < 60).then(|| h * 60 + m)
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

/// The date of `day` (1 = lundi) in the week of `monday`.
pub fn date_in_week(monday: Date, day: u8) -> Date {
    monday + Duration::days(i64::from(day.saturating_sub(1)))
}

/// `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Years a date typed or sent in a URL may have: a school's dates, with room, and far enough
/// from the calendar's limits that adding weeks or a year never overflows.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A date read by chrono (iCalendar files), within [`YEARS`].
pub fn from_chrono(d: chrono::NaiveDate) -> Option<Date> {
    use chrono::Datelike;
    Date::from_calendar_date(
        d.year(),
        time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
    .filter(|d| YEARS.contains(&d.year()))
}

/// `YYYY-MM-DD`, within [`YEARS`].
pub fn parse_iso(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok().filter(|y| YEARS.contains(y))?;
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

/// The day of the month as French writes it: « 1er », « 2 ».
fn day_of_month(d: Date) -> String {
    match d.day() {
        1 => "1er".to_owned(),
        n => n.to_string(),
    }
}

/// « 23 novembre 2026 », « 1er décembre 2026 ».
pub fn long_date(d: Date) -> String {
    format!(
        "{} {} {}",
        day_of_month(d),
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
        day_of_month(d),
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

/// The instant of `minutes` after midnight, French time, on `date`.
pub fn instant_in_france(date: Date, minutes: u16) -> Option<OffsetDateTime> {
    let t = time::Time::from_hms(
        u8::try_from(minutes / 60).ok()?,
        u8::try_from(minutes % 60).ok()?,
        0,
    )
    .ok()?;
    Some(date.with_time(t).assume_utc() - Duration::hours(paris_offset_hours(date)))
}

/// The French legal time of an instant: UTC+1, UTC+2 from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (the EU rule since 1996).
pub fn in_france(at: OffsetDateTime) -> OffsetDateTime {
    let at = at.to_offset(time::UtcOffset::UTC);
    let last_sunday_1h = |month: time::Month| {
        let mut x = Date::from_calendar_date(at.year(), month, 31).unwrap_or(at.date());
        while x.weekday() != Weekday::Sunday {
            x = x.previous_day().unwrap_or(x);
        }
        x.with_time(time::Time::from_hms(1, 0, 0).unwrap_or(time::Time::MIDNIGHT))
            .assume_utc()
    };
    let summer =
        at >= last_sunday_1h(time::Month::March) && at < last_sunday_1h(time::Month::October);
    let hours: i8 = if summer { 2 } else { 1 };
    at.to_offset(time::UtcOffset::from_hms(hours, 0, 0).unwrap_or(time::UtcOffset::UTC))
}

/// `JJ/MM/AAAA HH:MM`, French legal time, of a unix time.
pub fn french_date_time(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| {
            let t = in_france(t);
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                t.day(),
                t.month() as u8,
                t.year(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// Today in France at `now`.
pub fn today_in_france(now: OffsetDateTime) -> Date {
    (now + Duration::hours(paris_offset_hours(now.date()))).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn times_days_and_offsets() {
        assert_eq!(parse_time("  09h00"), Some(540));
        assert_eq!(parse_time("8h5"), Some(485));
        assert_eq!(parse_time("13:30"), Some(810));
        assert_eq!(parse_time("25h00"), None);
        assert_eq!(parse_time("2000h00"), None);
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
        assert_eq!(day_and_date(date!(2026 - 12 - 01)), "mardi 1er décembre");
        assert_eq!(long_date(date!(2026 - 09 - 01)), "1er septembre 2026");
        assert_eq!(parse_iso("2026-02-30"), None);
        assert_eq!(parse_iso("9999-12-31"), None);
        // Times are said in French legal time, changing at 01:00 UTC.
        use time::macros::datetime;
        let at = |t: OffsetDateTime| french_date_time(t.unix_timestamp());
        assert_eq!(at(datetime!(2026-03-29 00:59 UTC)), "29/03/2026 01:59");
        assert_eq!(at(datetime!(2026-03-29 01:00 UTC)), "29/03/2026 03:00");
        assert_eq!(at(datetime!(2026-10-25 00:59 UTC)), "25/10/2026 02:59");
        assert_eq!(at(datetime!(2026-10-25 01:00 UTC)), "25/10/2026 02:00");
        assert_eq!(at(datetime!(2026-12-03 10:20 UTC)), "03/12/2026 11:20");
        assert_eq!(parse_iso("-9999-01-01"), None);
        assert_eq!(iso(date!(2026 - 02 - 03)), "2026-02-03");
        assert_eq!(
            instant_in_france(date!(2026 - 11 - 23), 480).map(|t| t.hour()),
            Some(7)
        );
        assert_eq!(
            instant_in_france(date!(2026 - 06 - 01), 480).map(|t| t.hour()),
            Some(6)
        );
    }
}
