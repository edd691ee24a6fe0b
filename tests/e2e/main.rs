//! End-to-end tests: the real cartabled binary, a real browser, real servers on loopback.
//! One binary, one module per feature.

mod browser_sign_in;
mod config;
mod durability;
mod lifecycle;
mod web;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
