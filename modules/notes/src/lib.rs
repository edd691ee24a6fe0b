//! Notes, compétences and bulletins. This first part is the one average engine
//! (`average.rs`), pure and tested against golden cases; the évaluations, the grids, the
//! conseil de classe and the bulletins are built on it.

pub mod average;
pub mod model;
pub mod store;
