//! The server's own state, as the RUPN checks it without a shell: whether each service
//! answers, disk use, backups, imports, and the problems logged lately. Everything here reads;
//! the one thing it may start is a backup (`backups`).

pub mod backups;
pub mod checks;
pub mod disk;
pub mod imports;
pub mod incidents;
pub mod probe;
pub mod upgrade;
pub mod watch;

pub use checks::{Check, Health, Service, Snapshot};
pub use incidents::{Area, Incident, Incidents};
pub use watch::Watch;
