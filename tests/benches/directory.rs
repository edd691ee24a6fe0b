//! On-demand directory benchmark (not run in CI):
//!
//!     cargo bench -p cartable-tests --bench directory
//!
//! Authentications per second and p50/p99 latency through the Directory on both backends
//! (embedded SQLite; OpenLDAP on a real slapd), and, against the same slapd with the same
//! accounts, raw simple binds on open connections — the limit the LDAP backend is measured
//! against. `BENCH_SECS` (default 10), `BENCH_CLIENTS` (default 8), `BENCH_ACCOUNTS`
//! (default 200) tune it.

use std::sync::Arc;

use cartable_core::auth::password;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, AuthOutcome, DirectoryAuth, DirectoryWrite};
use cartable_core::store::Store;
use cartable_tests::bench::env;
use cartable_tests::load::{Credentials, Figures, measure, pupils, raw_binds};
use cartable_tests::slapd::{BASE_DN, Slapd};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn through_directory(
    dir: AnyDirectory,
    creds: Arc<Credentials>,
    clients: usize,
    secs: u64,
) -> Figures {
    measure(
        creds,
        clients,
        secs as f64,
        move || dir.clone(),
        |dir, l, p| async move {
            let ok = matches!(dir.authenticate(&l, &p).await, Ok(AuthOutcome::Accepted(_)));
            (dir, ok)
        },
    )
    .await
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let secs = env("BENCH_SECS", 10) as u64;
    let clients = env("BENCH_CLIENTS", 8);
    let n = env("BENCH_ACCOUNTS", 200);
    let (changes, creds) =
        tokio::task::spawn_blocking(move || pupils("eleve", n, password::hash)).await??;
    let creds = Arc::new(creds);
    let clock: SharedClock = Arc::new(SystemClock);
    println!(
        "{n} accounts, {clients} concurrent clients, {secs} s per scenario (argon2id m=19 MiB t=2)"
    );

    let tmp = tempfile::tempdir()?;
    let store = Store::open(&tmp.path().join("bench.sqlite")).await?;
    let embedded =
        AnyDirectory::from_config(&DirectoryConfig::Embedded, store.clone(), clock.clone()).await?;
    embedded.apply(changes.clone()).await?;
    let mut embedded = through_directory(embedded, Arc::clone(&creds), clients, secs).await;
    println!("{}", embedded.line("Directory (embedded SQLite)", "auth"));

    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let ldap =
        AnyDirectory::from_config(&DirectoryConfig::Ldap(slapd.config()), store, clock).await?;
    ldap.apply(changes).await?;
    let mut through = through_directory(ldap, Arc::clone(&creds), clients, secs).await;
    println!("{}", through.line("Directory (OpenLDAP)", "auth"));
    let dn = |l: &str| format!("uid={l},ou=people,{BASE_DN}");
    let mut raw = raw_binds(&slapd.url, dn, creds, clients, secs as f64).await;
    println!("{}", raw.line("raw simple binds (same slapd)", "bind"));
    println!(
        "ratio Directory(OpenLDAP) / raw binds: {:.2}",
        through.rate() / raw.rate()
    );
    Ok(())
}
