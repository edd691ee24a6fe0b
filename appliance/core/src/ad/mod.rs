//! The établissement's Samba AD domain, derived from the annuaire (issue 19, under way): the
//! annuaire stays the record and the authority for ENT sign-ins; cartable writes what a domain
//! logon needs into AD over LDAPS. `account` says how an account and a group are written,
//! `plan` what must change, `client` talks to the controller, `link` runs it all.

pub mod account;
pub mod back;
pub mod client;
pub mod link;
pub mod plan;

pub use link::{Link, SyncReport};
