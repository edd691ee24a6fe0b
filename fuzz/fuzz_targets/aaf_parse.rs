//! Fuzz target for the AAF feed parser: any bytes must give records or a FeedError naming a
//! line inside the input, never a panic or a hang.
//!
//!     cargo fuzz run aaf_parse

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
    if let Err(e) = cartable_core::feed::aaf::parse_bytes(Path::new("fuzz.xml"), data) {
        assert!(e.line.is_none_or(|l| l <= lines + 1), "line {:?} outside the input", e.line);
    }
});
