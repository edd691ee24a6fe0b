//! The daily backup, at `[backup] heure` (French time), into `[backup] dir`.

use cartable_core::clock::SharedClock;
use cartable_core::dates::{instant_in_france, today_in_france};
use cartable_core::server::backups::{Backups, Trigger};
use time::OffsetDateTime;

/// The next time it is `hour`:00 in France after `now` (the hour the RUPN reads on a clock).
pub fn next_run(now: OffsetDateTime, hour: u8) -> OffsetDateTime {
    let today = today_in_france(now);
    (0..3)
        .filter_map(|n| today.checked_add(time::Duration::days(n)))
        .filter_map(|d| instant_in_france(d, u16::from(hour) * 60))
        .find(|t| *t > now)
        .unwrap_or(now + time::Duration::days(1))
}

pub fn spawn(backups: Backups, hour: u8, clock: SharedClock) {
    tokio::spawn(async move {
        loop {
            let now = clock.now();
            let wait = next_run(now, hour) - now;
            tokio::time::sleep(wait.try_into().unwrap_or_default()).await;
            match backups.run(Trigger::Scheduled).await {
                Ok(dir) => tracing::info!(dossier = %dir.display(), "sauvegarde écrite"),
                Err(e) => tracing::error!("sauvegarde : {e}"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn the_next_two_oclock_in_france() {
        // Winter (01:00 UTC), just done (tomorrow), late evening in Paris (already the next
        // day in France), summer (00:00 UTC).
        for (now, next) in [
            (
                datetime!(2026-11-23 00:30 UTC),
                datetime!(2026-11-23 01:00 UTC),
            ),
            (
                datetime!(2026-11-23 01:00 UTC),
                datetime!(2026-11-24 01:00 UTC),
            ),
            (
                datetime!(2026-11-23 23:30 UTC),
                datetime!(2026-11-24 01:00 UTC),
            ),
            (
                datetime!(2026-06-10 12:00 UTC),
                datetime!(2026-06-11 00:00 UTC),
            ),
        ] {
            assert_eq!(super::next_run(now, 2), next, "after {now}");
        }
    }
}
