//! The établissement's Samba AD domain, derived from the annuaire (issue 19, under way): the
//! annuaire stays the record and the authority for ENT sign-ins; cartable writes what a domain
//! logon needs into AD. This part is pure: how an account and a group are written.

pub mod account;
