//! Quiet hours: when a person is not sent e-mails that can wait (French legal time, whole
//! hours, possibly across midnight: 20h–7h by default).

use time::{Duration, OffsetDateTime};

use crate::dates::{in_france, instant_in_france};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u8,
    pub end: u8,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self { start: 20, end: 7 }
    }
}

impl QuietHours {
    /// None when both ends are the same hour (no quiet hours).
    pub fn new(start: u8, end: u8) -> Option<Self> {
        (start < 24 && end < 24).then_some(Self { start, end })
    }

    fn is_quiet_hour(&self, hour: u8) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => hour >= self.start && hour < self.end,
            std::cmp::Ordering::Greater => hour >= self.start || hour < self.end,
        }
    }

    /// The first instant at or after `now` outside quiet hours.
    pub fn next_allowed(&self, now: OffsetDateTime) -> OffsetDateTime {
        let local = in_france(now);
        if !self.is_quiet_hour(local.hour()) {
            return now;
        }
        // The end hour today if still ahead, else tomorrow; computed on the French calendar
        // so that a DST change in the night is counted right.
        let mut day = local.date();
        if local.hour() >= self.end {
            day = day.next_day().unwrap_or(day);
        }
        instant_in_france(day, u16::from(self.end) * 60)
            .filter(|t| *t > now)
            .unwrap_or(now + Duration::hours(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn evening_waits_for_seven_french_time() {
        let q = QuietHours::default();
        // 21:30 in Paris (winter, UTC+1) is 20:30 UTC: waits for 7:00 Paris = 6:00 UTC.
        assert_eq!(
            q.next_allowed(datetime!(2026-12-03 20:30 UTC)),
            datetime!(2026-12-04 06:00 UTC)
        );
        // 6:30 in Paris waits half an hour.
        assert_eq!(
            q.next_allowed(datetime!(2026-12-04 05:30 UTC)),
            datetime!(2026-12-04 06:00 UTC)
        );
        // 10:00 in Paris: now.
        let now = datetime!(2026-12-04 09:00 UTC);
        assert_eq!(q.next_allowed(now), now);
        // 19:59 Paris is allowed, 20:00 is not.
        let now = datetime!(2026-12-03 18:59 UTC);
        assert_eq!(q.next_allowed(now), now);
        assert_ne!(
            q.next_allowed(datetime!(2026-12-03 19:00 UTC)),
            datetime!(2026-12-03 19:00 UTC)
        );
    }

    #[test]
    fn across_the_change_to_summer_time() {
        // Night of 28 to 29 March 2026: clocks go from 2:00 to 3:00. 7:00 Paris on the 29th is
        // 5:00 UTC (CEST), not 6:00.
        let q = QuietHours::default();
        assert_eq!(
            q.next_allowed(datetime!(2026-03-28 22:00 UTC)),
            datetime!(2026-03-29 05:00 UTC)
        );
        // And back to winter time on 25 October 2026: 7:00 Paris is 6:00 UTC.
        assert_eq!(
            q.next_allowed(datetime!(2026-10-24 21:00 UTC)),
            datetime!(2026-10-25 06:00 UTC)
        );
    }

    #[test]
    fn daytime_quiet_hours_and_none() {
        let q = QuietHours::new(12, 14).unwrap();
        assert_eq!(
            q.next_allowed(datetime!(2026-12-03 11:15 UTC)),
            datetime!(2026-12-03 13:00 UTC)
        );
        let none = QuietHours::new(8, 8).unwrap();
        let now = datetime!(2026-12-03 02:00 UTC);
        assert_eq!(none.next_allowed(now), now);
    }
}
