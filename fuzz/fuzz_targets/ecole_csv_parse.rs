//! Fuzz target for the écoles' CSV: any bytes give people or a FeedError, never a panic.
//!
//!     cargo fuzz run ecole_csv_parse

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cartable_core::feed::siecle::ecole_csv::parse(Path::new("fuzz.csv"), data);
});
