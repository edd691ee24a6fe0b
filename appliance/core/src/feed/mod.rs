//! Feeds from the académie. `aaf` reads the annuaire feed (ficAlimMENESR), `siecle` the SIECLE
//! and STS-web exports and the écoles' CSV; all become one desired state, planned and applied
//! by `import`.

pub mod aaf;
mod desired;
mod error;
pub mod import;
pub mod pedagogy;
pub mod siecle;
pub mod xml;

pub use error::FeedError;
