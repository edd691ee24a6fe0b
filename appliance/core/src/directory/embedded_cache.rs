//! What every page view asks the embedded directory — the signed-in person, their relations —
//! kept while the store has not changed. [`Store::generation`] moves after every write that can
//! change them, at once for this process and within a second for another (`cartabled import`,
//! a command), so nothing kept is ever older than the store's content. A read that started
//! before a write is not kept. Sign-in times are written without moving the generation: the
//! sign-in itself puts the person it read, with the new time, in place.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::directory::{Person, Relations};
use crate::store::Store;

/// Beyond this many people, a map starts again empty (bounded memory).
const MAX_ENTRIES: usize = 20_000;

type Kept<T> = Mutex<HashMap<String, (u64, T)>>;

#[derive(Default)]
pub(super) struct ReadCache {
    people: Kept<Option<Person>>,
    relations: Kept<Relations>,
}

fn get<T: Clone>(map: &Kept<T>, store: &Store, key: &str) -> Option<T> {
    let map = map.lock().ok()?;
    let (generation, v) = map.get(key)?;
    (*generation == store.generation()).then(|| v.clone())
}

/// Keeps `value`, read from the store as it was at `generation`, if the store has not moved.
fn keep<T>(map: &Kept<T>, store: &Store, generation: u64, key: &str, value: T) {
    if let Ok(mut m) = map.lock()
        && store.generation() == generation
    {
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(key.to_owned(), (generation, value));
    }
}

impl ReadCache {
    pub(super) fn person(&self, store: &Store, login: &str) -> Option<Option<Person>> {
        get(&self.people, store, login)
    }

    pub(super) fn keep_person(
        &self,
        store: &Store,
        generation: u64,
        login: &str,
        p: Option<Person>,
    ) {
        keep(&self.people, store, generation, login, p);
    }

    pub(super) fn relations(&self, store: &Store, login: &str) -> Option<Relations> {
        get(&self.relations, store, login)
    }

    pub(super) fn keep_relations(&self, store: &Store, generation: u64, login: &str, r: Relations) {
        keep(&self.relations, store, generation, login, r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_read_overtaken_by_a_write_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let cache = ReadCache::default();
        let before = store.generation();
        store.write(|_| Ok(())).await.unwrap();
        cache.keep_person(&store, before, "lea.martin", None);
        assert_eq!(cache.person(&store, "lea.martin"), None);
    }
}
