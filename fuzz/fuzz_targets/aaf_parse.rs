//! Fuzz target for the AAF feed parser: any bytes must give records or a FeedError naming a
//! line inside the input, never a panic or a hang; the records' teaching facts (for the GAR)
//! are read without a panic too.
//!
//!     cargo fuzz run aaf_parse

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
    match cartable_core::feed::aaf::parse_bytes(Path::new("fuzz.xml"), data) {
        Err(e) => {
            assert!(
                e.line.is_none_or(|l| l <= lines + 1),
                "line {:?} outside the input",
                e.line
            );
        }
        // What the import keeps for the GAR is read from the same records, over nothing kept.
        Ok(records) => {
            let _ = cartable_core::feed::pedagogy::Pedagogy::from_records(&records, &|_| None);
        }
    }
});
