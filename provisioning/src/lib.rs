//! What cartable-provision lays out that the end-to-end tests run too: the domain controller's
//! commands and files, so that the tests prove the install's own.

pub mod controller;
