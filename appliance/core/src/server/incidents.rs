//! The problems the server logged lately, for the RUPN: each warning or error of a part of the
//! server he can act on (backups, the académie link, mail, the domain, files, imports, the
//! annuaire), with the part named in French and the logged text as the detail. Kept in
//! memory and written to the store every few seconds (so a restart, or a crash, keeps the
//! list), bounded: the system journal keeps everything; this is what the console shows.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::clock::SharedClock;

/// Incidents kept; beyond, the oldest go.
pub const KEPT: usize = 200;
/// A logged text is cut here (a whole LDIF or HTML page in an error stays in the journal).
const TEXT_MAX: usize = 600;

/// The part of the server a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Annuaire,
    Base,
    Sauvegarde,
    Academie,
    Courriel,
    Domaine,
    Fichiers,
    Import,
    Gar,
    Pages,
    Taches,
}

impl Area {
    /// Which part a log event's target (its Rust module) belongs to, for warnings: `None` is
    /// not the server's state (a refused password, a CAS ticket replayed — the audit journal
    /// says those).
    pub fn of_target(target: &str) -> Option<Area> {
        const BY_PREFIX: [(&str, Area); 17] = [
            ("cartabled::backup", Area::Sauvegarde),
            ("cartable_core::backup", Area::Sauvegarde),
            ("cartabled::academie", Area::Academie),
            ("cartable_core::academie", Area::Academie),
            ("cartabled::mail", Area::Courriel),
            ("cartable_core::notify", Area::Courriel),
            ("cartabled::domain", Area::Domaine),
            ("cartable_core::ad", Area::Domaine),
            ("cartabled::files", Area::Fichiers),
            ("cartable_core::files", Area::Fichiers),
            ("cartabled::import_cmd", Area::Import),
            ("cartable_core::feed", Area::Import),
            ("cartabled::gar", Area::Gar),
            ("cartable_core::directory", Area::Annuaire),
            ("cartabled::systemd", Area::Base),
            ("cartable_core::store", Area::Base),
            ("cartabled::run", Area::Taches),
        ];
        BY_PREFIX
            .iter()
            .find(|(p, _)| target.starts_with(p))
            .map(|(_, a)| *a)
    }

    pub const ALL: [Area; 11] = [
        Area::Annuaire,
        Area::Base,
        Area::Sauvegarde,
        Area::Academie,
        Area::Courriel,
        Area::Domaine,
        Area::Fichiers,
        Area::Import,
        Area::Gar,
        Area::Pages,
        Area::Taches,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Annuaire => "annuaire",
            Area::Base => "base",
            Area::Sauvegarde => "sauvegarde",
            Area::Academie => "academie",
            Area::Courriel => "courriel",
            Area::Domaine => "domaine",
            Area::Fichiers => "fichiers",
            Area::Import => "import",
            Area::Gar => "gar",
            Area::Pages => "pages",
            Area::Taches => "taches",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The part, as the console names it.
    pub fn label(self) -> &'static str {
        use crate::messages as m;
        match self {
            Area::Annuaire => m::AREA_ANNUAIRE,
            Area::Base => m::AREA_BASE,
            Area::Sauvegarde => m::AREA_SAUVEGARDE,
            Area::Academie => m::AREA_ACADEMIE,
            Area::Courriel => m::AREA_COURRIEL,
            Area::Domaine => m::AREA_DOMAINE,
            Area::Fichiers => m::AREA_FICHIERS,
            Area::Import => m::AREA_IMPORT,
            Area::Gar => m::AREA_GAR,
            Area::Pages => m::AREA_PAGES,
            Area::Taches => m::AREA_TACHES,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub area: Area,
    /// An error (the rest are warnings).
    pub error: bool,
    /// The logged text.
    pub text: String,
    /// Unix seconds, first and last time seen; `count` times in between.
    pub first_at: i64,
    pub last_at: i64,
    pub count: u32,
}

/// The shared list; cheap to clone.
#[derive(Clone)]
pub struct Incidents {
    inner: Arc<Mutex<VecDeque<Incident>>>,
    /// Recorded since the last write to the store, by (area, text).
    unsaved: Arc<Mutex<std::collections::HashSet<(Area, String)>>>,
    clock: SharedClock,
    /// When the service started: the list covers the time since.
    since: i64,
}

impl Incidents {
    pub fn new(clock: SharedClock) -> Self {
        let since = clock.now().unix_timestamp();
        Self {
            inner: Arc::default(),
            unsaved: Arc::default(),
            clock,
            since,
        }
    }

    pub fn since(&self) -> i64 {
        self.since
    }

    /// Records a problem; the same text in the same part as one already listed counts again
    /// instead of taking a line.
    pub fn record(&self, area: Area, error: bool, text: &str) {
        let now = self.clock.now().unix_timestamp();
        let text: String = text.chars().take(TEXT_MAX).collect();
        if let Ok(mut u) = self.unsaved.lock() {
            u.insert((area, text.clone()));
        }
        let Ok(mut list) = self.inner.lock() else {
            return;
        };
        if let Some(pos) = list.iter().position(|i| i.area == area && i.text == text) {
            if let Some(mut i) = list.remove(pos) {
                i.last_at = now;
                i.count = i.count.saturating_add(1);
                i.error |= error;
                list.push_back(i);
            }
            return;
        }
        if list.len() >= KEPT {
            list.pop_front();
        }
        list.push_back(Incident {
            area,
            error,
            text,
            first_at: now,
            last_at: now,
            count: 1,
        });
    }

    /// Takes the list kept in the store (at start, before anything is recorded).
    pub async fn load(&self, store: &crate::store::Store) -> crate::Result<()> {
        let rows = store.read(|r| r.incidents(KEPT as i64)).await?;
        if let Ok(mut list) = self.inner.lock() {
            // Before what this run already recorded, the oldest going first beyond the bound.
            let now: Vec<Incident> = list.drain(..).collect();
            list.extend(rows.into_iter().filter_map(|r| {
                Some(Incident {
                    area: Area::parse(&r.area)?,
                    error: r.error,
                    text: r.text,
                    first_at: r.first_at,
                    last_at: r.last_at,
                    count: u32::try_from(r.count).unwrap_or(u32::MAX),
                })
            }));
            for i in now {
                list.retain(|k| !(k.area == i.area && k.text == i.text));
                list.push_back(i);
            }
            while list.len() > KEPT {
                list.pop_front();
            }
        }
        Ok(())
    }

    /// Writes what was recorded since the last time; returns how many lines.
    pub async fn save(&self, store: &crate::store::Store) -> crate::Result<usize> {
        let keys: Vec<(Area, String)> = match self.unsaved.lock() {
            Ok(mut u) => u.drain().collect(),
            Err(_) => return Ok(0),
        };
        let rows: Vec<crate::store::IncidentRow> = match self.inner.lock() {
            Ok(list) => list
                .iter()
                .filter(|i| keys.iter().any(|(a, t)| *a == i.area && *t == i.text))
                .map(|i| crate::store::IncidentRow {
                    area: i.area.as_str().to_owned(),
                    error: i.error,
                    text: i.text.clone(),
                    first_at: i.first_at,
                    last_at: i.last_at,
                    count: i64::from(i.count),
                })
                .collect(),
            Err(_) => return Ok(0),
        };
        if rows.is_empty() {
            return Ok(0);
        }
        let n = rows.len();
        // Problems are not people's data: written without waiting for the disk, like the
        // sessions; a power cut may lose the last seconds of them, the journal keeps them.
        store
            .write_volatile(move |w| {
                for r in &rows {
                    w.put_incident(r, KEPT as i64)?;
                }
                Ok(())
            })
            .await?;
        Ok(n)
    }

    /// The newest first, at most `n`.
    pub fn latest(&self, n: usize) -> Vec<Incident> {
        self.inner
            .lock()
            .map(|l| l.iter().rev().take(n).cloned().collect())
            .unwrap_or_default()
    }

    /// How many were seen since `at` (unix seconds).
    pub fn since_count(&self, at: i64) -> usize {
        self.inner
            .lock()
            .map(|l| l.iter().filter(|i| i.last_at >= at).count())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use time::macros::datetime;

    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn repeated_problems_count_and_the_list_is_bounded() {
        let clock = ManualClock::new(datetime!(2026-12-05 08:00 UTC));
        let list = Incidents::new(Arc::new(clock.clone()));
        list.record(Area::Courriel, false, "relais de courriel : refusé");
        clock.advance(time::Duration::minutes(5));
        list.record(Area::Sauvegarde, true, "sauvegarde : disque plein");
        clock.advance(time::Duration::minutes(5));
        list.record(Area::Courriel, false, "relais de courriel : refusé");
        let l = list.latest(10);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].area, Area::Courriel, "seen again: newest");
        assert_eq!(l[0].count, 2);
        assert_eq!(l[0].last_at - l[0].first_at, 600);
        for n in 0..(KEPT + 10) {
            list.record(Area::Taches, false, &format!("tâche {n}"));
        }
        assert_eq!(list.latest(usize::MAX).len(), KEPT);
        assert_eq!(list.latest(1)[0].text, format!("tâche {}", KEPT + 9));
        let long = "x".repeat(10_000);
        list.record(Area::Import, true, &long);
        assert_eq!(list.latest(1)[0].text.len(), TEXT_MAX);
    }

    #[tokio::test]
    async fn the_list_survives_a_restart() {
        let tmp = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&tmp.path().join("s.sqlite"))
            .await
            .unwrap();
        let clock = ManualClock::new(datetime!(2026-12-05 08:00 UTC));
        let before = Incidents::new(Arc::new(clock.clone()));
        before.record(Area::Sauvegarde, true, "sauvegarde : disque plein");
        before.record(Area::Sauvegarde, true, "sauvegarde : disque plein");
        assert_eq!(before.save(&store).await.unwrap(), 1);
        assert_eq!(before.save(&store).await.unwrap(), 0, "nothing new");
        // The next run records before it loads: both are kept, this run's newest.
        clock.advance(time::Duration::hours(1));
        let after = Incidents::new(Arc::new(clock.clone()));
        after.record(Area::Courriel, false, "relais de courriel : refusé");
        after.load(&store).await.unwrap();
        let l = after.latest(10);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[0].area, Area::Courriel);
        assert_eq!(
            (l[1].area, l[1].count, l[1].error),
            (Area::Sauvegarde, 2, true)
        );
    }

    #[test]
    fn only_the_servers_parts_are_kept_from_warnings() {
        assert_eq!(Area::of_target("cartabled::backup"), Some(Area::Sauvegarde));
        assert_eq!(
            Area::of_target("cartable_core::directory::ldap::pool"),
            Some(Area::Annuaire)
        );
        assert_eq!(Area::of_target("cartable_web::policy"), None);
        assert_eq!(Area::of_target("cartable_web::pages::login"), None);
    }
}
