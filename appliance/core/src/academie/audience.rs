//! Visits and distinct users per day, service and profile (sent to the académie), and per
//! week, hour and device (kept for the établissement's charts). A user is stored as a keyed
//! hash of (day, login) or (week, login) — the key is a secret of the installation — so the
//! tables count people without naming them, and one person cannot be followed from one day,
//! or one week, to the next.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::Result;
use crate::directory::Profile;
use crate::store::{Store, UsageKind};
use crate::usage::Device;

/// Service names of the national audience measurement that cartable counts under.
pub mod service {
    pub const ACCUEIL: &str = "accueil";
    pub const CAHIER_TEXTES: &str = "cahier_textes";
    pub const ABSENCES: &str = "absences";
    pub const NOTES: &str = "notes";
    pub const STOCKAGE: &str = "stockage_partage";
    pub const MESSAGERIE: &str = "courrier_electronique";
}

/// Days of detail kept once reported: enough for a week without the académie, and more.
pub const KEEP_DAYS: i64 = 40;

const SECRET_KEY: &str = "audience.secret";

/// `AAAA-MM-JJ`, the day in France (a visit at 00:30 in Paris is of that day).
pub fn day_of(t: time::OffsetDateTime) -> String {
    crate::dates::iso(crate::dates::today_in_france(t))
}

/// One line of a day's figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayFigure {
    pub service: String,
    pub profil: String,
    pub visites: i64,
    pub visiteurs: i64,
}

/// One page view, as counted.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'a> {
    pub at: time::OffsetDateTime,
    pub service: &'static str,
    pub profile: Profile,
    pub login: &'a str,
    pub device: Device,
}

/// Visits counted in memory and written in one transaction at each flush (the daemon flushes
/// every 30 s and when it stops): a page view costs no disk write. A crash loses at most the
/// visits since the last flush — usage figures, not anyone's data.
#[derive(Default)]
struct Pending {
    /// (day, service, profile, login) → visits.
    days: HashMap<(String, &'static str, &'static str, String), i64>,
    /// (week, hour in France, profile) → visits.
    hours: HashMap<(String, u8, &'static str), i64>,
    /// (week, device, profile) → visits.
    devices: HashMap<(String, Device, &'static str), i64>,
}

#[derive(Clone, Default)]
pub struct Audience {
    pending: Arc<Mutex<Pending>>,
}

/// The service name of the ENT as a whole in the weekly figures.
pub const WHOLE_ENT: &str = "";

fn keyed(secret: &str, scope: &[u8], period: &str, login: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(secret.as_bytes())
        .chain_update([0])
        .chain_update(scope)
        .chain_update(period.as_bytes())
        .chain_update([0])
        .chain_update(login.as_bytes())
        .finalize()
        .into()
}

impl Audience {
    /// Counts one visit.
    pub fn count(&self, v: Visit<'_>) {
        let local = crate::dates::in_france(v.at);
        let day = crate::dates::iso(local.date());
        let week = crate::dates::iso(crate::dates::monday_of(local.date()));
        let profile = v.profile.as_str();
        if let Ok(mut p) = self.pending.lock() {
            *p.days
                .entry((day, v.service, profile, v.login.to_owned()))
                .or_default() += 1;
            *p.hours
                .entry((week.clone(), local.hour(), profile))
                .or_default() += 1;
            *p.devices.entry((week, v.device, profile)).or_default() += 1;
        }
    }

    /// Writes what was counted; returns how many (day, service, profile, person) lines.
    pub async fn flush(&self, store: &Store) -> Result<usize> {
        let taken = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Ok(0),
        };
        if taken.days.is_empty() && taken.hours.is_empty() {
            return Ok(0);
        }
        let n = taken.days.len();
        // No page kept by a cache shows these counts (the usage pages read them each time):
        // written without moving the store's generation, so the flush every half minute of
        // 8:00 does not empty every portal's kept tiles. Without an `fsync` when alone, like
        // sign-ins: a power cut may lose the last flush, as a crash loses what is not yet
        // flushed.
        store
            .write_volatile(move |w| {
                let secret = match w.meta(SECRET_KEY)? {
                    Some(s) => s,
                    None => {
                        let s = crate::auth::password::generate_readable(&mut rand::rng(), 32);
                        w.set_meta(SECRET_KEY, &s)?;
                        s
                    }
                };
                let mut newest_week = String::new();
                for ((day, service, profile, login), visits) in taken.days {
                    // The day's user the académie's figures count; the week's, the
                    // établissement's charts: two keyed hashes, neither linking two periods.
                    let user = Sha256::new()
                        .chain_update(secret.as_bytes())
                        .chain_update([0])
                        .chain_update(day.as_bytes())
                        .chain_update([0])
                        .chain_update(login.as_bytes())
                        .finalize();
                    w.add_visits(&day, service, profile, &user, visits)?;
                    let Some(week) = crate::dates::parse_iso(&day)
                        .map(|d| crate::dates::iso(crate::dates::monday_of(d)))
                    else {
                        continue;
                    };
                    let weekly = keyed(&secret, b"semaine\0", &week, &login);
                    for s in [service, WHOLE_ENT] {
                        w.add_week_visits(&week, s, profile, visits)?;
                        w.add_week_user(&week, s, profile, &weekly)?;
                    }
                    if week > newest_week {
                        newest_week = week;
                    }
                }
                for ((week, hour, profile), visits) in taken.hours {
                    let hour = hour.to_string();
                    w.add_keyed_visits(UsageKind::Hours, &week, &hour, profile, visits)?;
                }
                for ((week, device, profile), visits) in taken.devices {
                    let device = device.as_str();
                    w.add_keyed_visits(UsageKind::Devices, &week, device, profile, visits)?;
                }
                // Weeks before the newest one counted are over: their people are counted
                // and dropped.
                if !newest_week.is_empty() {
                    w.fold_usage_weeks(&newest_week)?;
                }
                Ok(())
            })
            .await?;
        Ok(n)
    }
}

/// The figures of one day.
pub async fn figures(store: &Store, day: &str) -> Result<Vec<DayFigure>> {
    let day = day.to_owned();
    store.read(move |r| r.day_figures(&day)).await
}

/// Days before `today` that have figures.
pub async fn days_before(store: &Store, today: &str) -> Result<Vec<String>> {
    let today = today.to_owned();
    store.read(move |r| r.audience_days_before(&today)).await
}
