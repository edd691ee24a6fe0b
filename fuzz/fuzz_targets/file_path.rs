//! Fuzz target for the names and paths people type for their files: any string is accepted
//! only if no component is empty, `.`/`..`, or holds a separator or a control character.
//!
//!     cargo fuzz run file_path

#![no_main]

use cartable_core::files::RelPath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = RelPath::parse(s) {
        for c in p.components() {
            let c = c.as_str();
            assert!(!c.is_empty() && c != "." && c != "..");
            assert!(!c.contains(['/', '\\']) && !c.chars().any(char::is_control));
        }
        assert!(!s.starts_with('/'));
    }
});
