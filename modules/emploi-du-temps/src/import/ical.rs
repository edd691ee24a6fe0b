//! iCalendar, both ways. In: the weekly events of a class's or group's timetable (an export
//! from another tool): a `RRULE:FREQ=WEEKLY` event is a course every week (`INTERVAL=2`: week
//! A or B from its first date), single occurrences repeating at the same time are one course;
//! all-day events are not courses and are left out. Out: a person's occurrences for the weeks
//! to come, with cancelled ones marked so and room changes in the location, in UTC.

use chrono::{NaiveDateTime, Timelike};
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike,
    EventStatus,
};
use time::Date;

use super::{Problem, RawCourse};
use crate::model::{Weeks, monday_of, paris_offset_hours, week_kind};

fn to_date(d: chrono::NaiveDate) -> Option<Date> {
    cartable_core::dates::from_chrono(d)
}

/// A start or end as French local time: (date, minutes after midnight).
fn local(dt: &DatePerhapsTime) -> Result<(Date, u16), String> {
    let naive: NaiveDateTime = match dt {
        DatePerhapsTime::Date(_) => return Err("journée entière".to_owned()),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(n)) => *n,
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            if tzid != "Europe/Paris"
                && tzid != "Europe/Brussels"
                && tzid != "Romance Standard Time"
            {
                return Err(format!("fuseau « {tzid} » : Europe/Paris attendu"));
            }
            *date_time
        }
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(u)) => {
            let n = u.naive_utc();
            let d = to_date(n.date()).ok_or("date invalide")?;
            n + chrono::Duration::hours(paris_offset_hours(d))
        }
    };
    let d = to_date(naive.date()).ok_or("date invalide")?;
    let m = u16::try_from(naive.hour() * 60 + naive.minute()).map_err(|e| e.to_string())?;
    Ok((d, m))
}

fn teacher_of(e: &icalendar::Event) -> Vec<String> {
    if let Some(cn) = e
        .properties()
        .get("ORGANIZER")
        .and_then(|p| p.params().get("CN"))
    {
        return vec![cn.value().trim_matches('"').to_owned()];
    }
    e.get_description()
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            matches!(
                k.trim().to_lowercase().as_str(),
                "professeur" | "enseignant" | "enseignante" | "prof"
            )
            .then(|| v.trim().to_owned())
        })
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

/// The courses of `class` (or `group`) in an iCalendar file.
pub fn parse(
    bytes: &[u8],
    class: &str,
    group: &str,
    reference_a: Option<Date>,
) -> Result<(Vec<RawCourse>, usize), Vec<Problem>> {
    let text = crate::import::csv::decode(bytes);
    let cal: Calendar = text
        .parse()
        .map_err(|e: String| vec![Problem::at(0, format!("fichier iCalendar illisible : {e}"))])?;
    let mut problems = Vec::new();
    let mut skipped = 0;
    // (day, start, end, subject, room, teachers) → dates seen, and whether an RRULE said so.
    type Key = (u8, u16, u16, String, String, Vec<String>);
    let mut seen: Vec<(Key, Vec<Date>, Option<u32>)> = Vec::new();
    for (n, c) in cal.components.iter().enumerate() {
        let CalendarComponent::Event(e) = c else {
            continue;
        };
        let n = n + 1;
        let summary = e.get_summary().unwrap_or_default().trim().to_owned();
        let what = |m: String| Problem::at(0, format!("événement n° {n} « {summary} » : {m}"));
        if e.get_status() == Some(EventStatus::Cancelled) {
            skipped += 1;
            continue;
        }
        let (Some(start), Some(end)) = (e.get_start(), e.get_end()) else {
            problems.push(what("DTSTART ou DTEND manquant".to_owned()));
            continue;
        };
        if matches!(start, DatePerhapsTime::Date(_)) {
            skipped += 1;
            continue;
        }
        let (s, e_) = match (local(&start), local(&end)) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(m), _) | (_, Err(m)) => {
                problems.push(what(m));
                continue;
            }
        };
        if s.0 != e_.0 || e_.1 <= s.1 {
            problems.push(what(
                "le cours doit finir le jour où il commence".to_owned(),
            ));
            continue;
        }
        if summary.is_empty() {
            problems.push(what("SUMMARY (la matière) vide".to_owned()));
            continue;
        }
        let interval = match e.property_value("RRULE") {
            None => None,
            Some(rule) => {
                let upper = rule.to_uppercase();
                if !upper.contains("FREQ=WEEKLY") {
                    problems.push(what(format!(
                        "RRULE « {rule} » : seul FREQ=WEEKLY est un cours"
                    )));
                    continue;
                }
                Some(
                    upper
                        .split(';')
                        .find_map(|p| p.strip_prefix("INTERVAL="))
                        .and_then(|v| v.parse::<u32>().ok())
                        .unwrap_or(1),
                )
            }
        };
        let day = s.0.weekday().number_from_monday();
        let key: Key = (
            day,
            s.1,
            e_.1,
            summary.clone(),
            e.get_location().unwrap_or_default().trim().to_owned(),
            teacher_of(e),
        );
        match seen.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, dates, i)) => {
                dates.push(s.0);
                if interval.is_some() {
                    *i = interval;
                }
            }
            None => seen.push((key, vec![s.0], interval)),
        }
    }
    let mut out = Vec::new();
    for ((day, start, end, subject, room, teachers), mut dates, interval) in seen {
        dates.sort();
        dates.dedup();
        let alternate = match interval {
            Some(2) => true,
            Some(_) => false,
            // Single occurrences: every other week when no two are a week apart.
            None => {
                dates.len() >= 2
                    && dates
                        .windows(2)
                        .all(|w| (monday_of(w[1]) - monday_of(w[0])).whole_days() % 14 == 0)
            }
        };
        let weeks = if !alternate {
            Weeks::Every
        } else if let Some(reference) = reference_a {
            week_kind(monday_of(dates[0]), reference)
        } else {
            problems.push(Problem::at(
                0,
                format!(
                    "« {subject} » a lieu une semaine sur deux : indiquez d'abord la date d'un lundi de semaine A"
                ),
            ));
            continue;
        };
        out.push(RawCourse {
            line: 0,
            day,
            start,
            end,
            weeks,
            subject,
            teachers,
            class: class.to_owned(),
            group: group.to_owned(),
            room,
        });
    }
    if problems.is_empty() {
        out.sort_by_key(|c| (c.day, c.start));
        Ok((out, skipped))
    } else {
        Err(problems)
    }
}

/// One occurrence in a feed.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    /// Stable across refreshes: course and date.
    pub uid: String,
    pub date: Date,
    pub start: u16,
    pub end: u16,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub cancelled: bool,
}

/// As chrono's UTC time, for the calendar crate.
fn utc(date: Date, minutes: u16) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = cartable_core::dates::instant_in_france(date, minutes)?;
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0)
}

/// The feed's text.
pub fn feed(name: &str, events: &[FeedEvent]) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for e in events {
        let (Some(start), Some(end)) = (utc(e.date, e.start), utc(e.date, e.end)) else {
            continue;
        };
        let mut ev = icalendar::Event::new();
        ev.uid(&e.uid)
            .summary(&e.summary)
            .starts(start)
            .ends(end)
            .location(&e.location)
            .description(&e.description);
        if e.cancelled {
            ev.status(EventStatus::Cancelled);
        } else {
            ev.status(EventStatus::Confirmed);
        }
        cal.push(ev.done());
    }
    cal.done().to_string()
}
