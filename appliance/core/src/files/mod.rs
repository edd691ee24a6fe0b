//! The file spaces (issue 6 builds on this): names and paths people type are checked here
//! before any file is touched, and opened beneath a space's root without following symbolic
//! links, so neither `..`, an absolute path nor a link planted over SMB can lead outside.

pub mod name;
pub mod path;

pub use name::{NameError, SafeName};
pub use path::{RelPath, open_beneath};
