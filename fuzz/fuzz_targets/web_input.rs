//! Fuzz target for what people and sites send in forms and URLs besides paths: a CAS service
//! address matched against a registered one, a chosen password, a date, a médiacentre address,
//! a phone for the carnet. Never a panic; a
//! service accepted is on the registered host; a visible path or a new name never starts with
//! a dot.
//!
//!     cargo fuzz run web_input

#![no_main]

use cartable_core::accounts::PasswordPolicy;
use cartable_core::config::url_within;
use cartable_core::dates::{YEARS, parse_iso};
use cartable_core::directory::Profile;
use cartable_core::files::{RelPath, SafeName};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for base in ["https://pronote.example.fr", "https://host/m2/"] {
        if url_within(s, base) {
            let host = url::Url::parse(s)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned));
            let want = url::Url::parse(base)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned));
            assert_eq!(host, want, "{s} accepted for {base}");
        }
    }
    let _ = PasswordPolicy::for_profile(Profile::Eleve).check(s, &["lea.martin"]);
    if let Some(d) = parse_iso(s) {
        assert!(YEARS.contains(&d.year()));
    }
    if let Ok(p) = RelPath::parse_visible(s) {
        assert!(p.components().iter().all(|c| !c.as_str().starts_with('.')));
    }
    // A médiacentre address, a signet's: only a web address with a host.
    if let Ok(u) = cartable_mediacentre::model::check_url(s) {
        assert!(u.starts_with("https://") || u.starts_with("http://"), "{u}");
        assert!(!u.chars().any(char::is_whitespace), "{u}");
    }
    // A phone shown in the carnet: short, digits and separators only.
    if let Ok(t) = cartable_carnet::model::check_phone(s) {
        assert!(
            t.chars().count() <= cartable_carnet::model::MAX_PHONE,
            "{t}"
        );
        assert!(
            t.chars()
                .all(|c| c.is_ascii_digit() || " .-()+".contains(c)),
            "{t}"
        );
    }
    if let Ok(n) = SafeName::parse_new(s) {
        assert!(!n.as_str().starts_with('.'));
        assert!(!n.as_str().contains('\u{202E}'));
    }
});
