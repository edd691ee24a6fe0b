//! cartable-academie: the académie's hub. Every établissement's cartable sends its usage
//! indicators, daily status and import and GAR reports here over mutual TLS; they are kept in
//! PostgreSQL and shown on a dashboard for the académie's DSI and DANE, with alerts and the
//! usage by week, service and profile (exported in the national audience measure's shape).
//! It shares with the appliance only core's exchanged types (`academie::exchange`).

pub mod alerts;
pub mod config;
pub mod db;
pub mod error;
pub mod flux;
pub mod pki;
pub mod text;
pub mod web;
