//! On-demand benchmark of the notes (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench notes
//!
//! Starts the release `cartabled` on the demo, gives every class a school year of marks
//! (`BENCH_PER_SUBJECT`, 40, évaluations per class and subject spread over the year, every
//! pupil marked; the page shows the current period's), then
//! `BENCH_PARENTS` (500) parents load their child's marks page (`BENCH_LOADS`, 3, times each),
//! arriving over `BENCH_SPREAD_MS` (0: all at once). Prints p50/p99 and the pages per second.

// A benchmark reads the wall clock.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use cartable_tests::accounts;
use cartable_tests::bench::{env, pct, year_of_marks};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, location, sign_in};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let per_subject = env("BENCH_PER_SUBJECT", 40);
    let parents_n = env("BENCH_PARENTS", 500);
    let loads = env("BENCH_LOADS", 3);
    let spread_ms = env("BENCH_SPREAD_MS", 0) as u64;
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();

    let today = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
    };
    let year = cartable_notes::periods::year_start(today);
    // A year of marks: more évaluations like the demo's, for every class and subject (the
    // page shows a period's: about a third).
    let (evaluations, marks) = {
        let mut db = rusqlite::Connection::open(data.join("cartable.sqlite"))?;
        db.busy_timeout(Duration::from_secs(30))?;
        let tx = db.transaction()?;
        let courses: Vec<(String, String, String)> = {
            let mut st =
                tx.prepare("SELECT DISTINCT teacher, class, subject FROM notes_evaluations")?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut marks = 0;
        for (teacher, class, subject) in &courses {
            let pupils: Vec<String> = {
                let mut st = tx.prepare(
                    "SELECT DISTINCT m.pupil FROM notes_marks m
                     JOIN notes_evaluations e ON e.id = m.evaluation WHERE e.class = ?1",
                )?;
                st.query_map([class], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            marks += year_of_marks(&tx, (teacher, class, subject), &pupils, per_subject, year)?;
        }
        tx.commit()?;
        (courses.len() * per_subject, marks)
    };

    // The parents, each with his child's page.
    let parents: Vec<_> = demo.iter().filter(|d| d.profile == "responsable").collect();
    let mut families = Vec::new();
    for p in parents.iter().take(parents_n) {
        let c = client(&ca)?;
        if sign_in(&c, &base, &p.login, &p.password).await? != 303 {
            return Err(format!("{} could not sign in", p.login).into());
        }
        let res = c.get(format!("{base}/notes")).send().await?;
        let page = if res.status().as_u16() == 303 {
            location(&res)
        } else {
            let html = res.text().await?;
            html.split("href=\"/notes/eleve/")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(|l| format!("/notes/eleve/{l}"))
                .ok_or("no child")?
        };
        families.push((c, format!("{base}{page}")));
    }
    println!(
        "cartabled {base} — {evaluations} évaluations ajoutées, {marks} notes ; {} parents × {loads} pages de notes, arrivés en {} s",
        families.len(),
        spread_ms as f64 / 1000.0
    );
    let t0 = Instant::now();
    let n_families = families.len().max(1) as u64;
    let mut tasks = Vec::new();
    for (n, (c, url)) in families.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(n as u64 * spread_ms / n_families)).await;
            let mut worst = Duration::ZERO;
            let mut ok = true;
            for _ in 0..loads {
                let s = Instant::now();
                match c.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => ok = false,
                }
                worst = worst.max(s.elapsed());
            }
            (worst, ok)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, ok) = t.await?;
        errors += usize::from(!ok);
        lat.push(l);
    }
    let took = t0.elapsed();
    println!(
        "notes d'un enfant  p50 {:>8.1} ms   p99 {:>8.1} ms   (la plus lente des {loads} pages de chacun)",
        pct(&mut lat, 0.50),
        pct(&mut lat, 0.99)
    );
    println!(
        "{:.0} pages par seconde ; {errors} erreur(s)",
        (lat.len() * loads) as f64 / took.as_secs_f64()
    );
    Ok(())
}
