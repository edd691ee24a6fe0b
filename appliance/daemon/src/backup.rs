//! The daily backup, at `[backup] heure` (UTC), into `[backup] dir`.

use std::path::PathBuf;

use cartable_core::clock::SharedClock;
use cartable_core::config::Config;
use cartable_core::directory::AnyDirectory;
use cartable_core::store::Store;
use time::OffsetDateTime;

/// The next time it is `hour`:00 UTC after `now`.
pub fn next_run(now: OffsetDateTime, hour: u8) -> OffsetDateTime {
    let today = now.replace_time(time::Time::from_hms(hour, 0, 0).unwrap_or(time::Time::MIDNIGHT));
    if today > now {
        today
    } else {
        today + time::Duration::days(1)
    }
}

pub fn spawn(
    config: Config,
    config_path: Option<PathBuf>,
    store: Store,
    directory: AnyDirectory,
    clock: SharedClock,
) {
    let Some(dest) = config.backup.dir.clone() else {
        return;
    };
    tokio::spawn(async move {
        loop {
            let now = clock.now();
            let wait = next_run(now, config.backup.hour) - now;
            tokio::time::sleep(wait.try_into().unwrap_or_default()).await;
            let r = cartable_core::backup::backup(
                &config,
                config_path.as_deref(),
                &store,
                &directory,
                &dest,
                config.backup.keep,
                clock.now(),
            )
            .await;
            match r {
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
    fn the_next_two_oclock() {
        assert_eq!(
            super::next_run(datetime!(2026-11-23 01:30 UTC), 2),
            datetime!(2026-11-23 02:00 UTC)
        );
        assert_eq!(
            super::next_run(datetime!(2026-11-23 02:00 UTC), 2),
            datetime!(2026-11-24 02:00 UTC)
        );
    }
}
