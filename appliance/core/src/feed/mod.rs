//! Feeds from the académie. `aaf` reads the annuaire feed (ficAlimMENESR); plan and apply come
//! next.

pub mod aaf;
mod desired;
mod error;
pub mod import;

pub use error::FeedError;
