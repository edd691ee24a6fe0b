//! Authentication primitives: password hashing and generation.

pub mod gate;
pub mod password;
