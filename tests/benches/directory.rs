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
use std::time::{Duration, Instant};

use cartable_core::auth::password;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{
    AnyDirectory, AuthOutcome, Change, DirectoryAuth, DirectoryWrite, Login, NewPerson, Profile,
    Structure, Uai,
};
use cartable_core::store::Store;
use cartable_tests::bench::env;
use cartable_tests::slapd::{BASE_DN, Slapd};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Logins and passwords of the bench accounts.
type Credentials = Vec<(String, String)>;

fn people(n: usize) -> Result<(Vec<Change>, Credentials), BoxError> {
    let uai = Uai::parse("0860002B")?;
    let mut changes = vec![Change::UpsertStructure(Structure {
        uai: uai.clone(),
        name: "Collège du banc d'essai".into(),
        kind: "CLG".into(),
    })];
    let mut creds = Vec::new();
    for i in 0..n {
        let login = format!("eleve.{i:04}");
        let pw = format!("Banc-{i:04}-essai");
        changes.push(Change::CreatePerson {
            uai: Some(uai.clone()),
            person: NewPerson {
                login: Login::parse(&login)?,
                jointure: None,
                profile: Profile::Eleve,
                given_name: "Élève".into(),
                family_name: format!("BANC{i}"),
                email: None,
                birth_date: None,
                password_hash: Some(password::hash(&pw)?),
                nt_hash: None,
                must_change_password: false,
            },
        });
        creds.push((login, pw));
    }
    Ok((changes, creds))
}

struct Figures(Vec<Duration>, usize, Duration);

impl Figures {
    fn rate(&self) -> f64 {
        self.0.len() as f64 / self.2.as_secs_f64()
    }
    fn print(&mut self, name: &str) {
        self.0.sort_unstable();
        let pct = |p: f64| {
            let i = ((self.0.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.0.get(i).copied().unwrap_or_default().as_secs_f64() * 1e3
        };
        println!(
            "{name:<34} {:>8.1} auth/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} ok, {} errors)",
            self.rate(),
            pct(0.5),
            pct(0.99),
            self.0.len(),
            self.1
        );
    }
}

/// Runs `clients` tasks for `secs` seconds, each calling `attempt` on the next credentials;
/// `attempt` says whether the sign-in was accepted.
async fn measure<S, F, Fut>(
    creds: Arc<Credentials>,
    clients: usize,
    secs: u64,
    setup: impl Fn() -> S,
    attempt: F,
) -> Figures
where
    S: Send + 'static,
    F: Fn(S, String, String) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = (S, bool)> + Send,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (creds, attempt, mut state) = (Arc::clone(&creds), attempt.clone(), setup());
            tokio::spawn(async move {
                let (mut lat, mut errors, mut i) = (Vec::new(), 0, c);
                while Instant::now() < deadline {
                    let (l, p) = creds[i % creds.len()].clone();
                    i += clients;
                    let t = Instant::now();
                    let (s, ok) = attempt(state, l, p).await;
                    state = s;
                    if ok {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    collect(tasks, started).await
}

async fn through_directory(
    dir: AnyDirectory,
    creds: Arc<Credentials>,
    clients: usize,
    secs: u64,
) -> Figures {
    measure(
        creds,
        clients,
        secs,
        move || dir.clone(),
        |dir, l, p| async move {
            let ok = matches!(dir.authenticate(&l, &p).await, Ok(AuthOutcome::Accepted(_)));
            (dir, ok)
        },
    )
    .await
}

async fn raw_binds(url: String, creds: Arc<Credentials>, clients: usize, secs: u64) -> Figures {
    // One connection per client, opened before the clock starts.
    let mut conns = Vec::new();
    for _ in 0..clients {
        if let Ok((conn, ldap)) = ldap3::LdapConnAsync::new(&url).await {
            ldap3::drive!(conn);
            conns.push(ldap);
        }
    }
    let conns = std::sync::Mutex::new(conns);
    measure(
        creds,
        clients,
        secs,
        move || conns.lock().ok().and_then(|mut c| c.pop()),
        |ldap, l, p| async move {
            let Some(mut ldap) = ldap else {
                return (None, false);
            };
            let dn = format!("uid={l},ou=people,{BASE_DN}");
            let ok = matches!(ldap.simple_bind(&dn, &p).await, Ok(r) if r.rc == 0);
            (Some(ldap), ok)
        },
    )
    .await
}

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize)>>,
    started: Instant,
) -> Figures {
    let mut f = Figures(Vec::new(), 0, Duration::ZERO);
    for t in tasks {
        if let Ok((lat, errors)) = t.await {
            f.0.extend(lat);
            f.1 += errors;
        }
    }
    f.2 = started.elapsed();
    f
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let secs = env("BENCH_SECS", 10) as u64;
    let clients = env("BENCH_CLIENTS", 8);
    let n = env("BENCH_ACCOUNTS", 200);
    let (changes, creds) = tokio::task::spawn_blocking(move || people(n)).await??;
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
    through_directory(embedded, Arc::clone(&creds), clients, secs)
        .await
        .print("Directory (embedded SQLite)");

    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let ldap =
        AnyDirectory::from_config(&DirectoryConfig::Ldap(slapd.config()), store, clock).await?;
    ldap.apply(changes).await?;
    let mut through = through_directory(ldap, Arc::clone(&creds), clients, secs).await;
    through.print("Directory (OpenLDAP)");
    let mut raw = raw_binds(slapd.url.clone(), creds, clients, secs).await;
    raw.print("raw simple binds (same slapd)");
    println!(
        "ratio Directory(OpenLDAP) / raw binds: {:.2}",
        through.rate() / raw.rate()
    );
    Ok(())
}
