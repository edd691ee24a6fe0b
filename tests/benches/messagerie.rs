//! On-demand benchmark of the messagerie (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench messagerie
//!
//! Starts the release `cartabled` on the demo with a real mail relay (OpenSMTPD on loopback),
//! puts `BENCH_MESSAGES` (10,000) messages in the store between the readers and the staff,
//! then at once: the direction sends one message to the parents of the 6e and the 5e (lists,
//! hidden copy) while `BENCH_READERS` (500) pupils and parents load their inbox
//! (`BENCH_LOADS`, 3, times each), arriving over `BENCH_SPREAD_MS` (0: all at once). Prints the send's time, p50/p99 of the inbox pages, and the
//! time until the relay has accepted the last notification mail.

// A benchmark reads the wall clock: the outbox's times are compared with it.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant, SystemTime};

use cartable_tests::accounts;
use cartable_tests::bench::{env, pct};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, location, sign_in};
use cartable_tests::smtp::MailServer;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let messages = env("BENCH_MESSAGES", 10_000);
    let readers_n = env("BENCH_READERS", 500);
    let loads = env("BENCH_LOADS", 3);
    // Over how long the readers arrive, in ms: all at once by default.
    let spread_ms = env("BENCH_SPREAD_MS", 0) as u64;
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let relay = MailServer::start(&tmp.path().join("smtp"))?;
    let daemon = Daemon::demo_with_relay(tmp.path(), &data, relay.port)?;
    let base = daemon.url.clone();
    let ca = data.join("tls/ca.pem");

    // The readers: pupils and parents; the messages: between them and the staff, in one
    // transaction beside the running daemon.
    let readers: Vec<_> = demo
        .iter()
        .filter(|d| d.profile == "eleve" || d.profile == "responsable")
        .take(readers_n)
        .cloned()
        .collect();
    let staff: Vec<_> = demo
        .iter()
        .filter(|d| d.profile == "enseignant" || d.profile == "vie-scolaire")
        .cloned()
        .collect();
    {
        let mut db = rusqlite::Connection::open(data.join("cartable.sqlite"))?;
        db.busy_timeout(Duration::from_secs(30))?;
        let tx = db.transaction()?;
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        for n in 0..messages {
            let r = &readers[n % readers.len()];
            let s = &staff[n % staff.len()];
            let (from, to) = if n % 3 == 0 { (r, s) } else { (s, r) };
            let at = now - 86_400 * 30 + n as i64 * 60;
            tx.execute(
                "INSERT INTO msg_messages(thread, sender, sender_name, subject, body, state,
                   addressees, reached, created_at, sent_at)
                 VALUES (0, ?1, ?1, ?2, ?3, 'envoye', ?4, 1, ?5, ?5)",
                rusqlite::params![
                    from.login,
                    format!("Message {n} : question sur le travail"),
                    "Bonjour,\n\nUne question sur le travail de la semaine.\n\nCordialement",
                    format!(
                        "[{{\"p\":\"a\",\"t\":\"p:{}\",\"l\":\"{}\"}}]",
                        to.login, to.login
                    ),
                    at
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute("UPDATE msg_messages SET thread = id WHERE id = ?1", [id])?;
            tx.execute(
                "INSERT INTO msg_boxes(owner, message, role, place, unread, at)
                 VALUES (?1, ?2, 'de', 'envoyes', 0, ?3), (?4, ?2, 'a', 'reception', ?5, ?3)",
                rusqlite::params![from.login, id, at, to.login, n % 4 == 0],
            )?;
        }
        tx.commit()?;
    }

    let mut sessions = Vec::new();
    for r in &readers {
        let c = client(&ca)?;
        if sign_in(&c, &base, &r.login, &r.password).await? != 303 {
            return Err(format!("{} could not sign in", r.login).into());
        }
        sessions.push(c);
    }
    let head = accounts::first(&demo, "direction").ok_or("no direction")?;
    let d = client(&ca)?;
    sign_in(&d, &base, &head.login, &head.password).await?;
    let page = d
        .get(format!("{base}/messagerie/ecrire"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&page).ok_or("csrf")?;
    let db = rusqlite::Connection::open_with_flags(
        data.join("cartable.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let mails_before: i64 = db.query_row("SELECT COUNT(*) FROM mail_outbox", [], |r| r.get(0))?;
    println!(
        "cartabled {base} — {messages} messages en base, {} lecteurs × {loads} pages de réception arrivés en {} s, la direction écrit aux parents de 6e et de 5e",
        sessions.len(),
        spread_ms as f64 / 1000.0
    );

    let t0 = Instant::now();
    let wall0 = SystemTime::now();
    let send = tokio::spawn(async move {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("dest", "cci:l:parents-niveau:6")
            .text("liste", "parents-niveau:5")
            .text("sujet", "Réunion parents-professeurs")
            .text("corps", "La réunion aura lieu jeudi à 17 h.")
            .text("action", "envoyer");
        let s = Instant::now();
        let res = d
            .post(format!("{base}/messagerie/ecrire"))
            .multipart(form)
            .send()
            .await?;
        let took = s.elapsed();
        let status = res.status().as_u16();
        let told = if status == 303 {
            d.get(format!("{base}{}", location(&res)))
                .send()
                .await?
                .text()
                .await?
                .split("Message envoyé à ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .unwrap_or("?")
                .to_owned()
        } else {
            format!("refusé ({status})")
        };
        Ok::<_, BoxError>((took, told))
    });
    let base2 = daemon.url.clone();
    let mut tasks = Vec::new();
    let readers_len = sessions.len().max(1) as u64;
    for (n, c) in sessions.into_iter().enumerate() {
        let url = format!("{base2}/messagerie");
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(n as u64 * spread_ms / readers_len)).await;
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
    let burst = t0.elapsed();
    let (send_time, told) = send.await??;

    let t0_unix = wall0
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    let mut waiting: i64 = 0;
    while t0.elapsed() < Duration::from_secs(180) {
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
    let (all, last): (i64, Option<i64>) = db.query_row(
        "SELECT COUNT(*), MAX(sent_at) FROM mail_outbox WHERE sent_at IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let last = last.map_or(0.0, |l| l as f64 - t0_unix);
    println!(
        "envoi     {:>8.1} ms  (à {told} personnes)",
        send_time.as_secs_f64() * 1e3
    );
    println!(
        "réception p50 {:>8.1} ms   p99 {:>8.1} ms   (la plus lente des {loads} pages de chacun)",
        pct(&mut lat, 0.50),
        pct(&mut lat, 0.99)
    );
    println!(
        "rafale terminée en {:.1} s, {errors} erreur(s) ; {} courriels de notification acceptés par le relais, le dernier à {last:.0} s ; {waiting} en attente",
        burst.as_secs_f64(),
        all - mails_before.min(all)
    );
    Ok(())
}
