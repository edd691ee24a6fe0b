//! French collation (CLDR's, through ICU4X): « ANDRÉ Évan » before « ANDRÉ Thierry », GÉRARD
//! before GIRAUD, « de La Fontaine » with the Ls. Every sorted list of people goes through
//! here, in Rust or — registered on each SQLite connection as `COLLATE fr` — in SQL.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};

use crate::directory::Person;

/// The name of the SQLite collation.
pub const SQL_NAME: &str = "fr";

/// CLDR has no tailoring for French of France (only fr-CA sorts accents backwards): its
/// order is the root collation, which the default preferences select.
static FRENCH: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    Collator::try_new(CollatorPreferences::default(), CollatorOptions::default()).ok()
});

/// Compares two strings as a French reader sorts them.
pub fn compare(a: &str, b: &str) -> Ordering {
    match FRENCH.as_ref() {
        Some(c) => c.compare(a, b),
        // The data is compiled into the binary: this cannot happen, but never panic.
        None => a.cmp(b),
    }
}

/// People in the order of a class list: family name, first name, then login.
pub fn people(a: &Person, b: &Person) -> Ordering {
    compare(&a.family_name, &b.family_name)
        .then_with(|| compare(&a.given_name, &b.given_name))
        .then_with(|| a.login.as_str().cmp(b.login.as_str()))
}

/// Registers `COLLATE fr` on a SQLite connection.
pub fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_collation(SQL_NAME, compare)
}

#[cfg(test)]
mod tests {
    use super::compare;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn accents_and_case_do_not_push_names_to_the_end() {
        assert_eq!(
            sorted(&["GIRAUD", "GÉRARD", "Zoé", "émile", "Ève", "EVRARD"]),
            ["émile", "Ève", "EVRARD", "GÉRARD", "GIRAUD", "Zoé"]
        );
        assert_eq!(
            sorted(&["Thierry", "Évan", "Alice"]),
            ["Alice", "Évan", "Thierry"]
        );
        assert_eq!(
            sorted(&["Lœtitia", "Loïc", "Lola"]),
            ["Lœtitia", "Loïc", "Lola"]
        );
    }
}
