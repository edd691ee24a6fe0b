//! On-demand benchmark of the usage page's reads (not run in CI):
//!
//!     cargo bench -p cartable-tests --bench usages
//!
//! A generated cité scolaire (3,000 pupils, 5,000 responsables, 250 staff by default;
//! `BENCH_PUPILS` scales it), imported through cartable into a real slapd and into the
//! embedded directory, and a school year of visits counted (every pupil and two parents in
//! five, each school week). Times, side by side on both directories: the flush that writes
//! the year's visits, the year's figures read from the store, and the accounts by profile and
//! by class (which reads every pupil's parents) — what `/usages` does once every ten minutes
//! at most (`AccountsCache`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::academie::audience::{Audience, Visit, service};
use cartable_core::accounts::Accounts;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::{AccountsConfig, DirectoryConfig};
use cartable_core::directory::{AnyDirectory, Profile};
use cartable_core::feed::aaf;
use cartable_core::feed::import::ImportOptions;
use cartable_core::store::Store;
use cartable_core::usage::{Device, report};
use cartable_tests::import_load::{accounts_on_slapd, generate};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn timed<T, F, Fut>(runs: usize, mut f: F) -> Result<(Duration, Duration, T), BoxError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = cartable_core::Result<T>>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await?);
        times.push(t.elapsed());
    }
    let max = times.iter().copied().max().unwrap_or_default();
    Ok((median(times), max, last.ok_or("no run")?))
}

async fn accounts_reads(name: &str, dir: &AnyDirectory) -> Result<(), BoxError> {
    let (p50, max, by_profile) = timed(3, || report::accounts(dir)).await?;
    let active: usize = by_profile.iter().map(|a| a.active).sum();
    println!(
        "{name:<10} accounts by profile    p50 {:>7.1} ms  max {:>7.1} ms  ({active} active accounts)",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
    let (p50, max, by_class) = timed(3, || report::accounts_by_class(dir)).await?;
    let parents: usize = by_class.iter().map(|c| c.parents).sum();
    println!(
        "{name:<10} accounts by class      p50 {:>7.1} ms  max {:>7.1} ms  ({} classes, {parents} parent links)",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        by_class.len()
    );
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), BoxError> {
    let pupils = cartable_tests::bench::env("BENCH_PUPILS", 3000);
    let tmp = tempfile::tempdir()?;
    let complet = tmp.path().join("complet");
    std::fs::create_dir_all(&complet)?;
    let people = generate(&complet, pupils)?;
    let feed = aaf::read_dir(&complet, None)?;
    println!("cité scolaire: {people} people ({pupils} pupils)");

    let (_slapd, on_ldap) = accounts_on_slapd(tmp.path()).await?;
    on_ldap.import_aaf(&feed, &ImportOptions::default()).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let store = Store::open(&tmp.path().join("embedded.sqlite")).await?;
    let embedded =
        AnyDirectory::from_config(&DirectoryConfig::Embedded, store.clone(), clock.clone()).await?;
    let on_embedded = Accounts::new(embedded, store.clone(), clock, AccountsConfig::default());
    on_embedded
        .import_aaf(&feed, &ImportOptions::default())
        .await?;

    // A school year of visits: every pupil on Monday, two parents in five on Thursday.
    let weeks = report::weeks(2025, time::macros::date!(2026 - 08 - 31));
    let audience = Audience::default();
    let mut visits = 0usize;
    for monday in &weeks {
        let at = |days: i64, h: u16| {
            cartable_core::dates::instant_in_france(*monday + time::Duration::days(days), h * 60)
                .unwrap_or_else(|| monday.midnight().assume_utc())
        };
        for i in 0..pupils {
            let login = format!("eleve.{i}");
            for s in [service::ACCUEIL, service::CAHIER_TEXTES] {
                audience.count(Visit {
                    at: at(0, 8),
                    service: s,
                    profile: Profile::Eleve,
                    login: &login,
                    device: Device::Ordinateur,
                });
                visits += 1;
            }
        }
        for i in 0..(pupils * 5 / 3) * 2 / 5 {
            audience.count(Visit {
                at: at(3, 20),
                service: service::NOTES,
                profile: Profile::Responsable,
                login: &format!("parent.{i}"),
                device: Device::Telephone,
            });
            visits += 1;
        }
    }
    let t = Instant::now();
    let lines = audience.flush(&store).await?;
    println!(
        "a year of visits written: {visits} visits, {lines} (day, service, profile, person) lines in {:.1} s (in one flush; the service flushes every 30 s)",
        t.elapsed().as_secs_f64()
    );
    let today = time::macros::date!(2026 - 08 - 31);
    let (p50, max, year) = timed(10, || report::year(&store, 2025, today)).await?;
    println!(
        "year figures (store)             p50 {:>7.1} ms  max {:>7.1} ms  ({} weeks, {} weekly lines)",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        year.visitors_by_profile.columns.len(),
        year.rows.len()
    );
    accounts_reads("embedded", on_embedded.directory()).await?;
    accounts_reads("OpenLDAP", on_ldap.directory()).await?;
    Ok(())
}
