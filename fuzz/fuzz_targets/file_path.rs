//! Fuzz target for the names, paths and space names that come from URLs and forms: any string is accepted
//! only if no component is empty, `.`/`..`, or holds a separator or a control character.
//!
//!     cargo fuzz run file_path

#![no_main]

use cartable_core::files::RelPath;
use cartable_core::files::spaces::SpaceId;
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
    // A space named in a URL: what parses names itself back the same way.
    if let Some(id) = SpaceId::parse(s) {
        assert_eq!(SpaceId::parse(&id.key()), Some(id));
    }
});
