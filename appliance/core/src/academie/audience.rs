//! Visits and distinct users per day, service and profile. A user is stored as a keyed hash
//! of (day, login) — the key is a secret of the installation — so the table counts people
//! without naming them, and one person cannot be followed from day to day.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::Result;
use crate::directory::Profile;
use crate::store::Store;

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

/// `AAAA-MM-JJ`.
pub fn day_of(t: time::OffsetDateTime) -> String {
    let d = t.date();
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// One line of a day's figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayFigure {
    pub service: String,
    pub profil: String,
    pub visites: i64,
    pub visiteurs: i64,
}

/// Visits counted in memory and written in one transaction at each flush (the daemon flushes
/// every 30 s and when it stops): a page view costs no disk write. A crash loses at most the
/// visits since the last flush — usage figures, not anyone's data.
/// (day, service, profile, login) → visits.
type Pending = HashMap<(String, &'static str, &'static str, String), i64>;

#[derive(Clone, Default)]
pub struct Audience {
    pending: Arc<Mutex<Pending>>,
}

impl Audience {
    /// Counts one visit of `login` (of `profile`) to `service` at `now`.
    pub fn count(
        &self,
        now: time::OffsetDateTime,
        service: &'static str,
        profile: Profile,
        login: &str,
    ) {
        if let Ok(mut p) = self.pending.lock() {
            *p.entry((day_of(now), service, profile.as_str(), login.to_owned()))
                .or_default() += 1;
        }
    }

    /// Writes what was counted; returns how many (day, service, profile, person) lines.
    pub async fn flush(&self, store: &Store) -> Result<usize> {
        let taken: Vec<_> = match self.pending.lock() {
            Ok(mut p) => p.drain().collect(),
            Err(_) => return Ok(0),
        };
        if taken.is_empty() {
            return Ok(0);
        }
        let n = taken.len();
        store
            .write(move |w| {
                let secret = match w.meta(SECRET_KEY)? {
                    Some(s) => s,
                    None => {
                        let s = crate::auth::password::generate_readable(&mut rand::rng(), 32);
                        w.set_meta(SECRET_KEY, &s)?;
                        s
                    }
                };
                for ((day, service, profile, login), visits) in taken {
                    let user = Sha256::new()
                        .chain_update(secret.as_bytes())
                        .chain_update([0])
                        .chain_update(day.as_bytes())
                        .chain_update([0])
                        .chain_update(login.as_bytes())
                        .finalize();
                    w.add_visits(&day, service, profile, &user, visits)?;
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
