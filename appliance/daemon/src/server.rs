//! The server's checks, made every minute so that the RUPN's portal shows a problem without
//! probing the network on each view (the « Serveur » page checks again when opened).

use std::sync::Arc;
use std::time::Duration;

use cartable_core::server::Watch;

const EVERY: Duration = Duration::from_secs(60);

/// How often the recent problems are written to the store.
const SAVE_EVERY: Duration = Duration::from_secs(5);

pub fn spawn(watch: Arc<Watch>, store: cartable_core::store::Store) {
    let incidents = watch.incidents.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SAVE_EVERY);
        loop {
            tick.tick().await;
            // Not logged as a warning: that would be recorded, and saved, again.
            if let Err(e) = incidents.save(&store).await {
                tracing::info!("problèmes récents non enregistrés : {e}");
            }
        }
    });
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
