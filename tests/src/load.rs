//! Load for the benches: clients in parallel for a while, each timing its attempts; raw LDAP
//! simple binds on open connections, the limit a sign-in backed by slapd is measured against.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::directory::{Change, Login, NewPerson, Profile, Structure, Uai};

/// Logins and passwords.
pub type Credentials = Vec<(String, String)>;

/// What a run measured: the latency of each success, the failures, how long it ran.
#[derive(Default)]
pub struct Figures {
    pub latencies: Vec<Duration>,
    pub errors: usize,
    pub elapsed: Duration,
}

impl Figures {
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `p` percentile (0.99), in milliseconds.
    pub fn pct(&mut self, p: f64) -> f64 {
        crate::bench::pct(&mut self.latencies, p)
    }

    /// One line: `name`, rate in `unit`/s, p50, p99, successes and failures.
    pub fn line(&mut self, name: &str, unit: &str) -> String {
        format!(
            "{name:<52} {:>8.1} {unit}/s   p50 {:>7.1} ms   p99 {:>7.1} ms   ({} ok, {} échecs)",
            self.rate(),
            self.pct(0.5),
            self.pct(0.99),
            self.latencies.len(),
            self.errors
        )
    }
}

/// Runs `clients` tasks for `secs` seconds, each calling `attempt` on the next credentials
/// (client `c` takes `c`, `c + clients`, …); `attempt` says whether it succeeded.
pub async fn measure<S, F, Fut>(
    creds: Arc<Credentials>,
    clients: usize,
    secs: f64,
    setup: impl Fn() -> S,
    attempt: F,
) -> Figures
where
    S: Send + 'static,
    F: Fn(S, String, String) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = (S, bool)> + Send,
{
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (creds, attempt, mut state) = (Arc::clone(&creds), attempt.clone(), setup());
            tokio::spawn(async move {
                let (mut lat, mut errors, mut i) = (Vec::new(), 0, c);
                while Instant::now() < deadline && !creds.is_empty() {
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
    let mut f = Figures {
        latencies: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        if let Ok((lat, errors)) = t.await {
            f.latencies.extend(lat);
            f.errors += errors;
        }
    }
    f.elapsed = started.elapsed();
    f
}

/// Simple binds as the accounts (`dn` gives an account's DN from its login), one connection
/// per client opened before the clock starts.
pub async fn raw_binds(
    url: &str,
    dn: fn(&str) -> String,
    creds: Arc<Credentials>,
    clients: usize,
    secs: f64,
) -> Figures {
    let mut conns = Vec::new();
    for _ in 0..clients {
        if let Ok((conn, ldap)) = ldap3::LdapConnAsync::new(url).await {
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
        move |ldap, l, p| async move {
            let Some(mut ldap) = ldap else {
                return (None, false);
            };
            let ok = matches!(ldap.simple_bind(&dn(&l), &p).await, Ok(r) if r.rc == 0);
            (Some(ldap), ok)
        },
    )
    .await
}

/// `n` pupils named `prefix.NNNN`, their passwords hashed by `hash`.
pub fn pupils(
    prefix: &str,
    n: usize,
    hash: fn(&str) -> cartable_core::Result<String>,
) -> Result<(Vec<Change>, Credentials), Box<dyn std::error::Error + Send + Sync>> {
    let uai = Uai::parse("0860002B")?;
    let mut changes = vec![Change::UpsertStructure(Structure {
        uai: uai.clone(),
        name: "Collège du banc d'essai".into(),
        kind: "CLG".into(),
    })];
    let mut creds = Vec::new();
    for i in 0..n {
        let login = format!("{prefix}.{i:04}");
        let pw = format!("Banc-{i:04}-{prefix}");
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
                password_hash: Some(hash(&pw)?),
                nt_hash: None,
                must_change_password: false,
            },
        });
        creds.push((login, pw));
    }
    Ok((changes, creds))
}
