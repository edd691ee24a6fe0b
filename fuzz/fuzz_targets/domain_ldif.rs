//! Fuzz target for what the domain controller hands `cartabled domain password-back`: one
//! account's LDIF from `samba-tool user syncpasswords`. Never a panic; what parses names an
//! account, and a hash taken is a SHA-512-crypt one, a NT hash 32 hex digits.
//!
//!     cargo fuzz run domain_ldif

#![no_main]

use cartable_core::ad::back::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(change) = parse(s) {
        assert!(!change.sam.is_empty());
        if let Some(crypt) = &change.crypt {
            assert!(crypt.starts_with("$6$"));
        }
        if let Some(nt) = &change.nt {
            assert_eq!(nt.len(), 32);
        }
    }
});
