//! The appel under `kill -9`: the vie scolaire takes a burst of appels at once, cartabled is
//! killed in the middle; after restart every acknowledged appel is there, with its absent.
//! The CPE's follow-up of a pupil absent in the demo: a phone call noted, the letter to the
//! family as PDF, both in the pupil's file.

use std::sync::{Arc, Mutex};

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn text(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    let res = c.get(url).send().await?;
    assert_eq!(res.status().as_u16(), 200, "{url}");
    Ok(res.text().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_appel_survives_kill_9() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let mut daemon = Daemon::demo(&data)?;
    let cpe = accounts::first(&demo, "vie-scolaire").ok_or("no cpe")?;
    let c = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&c, &daemon.url, &cpe.login, &cpe.password).await?,
        303
    );
    let base = daemon.url.clone();
    // The day's appels not yet taken (the demo leaves some of 9:00 and every one after 10:00).
    let board = text(&c, &format!("{base}/vie-scolaire")).await?;
    let table = board
        .split("id=\"appels-du-jour\"")
        .nth(1)
        .ok_or("no appels table")?;
    let todo: Vec<String> = table
        .split("<tr>")
        .filter(|r| r.contains(">à faire<"))
        .filter_map(|r| {
            r.split("href=\"/vie-scolaire/appel/")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(str::to_owned)
        })
        .collect();
    assert!(todo.len() >= 20, "only {} appels to take", todo.len());
    // For each, its page: the CSRF token and a pupil to mark absent.
    let mut forms = Vec::new();
    for id in todo.iter().take(40) {
        let page = text(&c, &format!("{base}/vie-scolaire/appel/{id}")).await?;
        let Some(pupil) = page
            .split("data-eleve=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        forms.push((id.clone(), pupil.to_owned(), csrf_in(&page).ok_or("csrf")?));
    }
    // The burst; kill -9 once some are acknowledged.
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (id, pupil, csrf) in forms.clone() {
        let (c, base, acked) = (c.clone(), base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(format!("{base}/vie-scolaire/appel/{id}"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    (&format!("etat.{pupil}"), "absent"),
                ])
                .send()
                .await;
            if let Ok(r) = res
                && r.status().as_u16() == 303
                && let Ok(mut a) = acked.lock()
            {
                a.push((id, pupil));
            }
        }));
    }
    let started = std::time::Instant::now();
    while acked.lock().map(|a| a.len()).unwrap_or_default() < forms.len() / 3
        && started.elapsed() < std::time::Duration::from_secs(30)
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    daemon.kill9()?;
    for t in tasks {
        let _ = t.await;
    }
    let acked = acked.lock().map(|a| a.clone()).unwrap_or_default();
    assert!(!acked.is_empty(), "nothing acknowledged before the kill");

    let daemon = Daemon::demo(&data)?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &daemon.url, &cpe.login, &cpe.password).await?;
    for (id, pupil) in &acked {
        let page = text(&c, &format!("{}/vie-scolaire/appel/{id}", daemon.url)).await?;
        assert!(page.contains("fait à"), "appel {id} lost:\n{page}");
        let row = page
            .split(&format!("data-eleve=\"{pupil}\""))
            .nth(1)
            .and_then(|s| s.split("</li>").next())
            .ok_or("no row")?;
        assert!(
            row.contains("value=\"absent\" checked"),
            "{pupil} not absent in appel {id}:\n{row}"
        );
    }
    println!(
        "{} appels acquittés sur {} avant kill -9, tous retrouvés",
        acked.len(),
        forms.len()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cpe_notes_a_call_and_prints_the_letter_to_the_family() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let cpe = accounts::first(&demo, "vie-scolaire").ok_or("no cpe")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &cpe.login, &cpe.password).await?;
    let board = text(&c, &format!("{base}/vie-scolaire")).await?;
    let absents = board.split("id=\"absents\"").nth(1).ok_or("no absents")?;
    let pupil = absents
        .split("href=\"/vie-scolaire/eleve/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no absent pupil")?
        .to_owned();
    let page = text(&c, &format!("{base}/vie-scolaire/eleve/{pupil}")).await?;
    assert!(page.contains("Aucun contact ni aucune mesure"), "{page}");
    let csrf = csrf_in(&page).ok_or("csrf")?;
    let today = page
        .split("id=\"jour\" name=\"jour\" type=\"date\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no date")?
        .to_owned();
    // Nothing described: refused, nothing added.
    let res = c
        .post(format!("{base}/vie-scolaire/eleve/{pupil}/suivi"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("quoi", "contact:telephone"),
            ("jour", &today),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let res = c
        .post(format!("{base}/vie-scolaire/eleve/{pupil}/suivi"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("quoi", "contact:telephone"),
            ("jour", &today),
            ("note", "La mère prévient : fièvre, retour lundi."),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let res = c
        .post(format!("{base}/vie-scolaire/eleve/{pupil}/courrier"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let pdf = lopdf::Document::load_mem(&res.bytes().await?)?;
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let letter = pdf.extract_text(&pages)?;
    assert!(letter.contains("Absences non justifiées de"), "{letter}");
    assert!(
        letter.contains("Demi-journées d'absence non justifiées"),
        "{letter}"
    );
    assert!(letter.contains("matin"), "{letter}");
    let page = text(&c, &format!("{base}/vie-scolaire/eleve/{pupil}")).await?;
    let file = page
        .split("id=\"suivi\"")
        .nth(1)
        .ok_or(format!("no file:\n{page}"))?;
    assert!(file.contains("Contact : appel téléphonique"), "{file}");
    assert!(
        file.contains("La mère prévient : fièvre, retour lundi."),
        "{file}"
    );
    assert!(file.contains("Contact : courrier"), "{file}");
    assert_eq!(
        file.matches("<tr>").count(),
        3,
        "header and two lines:\n{file}"
    );
    Ok(())
}
