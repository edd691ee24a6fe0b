//! A school year of usage as the établissement's charts show it, read from the store (weeks,
//! hours, devices) and the annuaire (accounts opened).

use time::Date;

use super::Device;
use super::grid::Grid;
use super::labels::{SMALL_PROFILES, profile_rank};
use super::year::year_bounds;
use crate::Result;
use crate::academie::audience::WHOLE_ENT;
use crate::dates::{iso, monday_of, parse_iso};
use std::sync::Arc;

use crate::directory::{AccountState, AnyDirectory, DirectoryRead, PersonQuery, Profile};
use crate::store::{Store, UsageKind};

/// What the usage page and the conseil d'administration's report show for a school year.
#[derive(Debug, Clone)]
pub struct YearUsage {
    /// The year's first year (2026 for 2026-2027).
    pub annee: i32,
    /// Visits per week, by service.
    pub visits_by_service: Grid<Date>,
    /// People who came each week (to any service), by profile.
    pub visitors_by_profile: Grid<Date>,
    /// Visits per hour of the day over the year, by profile.
    pub hours: Grid<u8>,
    /// Visits over the year per profile (columns), by device (keys).
    pub devices: Grid<String>,
    /// The weekly lines as stored, for the CSV.
    pub rows: Vec<crate::store::WeekFigure>,
}

/// The Mondays of the year's weeks, up to the one holding `today` if the year is not over.
/// A week belongs to the year holding its Thursday (as ISO weeks to their year): the week of
/// Monday 31 August 2026 is 2026-2027's, never counted twice.
pub fn weeks(annee: i32, today: Date) -> Vec<Date> {
    let (start, end) = year_bounds(annee);
    let thursday = |monday: Date| monday + time::Duration::days(3);
    let mut w = monday_of(start);
    if thursday(w) < start {
        w += time::Duration::weeks(1);
    }
    let mut out = Vec::new();
    while thursday(w) < end && w <= today {
        out.push(w);
        w = w.checked_add(time::Duration::weeks(1)).unwrap_or(Date::MAX);
    }
    out
}

pub async fn year(store: &Store, annee: i32, today: Date) -> Result<YearUsage> {
    let columns = weeks(annee, today);
    let (from, to) = match (columns.first(), columns.last()) {
        (Some(f), Some(l)) => (iso(*f), iso(l.next_day().unwrap_or(*l))),
        _ => (String::new(), String::new()),
    };
    let (f, t) = (from.clone(), to.clone());
    let (weekly, hours, devices) = store
        .read(move |r| {
            Ok((
                r.usage_weeks(&f, &t)?,
                r.usage_keyed(UsageKind::Hours, &f, &t)?,
                r.usage_keyed(UsageKind::Devices, &f, &t)?,
            ))
        })
        .await?;
    let mut visits_by_service = Grid::new(columns.clone());
    let mut visitors_by_profile = Grid::new(columns);
    for w in &weekly {
        let Some(week) = parse_iso(&w.week) else {
            continue;
        };
        if w.service == WHOLE_ENT {
            visitors_by_profile.add(week, &w.profile, w.visitors);
        } else {
            visits_by_service.add(week, &w.service, w.visits);
        }
    }
    visits_by_service.order_keys_by_total();
    visitors_by_profile.order_keys_by(profile_rank);
    // A profile with fewer people than can be shown in every week (the direction, the
    // documentaliste) has its hours and devices put with the other small ones: « 1 of the 2
    // of the direction comes at 23 h on a tablet » must not be readable.
    let big: std::collections::HashSet<String> = visitors_by_profile
        .keys
        .iter()
        .filter(|k| {
            visitors_by_profile
                .row(k)
                .iter()
                .any(|v| *v >= super::grid::MIN_SHOWN)
        })
        .cloned()
        .collect();
    let group = |p: &str| -> String {
        if big.contains(p) {
            p.to_owned()
        } else {
            SMALL_PROFILES.to_owned()
        }
    };
    let mut by_hour = Grid::new((0..24).collect());
    for h in &hours {
        if let Ok(hour) = h.key.parse::<u8>() {
            by_hour.add(hour, &group(&h.profile), h.visits);
        }
    }
    by_hour.order_keys_by(profile_rank);
    let mut profiles: Vec<String> = devices.iter().map(|d| group(&d.profile)).collect();
    profiles.sort_by_key(|p| profile_rank(p));
    profiles.dedup();
    let mut by_device = Grid::new(profiles);
    for d in &devices {
        by_device.add(group(&d.profile), &d.key, d.visits);
    }
    by_device.order_keys_by(|k| {
        Device::parse(k)
            .and_then(|d| Device::ALL.iter().position(|x| *x == d))
            .unwrap_or(Device::ALL.len())
    });
    Ok(YearUsage {
        annee,
        visits_by_service,
        visitors_by_profile,
        hours: by_hour,
        devices: by_device,
        rows: weekly,
    })
}

/// Active accounts of a profile, and how many have signed in at least once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accounts {
    pub profile: Profile,
    pub active: usize,
    pub signed_in: usize,
}

impl Accounts {
    pub fn never(&self) -> usize {
        self.active - self.signed_in
    }
}

/// Accounts per profile, parents first (those the ENT most needs to reach). Reads the
/// annuaire a thousand people at a time.
pub async fn accounts(dir: &impl DirectoryRead) -> Result<Vec<Accounts>> {
    let mut order = Profile::ALL.to_vec();
    order.sort_by_key(|p| (*p != Profile::Responsable, profile_rank(p.as_str())));
    let mut out = Vec::new();
    for profile in order {
        let people = crate::directory::everyone(
            dir,
            PersonQuery {
                profile: Some(profile),
                ..Default::default()
            },
        )
        .await?;
        let a = Accounts {
            profile,
            active: people.len(),
            signed_in: people.iter().filter(|p| p.last_login.is_some()).count(),
        };
        if a.active > 0 {
            out.push(a);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[tokio::test]
    async fn accounts_past_their_time_are_shown_while_read_again() {
        use std::sync::Arc;

        use crate::clock::SystemClock;
        use crate::config::DirectoryConfig;
        use crate::directory::AnyDirectory;

        let tmp = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&tmp.path().join("s.sqlite"))
            .await
            .unwrap();
        let dir =
            AnyDirectory::from_config(&DirectoryConfig::Embedded, store, Arc::new(SystemClock))
                .await
                .unwrap();
        let cache = super::AccountsCache::default();
        let first = cache.get(&dir, 1_000).await.unwrap();
        assert_eq!(first.at, 1_000);
        // Within its time: the same.
        assert_eq!(cache.get(&dir, 1_100).await.unwrap().at, 1_000);
        // Past it: still the kept one at once, a fresh one soon after.
        let late = 1_000 + super::ACCOUNTS_KEPT_SECS;
        assert_eq!(cache.get(&dir, late).await.unwrap().at, 1_000);
        for _ in 0..100 {
            if cache.get(&dir, late).await.unwrap().at == late {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("never read again");
    }

    #[test]
    fn the_weeks_of_a_year_so_far() {
        let w = super::weeks(2026, date!(2026 - 09 - 16));
        assert_eq!(
            w,
            vec![
                date!(2026 - 08 - 31),
                date!(2026 - 09 - 07),
                date!(2026 - 09 - 14)
            ]
        );
        assert_eq!(super::weeks(2025, date!(2026 - 12 - 01)).len(), 52);
        // A year starting on a Friday: its first week is the next one.
        assert_eq!(
            super::weeks(2028, date!(2028 - 12 - 01))[0],
            date!(2028 - 09 - 04)
        );
    }
}

/// A class's pupils and their parents: how many, and how many have signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassAccounts {
    pub code: String,
    pub label: String,
    pub pupils: usize,
    pub pupils_in: usize,
    pub parents: usize,
    pub parents_in: usize,
}

/// Every class with its pupils' and parents' accounts (active ones). A parent of two
/// pupils of the class counts once; of pupils in two classes, in each.
pub async fn accounts_by_class(dir: &impl DirectoryRead) -> Result<Vec<ClassAccounts>> {
    use std::collections::HashMap;
    // Each parent read once: active and signed in, active and never, or not active (None).
    let mut seen: HashMap<String, Option<bool>> = HashMap::new();
    let mut out = Vec::new();
    let mut classes = dir.classes().await?;
    classes.sort_by(|a, b| crate::collation::compare(&a.label, &b.label));
    for class in classes {
        let mut row = ClassAccounts {
            code: class.code.to_string(),
            label: class.label.clone(),
            pupils: 0,
            pupils_in: 0,
            parents: 0,
            parents_in: 0,
        };
        let mut parents: HashMap<String, bool> = HashMap::new();
        let pupils = crate::directory::everyone(
            dir,
            PersonQuery {
                profile: Some(Profile::Eleve),
                class: Some(class.code.clone()),
                ..Default::default()
            },
        )
        .await?;
        for pupil in &pupils {
            row.pupils += 1;
            row.pupils_in += usize::from(pupil.last_login.is_some());
            for r in dir.relations(&pupil.login).await?.parents {
                let key = r.login.to_string();
                let state = match seen.get(&key) {
                    Some(s) => *s,
                    None => {
                        let s = dir
                            .person(&r.login)
                            .await?
                            .filter(|p| p.state == AccountState::Active)
                            .map(|p| p.last_login.is_some());
                        seen.insert(key.clone(), s);
                        s
                    }
                };
                let Some(signed_in) = state else {
                    continue;
                };
                parents.insert(key, signed_in);
            }
        }
        row.parents = parents.len();
        row.parents_in = parents.values().filter(|s| **s).count();
        out.push(row);
    }
    Ok(out)
}

/// Accounts by profile and by class, kept a few minutes: reading them walks the whole
/// annuaire (each pupil's parents: 3.7 s for a cité scolaire on OpenLDAP), too much for every
/// view of the page. Past their time, the kept figures are still shown while a fresh read
/// runs in the background; only the very first view waits.
#[derive(Clone, Default)]
pub struct AccountsCache {
    kept: Arc<std::sync::Mutex<Option<KeptAccounts>>>,
    /// Held by the one read going on.
    reading: Arc<tokio::sync::Mutex<()>>,
}

/// What the cache keeps, with when it was read (unix seconds).
#[derive(Debug, Clone)]
pub struct KeptAccounts {
    pub at: i64,
    pub by_profile: Vec<Accounts>,
    pub by_class: Vec<ClassAccounts>,
}

/// How long accounts read from the annuaire are shown before being read again.
pub const ACCOUNTS_KEPT_SECS: i64 = 600;

async fn read_accounts(dir: &AnyDirectory, now: i64) -> Result<KeptAccounts> {
    Ok(KeptAccounts {
        at: now,
        by_profile: accounts(dir).await?,
        by_class: accounts_by_class(dir).await?,
    })
}

impl AccountsCache {
    fn kept(&self) -> Option<KeptAccounts> {
        self.kept.lock().ok().and_then(|k| k.clone())
    }

    fn keep(&self, k: &KeptAccounts) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(k.clone());
        }
    }

    /// The accounts: as kept, read again in the background when older than
    /// [`ACCOUNTS_KEPT_SECS`]; read now (one reader at a time) when nothing is kept.
    pub async fn get(&self, dir: &AnyDirectory, now: i64) -> Result<KeptAccounts> {
        if let Some(k) = self.kept() {
            if now - k.at >= ACCOUNTS_KEPT_SECS
                && let Ok(guard) = self.reading.clone().try_lock_owned()
            {
                let (me, dir) = (self.clone(), dir.clone());
                tokio::spawn(async move {
                    let _one = guard;
                    match read_accounts(&dir, now).await {
                        Ok(fresh) => me.keep(&fresh),
                        Err(e) => tracing::warn!("comptes pour les usages : {e}"),
                    }
                });
            }
            return Ok(k);
        }
        let _one = self.reading.lock().await;
        if let Some(k) = self.kept() {
            return Ok(k);
        }
        let fresh = read_accounts(dir, now).await?;
        self.keep(&fresh);
        Ok(fresh)
    }
}
