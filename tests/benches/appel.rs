//! On-demand benchmark of the 8:05 rush (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench appel
//!
//! Starts the release `cartabled` on the demo with a real mail relay (OpenSMTPD on loopback),
//! then at once: `BENCH_TEACHERS` (60) appels submitted, each with `BENCH_ABSENTS` (3) absent
//! pupils, while `BENCH_PARENTS` (1,000) parents load their child's vie scolaire page
//! (`BENCH_LOADS`, 3, times each), arriving over `BENCH_SPREAD_MS` (1,000: all in the
//! first second). Prints p50/p99 of both, and the time from the burst's start
//! until the relay has accepted the last mail, with how many were sent and how many wait.

// A benchmark reads the wall clock: the delivered mails' file times are compared with it.
#![allow(clippy::disallowed_methods)]

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use cartable_tests::accounts;
use cartable_tests::bench::{env, pct};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_tests::smtp::MailServer;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn text(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    Ok(c.get(url).send().await?.text().await?)
}

/// Every delivered mail's file and its time.
fn delivered(dir: &Path) -> Vec<SystemTime> {
    let mut out = Vec::new();
    if let Ok(boxes) = std::fs::read_dir(dir.join("mail")) {
        for b in boxes.flatten() {
            if let Ok(files) = std::fs::read_dir(b.path().join("new")) {
                for f in files.flatten() {
                    if let Ok(t) = f.metadata().and_then(|m| m.modified()) {
                        out.push(t);
                    }
                }
            }
        }
    }
    out
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let teachers = env("BENCH_TEACHERS", 60);
    let parents_n = env("BENCH_PARENTS", 1000);
    let absents_n = env("BENCH_ABSENTS", 3);
    let loads = env("BENCH_LOADS", 3);
    // Over how long the parents arrive (their first page), in ms: 1 s by default, the worst
    // case; 60,000 as the notifications reach them over the minute.
    let spread_ms = env("BENCH_SPREAD_MS", 1000) as u64;
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let smtp_dir = tmp.path().join("smtp");
    let relay = MailServer::start(&smtp_dir)?;
    let daemon = Daemon::demo_with_relay(tmp.path(), &data, relay.port)?;
    let base = daemon.url.clone();
    let ca = data.join("tls/ca.pem");
    let cpe = accounts::first(&demo, "vie-scolaire").ok_or("no cpe")?;

    // The appels to take: those not taken yet, today and on the next days.
    let c = client(&ca)?;
    sign_in(&c, &base, &cpe.login, &cpe.password).await?;
    let today = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
    };
    let mut appels = Vec::new();
    for d in 0..21 {
        if appels.len() >= teachers {
            break;
        }
        let day = cartable_core::dates::iso(today + time::Duration::days(d));
        let board = text(&c, &format!("{base}/vie-scolaire?jour={day}")).await?;
        let Some(table) = board.split("id=\"appels-du-jour\"").nth(1) else {
            continue;
        };
        for row in table.split("<tr>").filter(|r| r.contains(">à faire<")) {
            if let Some(id) = row
                .split("href=\"/vie-scolaire/appel/")
                .nth(1)
                .and_then(|s| s.split('"').next())
            {
                appels.push(id.to_owned());
            }
        }
    }
    appels.truncate(teachers);
    // Each « teacher »: a session of his own (the vie scolaire's account, which may take any
    // appel), the form's token, three pupils absent.
    let mut forms = Vec::new();
    for (n, id) in appels.iter().enumerate() {
        let t = client(&ca)?;
        sign_in(&t, &base, &cpe.login, &cpe.password).await?;
        let page = text(&t, &format!("{base}/vie-scolaire/appel/{id}")).await?;
        let pupils: Vec<String> = page
            .split("data-eleve=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(str::to_owned))
            .collect();
        let mut form = vec![("csrf".to_owned(), csrf_in(&page).ok_or("csrf")?)];
        for k in 0..absents_n.min(pupils.len()) {
            let p = &pupils[(n * 5 + k * 7) % pupils.len()];
            form.push((format!("etat.{p}"), "absent".to_owned()));
        }
        forms.push((t, id.clone(), form, pupils.len()));
    }
    let listed: usize = forms.iter().map(|f| f.3).sum();
    // The parents: each a session, and his child's page.
    let parents: Vec<_> = demo.iter().filter(|d| d.profile == "responsable").collect();
    let mut families = Vec::new();
    for n in 0..parents_n {
        let p = parents[n % parents.len()];
        let pc = client(&ca)?;
        if sign_in(&pc, &base, &p.login, &p.password).await? != 303 {
            return Err(format!("{} could not sign in", p.login).into());
        }
        let home = text(&pc, &format!("{base}/vie-scolaire")).await?;
        let child = home
            .split("href=\"/vie-scolaire/eleve/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .ok_or("no child")?
            .to_owned();
        families.push((pc, format!("{base}/vie-scolaire/eleve/{child}")));
    }
    println!(
        "cartabled {base} — {} appels ({listed} élèves, {absents_n} absents chacun), {} parents × {loads} pages, arrivés en {} s",
        forms.len(),
        families.len(),
        spread_ms as f64 / 1000.0
    );
    let before = delivered(&smtp_dir).len();

    // 8:05.
    let t0 = Instant::now();
    let wall0 = SystemTime::now();
    let mut tasks = Vec::new();
    for (t, id, form, _) in forms {
        let url = format!("{base}/vie-scolaire/appel/{id}");
        tasks.push(tokio::spawn(async move {
            let s = Instant::now();
            let ok = t
                .post(&url)
                .form(&form)
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 303);
            (true, s.elapsed(), ok)
        }));
    }
    let families_n = families.len().max(1) as u64;
    for (n, (pc, url)) in families.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            // Spread evenly over `spread_ms`, as parents open the ENT.
            tokio::time::sleep(Duration::from_millis(n as u64 * spread_ms / families_n)).await;
            let mut worst = Duration::ZERO;
            let mut ok = true;
            for _ in 0..loads {
                let s = Instant::now();
                match pc.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => ok = false,
                }
                worst = worst.max(s.elapsed());
            }
            (false, worst, ok)
        }));
    }
    let mut appel_lat = Vec::new();
    let mut parent_lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (is_appel, lat, ok) = t.await?;
        if !ok {
            errors += 1;
        }
        if is_appel {
            appel_lat.push(lat);
        } else {
            parent_lat.push(lat);
        }
    }
    let burst = t0.elapsed();

    // The mails: until the outbox has none waiting (two minutes at most); the relay's
    // acceptance time is the outbox's `sent_at`.
    let db = rusqlite::Connection::open_with_flags(
        data.join("cartable.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let t0_unix = wall0
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    let mut waiting: i64 = 0;
    while t0.elapsed() < Duration::from_secs(120) {
        waiting = db.query_row(
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (sent, last): (i64, Option<i64>) = db.query_row(
        "SELECT COUNT(*), MAX(sent_at) FROM mail_outbox WHERE sent_at IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let last = last.map_or(0.0, |l| l as f64 - t0_unix);
    let why: Option<String> = db
        .query_row(
            "SELECT last_error FROM mail_outbox WHERE sent_at IS NULL AND last_error IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(why) = why {
        println!("courriels en attente : {why}");
    }
    println!(
        "appels   p50 {:>8.1} ms   p99 {:>8.1} ms",
        pct(&mut appel_lat, 0.50),
        pct(&mut appel_lat, 0.99)
    );
    println!(
        "parents  p50 {:>8.1} ms   p99 {:>8.1} ms   (la plus lente des {loads} pages de chacun)",
        pct(&mut parent_lat, 0.50),
        pct(&mut parent_lat, 0.99)
    );
    println!(
        "pages des parents : {:.0} par seconde sur la rafale",
        (parent_lat.len() * loads) as f64 / burst.as_secs_f64()
    );
    println!(
        "rafale terminée en {:.1} s, {errors} erreur(s) ; {sent} courriels acceptés par le relais, le dernier à {last:.0} s (à la seconde près) ; {waiting} en attente ; {} déposés dans les boîtes",
        burst.as_secs_f64(),
        delivered(&smtp_dir).len() - before,
    );
    Ok(())
}
