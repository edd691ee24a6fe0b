//! How the ENT is used, for the établissement's own charts (the RUPN, the direction, the
//! conseil d'administration) and the académie's: weeks of the school year, services and
//! profiles named in French, devices, and the small counts that are not shown.

pub mod council;
pub mod device;
pub mod grid;
pub mod labels;
pub mod report;
pub mod year;

pub use device::Device;
pub use grid::Grid;
