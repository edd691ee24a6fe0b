//! The académie's hub on a real PostgreSQL: two real cartabled send their status and import
//! report with the certificates the hub issued, and the staff see both on the dashboard; no
//! certificate, another authority's certificate and another UAI's certificate are refused;
//! the hub down for a simulated week, then back: every message arrives once.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::academie::audience;
use cartable_core::academie::outbox::{Outbox, Transport};
use cartable_core::academie::reports::Reporter;
use cartable_core::clock::SharedClock;
use cartable_core::directory::{DirectoryWrite, Profile};
use cartable_tests::daemon::{Daemon, base_config, demo_data};
use cartable_tests::http::{browser, browser_tls, csrf_in};
use cartable_tests::hub::Hub;
use cartable_tests::postgres::Postgres;
use cartable_web::outbound::HttpsTransport;

use crate::TestResult;
use crate::directory::Backend;

async fn wait_for(what: &str, mut f: impl FnMut() -> bool) -> TestResult {
    let start = Instant::now();
    while !f() {
        if start.elapsed() > Duration::from_secs(90) {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}

fn academie_section(hub: &Hub, cert: &Path, key: &Path) -> String {
    format!(
        "[academie]\nurl = \"{}/api/messages\"\nca_file = \"{}\"\ncertificat = \"{}\"\ncle = \"{}\"\nretry_seconds = 1\n",
        hub.base,
        hub.ca.display(),
        cert.display(),
        key.display()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_etablissements_report_to_the_hub_and_only_as_themselves() -> TestResult {
    let pg = tokio::task::spawn_blocking(Postgres::start).await??;
    let tmp = tempfile::tempdir()?;
    let mut hub = Hub::init(&pg, &tmp.path().join("hub"))?;
    let (demo_cert, demo_key) = hub.add("0869999Z", "Collège de démonstration")?;
    let (feed_cert, feed_key) = hub.add("0171234K", "Collège Pierre Loti")?;
    hub.account("dane", "Delphine ANE", "un mot de passe assez long")?;
    hub.start()?;

    // The demo établissement, and one fed by the académie's AAF feed.
    let (_demo_tmp, demo) = tokio::task::spawn_blocking(demo_data).await??;
    let demo_config = tmp.path().join("demo.toml");
    std::fs::write(
        &demo_config,
        format!(
            "{}{}",
            base_config(&demo),
            academie_section(&hub, &demo_cert, &demo_key)
        ),
    )?;
    let feed_data = tmp.path().join("college");
    let drop = tmp.path().join("depot");
    std::fs::create_dir_all(&drop)?;
    let feed_config = tmp.path().join("college.toml");
    std::fs::write(
        &feed_config,
        format!(
            "{}{}drop_dir = \"{}\"\nsettle_seconds = 1\nflux_url = \"{}/api/flux\"\n",
            base_config(&feed_data),
            academie_section(&hub, &feed_cert, &feed_key),
            drop.display(),
            hub.base
        ),
    )?;
    // The académie deposits the collège's delivery on the hub; the collège fetches it.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample/complet");
    let offered = hub.dir.join("flux/0171234K");
    std::fs::create_dir_all(&offered)?;
    for e in std::fs::read_dir(&sample)? {
        let p = e?.path();
        std::fs::copy(&p, offered.join(p.file_name().ok_or("name")?))?;
    }
    let d1 = tokio::task::spawn_blocking(move || Daemon::serve(&demo_config, &demo)).await??;
    let fd = feed_data.clone();
    let d2 = tokio::task::spawn_blocking(move || Daemon::serve(&feed_config, &fd)).await??;

    let count = |sql: &str| pg.psql("cartable_academie", sql).unwrap_or_default();
    wait_for("both statuses and the import report", || {
        count("SELECT count(*) FROM etats") == "2" && count("SELECT count(*) FROM imports") == "1"
    })
    .await
    .map_err(|e| format!("{e}\n{}\n{}\n{}", hub.output(), d1.output(), d2.output()))?;
    assert_eq!(
        count("SELECT uai || ' ' || version FROM etats ORDER BY uai"),
        format!("0171234K {v}\n0869999Z {v}", v = env!("CARGO_PKG_VERSION"))
    );
    let created = count("SELECT resultat->>'created' FROM imports WHERE uai = '0171234K'");
    assert!(created.parse::<u32>()? > 100, "{created}");

    // The académie's staff sign in and see both, with their state.
    let staff = browser(browser_tls(&hub.ca)?, None)?;
    let r = staff.get(format!("{}/", hub.base)).send().await?;
    assert_eq!(r.status(), 303, "the dashboard asks to sign in");
    let form = staff
        .get(format!("{}/connexion", hub.base))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&form).ok_or("no CSRF token")?;
    let refused = staff
        .post(format!("{}/connexion", hub.base))
        .form(&[
            ("login", "dane"),
            ("mot_de_passe", "faux"),
            ("csrf", &csrf),
            ("suite", "/"),
        ])
        .send()
        .await?;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await?;
    assert!(
        body.contains("Identifiant ou mot de passe incorrect") && body.contains("value=\"dane\"")
    );
    let r = staff
        .post(format!("{}/connexion", hub.base))
        .form(&[
            ("login", "dane"),
            ("mot_de_passe", "un mot de passe assez long"),
            ("csrf", &csrf),
            ("suite", "/"),
        ])
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    let page = staff
        .get(format!("{}/", hub.base))
        .send()
        .await?
        .text()
        .await?;
    for expected in [
        "Collège de démonstration",
        "Collège Pierre Loti",
        "0869999Z",
        "0171234K",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(page.contains(expected), "{expected} missing:\n{page}");
    }
    assert!(
        page.contains("Sauvegardes non configurées"),
        "no [backup] here: an alert\n{page}"
    );
    let etab = staff
        .get(format!("{}/etablissements/0171234K", hub.base))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        etab.contains("0171234K_Complet_20260828") && etab.contains(&format!("{created} créés")),
        "{etab}"
    );
    // The hub shows each file fetched and the delivery applied.
    assert!(
        etab.contains("ENT2D_0171234K_Complet_20260828_Eleve_0000.xml"),
        "{etab}"
    );
    assert!(
        etab.contains("0171234K_Complet_20260828 : appliquée le"),
        "{etab}"
    );
    assert!(
        !etab.contains("<td data-libelle=\"Retiré le\">pas encore</td>"),
        "every file fetched: {etab}"
    );
    assert_eq!(
        std::fs::read_dir(&drop)?.count(),
        0,
        "taken from the drop folder once imported"
    );
    // A form without the session's token is refused.
    let r = staff
        .post(format!("{}/deconnexion", hub.base))
        .form(&[("csrf", "x")])
        .send()
        .await?;
    assert_eq!(r.status(), 403);

    // Refusals: no certificate, another authority's, another établissement's UAI.
    let message = serde_json::json!({
        "type": "etat", "uai": "0869999Z", "jour": "2026-12-01", "version": "pirate",
        "genere_le": 1, "dernier_import": null, "comptes_actifs": {},
        "disque": {"libre_octets": 1, "total_octets": 2}, "messages_en_attente": 0
    })
    .to_string();
    let anonymous = HttpsTransport::new(&format!("{}/api/messages", hub.base), Some(&hub.ca))?;
    let e = anonymous
        .post("k1", "etat", &message)
        .await
        .err()
        .ok_or("accepted without a certificate")?;
    assert!(e.contains("401") && e.contains("certificat"), "{e}");
    let foreign = cartable_tests::test_pki()?;
    let (fc, fk) = (tmp.path().join("autre.crt"), tmp.path().join("autre.key"));
    std::fs::write(&fc, &foreign.cert_pem)?;
    std::fs::write(&fk, &foreign.key_pem)?;
    let outsider = HttpsTransport::with_identity(
        &format!("{}/api/messages", hub.base),
        Some(&hub.ca),
        Some((&fc, &fk)),
    )?;
    let e = outsider
        .post("k2", "etat", &message)
        .await
        .err()
        .ok_or("another authority accepted")?;
    assert!(e.contains("injoignable"), "the handshake itself fails: {e}");
    let neighbour = HttpsTransport::with_identity(
        &format!("{}/api/messages", hub.base),
        Some(&hub.ca),
        Some((&feed_cert, &feed_key)),
    )?;
    let e = neighbour
        .post("k3", "etat", &message)
        .await
        .err()
        .ok_or("wrote for another UAI")?;
    assert!(e.contains("403") && e.contains("0869999Z"), "{e}");
    assert_eq!(
        count("SELECT count(*) FROM etats WHERE version = 'pirate'"),
        "0"
    );
    // The demo's certificate sees none of the collège's deliveries, and cannot fetch them.
    let demo_flux = cartable_web::outbound::client_with(
        Some(&hub.ca),
        Some((&demo_cert, &demo_key)),
        Duration::from_secs(20),
    )?;
    let list = demo_flux
        .get(format!("{}/api/flux", hub.base))
        .send()
        .await?
        .text()
        .await?;
    assert_eq!(list, "[]");
    for name in [
        "ENT2D_0171234K_Complet_20260828_Eleve_0000.xml",
        "..%2F0171234K%2FENT2D_0171234K_Complet_20260828_Eleve_0000.xml",
    ] {
        let r = demo_flux
            .get(format!("{}/api/flux/{name}", hub.base))
            .send()
            .await?;
        assert_eq!(r.status(), 404, "{name}");
    }
    std::mem::drop((d1, d2));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_without_the_hub_then_every_message_arrives_once() -> TestResult {
    let pg = tokio::task::spawn_blocking(Postgres::start).await??;
    let tmp = tempfile::tempdir()?;
    let mut hub = Hub::init(&pg, &tmp.path().join("hub"))?;
    let (cert, key) = hub.add("0860001A", "Collège des Essais")?;
    hub.start()?;
    let b = Backend::embedded().await?;
    b.dir.apply(crate::directory::college()).await?;
    let clock: SharedClock = Arc::new(b.clock.clone());
    let transport = HttpsTransport::with_identity(
        &format!("{}/api/messages", hub.base),
        Some(&hub.ca),
        Some((&cert, &key)),
    )?;
    let r = Reporter {
        store: b.store.clone(),
        directory: b.dir.clone(),
        clock: clock.clone(),
        outbox: Outbox::new(b.store.clone(), clock.clone(), Duration::from_secs(60)),
        data_dir: std::env::temp_dir(),
        backup_dir: None,
        version: "test",
    };
    hub.stop();
    // Seven school days of visits while the hub is down: nothing leaves, nothing is lost.
    let counted = audience::Audience::default();
    for day in 0..7 {
        let now = clock.now();
        for (login, profile, times) in [
            ("a.eleve", Profile::Eleve, 3 + day),
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
        counted.flush(&b.store).await?;
        b.clock.advance(time::Duration::days(1));
        r.enqueue_due().await?;
        let s = r.outbox.send_due(&transport).await?;
        assert_eq!(s.sent, 0);
    }
    let queued = r.outbox.all().await?;
    assert_eq!(
        queued.len(),
        7 + 7,
        "seven days of indicators, seven statuses"
    );

    // Back: everything is delivered, in as many rounds as the retries take.
    hub.start()?;
    for _ in 0..12 {
        b.clock.advance(time::Duration::hours(7));
        r.outbox.send_due(&transport).await?;
    }
    let rows = r.outbox.all().await?;
    assert!(rows.iter().all(|m| m.sent_at.is_some()), "all acknowledged");
    let count = |sql: &str| pg.psql("cartable_academie", sql).unwrap_or_default();
    assert_eq!(
        count("SELECT count(*) FROM messages"),
        rows.len().to_string()
    );
    assert_eq!(count("SELECT count(DISTINCT jour) FROM indicateurs"), "7");
    assert_eq!(
        count("SELECT sum(visites) FROM indicateurs WHERE profil = 'eleve'"),
        // a.eleve 3..=9 visits, b.eleve 1 a day
        ((3..10).sum::<i64>() + 7).to_string()
    );
    // A message sent again (its answer lost) is acknowledged and not counted twice.
    let again = &rows[0];
    transport.post(&again.key, &again.kind, &again.body).await?;
    assert_eq!(
        count("SELECT count(*) FROM messages"),
        rows.len().to_string()
    );
    assert_eq!(
        count("SELECT sum(visites) FROM indicateurs WHERE profil = 'eleve'"),
        ((3..10).sum::<i64>() + 7).to_string()
    );
    Ok(())
}

/// The dashboard in Chromium at 390 and 1280 px: signed in through its form, each page
/// accessible (axe-core) and no wider than the screen, with a school term of usage in charts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_the_dashboard_reads_on_a_phone() -> TestResult {
    use fantoccini::Locator;
    let axe = crate::browser_pages::axe_source()?;
    let shots = std::env::var_os("CARTABLE_SCREENSHOTS").map(std::path::PathBuf::from);
    if let Some(d) = &shots {
        std::fs::create_dir_all(d)?;
    }
    let pg = tokio::task::spawn_blocking(Postgres::start).await??;
    let tmp = tempfile::tempdir()?;
    let mut hub = Hub::init(&pg, &tmp.path().join("hub"))?;
    hub.add("0860001A", "Collège des Essais")?;
    hub.add("0171234K", "Collège Pierre Loti")?;
    hub.account("dane", "Delphine ANE", "un mot de passe assez long")?;
    hub.start()?;
    // Ten weeks of usage and a status, as if sent (the sending is tested above).
    pg.psql(
        "cartable_academie",
        "INSERT INTO indicateurs SELECT '0860001A', d::date, s, p, 10 + (extract(doy FROM d)::int % 7) * 3, 5
           FROM generate_series(date '2026-09-01', date '2026-11-10', interval '1 day') d,
                unnest(ARRAY['accueil','cahier_textes','notes','absences']) s,
                unnest(ARRAY['eleve','responsable','enseignant']) p
          WHERE extract(isodow FROM d) < 6",
    )?;
    pg.psql(
        "cartable_academie",
        "INSERT INTO etats VALUES ('0860001A', current_date, '0.1.0', now(), now() - interval '1 day',
           now() - interval '5 days', true, 5, 100, 2, '{\"eleve\": 480, \"parent\": 610}')",
    )?;
    // A delivery deposited for it, with the long names AAF files have.
    let offered = hub.dir.join("flux/0860001A");
    std::fs::create_dir_all(&offered)?;
    std::fs::write(
        offered.join("ENT2D_0860001A_Complet_20260901_PersRelEleve_0000.xml"),
        "<x/>",
    )?;
    let b = cartable_tests::browser::Browser::start().await?;
    let c = &b.client;
    cartable_tests::browser::open(c, &format!("{}/", hub.base)).await?;
    c.find(Locator::Id("login"))
        .await?
        .send_keys("dane")
        .await?;
    c.find(Locator::Id("mot-de-passe"))
        .await?
        .send_keys("un mot de passe assez long")
        .await?;
    c.find(Locator::Id("se-connecter")).await?.click().await?;
    // The click returns before the page it leads to has come (the password check is slow
    // on purpose): wait for the overview, 20 s at most.
    let started = std::time::Instant::now();
    let overview = loop {
        let page = c.source().await?;
        if page.contains("Disque occupé") || started.elapsed().as_secs() > 20 {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(overview.contains("Disque occupé à 95 %"), "{overview}");
    assert!(overview.contains("Dernière sauvegarde il y a 5 jours"));
    assert!(overview.contains("Aucun message reçu"), "the silent one");
    let mut problems = Vec::new();
    for (w, h) in [(390u32, 844u32), (1280, 900)] {
        c.set_window_size(w, h).await?;
        for page in [
            "/",
            "/etablissements/0860001A",
            "/usages",
            "/usages?mesure=visiteurs&uai=0860001A",
        ] {
            cartable_tests::browser::open(c, &format!("{}{page}", hub.base)).await?;
            let shot = shots.as_ref().map(|d| {
                d.join(format!(
                    "academie-{w}-{}.png",
                    page.replace(['/', '?', '&', '='], "-")
                ))
            });
            problems.extend(
                crate::browser_pages::check(c, &axe, &format!("{page} à {w} px"), shot).await?,
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The charts' figures are the table's.
    cartable_tests::browser::open(c, &format!("{}/usages?annee=2026", hub.base)).await?;
    let page = c.source().await?;
    assert!(page.contains("id=\"graphique-services\"") && page.contains("id=\"tableau-services\""));
    let csv = reqwest_csv(&hub, c).await?;
    assert!(
        csv.starts_with("uai;semaine;service;profil;visites;visiteurs"),
        "{csv}"
    );
    assert!(csv.contains("0860001A;2026-09-07;accueil;eleve;"), "{csv}");
    b.close().await;
    Ok(())
}

/// The CSV export, fetched with the browser's session cookie.
async fn reqwest_csv(
    hub: &Hub,
    c: &fantoccini::Client,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let cookie = c.get_named_cookie("__Host-academie").await?;
    let client = cartable_tests::http::client(&hub.ca)?;
    Ok(client
        .get(format!("{}/usages.csv?annee=2026", hub.base))
        .header("Cookie", format!("__Host-academie={}", cookie.value()))
        .send()
        .await?
        .text()
        .await?)
}

/// Every route of the hub against who asks: nobody, an établissement's certificate, a
/// signed-in staff member. A certificate never opens the dashboard; a session never writes
/// for an établissement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hub_route_is_checked_against_who_asks() -> TestResult {
    use cartable_academie::web::routes::{ROUTES, Rule};
    let pg = tokio::task::spawn_blocking(Postgres::start).await??;
    let tmp = tempfile::tempdir()?;
    let mut hub = Hub::init(&pg, &tmp.path().join("hub"))?;
    let (cert, key) = hub.add("0860001A", "Collège des Essais")?;
    hub.account("dane", "Delphine ANE", "un mot de passe assez long")?;
    hub.start()?;
    let no_redirect = |identity: Option<(&Path, &Path)>| {
        cartable_web::outbound::client_with(Some(&hub.ca), identity, Duration::from_secs(20))
    };
    // A delivery file deposited for it, settled.
    const DEPOSITED: &str = "ENT2D_0860001A_Complet_20260901_Eleve_0000.xml";
    let offered = hub.dir.join("flux/0860001A");
    std::fs::create_dir_all(&offered)?;
    std::fs::write(offered.join(DEPOSITED), "<x/>")?;
    // Written a minute ago, as far as the hub can tell.
    let old = std::fs::metadata(offered.join(DEPOSITED))?.modified()? - Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(offered.join(DEPOSITED))?
        .set_modified(old)?;
    let nobody = no_redirect(None)?;
    let etab = no_redirect(Some((&cert, &key)))?;
    // A staff session, by its cookie.
    let staff = hub.staff("dane", "un mot de passe assez long").await?;
    let page = staff
        .get(format!("{}/", hub.base))
        .send()
        .await?
        .text()
        .await?;
    let csrf_token = csrf_in(&page).ok_or("no session token on the dashboard")?;
    let mut checked = 0;
    // Signing out last: it ends the session the other rows use.
    let mut routes: Vec<_> = ROUTES.iter().collect();
    routes.sort_by_key(|r| r.rule == Rule::Personnel && r.method.as_str() == "POST");
    for route in routes {
        let path = route
            .path
            .replace("{uai}", "0860001A")
            .replace("{nom}", DEPOSITED);
        let url = format!("{}{path}", hub.base);
        let get = route.method.as_str() == "GET";
        for (who, client) in [
            ("personne", &nobody),
            ("établissement", &etab),
            ("personnel", &staff),
        ] {
            let req = if get {
                client.get(&url)
            } else if route.rule == Rule::Personnel {
                client.post(&url).form(&[("csrf", csrf_token.as_str())])
            } else {
                client.post(&url).body("{}")
            };
            let status = req.send().await?.status().as_u16();
            let expected = match (route.rule, get, who) {
                (Rule::Public, true, _) => 200,
                // The sign-in form without its cookie's token, whoever posts it.
                (Rule::Public, false, _) => 403,
                (Rule::Etablissement, true, "établissement") => 200,
                (Rule::Etablissement, false, "établissement") => 422, // let in; "{}" is no message
                (Rule::Etablissement, _, _) => 401,
                (Rule::Personnel, true, "personnel") => 200,
                (Rule::Personnel, true, _) => 303,
                (Rule::Personnel, false, "personnel") => 303,
                (Rule::Personnel, false, _) => 403,
            };
            assert_eq!(status, expected, "{} {path} par {who}", route.method);
            checked += 1;
        }
    }
    assert_eq!(checked, ROUTES.len() * 3);
    Ok(())
}
