//! The modules' tiles on a person's portal, kept while nothing they are read from changed:
//! every new module adds a tile, and its cost must not add a query to every portal view.
//!
//! A person's tiles are trusted while the store's generation is the one taken before they
//! were read (any write that may change a page bumps it: a module's, an import's — see
//! `Store::generation`), the day in Paris is the same (« à rendre demain », « cette
//! semaine »), the person's profile and relations are the same, and for at most [`MAX_AGE`]
//! (what a tile reads from the annuaire outside the store — a child's classes — is at most
//! that late). Sign-ins and sessions do not bump the generation.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cartable_core::directory::{Profile, Relations};

use crate::templates::Tile;

/// Longest a person's tiles are trusted.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Beyond this many people, the cache starts again empty (bounded memory: a few hundred
/// bytes each).
const MAX_PEOPLE: usize = 20_000;

struct Kept {
    generation: u64,
    day: time::Date,
    at: Instant,
    profile: Profile,
    relations: Relations,
    /// Per module, by id.
    tiles: Vec<(&'static str, Vec<Tile>)>,
}

impl Kept {
    fn holds_for(&self, key: &Key<'_>) -> bool {
        self.generation == key.generation
            && self.day == key.day
            && self.profile == key.profile
            && self.at.elapsed() < MAX_AGE
            && &self.relations == key.relations
    }
}

/// What was read, and under which conditions it stays true.
pub struct Key<'a> {
    pub login: &'a str,
    pub generation: u64,
    pub day: time::Date,
    pub profile: Profile,
    pub relations: &'a Relations,
}

#[derive(Default)]
pub struct TileCache {
    people: Mutex<HashMap<String, Kept>>,
}

impl TileCache {
    /// The module's tiles for this person, if kept and still true.
    pub fn get(&self, key: &Key<'_>, module: &str) -> Option<Vec<Tile>> {
        let people = self.people.lock().ok()?;
        let kept = people.get(key.login).filter(|k| k.holds_for(key))?;
        kept.tiles
            .iter()
            .find(|(id, _)| *id == module)
            .map(|(_, t)| t.clone())
    }

    /// Keeps a module's tiles read under `key` (whose generation was taken before reading).
    pub fn keep(&self, key: &Key<'_>, module: &'static str, tiles: &[Tile]) {
        let Ok(mut people) = self.people.lock() else {
            return;
        };
        if !people.get(key.login).is_some_and(|k| k.holds_for(key)) {
            if people.len() >= MAX_PEOPLE {
                people.clear();
            }
            people.insert(
                key.login.to_owned(),
                Kept {
                    generation: key.generation,
                    day: key.day,
                    at: Instant::now(),
                    profile: key.profile,
                    relations: key.relations.clone(),
                    tiles: Vec::new(),
                },
            );
        }
        if let Some(kept) = people.get_mut(key.login) {
            kept.tiles.retain(|(id, _)| *id != module);
            kept.tiles.push((module, tiles.to_vec()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(d: &str) -> Tile {
        Tile {
            title: "Messagerie".into(),
            description: d.into(),
            href: "/messagerie".into(),
            icon: "messagerie",
        }
    }

    #[test]
    fn kept_tiles_hold_only_while_what_they_were_read_from_holds() {
        let cache = TileCache::default();
        let day = time::macros::date!(2026 - 12 - 04);
        let rel = Relations::default();
        let key = |generation, day, profile| Key {
            login: "lea.martin",
            generation,
            day,
            profile,
            relations: &rel,
        };
        let k = key(7, day, Profile::Eleve);
        assert!(cache.get(&k, "messagerie").is_none());
        cache.keep(&k, "messagerie", &[tile("2 messages non lus")]);
        cache.keep(&k, "agenda", &[]);
        let got = cache.get(&k, "messagerie").unwrap();
        assert_eq!(got[0].description, "2 messages non lus");
        assert_eq!(cache.get(&k, "agenda").unwrap().len(), 0);
        assert!(cache.get(&k, "notes").is_none(), "never read");
        assert!(
            cache
                .get(&key(8, day, Profile::Eleve), "messagerie")
                .is_none()
        );
        let tomorrow = day.next_day().unwrap();
        assert!(
            cache
                .get(&key(7, tomorrow, Profile::Eleve), "messagerie")
                .is_none()
        );
        assert!(
            cache
                .get(&key(7, day, Profile::Responsable), "messagerie")
                .is_none()
        );
        let mut moved = Relations::default();
        moved.classes.push(cartable_core::directory::ClassRef {
            code: cartable_core::directory::ClassCode::parse("5A").unwrap(),
            label: "5e A".into(),
        });
        let k2 = Key {
            relations: &moved,
            ..key(7, day, Profile::Eleve)
        };
        assert!(cache.get(&k2, "messagerie").is_none());
        // Read again under a newer generation: the older tiles go with the older key.
        let k3 = key(9, day, Profile::Eleve);
        cache.keep(&k3, "messagerie", &[tile("3 messages non lus")]);
        assert!(cache.get(&k3, "agenda").is_none());
        assert_eq!(
            cache.get(&k3, "messagerie").unwrap()[0].description,
            "3 messages non lus"
        );
    }
}
