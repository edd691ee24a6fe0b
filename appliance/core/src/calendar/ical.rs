//! The national school calendar as published (one iCalendar file per zone): each event is a
//! holiday period, its start the first day off (an afternoon start, « après les cours », means
//! the next day) and its end the day school resumes.

use chrono::Timelike;
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use time::{Date, Duration};

/// A period read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub name: String,
    pub first_day: Date,
    pub last_day: Date,
}

/// Largest file read (the national calendar is a few kilobytes).
pub const MAX_BYTES: usize = 512 * 1024;
/// Most periods in one file.
pub const MAX_PERIODS: usize = 500;

/// The day and whether it is in the afternoon.
fn day_of(dt: &DatePerhapsTime) -> Option<(Date, bool)> {
    let naive = match dt {
        DatePerhapsTime::Date(d) => return crate::dates::from_chrono(*d).map(|d| (d, false)),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(n)) => *n,
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, .. }) => *date_time,
        // UTC times of the national file are French evenings or mornings: one or two hours
        // later in Paris, never across midnight for these events.
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(u)) => {
            u.naive_utc() + chrono::Duration::hours(1)
        }
    };
    crate::dates::from_chrono(naive.date()).map(|d| (d, naive.hour() >= 12))
}

/// Reads the holiday periods of a calendar file. `Err` names the problem (and the event), so
/// that nothing is applied from a file that is not understood.
pub fn periods(text: &str) -> Result<Vec<Period>, String> {
    if text.len() > MAX_BYTES {
        return Err(format!(
            "fichier trop gros ({} Ko au plus)",
            MAX_BYTES / 1024
        ));
    }
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err("ce n'est pas un fichier iCalendar (BEGIN:VCALENDAR attendu)".to_owned());
    }
    let calendar: Calendar = text
        .parse()
        .map_err(|e| format!("fichier iCalendar illisible : {e}"))?;
    let mut out = Vec::new();
    for (n, c) in calendar.components.iter().enumerate() {
        let CalendarComponent::Event(e) = c else {
            continue;
        };
        let name = e.get_summary().unwrap_or("Vacances").trim().to_owned();
        let which = || format!("événement {} « {name} »", n + 1);
        let (start, afternoon) = e
            .get_start()
            .as_ref()
            .and_then(day_of)
            .ok_or_else(|| format!("{} : début (DTSTART) absent ou illisible", which()))?;
        let first_day = if afternoon {
            start + Duration::days(1)
        } else {
            start
        };
        let last_day = match e.get_end().as_ref().and_then(day_of) {
            // The end is the day school resumes, unless it is an afternoon.
            Some((end, false)) => end - Duration::days(1),
            Some((end, true)) => end,
            None => first_day,
        };
        if last_day < first_day {
            return Err(format!("{} : fin avant le début", which()));
        }
        if last_day - first_day > Duration::days(100) {
            return Err(format!("{} : plus de cent jours", which()));
        }
        out.push(Period {
            name,
            first_day,
            last_day,
        });
        if out.len() > MAX_PERIODS {
            return Err(format!("plus de {MAX_PERIODS} périodes"));
        }
    }
    if out.is_empty() {
        return Err("aucune période de vacances dans ce fichier".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn a_national_calendar_file_reads_as_periods() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n\
            BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Vacances de Noël\r\n\
            DTSTART;VALUE=DATE:20261219\r\nDTEND;VALUE=DATE:20270104\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Vacances d'hiver\r\n\
            DTSTART:20270205T170000Z\r\nDTEND:20270222T070000Z\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let p = super::periods(text).unwrap_or_default();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].first_day, date!(2026 - 12 - 19));
        assert_eq!(p[0].last_day, date!(2027 - 01 - 03));
        assert_eq!(p[1].name, "Vacances d'hiver");
        assert_eq!(p[1].first_day, date!(2027 - 02 - 06));
        assert_eq!(p[1].last_day, date!(2027 - 02 - 21));
    }

    #[test]
    fn what_is_not_a_calendar_is_refused_with_its_reason() {
        assert!(super::periods("bonjour").is_err());
        let upside = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:1\r\n\
            DTSTAMP:20260101T000000Z\r\nSUMMARY:X\r\nDTSTART;VALUE=DATE:20261219\r\n\
            DTEND;VALUE=DATE:20261201\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let e = super::periods(upside).err().unwrap_or_default();
        assert!(
            e.contains("« X »") && e.contains("fin avant le début"),
            "{e}"
        );
    }
}
