//! On-demand HTTP benchmark (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench http
//!
//! Starts `cartabled demo` (the release binary) on loopback and measures requests per
//! second and p50/p99 latency of `GET /healthz` and of the authenticated portal `GET /`,
//! each signed-in client being a different pupil. `BENCH_SECS` (default 10) and
//! `BENCH_CLIENTS` (default 32) tune the run.

use std::time::{Duration, Instant};

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Figures {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Figures {
    fn print(&mut self, name: &str) {
        self.latencies.sort_unstable();
        let pct = |p: f64| {
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.latencies.get(i).copied().unwrap_or_default()
        };
        println!(
            "{name:<28} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests, {} errors)",
            self.requests as f64 / self.elapsed.as_secs_f64(),
            pct(0.50).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            self.requests,
            self.errors,
        );
    }
}

async fn hammer(clients: Vec<reqwest::Client>, url: String, secs: u64) -> Figures {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            let url = url.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match c.get(&url).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            lat.push(t.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut f = Figures {
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for t in tasks {
        if let Ok((lat, errors)) = t.await {
            f.requests += lat.len();
            f.errors += errors;
            f.latencies.extend(lat);
        }
    }
    f.elapsed = started.elapsed();
    f
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let n: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    println!(
        "cartabled {} — {n} clients, {secs} s per scenario",
        daemon.url
    );

    let anon: Vec<_> = (0..n)
        .map(|_| client(&daemon.ca()))
        .collect::<Result<_, _>>()?;
    hammer(anon.clone(), format!("{}/healthz", daemon.url), 1).await; // warm-up
    hammer(anon, format!("{}/healthz", daemon.url), secs)
        .await
        .print("GET /healthz");

    let pupils: Vec<_> = accounts::read(&data)?
        .into_iter()
        .filter(|a| a.profile == "eleve")
        .take(n)
        .collect();
    let mut signed = Vec::new();
    for p in &pupils {
        let c = client(&daemon.ca())?;
        if sign_in(&c, &daemon.url, &p.login, &p.password).await? != 303 {
            return Err(format!("{} could not sign in", p.login).into());
        }
        signed.push(c);
    }
    hammer(signed.clone(), format!("{}/", daemon.url), 1).await;
    hammer(signed, format!("{}/", daemon.url), secs)
        .await
        .print("GET / (portal, signed in)");
    Ok(())
}
