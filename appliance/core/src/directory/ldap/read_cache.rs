//! What every page view reads — the signed-in person's entry and relations, the
//! établissement — kept a few seconds, so that a page costs no LDAP round trip. A write
//! through this process empties it at once; a write by another process (`cartabled import`,
//! `accounts disable` on the command line) shows here within [`TTL`]. A read that started
//! before a write is not kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::entry::Entry;
use crate::directory::{Person, Relations, Structure};

/// How long an entry read is trusted.
pub(super) const TTL: Duration = Duration::from_secs(5);
/// Beyond this many people, the cache starts again empty (bounded memory).
const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
pub(super) struct ReadCache {
    generation: AtomicU64,
    people: Mutex<HashMap<String, (Instant, Option<Person>)>>,
    relations: Mutex<HashMap<String, (Instant, Relations)>>,
    /// The entry read right after a person's bind: the portal's relations start from it.
    entries: Mutex<HashMap<String, (Instant, Entry)>>,
    /// The établissement, which every page's header names.
    structure: Mutex<HashMap<String, (Instant, Option<Structure>)>>,
}

fn fresh<T: Clone>(map: &Mutex<HashMap<String, (Instant, T)>>, key: &str) -> Option<T> {
    let map = map.lock().ok()?;
    let (at, v) = map.get(key)?;
    (at.elapsed() < TTL).then(|| v.clone())
}

impl ReadCache {
    /// Taken before a read; the read is kept only if no write came in between.
    pub(super) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn keep<T>(
        &self,
        map: &Mutex<HashMap<String, (Instant, T)>>,
        generation: u64,
        key: &str,
        value: T,
    ) {
        if let Ok(mut m) = map.lock()
            && self.generation() == generation
        {
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(key.to_owned(), (Instant::now(), value));
        }
    }

    pub(super) fn person(&self, login: &str) -> Option<Option<Person>> {
        fresh(&self.people, login)
    }

    pub(super) fn keep_person(&self, generation: u64, login: &str, person: Option<Person>) {
        self.keep(&self.people, generation, login, person);
    }

    pub(super) fn relations(&self, login: &str) -> Option<Relations> {
        fresh(&self.relations, login)
    }

    pub(super) fn keep_relations(&self, generation: u64, login: &str, relations: Relations) {
        self.keep(&self.relations, generation, login, relations);
    }

    pub(super) fn entry(&self, login: &str) -> Option<Entry> {
        fresh(&self.entries, login)
    }

    pub(super) fn keep_entry(&self, generation: u64, login: &str, entry: Entry) {
        self.keep(&self.entries, generation, login, entry);
    }

    pub(super) fn structure(&self) -> Option<Option<Structure>> {
        fresh(&self.structure, "")
    }

    pub(super) fn keep_structure(&self, generation: u64, structure: Option<Structure>) {
        self.keep(&self.structure, generation, "", structure);
    }

    /// Something was written: nothing read before is trusted any more.
    pub(super) fn written(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut m) = self.people.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.relations.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.entries.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.structure.lock() {
            m.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_during_a_read_keeps_the_read_out() {
        let c = ReadCache::default();
        let g = c.generation();
        c.written();
        c.keep_person(g, "lea.martin", None);
        assert_eq!(
            c.person("lea.martin"),
            None,
            "read before the write: not kept"
        );
        let g = c.generation();
        c.keep_person(g, "lea.martin", None);
        assert_eq!(c.person("lea.martin"), Some(None));
        c.written();
        assert_eq!(c.person("lea.martin"), None, "emptied by a write");
    }
}
