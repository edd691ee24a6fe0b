//! On-demand benchmark of the Samba AD domain (issue 19; not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench domain
//!
//! A real slapd and a real Samba AD controller (in a network namespace; as root). Measures,
//! in one run: the sample AAF feed imported into slapd alone, then into slapd and the domain
//! (passwords included), and the ENT's web sign-ins per second with p50/p99 — the service
//! without a domain, then the same service with the domain configured and the controller
//! running — so that the domain's cost on the 8:00 storm shows side by side.
//! `BENCH_SECS` (default 10) and `BENCH_CLIENTS` (default 32) tune the sign-ins.

use std::path::Path;
use std::time::{Duration, Instant};

use cartable_tests::bench::{env, pct};
use cartable_tests::daemon::{Daemon, binary};
use cartable_tests::http::{client, sign_in};
use cartable_tests::samba_ad::Dc;
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn config(dir: &Path, slapd: &Slapd, domain: Option<&Dc>) -> Result<std::path::PathBuf, BoxError> {
    let data = dir.join("var");
    let mut text = cartable_tests::daemon::base_config(&data);
    text.push_str(&format!(
        "[directory]\nbackend = \"ldap\"\nurl = \"{}\"\nbase_dn = \"{BASE_DN}\"\n\
         bind_dn = \"{ADMIN_DN}\"\nbind_password = \"{ADMIN_PASSWORD}\"\n",
        slapd.url
    ));
    if let Some(dc) = domain {
        text.push_str(&dc.site_section()?);
    }
    let path = dir.join("cartable.toml");
    std::fs::write(&path, text)?;
    Ok(path)
}

fn import(config: &Path) -> Result<Duration, BoxError> {
    let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample/complet");
    let started = Instant::now();
    let out = std::process::Command::new(binary()?)
        .args(["import", "--config"])
        .arg(config)
        .arg("aaf")
        .arg(feed)
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(started.elapsed())
}

/// Every (login, password) the import handed out.
fn passwords(dir: &Path) -> Result<Vec<(String, String)>, BoxError> {
    let mut out = Vec::new();
    for run in std::fs::read_dir(dir.join("var/imports"))? {
        if let Ok(text) = std::fs::read_to_string(run?.path().join("nouveaux-comptes.csv")) {
            for line in text.lines().skip(1) {
                let cols: Vec<&str> = line.split(';').collect();
                if let [login, password, ..] = cols[..] {
                    out.push((login.to_owned(), password.to_owned()));
                }
            }
        }
    }
    Ok(out)
}

/// Web sign-ins (the form, then the post) by `clients` at once for `secs`.
async fn storm(
    daemon: &Daemon,
    accounts: &[(String, String)],
    clients: usize,
    secs: u64,
) -> Result<(f64, f64, f64, usize), BoxError> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let (ca, url) = (daemon.ca(), daemon.url.clone());
        let mine: Vec<(String, String)> =
            accounts.iter().skip(i).step_by(clients).cloned().collect();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut k = 0;
            while Instant::now() < deadline && !mine.is_empty() {
                let (login, password) = &mine[k % mine.len()];
                k += 1;
                let Ok(c) = client(&ca) else { continue };
                let t = Instant::now();
                match sign_in(&c, &url, login, password).await {
                    Ok(s) if s.as_u16() == 303 => lat.push(t.elapsed()),
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        lat.extend(l);
        errors += e;
    }
    let rate = lat.len() as f64 / started.elapsed().as_secs_f64();
    Ok((rate, pct(&mut lat, 0.50), pct(&mut lat, 0.99), errors))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let secs = env("BENCH_SECS", 10) as u64;
    let clients = env("BENCH_CLIENTS", 32);
    let slapd_alone = tokio::task::spawn_blocking(Slapd::start).await??;
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let started = Instant::now();
    let dc = tokio::task::spawn_blocking(Dc::start).await??;
    println!(
        "contrôleur de domaine prêt en {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let alone = tempfile::tempdir()?;
    let with = tempfile::tempdir()?;
    let alone_config = config(alone.path(), &slapd_alone, None)?;
    let with_config = config(with.path(), &slapd, Some(&dc))?;
    let t = import(&alone_config)?;
    println!(
        "flux d'exemple importé, annuaire seul          : {:>6.2} s",
        t.as_secs_f64()
    );
    let t = import(&with_config)?;
    println!(
        "flux d'exemple importé, annuaire et domaine    : {:>6.2} s",
        t.as_secs_f64()
    );

    for (label, dir, config) in [
        ("sans domaine", &alone, &alone_config),
        ("avec domaine", &with, &with_config),
    ] {
        let daemon = tokio::task::spawn_blocking({
            let (config, data) = (config.clone(), dir.path().join("var"));
            move || Daemon::serve(&config, &data)
        })
        .await??;
        let accounts = passwords(dir.path())?;
        // Warm-up, then the run.
        storm(&daemon, &accounts, clients, 1).await?;
        let (rate, p50, p99, errors) = storm(&daemon, &accounts, clients, secs).await?;
        println!(
            "connexions ENT {label} ({clients} clients, {secs} s) : {rate:>6.1}/s   p50 {p50:>7.1} ms   p99 {p99:>7.1} ms   ({errors} erreurs)"
        );
    }
    Ok(())
}
