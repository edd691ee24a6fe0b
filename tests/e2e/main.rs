//! End-to-end tests: the real cartabled binary, a real browser, real servers on loopback.
//! One binary, one module per feature.

// Test code: a panic is a failed test with its message, which is what we want here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod academie;
mod accounts_cli;
mod authz;
mod browser_console;
mod browser_sign_in;
mod cas;
mod config;
mod directory;
mod durability;
mod import;
mod import_cli;
mod import_siecle;
mod lifecycle;
mod smb;
mod web;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
