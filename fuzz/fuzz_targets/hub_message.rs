//! What an établissement sends the académie's hub: any bytes, read as a message and checked;
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = serde_json::from_slice::<cartable_core::academie::exchange::Message>(data) {
        let _ = cartable_academie::db::ingest::check(&m);
        let _ = m.uai();
    }
});
