//! Fuzz target for the SIECLE / STS-web reader: any bytes, as one file of a delivery, must
//! give a desired state or a FeedError, never a panic or a hang.
//!
//!     cargo fuzz run siecle_parse

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = [(PathBuf::from("fuzz.xml"), data.to_vec())];
    let today = time::macros::date!(2026 - 09 - 01);
    let _ = cartable_core::feed::siecle::read_files(&files, None, today);
});
