//! Feeds from the académie. `aaf` reads the annuaire feed (ficAlimMENESR); plan and apply come
//! next.

pub mod aaf;
mod error;

pub use error::FeedError;
