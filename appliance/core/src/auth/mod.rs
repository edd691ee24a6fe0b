//! Authentication primitives: password hashing and generation.

pub mod password;
