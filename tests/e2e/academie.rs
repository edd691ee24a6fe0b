//! The académie link. The outbox, against a local HTTPS endpoint that goes down for a week,
//! then loses an answer: nothing is lost, nothing is counted twice, a restart resends nothing.
//! The daemon's drop folder: a feed arriving part by part is imported only once complete and
//! settled, archived, its outcome and the daily status sent over HTTPS; a bad delivery is set
//! aside with the reason, the annuaire untouched.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::academie::audience;
use cartable_core::academie::outbox::Outbox;
use cartable_core::academie::reports::Reporter;
use cartable_core::clock::SharedClock;
use cartable_core::directory::DirectoryWrite;
use cartable_core::directory::Profile;
use cartable_core::store::Store;
use cartable_tests::academie::{Academie, Mode};
use cartable_tests::daemon::{Daemon, binary};
use cartable_web::outbound::HttpsTransport;

use crate::TestResult;
use crate::directory::Backend;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_without_the_academie_loses_nothing_and_sends_nothing_twice() -> TestResult {
    let b = Backend::embedded().await?;
    b.dir.apply(crate::directory::college()).await?;
    let academie = Academie::start().await?;
    let clock: SharedClock = Arc::new(b.clock.clone());
    // The daemon's own transport, trusting the test endpoint's CA.
    let transport = HttpsTransport::new(&academie.url, Some(&academie.ca_file))?;
    let reporter = |store: Store| Reporter {
        store: store.clone(),
        directory: b.dir.clone(),
        clock: clock.clone(),
        outbox: Outbox::new(store, clock.clone(), Duration::from_secs(60)),
        data_dir: std::env::temp_dir(),
        backup_dir: None,
        version: "test",
    };
    let r = reporter(b.store.clone());
    r.enqueue_due().await?;

    // Day 1: pupils and a teacher visit the portal.
    let counted = audience::Audience::default();
    let now = clock.now();
    for (login, profile, times) in [
        ("a.eleve", Profile::Eleve, 3),
        ("b.eleve", Profile::Eleve, 1),
        ("t.prof", Profile::Enseignant, 2),
    ] {
        for _ in 0..times {
            counted.count(audience::Visit {
                at: now,
                service: audience::service::ACCUEIL,
                profile,
                login,
                device: cartable_core::usage::Device::Ordinateur,
            });
        }
    }
    assert_eq!(counted.flush(&b.store).await?, 3, "one line per person");
    assert_eq!(counted.flush(&b.store).await?, 0, "nothing counted twice");
    let day1 = audience::day_of(now);

    // The académie is down for a week: every day's messages wait, nothing is sent.
    academie.set(Mode::Down);
    for _ in 0..7 {
        b.clock.advance(time::Duration::days(1));
        r.enqueue_due().await?;
        r.enqueue_due().await?; // queuing twice is a no-op
        let s = r.outbox.send_due(&transport).await?;
        assert_eq!(s.sent, 0);
    }
    let queued = r.outbox.all().await?;
    assert_eq!(
        queued.len(),
        1 + 8,
        "day 1's indicators and eight daily status reports"
    );
    assert!(queued.iter().all(|m| m.sent_at.is_none()));
    assert!(
        queued[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("503"))
    );
    assert!(academie.messages().is_empty());

    // Back, but the first answer is lost: the message will be sent again, with its key.
    academie.set(Mode::LoseAnswers);
    b.clock.advance(time::Duration::hours(7));
    let s = r.outbox.send_due(&transport).await?;
    assert_eq!((s.sent, s.failed), (0, 1));
    academie.set(Mode::Up);
    b.clock.advance(time::Duration::hours(7));
    for _ in 0..5 {
        r.outbox.send_due(&transport).await?;
        b.clock.advance(time::Duration::hours(7));
    }
    let got = academie.messages();
    let rows = r.outbox.all().await?;
    assert!(rows.iter().all(|m| m.sent_at.is_some()), "all acknowledged");
    assert_eq!(
        got.len(),
        rows.len(),
        "each message kept once by the académie"
    );
    let first = got
        .get(&format!("indicateurs-0860001A-{day1}"))
        .ok_or("day 1's indicators")?;
    let attempts: Vec<usize> = got.values().map(|r| r.attempts).collect();
    assert_eq!(
        attempts.iter().filter(|a| **a == 2).count(),
        1,
        "the message whose answer was lost came again, with its key: {attempts:?}"
    );
    assert!(attempts.iter().all(|a| *a <= 2));
    let services = first.body["services"].as_array().ok_or("services")?;
    let line = |profil: &str| {
        services
            .iter()
            .find(|s| s["service"] == "accueil" && s["profil"] == profil)
            .map(|s| (s["visites"].as_i64(), s["visiteurs"].as_i64()))
    };
    assert_eq!(line("eleve"), Some((Some(4), Some(2))));
    assert_eq!(line("enseignant"), Some((Some(2), Some(1))));
    assert!(
        !first.body.to_string().contains("a.eleve"),
        "no login leaves the établissement"
    );

    // A restart (the store reopened) sends nothing again.
    let path = b.store.path().to_owned();
    b.store.close();
    let reopened = Store::open(&path).await?;
    let again = reporter(reopened.clone());
    let s = again.outbox.send_due(&transport).await?;
    assert_eq!(s.sent, 0);
    assert_eq!(academie.messages().len(), got.len());
    reopened.close();
    Ok(())
}

fn count_people(config: &Path) -> Result<usize, BoxError> {
    let out = std::process::Command::new(binary()?)
        .args(["accounts", "--config"])
        .arg(config)
        .args(["list", "--json"])
        .output()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(v.as_array().map_or(0, Vec::len))
}

async fn wait_for(what: &str, mut f: impl FnMut() -> bool) -> TestResult {
    let start = Instant::now();
    while !f() {
        if start.elapsed() > Duration::from_secs(60) {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drop_folder_imports_complete_settled_feeds_and_reports_them() -> TestResult {
    let academie = Academie::start().await?;
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("var");
    let drop = tmp.path().join("depot");
    std::fs::create_dir_all(&drop)?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[academie]\ndrop_dir = \"{}\"\n\
             settle_seconds = 2\nurl = \"{}\"\nca_file = \"{}\"\nretry_seconds = 1\n",
            cartable_tests::daemon::base_config(&data),
            drop.display(),
            academie.url,
            academie.ca_file.display()
        ),
    )?;
    let daemon = Daemon::serve(&config, &data)?;

    // The académie deposits the feed part by part; the responsables come last.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample/complet");
    let mut parts: Vec<_> = std::fs::read_dir(&sample)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    parts.sort_by_key(|p| p.to_string_lossy().contains("PersRelEleve"));
    let last = parts.pop().ok_or("no part")?;
    for p in &parts {
        std::fs::copy(p, drop.join(p.file_name().ok_or("name")?))?;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(count_people(&config)?, 0, "an incomplete delivery waits");
    std::fs::copy(&last, drop.join(last.file_name().ok_or("name")?))?;
    wait_for("the import", || {
        count_people(&config).is_ok_and(|n| n > 100)
    })
    .await
    .map_err(|e| format!("{e}\n{}", daemon.output()))?;
    let archived = data.join("academie/archives/0171234K_Complet_20260828-001");
    wait_for("the archive", || archived.is_dir()).await?;
    assert_eq!(
        std::fs::read_dir(&drop)?.count(),
        0,
        "the drop folder is emptied"
    );
    let imported = count_people(&config)?;

    // Its outcome and the day's status reach the académie.
    wait_for("the messages", || {
        let m = academie.messages();
        m.values().any(|r| r.kind == "import") && m.values().any(|r| r.kind == "etat")
    })
    .await?;
    let m = academie.messages();
    let import = m
        .get("import-0171234K-0171234K_Complet_20260828")
        .ok_or("import message")?;
    assert_eq!(
        import.body["resultat"]["created"].as_u64(),
        Some(imported as u64)
    );
    let etat = m.values().find(|r| r.kind == "etat").ok_or("etat")?;
    assert_eq!(
        etat.body["uai"], "0171234K",
        "no report before the établissement is known"
    );
    assert!(etat.body["disque"]["total_octets"].as_u64() > Some(0));

    // A bad delivery is set aside with the reason; the annuaire does not move.
    std::fs::write(
        drop.join("ENT2D_0171234K_Delta_20260901_Eleve_0000.xml"),
        "<html><body>Erreur 500</body></html>",
    )?;
    let refused = data.join("academie/refusees/0171234K_Delta_20260901-001");
    wait_for("the refusal", || refused.join("erreur.txt").is_file()).await?;
    let reason = std::fs::read_to_string(refused.join("erreur.txt"))?;
    assert!(
        reason.contains("ENT2D_0171234K_Delta_20260901_Eleve_0000.xml"),
        "{reason}"
    );
    assert_eq!(count_people(&config)?, imported);
    wait_for("the refusal message", || {
        academie
            .messages()
            .get("import-0171234K-0171234K_Delta_20260901")
            .is_some_and(|r| r.body["resultat"]["refus"].is_string())
    })
    .await?;

    // The RUPN's server page: the import, then the refusal and its reason.
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = cartable_core::directory::AnyDirectory::from_config(
        &cartable_core::config::DirectoryConfig::Embedded,
        store,
        Arc::new(cartable_core::clock::SystemClock),
    )
    .await?;
    let mut rupn =
        crate::directory::person("rupn", Profile::Admin, "Rémi", "UPN", Some("Console-2026"));
    if let cartable_core::directory::Change::CreatePerson { uai, .. } = &mut rupn {
        *uai = None;
    }
    dir.apply(vec![rupn]).await?;
    let http = cartable_tests::http::client(&data.join("tls/ca.pem"))?;
    assert_eq!(
        cartable_tests::http::sign_in(&http, &daemon.url, "rupn", "Console-2026").await?,
        303
    );
    let page = http
        .get(format!("{}/admin/serveur", daemon.url))
        .send()
        .await?
        .text()
        .await?
        .replace("&#39;", "'");
    let imports = &page[page.find("id=\"etat-imports\"").ok_or("no imports line")?..];
    let imports = &imports[..imports.find("</li>").unwrap_or(imports.len())];
    assert!(
        imports.contains("Le flux 0171234K_Delta_20260901-001 a été refusé")
            && imports.contains("À surveiller")
            && imports.contains("ENT2D_0171234K_Delta_20260901_Eleve_0000.xml"),
        "{imports}"
    );
    let tables = &page[page.find("id=\"liste-imports\"").ok_or("no import list")?..];
    assert!(
        tables.contains(&format!("{imported} créés")) && tables.contains("id=\"flux-refuses\""),
        "{tables}"
    );
    Ok(())
}

/// A delivery taken from the drop folder but not finished (the service stopped mid-import)
/// is imported at the next start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_delivery_is_taken_up_at_the_next_start() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("var");
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[academie]\ndrop_dir = \"{}\"\n",
            cartable_tests::daemon::base_config(&data),
            tmp.path().join("depot").display()
        ),
    )?;
    let taken = data.join("academie/en-cours/0171234K_Complet_20260828");
    cartable_tests::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample/complet"),
        &taken,
    )?;
    let daemon = Daemon::serve(&config, &data)?;
    wait_for("the import", || {
        data.join("academie/archives/0171234K_Complet_20260828-001")
            .is_dir()
    })
    .await
    .map_err(|e| format!("{e}\n{}", daemon.output()))?;
    assert!(count_people(&config)? > 100);
    assert!(!taken.exists());
    Ok(())
}

/// Portal visits are counted in memory and written when the service stops (and every 30 s);
/// each module's pages count under its own national service name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_visits_reach_the_indicators() -> TestResult {
    let (_tmp, data) = cartable_tests::daemon::demo_data()?;
    let demo = cartable_tests::accounts::read(&data)?;
    let pupil = cartable_tests::accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let mut daemon = Daemon::demo(&data)?;
    let c = cartable_tests::http::client(&daemon.ca())?;
    cartable_tests::http::sign_in(&c, &daemon.url, &pupil.login, &pupil.password).await?;
    for _ in 0..3 {
        assert_eq!(
            c.get(format!("{}/", daemon.url)).send().await?.status(),
            200
        );
    }
    for (page, times) in [
        ("emploi-du-temps", 2),
        ("cahier-de-textes", 1),
        ("agenda", 1),
    ] {
        for _ in 0..times {
            let res = c.get(format!("{}/{page}", daemon.url)).send().await?;
            assert_eq!(res.status(), 200, "{page}");
        }
    }
    daemon.terminate()?;
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let clock = cartable_core::clock::SystemClock;
    let today = audience::day_of(cartable_core::clock::Clock::now(&clock));
    let figures = audience::figures(&store, &today).await?;
    let eleve = figures
        .iter()
        .find(|f| f.service == "accueil" && f.profil == "eleve")
        .ok_or(format!("no figure: {figures:?}"))?;
    assert_eq!((eleve.visites, eleve.visiteurs), (3, 1));
    for (service, visits) in [("emploi_du_temps", 2), ("cahier_textes", 1), ("agenda", 1)] {
        let f = figures
            .iter()
            .find(|f| f.service == service && f.profil == "eleve")
            .ok_or(format!("no {service} figure: {figures:?}"))?;
        assert_eq!((f.visites, f.visiteurs), (visits, 1), "{service}");
    }
    store.close();
    Ok(())
}
