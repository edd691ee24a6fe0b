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
    use std::sync::Arc;

    use time::macros::datetime;

    use super::*;
    use crate::clock::ManualClock;
    use crate::directory::embedded::EmbeddedDirectory;
    use crate::directory::{
        AccountState, Change, DirectoryAuth, DirectoryRead, DirectoryWrite, Login, NewPerson,
        Profile,
    };

    fn pupil(login: &str) -> Change {
        Change::CreatePerson {
            uai: None,
            person: NewPerson {
                login: Login::parse(login).unwrap(),
                jointure: None,
                profile: Profile::Eleve,
                given_name: "Léa".into(),
                family_name: "MARTIN".into(),
                email: None,
                birth_date: None,
                password_hash: Some(crate::auth::password::hash("Tilleul-26").unwrap()),
                nt_hash: None,
                must_change_password: false,
            },
        }
    }

    #[tokio::test]
    async fn what_is_kept_follows_every_write_and_the_sign_in_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let clock = Arc::new(ManualClock::new(datetime!(2026-09-01 8:00 UTC)));
        let d = EmbeddedDirectory::new(store.clone(), clock);
        let lea = Login::parse("lea.martin").unwrap();
        assert_eq!(d.person(&lea).await.unwrap(), None, "not there yet");
        d.apply(vec![pupil("lea.martin")]).await.unwrap();
        let p = d
            .person(&lea)
            .await
            .unwrap()
            .expect("created: the kept absence is gone");
        assert_eq!(p.last_login, None);
        // Kept: the same answer without the store...
        assert_eq!(d.person(&lea).await.unwrap(), Some(p.clone()));
        // ...but a sign-in's time is seen at once,
        d.authenticate("lea.martin", "Tilleul-26").await.unwrap();
        let signed = d.person(&lea).await.unwrap().unwrap();
        assert_eq!(
            signed.last_login,
            Some(datetime!(2026-09-01 8:00 UTC).unix_timestamp())
        );
        // and so is every write.
        d.set_state(&lea, AccountState::Disabled, 0).await.unwrap();
        assert_eq!(
            d.person(&lea).await.unwrap().unwrap().state,
            AccountState::Disabled
        );
        d.delete(&lea).await.unwrap();
        assert_eq!(d.person(&lea).await.unwrap(), None);
        assert!(d.relations(&lea).await.is_err(), "no relations for nobody");
    }

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
