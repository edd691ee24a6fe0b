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
    /// Visits counted for the académie's indicators, flushed by the daemon.
    pub audience: cartable_core::academie::audience::Audience,
    /// Use and recent documents of file spaces, dropped by the daemon's watcher on change.
    pub summaries: std::sync::Arc<cartable_core::files::summary::Summaries>,
    /// The ENT modules mounted, and whom each is open to.
    pub modules: Arc<crate::module::Mounted>,
    /// The host's rules and the mounted modules': what every authorization asks.
    pub policy: Arc<cartable_core::authz::Policy>,
    /// What people are told, in the ENT and by e-mail.
    pub notifier: cartable_core::notify::Notifier,
    /// The Samba AD domain kept in step with the annuaire, if there is one.
    pub domain: Option<cartable_core::ad::Link>,
    /// The établissement's name and logo, kept a few seconds.
    pub shown: crate::pages::etablissement::Shown,
    /// The modules' portal tiles per person, kept while what they read is unchanged.
    pub tiles: crate::module::TileCache,
    /// The server's checks, backups and recent problems (the console's « Serveur »).
    pub server: Arc<cartable_core::server::Watch>,
    /// Accounts by profile and class for the usage page, read from the annuaire at most
    /// every ten minutes.
    pub usage_accounts: cartable_core::usage::report::AccountsCache,
}

impl AppState {
    /// The accounts service over the same directory, store and clock.
    pub fn accounts(&self) -> cartable_core::accounts::Accounts {
        cartable_core::accounts::Accounts::new(
            self.directory.clone(),
            self.store.clone(),
            self.clock.clone(),
            self.config.accounts.clone(),
        )
        .with_domain(self.domain.clone())
    }
}
