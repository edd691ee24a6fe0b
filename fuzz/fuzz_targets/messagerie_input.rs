//! Fuzz target for what the messagerie's forms and addresses carry: a chosen addressee
//! (`a:p:login`, `cci:l:parents:5B`), a folder (`dossier:12`), an attachment's name as the
//! browser gave it. Never a panic; what parses writes back the same; a name kept for an
//! attachment has no folder in it and cannot hide as a dot file.
//!
//!     cargo fuzz run messagerie_input

#![no_main]

use cartable_messagerie::model::{Folder, Whom, parse_choice};
use cartable_messagerie::pieces::clean_name;
use cartable_messagerie::rules::List;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((place, whom)) = parse_choice(s) {
        assert_eq!(format!("{}:{}", place.code(), whom.token()), s);
    }
    if let Some(w) = Whom::parse(s) {
        assert_eq!(Whom::parse(&w.token()), Some(w));
    }
    if let Some(l) = List::parse(s) {
        assert_eq!(l.token(), s);
    }
    if let Some(f) = Folder::parse(s) {
        assert_eq!(Folder::parse(&f.code()), Some(f));
    }
    let name = clean_name(s);
    assert!(!name.is_empty());
    assert!(!name.contains(['/', '\\']));
    assert!(!name.starts_with('.'));
});
