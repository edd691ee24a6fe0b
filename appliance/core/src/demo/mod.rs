//! The demo établissement: a fictional collège, deterministic from a fixed seed, seeded once
//! into an empty directory. Its logins and passwords are written to `demo-accounts.csv`.

mod documents;
mod names;
mod plan;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use documents::seed as seed_documents;
pub use plan::{DemoAccount, DemoIdentity, DemoPlan, plan, plan_for};

use crate::accounts::Accounts;
use crate::auth::password;
use crate::directory::{Change, DirectoryRead};
use crate::error::blocking;
use crate::store::Store;
use crate::{Error, Result};

/// The connected services the demo declares, so that their portal tiles and the console's
/// « Services » page can be seen. Their addresses are fictitious (`.invalid` never resolves):
/// a configured établissement puts its own there.
pub fn cas_services() -> Vec<crate::config::CasService> {
    use crate::config::{CasService, PRONOTE_ATTRIBUTES};
    use crate::directory::Profile;
    vec![
        CasService {
            name: "Pronote".into(),
            url: "https://pronote.college-les-tilleuls.invalid/pronote/".into(),
            proxy_callback: None,
            attributes: PRONOTE_ATTRIBUTES.iter().map(|a| (*a).to_owned()).collect(),
            proxy: false,
            profiles: vec![
                Profile::Eleve,
                Profile::Responsable,
                Profile::Enseignant,
                Profile::Direction,
                Profile::VieScolaire,
            ],
        },
        CasService {
            name: "Moodle".into(),
            url: "https://moodle.college-les-tilleuls.invalid/".into(),
            proxy_callback: None,
            attributes: ["uid", "nom", "prenom", "profil", "classes"]
                .iter()
                .map(|a| (*a).to_owned())
                .collect(),
            proxy: false,
            profiles: vec![Profile::Eleve, Profile::Enseignant],
        },
    ]
}

/// The demo's school holidays for the school year under way: Toussaint and Noël as the
/// national calendar sets them (from a Saturday, sixteen days), the same in every zone — except
/// one around today, so that the demo always shows a school in session.
pub async fn seed_calendar(store: &Store, today: time::Date) -> Result<()> {
    use time::{Date, Duration, Month, Weekday};
    let year = if today.month() as u8 >= Month::September as u8 {
        today.year()
    } else {
        today.year() - 1
    };
    let saturday_from = |month: Month, day: u8| -> Option<Date> {
        let mut d = Date::from_calendar_date(year, month, day).ok()?;
        while d.weekday() != Weekday::Saturday {
            d += Duration::days(1);
        }
        Some(d)
    };
    let periods: Vec<(&str, Date)> = [
        (
            "Vacances de la Toussaint",
            saturday_from(Month::October, 17),
        ),
        ("Vacances de Noël", saturday_from(Month::December, 17)),
    ]
    .into_iter()
    .filter_map(|(n, d)| Some((n, d?)))
    .collect();
    // The demo is a school in session: a period around today's week is left out (a demo
    // started during the holidays still shows its timetable and its work to do).
    let periods: Vec<(&str, Date)> = periods
        .into_iter()
        .filter(|(_, first)| {
            !(*first - Duration::days(7) <= today && today <= *first + Duration::days(22))
        })
        .collect();
    store
        .write(move |w| {
            for (name, first) in &periods {
                w.add_holiday(name, *first, *first + Duration::days(15))?;
            }
            Ok(())
        })
        .await
}

/// Meta key set once the demo is in the directory.
const SEEDED_KEY: &str = "demo.seeded";
/// File listing the demo logins, under the data directory.
pub const ACCOUNTS_FILE: &str = "demo-accounts.csv";

/// What [`ensure_seeded`] did.
#[derive(Debug)]
pub struct SeedReport {
    /// False when the data directory already held the demo.
    pub seeded_now: bool,
    pub accounts_file: PathBuf,
    pub plan: DemoPlan,
}

/// Seeds the demo collège unless it is already there; always leaves the accounts file.
pub async fn ensure_seeded(
    store: &Store,
    accounts: &Accounts,
    data_dir: &Path,
    identity: &DemoIdentity,
) -> Result<SeedReport> {
    let directory = accounts.directory();
    let plan = plan_for(identity);
    let accounts_file = data_dir.join(ACCOUNTS_FILE);
    let marked = store.read(|r| r.meta(SEEDED_KEY)).await?.is_some();
    // A batch is applied atomically, so the structure being there means all of it is.
    let present = directory
        .structure()
        .await?
        .is_some_and(|s| s.uai == plan.structure.uai);
    let seeded_now = !(marked || present);

    if seeded_now {
        let mut changes = plan.changes.clone();
        hash_passwords(&mut changes, &plan.accounts).await?;
        write_accounts_file(&accounts_file, &plan.accounts).await?;
        accounts.apply("demo", changes).await?;
        tracing::info!(accounts = plan.accounts.len(), "demo établissement seeded");
    } else if !accounts_file.exists() {
        write_accounts_file(&accounts_file, &plan.accounts).await?;
    }
    if !marked {
        store.write(|w| w.set_meta(SEEDED_KEY, "1")).await?;
    }
    Ok(SeedReport {
        seeded_now,
        accounts_file,
        plan,
    })
}

/// Fills in the password hashes of the planned people, using every core.
async fn hash_passwords(changes: &mut [Change], accounts: &[DemoAccount]) -> Result<()> {
    let hashes = password::hash_many(accounts.iter().map(|a| a.password.clone()).collect()).await?;
    let mut by_login: std::collections::HashMap<&str, String> = accounts
        .iter()
        .map(|a| a.login.as_str())
        .zip(hashes)
        .collect();
    for change in changes.iter_mut() {
        if let Change::CreatePerson { person, .. } = change {
            person.password_hash = Some(by_login.remove(person.login.as_str()).ok_or_else(
                || Error::Invalid {
                    field: "demo",
                    reason: format!("no password planned for {}", person.login),
                },
            )?);
        }
    }
    Ok(())
}

/// Writes `login;password;profil;classe` atomically (temporary file, fsync, rename), readable
/// by its owner only.
async fn write_accounts_file(path: &Path, accounts: &[DemoAccount]) -> Result<()> {
    let mut text = String::from("login;password;profil;classe\n");
    for a in accounts {
        text.push_str(&format!(
            "{};{};{};{}\n",
            a.login,
            a.password,
            a.profile.as_str(),
            a.classe
        ));
    }
    let path = path.to_owned();
    blocking(move || {
        let tmp = path.with_extension("csv.tmp");
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(text.as_bytes())
            .map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        Ok(())
    })
    .await
}

const AUDIENCE_KEY: &str = "demo.audience";

/// A year and a term of made-up visits — each school day since 1 September of last year, each demo account coming or
/// not, to the services its profile uses — so that the académie's hub and the usage charts have
/// something to show. Once per demo. Returns the lines written.
pub async fn seed_audience(store: &Store, plan: &DemoPlan, today: time::Date) -> Result<usize> {
    use crate::academie::audience::{Audience, Visit, service};
    use crate::directory::Profile;
    use crate::usage::Device;
    use rand::{Rng, SeedableRng};
    if store.read(|r| r.meta(AUDIENCE_KEY)).await?.is_some() {
        return Ok(0);
    }
    // The last school year whole, and this one so far: a year of charts to look at.
    let year = crate::usage::year::school_year(today) - 1;
    let mut day = time::Date::from_calendar_date(year, time::Month::September, 1)
        .map_err(|e| crate::Error::Task(e.to_string()))?;
    // Holidays (about the dates of zone A) and summer: hardly anyone.
    let season = |d: time::Date| -> f64 {
        let (m, n) = (d.month() as u8, d.day());
        let off = matches!(m, 7 | 8)
            || (m == 10 && n >= 19)
            || (m == 11 && n == 1)
            || (m == 12 && n >= 20)
            || (m == 1 && n <= 3)
            || (m == 2 && n >= 14)
            || (m == 3 && n == 1)
            || (m == 4 && (12..=26).contains(&n));
        if off { 0.05 } else { 1.0 }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20260901);
    let audience = Audience::default();
    // Who came, and when last: their accounts show a last sign-in, as on a real server.
    let mut last_seen = std::collections::HashMap::new();
    // Some never come: a third of the parents, a few pupils.
    let never: std::collections::HashSet<&str> = plan
        .accounts
        .iter()
        .filter(|a| {
            let share = match a.profile {
                Profile::Responsable => 0.35,
                Profile::Eleve => 0.06,
                _ => 0.0,
            };
            rng.random::<f64>() < share
        })
        .map(|a| a.login.as_str())
        .collect();
    while day < today {
        let weekday = day.weekday().number_from_monday();
        // Weekdays; fewer on Wednesdays (no lessons in the afternoon).
        let busy = match weekday {
            6 | 7 => 0.0,
            3 => 0.6,
            _ => 1.0,
        } * season(day);
        let in_paris = |d: time::Date, h: u8| {
            crate::dates::instant_in_france(d, u16::from(h) * 60 + 10)
                .unwrap_or_else(|| d.midnight().assume_utc())
        };
        for a in &plan.accounts {
            let (come, services): (f64, &[(&'static str, f64)]) = match a.profile {
                Profile::Eleve => (
                    0.55,
                    &[
                        (service::CAHIER_TEXTES, 0.6),
                        (service::NOTES, 0.3),
                        (service::STOCKAGE, 0.2),
                    ],
                ),
                Profile::Responsable => (0.22, &[(service::ABSENCES, 0.4), (service::NOTES, 0.6)]),
                Profile::Enseignant => (
                    0.9,
                    &[
                        (service::CAHIER_TEXTES, 0.8),
                        (service::ABSENCES, 0.7),
                        (service::MESSAGERIE, 0.4),
                    ],
                ),
                _ => (0.8, &[(service::ABSENCES, 0.5), (service::MESSAGERIE, 0.5)]),
            };
            if rng.random::<f64>() >= come * busy || never.contains(a.login.as_str()) {
                continue;
            }
            // When they come, and from what: pupils before school, at lunch and after it;
            // parents in the evening, mostly on a phone; staff at school, on a computer.
            let (hours, phone): (&[(u8, f64)], f64) = match a.profile {
                Profile::Eleve => (
                    &[(7, 0.25), (12, 0.15), (17, 0.3), (19, 0.2), (21, 0.1)],
                    0.55,
                ),
                Profile::Responsable => (
                    &[(7, 0.1), (12, 0.1), (18, 0.25), (20, 0.4), (21, 0.15)],
                    0.75,
                ),
                _ => (
                    &[(7, 0.3), (8, 0.2), (12, 0.15), (17, 0.2), (20, 0.15)],
                    0.15,
                ),
            };
            let mut pick = rng.random::<f64>();
            let hour = hours
                .iter()
                .find(|(_, p)| {
                    pick -= p;
                    pick < 0.0
                })
                .map_or(17, |(h, _)| *h);
            let at = in_paris(day, hour);
            let device = if rng.random::<f64>() < phone {
                Device::Telephone
            } else if rng.random::<f64>() < 0.1 {
                Device::Tablette
            } else {
                Device::Ordinateur
            };
            let visit = |service| Visit {
                at,
                service,
                profile: a.profile,
                login: a.login.as_str(),
                device,
            };
            audience.count(visit(service::ACCUEIL));
            last_seen.insert(a.login.clone(), at.unix_timestamp());
            for (s, p) in services {
                if rng.random::<f64>() < *p {
                    audience.count(visit(s));
                }
            }
        }
        day = day.next_day().unwrap_or(today);
    }
    let n = audience.flush(store).await?;
    store
        .write(move |w| {
            for (login, at) in &last_seen {
                w.record_login_of(login, *at)?;
            }
            w.set_meta(AUDIENCE_KEY, "1")
        })
        .await?;
    Ok(n)
}
