//! What every handler can reach: configuration, store, directory, clock, metrics.

use std::sync::Arc;

use cartable_core::clock::SharedClock;
use cartable_core::config::Config;
use cartable_core::directory::AnyDirectory;
use cartable_core::store::Store;

use crate::metrics::Metrics;
use crate::throttle::LoginThrottle;

/// Shared application state (behind `web::Data`).
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub directory: AnyDirectory,
    pub clock: SharedClock,
    pub metrics: Metrics,
    pub throttle: LoginThrottle,
}
