//! systemd integration: `Type=notify` readiness, watchdog pings while the store answers,
//! and STOPPING on shutdown. Without NOTIFY_SOCKET every call is a no-op.

use std::time::Duration;

use cartable_core::store::Store;
use sd_notify::NotifyState;

pub fn ready(status: &str) {
    let _ = sd_notify::notify(false, &[NotifyState::Ready, NotifyState::Status(status)]);
}

pub fn stopping() {
    let _ = sd_notify::notify(false, &[NotifyState::Stopping]);
}

/// Pings the watchdog at half its period, only while the store still answers, so a wedged
/// daemon is restarted by systemd.
pub fn spawn_watchdog(store: Store) {
    let mut usec = 0u64;
    if !sd_notify::watchdog_enabled(false, &mut usec) || usec == 0 {
        return;
    }
    let period = Duration::from_micros(usec / 2);
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            match tokio::time::timeout(period, store.ping()).await {
                Ok(Ok(())) => {
                    let _ = sd_notify::notify(false, &[NotifyState::Watchdog]);
                }
                _ => tracing::warn!("store not answering: watchdog ping withheld"),
            }
        }
    });
}
