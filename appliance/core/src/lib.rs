//! cartable-core: the domain of the appliance and its services, with no HTTP.
//!
//! The web host and the daemon reach people, classes and the store only through this crate.

pub mod academie;
pub mod accounts;
pub mod ad;
pub mod auth;
pub mod authz;
pub mod backup;
pub mod calendar;
pub mod charts;
pub mod cli;
pub mod clock;
pub mod collation;
pub mod config;
pub mod dates;
pub mod demo;
pub mod directory;
pub mod error;
pub mod feed;
pub mod files;
pub mod gar;
pub mod letters;
pub mod messages;
pub mod notify;
pub mod pdf;
pub mod school_life;
pub mod server;
pub mod store;
pub mod tls;
pub mod usage;

pub use error::{Error, Result};
