//! The server's checks, made every minute so that the RUPN's portal shows a problem without
//! probing the network on each view (the « Serveur » page checks again when opened).

use std::sync::Arc;
use std::time::Duration;

use cartable_core::server::Watch;

const EVERY: Duration = Duration::from_secs(60);

pub fn spawn(watch: Arc<Watch>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let s = watch.check().await;
            for c in s.problems() {
                tracing::debug!(service = c.service.id(), "{}", c.summary);
            }
        }
    });
}
