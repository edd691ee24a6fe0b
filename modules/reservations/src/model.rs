//! Resources, bookings, and the two rules that decide a booking: the occurrences a weekly
//! booking has (weeks A, B or both, until a date, no school holiday), and whether each one
//! fits (the resource's quantity against the bookings that overlap it; a room against the
//! timetable's courses in it).

use cartable_core::calendar::SchoolCalendar;
use cartable_core::directory::Profile;
use time::{Date, Duration};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    pub id: i64,
    pub name: String,
    /// Who may book.
    pub profiles: Vec<Profile>,
    /// How far ahead (days from today).
    pub days_ahead: i64,
    /// A manager validates each booking.
    pub validation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: i64,
    pub kind: i64,
    pub name: String,
    pub quantity: i64,
    /// The timetable's name of the room; empty for equipment.
    pub room: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Validated,
    Refused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "attente",
            Status::Validated => "validee",
            Status::Refused => "refusee",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "validee" => Status::Validated,
            "refusee" => Status::Refused,
            _ => Status::Waiting,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: i64,
    pub resource: i64,
    pub login: String,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    pub quantity: i64,
    pub status: Status,
    pub reason: String,
    pub series: Option<i64>,
    pub refusal: String,
}

/// Which weeks a weekly booking comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Once,
    EveryWeek,
    /// Weeks A only, B only (as the timetable counts them).
    WeekA,
    WeekB,
}

impl Repeat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "" | "une-fois" => Some(Repeat::Once),
            "chaque-semaine" => Some(Repeat::EveryWeek),
            "semaine-a" => Some(Repeat::WeekA),
            "semaine-b" => Some(Repeat::WeekB),
            _ => None,
        }
    }
}

/// Most occurrences of one booking (a school year of weeks).
pub const MAX_OCCURRENCES: usize = 45;

/// The days a booking falls on: `first`, then (weekly) each 7 days until `until` included,
/// only weeks of the kind asked (`week_kind` says A or B, None when the timetable has no
/// weeks A and B: then every week counts) — so a series « weeks A » asked from a week B
/// starts the week after —, none a day off. The caller refuses a `first` that is a day off.
pub fn occurrences(
    first: Date,
    repeat: Repeat,
    until: Date,
    calendar: &SchoolCalendar,
    week_kind: impl Fn(Date) -> Option<&'static str>,
) -> Vec<Date> {
    if repeat == Repeat::Once {
        return vec![first];
    }
    let wanted = match repeat {
        Repeat::WeekA => Some("A"),
        Repeat::WeekB => Some("B"),
        _ => None,
    };
    let mut out = Vec::new();
    let mut day = first;
    while day <= until && out.len() < MAX_OCCURRENCES {
        let kind_ok = match (wanted, week_kind(day)) {
            (Some(w), Some(k)) => w == k,
            _ => true,
        };
        if kind_ok && calendar.closed(day).is_none() {
            out.push(day);
        }
        day += Duration::weeks(1);
    }
    out
}

/// Each day's `start`..`end` (minutes, French time) as unix seconds: the same hour on the
/// clock across a change of time, not the same interval. A day whose time does not exist is
/// left out.
pub fn instants(days: &[Date], start: u16, end: u16) -> Vec<(Date, i64, i64)> {
    days.iter()
        .filter_map(|d| {
            let s = cartable_core::dates::instant_in_france(*d, start)?;
            let e = cartable_core::dates::instant_in_france(*d, end)?;
            Some((*d, s.unix_timestamp(), e.unix_timestamp()))
        })
        .collect()
}

/// Why one occurrence does not fit, or None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Not enough left: how many are free at the busiest moment.
    Taken { free: i64 },
    /// A course of the timetable is in the room.
    Course { subject: String, audience: String },
}

/// A timetable course in a room, on the occurrence's day: (start, end) unix, subject, class.
pub struct RoomCourse {
    pub start: i64,
    pub end: i64,
    pub subject: String,
    pub audience: String,
}

/// Whether `quantity` of `resource` fit between `start` and `end` beside `others` (bookings
/// of the resource, refused ones ignored) and the room's courses.
pub fn conflict(
    resource: &Resource,
    start: i64,
    end: i64,
    quantity: i64,
    others: &[Booking],
    courses: &[RoomCourse],
) -> Option<Conflict> {
    if let Some(c) = courses.iter().find(|c| c.start < end && start < c.end) {
        return Some(Conflict::Course {
            subject: c.subject.clone(),
            audience: c.audience.clone(),
        });
    }
    let overlapping: Vec<&Booking> = others
        .iter()
        .filter(|b| b.status != Status::Refused && b.start < end && start < b.end)
        .collect();
    // The busiest moment is at one of the overlapping bookings' starts (or ours).
    let busiest = std::iter::once(start)
        .chain(overlapping.iter().map(|b| b.start.max(start)))
        .map(|t| {
            overlapping
                .iter()
                .filter(|b| b.start <= t && t < b.end)
                .map(|b| b.quantity)
                .sum::<i64>()
        })
        .max()
        .unwrap_or(0);
    let free = resource.quantity - busiest;
    (free < quantity).then_some(Conflict::Taken { free: free.max(0) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartable_core::calendar::Holiday;
    use cartable_core::dates::parse_iso;

    fn d(s: &str) -> Date {
        parse_iso(s).unwrap_or(Date::MIN)
    }

    fn booking(start: i64, end: i64, quantity: i64) -> Booking {
        Booking {
            id: 1,
            resource: 1,
            login: "t".into(),
            start,
            end,
            quantity,
            status: Status::Validated,
            reason: String::new(),
            series: None,
            refusal: String::new(),
        }
    }

    #[test]
    fn weeks_a_until_the_holidays_skip_them() {
        let calendar = SchoolCalendar {
            holidays: vec![Holiday {
                id: 1,
                name: "Vacances de Noël".into(),
                first_day: d("2026-12-19"),
                last_day: d("2027-01-03"),
            }],
        };
        // Week A: the week of 30 November 2026, then every other week.
        let kind = |day: Date| {
            let weeks = (cartable_core::dates::monday_of(day) - d("2026-11-30")).whole_days() / 7;
            Some(if weeks.rem_euclid(2) == 0 { "A" } else { "B" })
        };
        let got = occurrences(
            d("2026-12-01"),
            Repeat::WeekA,
            d("2027-01-31"),
            &calendar,
            kind,
        );
        assert_eq!(
            got,
            vec![
                d("2026-12-01"),
                d("2026-12-15"),
                d("2027-01-12"),
                d("2027-01-26")
            ],
            "29 December is week A but in the holidays"
        );
        let every = occurrences(
            d("2026-12-01"),
            Repeat::EveryWeek,
            d("2026-12-22"),
            &calendar,
            |_| None,
        );
        assert_eq!(
            every,
            vec![d("2026-12-01"), d("2026-12-08"), d("2026-12-15")]
        );
        let long = occurrences(
            d("2026-09-01"),
            Repeat::EveryWeek,
            d("2030-01-01"),
            &SchoolCalendar::default(),
            |_| None,
        );
        assert_eq!(long.len(), MAX_OCCURRENCES);
    }

    /// Unix seconds of a UTC time.
    fn utc(day: &str, h: u8) -> i64 {
        d(day)
            .with_hms(h, 0, 0)
            .map(|t| t.assume_utc().unix_timestamp())
            .unwrap_or(0)
    }

    #[test]
    fn ten_o_clock_stays_ten_o_clock_across_both_changes_of_time() {
        // Autumn: Sunday 25 October 2026 (10h00 in Paris is 08h00 UTC before, 09h00 after).
        let days = occurrences(
            d("2026-10-20"),
            Repeat::EveryWeek,
            d("2026-11-03"),
            &SchoolCalendar::default(),
            |_| None,
        );
        let got: Vec<(i64, i64)> = instants(&days, 600, 660)
            .into_iter()
            .map(|(_, s, e)| (s, e))
            .collect();
        assert_eq!(
            got,
            vec![
                (utc("2026-10-20", 8), utc("2026-10-20", 9)),
                (utc("2026-10-27", 9), utc("2026-10-27", 10)),
                (utc("2026-11-03", 9), utc("2026-11-03", 10)),
            ]
        );
        // Spring: Sunday 29 March 2026.
        let days = occurrences(
            d("2026-03-24"),
            Repeat::EveryWeek,
            d("2026-03-31"),
            &SchoolCalendar::default(),
            |_| None,
        );
        let got: Vec<i64> = instants(&days, 600, 660)
            .into_iter()
            .map(|(_, s, _)| s)
            .collect();
        assert_eq!(got, vec![utc("2026-03-24", 9), utc("2026-03-31", 8)]);
    }

    #[test]
    fn quantity_at_the_busiest_moment() {
        let tablets = Resource {
            id: 1,
            kind: 1,
            name: "Tablettes".into(),
            quantity: 2,
            room: String::new(),
        };
        // Two sets out 8:00-10:00 and 9:00-11:00 overlap only 9:00-10:00.
        let others = [booking(800, 1000, 1), booking(900, 1100, 1)];
        assert_eq!(conflict(&tablets, 1000, 1200, 1, &others, &[]), None);
        assert_eq!(
            conflict(&tablets, 930, 1030, 1, &others, &[]),
            Some(Conflict::Taken { free: 0 })
        );
        let refused = Booking {
            status: Status::Refused,
            ..booking(800, 1200, 2)
        };
        assert_eq!(conflict(&tablets, 800, 1200, 2, &[refused], &[]), None);
        let room = Resource {
            quantity: 1,
            room: "B12".into(),
            ..tablets
        };
        let course = RoomCourse {
            start: 800,
            end: 855,
            subject: "Mathématiques".into(),
            audience: "6A".into(),
        };
        assert!(matches!(
            conflict(&room, 830, 900, 1, &[], &[course]),
            Some(Conflict::Course { .. })
        ));
    }
}
