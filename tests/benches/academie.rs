//! The académie's hub under the load of a whole académie (issue 24; not run in CI):
//!
//!     cargo build --release -p cartable-academie
//!     cargo bench -p cartable-tests --bench academie
//!
//! On a PostgreSQL of its own, `BENCH_ETABS` (200) établissements registered with the hub's own
//! CLI, each with its certificate, then:
//! 1. a school year of daily messages (`BENCH_DAYS`, 365: each day's indicators — services ×
//!    profiles — and status), each établissement sending its own in order, `BENCH_SENDERS` (64)
//!    at once: messages per second, p50 and p99 of an acknowledgement;
//! 2. all of them sending at the same minute (one status each, at once): p50, p99, the last one;
//! 3. the dashboard's pages with that year in the base, signed in: p50 and p99 of each;
//! 4. PostgreSQL's size.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::academie::audience::DayFigure;
use cartable_core::academie::exchange::{Disque, Etat, Indicateurs, Message};
use cartable_core::academie::outbox::Transport;
use cartable_tests::bench::{env, pct};
use cartable_tests::hub::Hub;
use cartable_tests::postgres::Postgres;
use cartable_web::outbound::HttpsTransport;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const SERVICES: [&str; 6] = [
    "accueil",
    "cahier_textes",
    "absences",
    "notes",
    "stockage_partage",
    "courrier_electronique",
];
const PROFILES: [&str; 4] = ["eleve", "responsable", "enseignant", "direction"];

fn uai(i: usize) -> String {
    // Seven digits and a letter; the letter is not checked against the digits here.
    format!("{:07}{}", 860_000 + i, (b'A' + (i % 26) as u8) as char)
}

fn day(start: time::Date, d: usize) -> time::Date {
    start + time::Duration::days(d as i64)
}

fn messages(uai: &str, start: time::Date, days: usize) -> Vec<(String, Message)> {
    let mut out = Vec::with_capacity(days * 2);
    for d in 0..days {
        let jour = cartable_core::dates::iso(day(start, d));
        let services = SERVICES
            .iter()
            .flat_map(|s| {
                PROFILES.iter().map(move |p| DayFigure {
                    service: (*s).to_owned(),
                    profil: (*p).to_owned(),
                    visites: 40 + (d % 7) as i64 * 10,
                    visiteurs: 20 + (d % 5) as i64,
                })
            })
            .collect();
        out.push((
            format!("indicateurs-{uai}-{jour}"),
            Message::Indicateurs(Indicateurs {
                uai: uai.to_owned(),
                jour: jour.clone(),
                services,
            }),
        ));
        out.push((format!("etat-{uai}-{jour}"), status(uai, &jour)));
    }
    out
}

fn status(uai: &str, jour: &str) -> Message {
    Message::Etat(Etat {
        uai: uai.to_owned(),
        jour: jour.to_owned(),
        version: "0.1.0".into(),
        genere_le: 1_790_000_000,
        dernier_import: Some(1_790_000_000),
        comptes_actifs: [
            ("eleve".to_owned(), 600u64),
            ("responsable".to_owned(), 900),
        ]
        .into_iter()
        .collect(),
        disque: Disque {
            libre_octets: 400,
            total_octets: 1000,
        },
        messages_en_attente: 0,
        derniere_sauvegarde: Some(1_790_000_000),
        sauvegarde_configuree: Some(true),
    })
}

fn line(name: &str, lat: &mut [Duration], secs: f64) -> String {
    format!(
        "{name:<44} {:>8.0}/s   p50 {:>7.1} ms   p99 {:>7.1} ms   ({} en {:.1} s)",
        lat.len() as f64 / secs.max(1e-9),
        pct(lat, 0.5),
        pct(lat, 0.99),
        lat.len(),
        secs
    )
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let n = env("BENCH_ETABS", 200);
    let days = env("BENCH_DAYS", 365);
    let senders = env("BENCH_SENDERS", 64);
    println!("{n} établissements, {days} jours, {senders} envois à la fois");
    let pg = tokio::task::spawn_blocking(Postgres::start).await??;
    let tmp = tempfile::tempdir()?;
    let mut hub = Hub::init(&pg, &tmp.path().join("hub"))?;
    let started = Instant::now();
    let mut ids: Vec<(String, PathBuf, PathBuf)> = Vec::with_capacity(n);
    for i in 0..n {
        let u = uai(i);
        let (c, k) = hub.add(&u, &format!("Collège n° {i}"))?;
        ids.push((u, c, k));
    }
    hub.account("dane", "Delphine ANE", "un mot de passe assez long")?;
    println!("inscriptions : {:.1} s", started.elapsed().as_secs_f64());
    hub.start()?;
    let url = format!("{}/api/messages", hub.base);
    let transports: Vec<Arc<HttpsTransport>> = ids
        .iter()
        .map(|(_, c, k)| {
            HttpsTransport::with_identity(&url, Some(&hub.ca), Some((c, k))).map(Arc::new)
        })
        .collect::<Result<_, _>>()?;

    // 1. A school year.
    let start = time::Date::from_calendar_date(2025, time::Month::September, 1)?;
    let gate = Arc::new(tokio::sync::Semaphore::new(senders));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for (i, (u, _, _)) in ids.iter().enumerate() {
        let (t, gate, u) = (transports[i].clone(), gate.clone(), u.clone());
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await;
            let mut lat = Vec::new();
            let mut failed = 0usize;
            let mut first_error = None;
            for (key, m) in messages(&u, start, days) {
                let body = serde_json::to_string(&m).unwrap_or_default();
                let t1 = Instant::now();
                match t.post(&key, m.kind(), &body).await {
                    Ok(()) => lat.push(t1.elapsed()),
                    Err(e) => {
                        failed += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (lat, failed, first_error)
        }));
    }
    let mut lat = Vec::new();
    let mut failed = 0;
    let mut first_error = None;
    for t in tasks {
        let (l, f, e) = t.await?;
        lat.extend(l);
        failed += f;
        if first_error.is_none() {
            first_error = e;
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!("{}", line("une année de messages", &mut lat, secs));
    println!("  échecs : {failed}");
    if let Some(e) = first_error {
        let log = hub.output();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        return Err(format!(
            "{e}\nservice : {:?}\n{}",
            hub.exited(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
        .into());
    }

    // 2. Everyone at the same minute.
    let jour = cartable_core::dates::iso(day(start, days));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for (i, (u, _, _)) in ids.iter().enumerate() {
        let (t, u, jour) = (transports[i].clone(), u.clone(), jour.clone());
        tasks.push(tokio::spawn(async move {
            let m = status(&u, &jour);
            let body = serde_json::to_string(&m).unwrap_or_default();
            let t1 = Instant::now();
            t.post(&format!("etat-{u}-{jour}"), "etat", &body)
                .await
                .map(|()| t1.elapsed())
        }));
    }
    let mut burst = Vec::new();
    let mut burst_errors = Vec::new();
    for t in tasks {
        match t.await? {
            Ok(d) => burst.push(d),
            Err(e) => burst_errors.push(e),
        }
    }
    let burst_failed = burst_errors.len();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{}",
        line(&format!("{n} à la même minute"), &mut burst, secs)
    );
    println!("  échecs : {burst_failed}");
    if let Some(e) = burst_errors.first() {
        println!("  (premier : {e} ; la file de l'établissement le renverrait)");
    }

    // 3. The dashboard with a year of data.
    let staff = hub.staff("dane", "un mot de passe assez long").await?;
    let first = &ids[0].0;
    for page in [
        "/".to_owned(),
        format!("/etablissements/{first}"),
        "/usages?annee=2025".to_owned(),
        format!("/usages?annee=2025&uai={first}"),
        "/usages.csv?annee=2025".to_owned(),
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        let t0 = Instant::now();
        for _ in 0..20 {
            let t1 = Instant::now();
            let r = staff.get(format!("{}{page}", hub.base)).send().await?;
            if !r.status().is_success() {
                return Err(format!("{page} : {}", r.status()).into());
            }
            size = r.bytes().await?.len();
            times.push(t1.elapsed());
        }
        println!(
            "{}   {} octets",
            line(
                &format!("page {page}"),
                &mut times,
                t0.elapsed().as_secs_f64()
            ),
            size
        );
    }

    // 4. Size.
    let size: f64 = pg
        .psql(
            "cartable_academie",
            "SELECT pg_database_size('cartable_academie')",
        )?
        .parse()?;
    let rows = pg.psql(
        "cartable_academie",
        "SELECT (SELECT count(*) FROM messages) || ' messages, ' || (SELECT count(*) FROM indicateurs) || ' lignes d''indicateurs'",
    )?;
    println!("PostgreSQL : {:.0} Mo ; {rows}", size / 1e6);
    hub.stop();
    Ok(())
}
