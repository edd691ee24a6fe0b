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

    // The family calls: absent from an afternoon to the next day's, ill. Entered by the CPE,
    // justified (the first school days from today).
    let csrf = csrf_in(&page).ok_or("csrf")?;
    let first = cartable_core::dates::parse_iso(&today).ok_or("date")?;
    let mut after = String::new();
    let mut tomorrow = String::new();
    for d in 0..30 {
        let from = cartable_core::dates::iso(first + time::Duration::days(d));
        tomorrow = cartable_core::dates::iso(first + time::Duration::days(d + 1));
        let res = c
            .post(format!("{base}/vie-scolaire/eleve/{pupil}/absence"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("du", from.as_str()),
                ("du_demi", "apres-midi"),
                ("au", tomorrow.as_str()),
                ("au_demi", "apres-midi"),
                ("motif", "maladie"),
                ("note", "appel de la mère"),
            ])
            .send()
            .await?;
        after = text(
            &c,
            &format!("{base}{}", cartable_tests::http::location(&res)),
        )
        .await?;
        if after.contains("Absence enregistrée") {
            break;
        }
    }
    assert!(after.contains("Absence enregistrée"), "{after}");
    assert!(
        after.contains("signalée par la vie scolaire (appel de la mère)"),
        "{after}"
    );
    assert!(
        after.contains("Justifiée (Maladie de l&#39;enfant)"),
        "{after}"
    );
    // Backwards: refused, nothing added.
    let res = c
        .post(format!("{base}/vie-scolaire/eleve/{pupil}/absence"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("du", tomorrow.as_str()),
            ("du_demi", "matin"),
            ("au", today.as_str()),
            ("au_demi", "matin"),
        ])
        .send()
        .await?;
    let refused = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(refused.contains("Absence signalée : du"), "{refused}");

    // The établissement's motifs: one added (justifying), one withdrawn; the forms follow.
    let lists = text(&c, &format!("{base}/vie-scolaire/listes")).await?;
    let csrf = csrf_in(&lists).ok_or("csrf")?;
    let res = c
        .post(format!("{base}/vie-scolaire/listes/motif"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("libelle", "Convocation judiciaire"),
            ("justifie", "1"),
        ])
        .send()
        .await?;
    let lists = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(
        lists.contains("« Convocation judiciaire » ajouté à la liste."),
        "{lists}"
    );
    let res = c
        .post(format!("{base}/vie-scolaire/listes/motif/autre/retirer"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let page = text(&c, &format!("{base}/vie-scolaire/eleve/{pupil}")).await?;
    let select = page
        .split("id=\"motif-absence\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .ok_or("no motif select")?;
    assert!(select.contains(">Convocation judiciaire<"), "{select}");
    assert!(!select.contains("Autre motif"), "{select}");
    Ok(())
}

/// A form's answer: the page it sends to (303), or the page itself (a refusal, 422).
async fn outcome(
    c: &reqwest::Client,
    base: &str,
    res: reqwest::Response,
) -> Result<String, BoxError> {
    match res.status().as_u16() {
        303 => {
            text(
                c,
                &format!("{base}{}", cartable_tests::http::location(&res)),
            )
            .await
        }
        422 => Ok(res.text().await?),
        other => Err(format!("unexpected status {other}").into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retenue_by_a_teacher_a_sanction_by_the_direction_the_family_told() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let signed = |profile: &'static str, class: &'static str| {
        let (base, ca, demo) = (base.clone(), daemon.ca(), demo.clone());
        async move {
            let who = demo
                .iter()
                .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
                .cloned()
                .ok_or(profile)?;
            let c = client(&ca)?;
            sign_in(&c, &base, &who.login, &who.password).await?;
            Ok::<_, BoxError>((c, who))
        }
    };
    let (t, _) = signed("enseignant", "6A").await?;
    let (pupil_c, pupil) = signed("eleve", "6A").await?;
    let url = format!("{base}/vie-scolaire/eleve/{}", pupil.login);
    let page = text(&t, &url).await?;
    // The teacher may give a punition, not pronounce a sanction.
    assert!(page.contains("Donner une punition"), "{page}");
    assert!(!page.contains("Prononcer une sanction"), "{page}");
    let csrf = csrf_in(&page).ok_or("csrf")?;
    let today = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
    };
    let punish = |day: String, supervisor: &'static str| {
        let (t, url, csrf, base) = (t.clone(), url.clone(), csrf.clone(), base.clone());
        async move {
            let res = t
                .post(format!("{url}/punition"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("punition", "retenue"),
                    ("motif", "Bavardages répétés malgré les avertissements."),
                    ("retenue_jour", &day),
                    ("retenue_debut", "13:00"),
                    ("retenue_fin", "14:00"),
                    ("surveillant", supervisor),
                ])
                .send()
                .await?;
            outcome(&t, &base, res).await
        }
    };
    // Without its supervisor, or on a past day: refused.
    let tomorrow = cartable_core::dates::iso(today + time::Duration::days(1));
    let refused = punish(tomorrow, "").await?;
    assert!(
        refused.contains("Retenue : un jour de classe à venir"),
        "{refused}"
    );
    // What the teacher typed is still there.
    assert!(
        refused.contains(">Bavardages répétés malgré les avertissements.</textarea>"),
        "{refused}"
    );
    assert!(refused.contains("value=\"13:00\""), "{refused}");
    let refused = punish(
        cartable_core::dates::iso(today - time::Duration::days(1)),
        "M. Perrin",
    )
    .await?;
    assert!(
        refused.contains("Retenue : un jour de classe à venir"),
        "{refused}"
    );
    assert!(refused.contains("Aucune punition."), "{refused}");
    // The first school day from tomorrow (a day without school is refused too).
    let mut done = String::new();
    for d in 1..30 {
        let page = punish(
            cartable_core::dates::iso(today + time::Duration::days(d)),
            "M. Perrin",
        )
        .await?;
        if page.contains("Punition enregistrée") {
            done = page;
            break;
        }
    }
    assert!(
        done.contains("Punition enregistrée : la famille est prévenue."),
        "{done}"
    );
    assert!(done.contains("surveillée par M. Perrin"), "{done}");
    assert!(done.contains("à vérifier"), "{done}");
    // The pupil was told, and sees it.
    let told = text(&pupil_c, &format!("{base}/notifications")).await?;
    assert!(told.contains("Retenue pour"), "{told}");

    // The direction: an exclusion beyond the scale is refused; within it, recorded.
    let (d, _) = signed("direction", "").await?;
    let page = text(&d, &url).await?;
    let csrf = csrf_in(&page).ok_or("csrf")?;
    let res = d
        .post(format!("{url}/sanction"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("instance", "chef"),
            ("sanction", "exclusion-classe"),
            ("duree", "9"),
            ("sursis", "aucun"),
            ("motif", "Violence verbale envers un camarade."),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let refused = res.text().await?;
    assert!(refused.contains("8 jours au plus"), "{refused}");
    assert!(refused.contains("Aucune sanction."), "{refused}");
    assert!(
        refused.contains(">Violence verbale envers un camarade.</textarea>"),
        "{refused}"
    );
    assert!(
        refused.contains("<option value=\"exclusion-classe\" selected>"),
        "{refused}"
    );
    // The chef d'établissement alone cannot exclude definitively.
    let res = d
        .post(format!("{url}/sanction"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("instance", "chef"),
            ("sanction", "exclusion-definitive"),
            ("sursis", "aucun"),
            ("motif", "Violence verbale envers un camarade."),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let refused = res.text().await?;
    assert!(
        refused.contains("Seul le conseil de discipline peut prononcer une exclusion définitive."),
        "{refused}"
    );
    // Without the procédure contradictoire: refused.
    let today = between(
        &page,
        "id=\"jour\" name=\"jour\" type=\"date\" value=\"",
        "\"",
    )
    .ok_or("no date")?
    .to_owned();
    let sanction = |heard: &'static str| {
        let (d, url, csrf, today, base) = (
            d.clone(),
            url.clone(),
            csrf.clone(),
            today.clone(),
            base.clone(),
        );
        async move {
            let heard = if heard == "today" {
                today
            } else {
                heard.to_owned()
            };
            let res = d
                .post(format!("{url}/sanction"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("sanction", "exclusion-classe"),
                    ("duree", "3"),
                    ("sursis", "partiel"),
                    ("sursis_jours", "2"),
                    ("motif", "Violence verbale envers un camarade."),
                    ("informe_le", heard.as_str()),
                    ("observations", "L'élève reconnaît les faits et s'excuse."),
                ])
                .send()
                .await?;
            outcome(&d, &base, res).await
        }
    };
    let refused = sanction("").await?;
    assert!(
        refused.contains("Procédure contradictoire : indiquez"),
        "{refused}"
    );
    assert!(refused.contains("Aucune sanction."), "{refused}");
    let done = sanction("today").await?;
    assert!(
        done.contains("Exclusion temporaire de la classe de 3 jours, dont 2 jours avec sursis"),
        "{done}"
    );
    assert!(
        done.contains("Faits notifiés à l&#39;élève et à sa famille le"),
        "{done}"
    );
    // The letter to the family, as PDF; it goes into the pupil's file.
    let sid = between(&done, "action=\"/vie-scolaire/sanction/", "/courrier")
        .ok_or("no letter button")?
        .to_owned();
    let res = d
        .post(format!("{base}/vie-scolaire/sanction/{sid}/courrier"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let pdf = lopdf::Document::load_mem(&res.bytes().await?)?;
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let letter = pdf.extract_text(&pages)?;
    assert!(letter.contains("Notification d'une sanction"), "{letter}");
    assert!(
        letter.contains("Exclusion temporaire de la classe"),
        "{letter}"
    );
    assert!(letter.contains("reconnaît les faits"), "{letter}");
    // Pronounced by the chef d'établissement: his appeal routes.
    assert!(letter.contains("Voies et délais de recours"), "{letter}");
    assert!(letter.contains("tribunal administratif"), "{letter}");
    assert!(!letter.contains("huit jours"), "{letter}");
    // The conseil de discipline may exclude definitively; its letter names the recteur's appeal.
    let res = d
        .post(format!("{url}/sanction"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("instance", "conseil"),
            ("sanction", "exclusion-definitive"),
            ("sursis", "aucun"),
            ("motif", "Agression physique d'un camarade."),
            ("informe_le", today.as_str()),
        ])
        .send()
        .await?;
    let done = outcome(&d, &base, res).await?;
    assert!(done.contains("par le conseil de discipline"), "{done}");
    let council = between(&done, "action=\"/vie-scolaire/sanction/", "/courrier")
        .ok_or("no letter button")?
        .to_owned();
    assert_ne!(council, sid);
    let res = d
        .post(format!("{base}/vie-scolaire/sanction/{council}/courrier"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    let pdf = lopdf::Document::load_mem(&res.bytes().await?)?;
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let letter = pdf.extract_text(&pages)?;
    assert!(letter.contains("conseil de discipline"), "{letter}");
    assert!(letter.contains("huit jours"), "{letter}");
    assert!(letter.contains("recteur"), "{letter}");
    let file = text(&d, &url).await?;
    assert!(
        section(&file, "suivi").contains("Courrier de notification de sanction"),
        "{file}"
    );
    // The teacher has no letter to print.
    let res = t
        .post(format!("{base}/vie-scolaire/sanction/{sid}/courrier"))
        .form(&[(
            "csrf",
            csrf_in(&text(&t, &url).await?).ok_or("csrf")?.as_str(),
        )])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 403);
    // The vie scolaire checks the retenue's attendance.
    let (v, _) = signed("vie-scolaire", "").await?;
    let page = text(&v, &url).await?;
    let id = page
        .split("/vie-scolaire/punition/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .ok_or("no attendance form")?
        .to_owned();
    let res = v
        .post(format!("{base}/vie-scolaire/punition/{id}/presence"))
        .form(&[
            ("csrf", csrf_in(&page).ok_or("csrf")?.as_str()),
            ("presence", "non"),
        ])
        .send()
        .await?;
    let after = text(
        &v,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(after.contains("class=\"etat-retenue\">absent<"), "{after}");
    Ok(())
}

/// The part of `page` after `id="{id}"`, up to the end of its element's table or list.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    page.split(&format!("id=\"{id}\""))
        .nth(1)
        .map_or("", |s| s.split("</table>").next().unwrap_or(s))
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    s.split(from).nth(1).and_then(|r| r.split(to).next())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sortie_a_dispense_and_a_cancelled_course_are_not_absences() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let cpe = accounts::first(&demo, "vie-scolaire").ok_or("no cpe")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &cpe.login, &cpe.password).await?;
    let board = text(&c, &format!("{base}/vie-scolaire")).await?;
    let day = between(&board, "id=\"au\" name=\"au\" type=\"date\" value=\"", "\"")
        .ok_or("no day")?
        .to_owned();
    // The demo's sortie of the afternoon is on the board.
    assert!(board.contains("Visite du musée des Beaux-Arts"), "{board}");
    let absents = section(&board, "absents");
    let row = absents
        .split("<tr>")
        .find(|r| r.contains("href=\"/vie-scolaire/eleve/"))
        .ok_or("no absent")?;
    let pupil = between(row, "href=\"/vie-scolaire/eleve/", "\"")
        .ok_or("pupil")?
        .to_owned();
    let class_label = between(row, "data-libelle=\"Classe\">", "<")
        .ok_or("class")?
        .to_owned();
    let rows_of = |page: &str| {
        section(page, "absents")
            .matches(&format!("/vie-scolaire/eleve/{pupil}\""))
            .count()
    };
    let before = rows_of(&board);

    // A sortie refused: what was typed stays.
    let form = text(&c, &format!("{base}/vie-scolaire/sorties")).await?;
    let csrf = csrf_in(&form).ok_or("csrf")?;
    let pour = form
        .split("<option value=\"")
        .find(|o| o.contains(&format!(">{class_label}<")))
        .and_then(|o| o.split('"').next())
        .ok_or(format!("no {class_label} in:\n{form}"))?
        .to_owned();
    let res = c
        .post(format!("{base}/vie-scolaire/sorties"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("libelle", ""),
            ("pour", pour.as_str()),
            ("du", day.as_str()),
            ("du_heure", "07:00"),
            ("au", day.as_str()),
            ("au_heure", "19:00"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let refused = res.text().await?;
    assert!(refused.contains("Sortie : donnez-lui un nom"), "{refused}");
    assert!(
        refused.contains(&format!("value=\"{pour}\" selected")),
        "{refused}"
    );
    // The whole day out: the class's pupils are not absent.
    let res = c
        .post(format!("{base}/vie-scolaire/sorties"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("libelle", "Cross du district"),
            ("pour", pour.as_str()),
            ("du", day.as_str()),
            ("du_heure", "07:00"),
            ("au", day.as_str()),
            ("au_heure", "19:00"),
        ])
        .send()
        .await?;
    let shown = format!("{base}{}", cartable_tests::http::location(&res));
    let sortie = text(&c, &shown).await?;
    let page_url = shown.split('?').next().unwrap_or(&shown).to_owned();
    assert!(sortie.contains("Sortie enregistrée pour"), "{sortie}");
    let everyone: Vec<String> = sortie
        .split("name=\"eleve\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect();
    assert!(everyone.contains(&pupil), "{sortie}");
    assert_eq!(sortie.matches(" checked>").count(), everyone.len());
    let board = text(&c, &format!("{base}/vie-scolaire?jour={day}")).await?;
    assert!(rows_of(&board) < before, "{pupil} still absent:\n{board}");
    let csv = c
        .get(format!("{base}/vie-scolaire/export?du={day}&au={day}"))
        .send()
        .await?
        .text()
        .await?;
    assert!(csv.contains("excusée (sortie)"), "{csv}");
    // The class's appel: the pupil on the sortie has nothing to mark.
    let all = section(&board, "appels-du-jour");
    let appel = all
        .split("<tr>")
        .find(|r| r.contains(&format!("— {class_label}</a>")))
        .and_then(|r| between(r, "href=\"/vie-scolaire/appel/", "\""))
        .ok_or(format!("no appel of {class_label}:\n{all}"))?
        .to_owned();
    let appel_url = format!("{base}/vie-scolaire/appel/{appel}");
    let page = text(&c, &appel_url).await?;
    assert!(page.contains("En sortie : Cross du district"), "{page}");
    assert!(!page.contains(&format!("name=\"etat.{pupil}\"")), "{page}");
    // He stays at school: unticked, expected again.
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    for p in everyone.iter().filter(|p| **p != pupil) {
        form.push(("eleve", p));
    }
    let res = c.post(&page_url).form(&form).send().await?;
    let saved = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(
        saved.contains(&format!(
            "Participants enregistrés : {} élève",
            everyone.len() - 1
        )),
        "{saved}"
    );
    let page = text(&c, &appel_url).await?;
    assert!(page.contains(&format!("name=\"etat.{pupil}\"")), "{page}");
    // Cancelled, after a confirmation.
    let res = c
        .post(format!("{page_url}/annuler"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let ask = res.text().await?;
    assert!(ask.contains("La sortie « Cross du district »"), "{ask}");
    let res = c
        .post(format!("{page_url}/annuler"))
        .form(&[("csrf", csrf.as_str()), ("confirme", "1")])
        .send()
        .await?;
    let done = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(done.contains("Sortie annulée"), "{done}");
    let board = text(&c, &format!("{base}/vie-scolaire?jour={day}")).await?;
    assert_eq!(rows_of(&board), before);

    // A dispense without attendance from the appel's subject: nothing to mark; withdrawn.
    let page = text(&c, &appel_url).await?;
    let subject = between(&page, " : ", " — ")
        .ok_or(format!("no subject:\n{page}"))?
        .trim_start_matches(|ch: char| ch != ' ')
        .to_owned();
    let subject = between(&page, "<strong>", "</strong>")
        .and_then(|t| t.rsplit(" : ").next())
        .and_then(|t| t.split(" — ").next())
        .map_or(subject, str::to_owned);
    let pupil_url = format!("{base}/vie-scolaire/eleve/{pupil}");
    let res = c
        .post(format!("{pupil_url}/dispense"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("matiere", subject.as_str()),
            ("du", day.as_str()),
            ("au", day.as_str()),
            ("note", "certificat du Dr Martin"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let refused = res.text().await?;
    assert!(refused.contains("Dispense : la matière"), "{refused}");
    assert!(
        refused.contains("value=\"certificat du Dr Martin\""),
        "{refused}"
    );
    let res = c
        .post(format!("{pupil_url}/dispense"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("matiere", subject.as_str()),
            ("du", day.as_str()),
            ("au", day.as_str()),
            ("presence", "non"),
            ("note", "certificat"),
        ])
        .send()
        .await?;
    let file = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(
        file.contains(&format!("Dispense de {subject} enregistrée")),
        "{file}"
    );
    let page = text(&c, &appel_url).await?;
    assert!(
        page.contains(&format!("Dispensé ({subject}), non attendu au cours")),
        "{page}"
    );
    assert!(!page.contains(&format!("name=\"etat.{pupil}\"")), "{page}");
    let withdraw = between(&file, "action=\"/vie-scolaire/dispense/", "\"")
        .ok_or("no withdraw")?
        .to_owned();
    let res = c
        .post(format!("{base}/vie-scolaire/dispense/{withdraw}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert!(
        text(
            &c,
            &format!("{base}{}", cartable_tests::http::location(&res))
        )
        .await?
        .contains("Dispense retirée.")
    );
    let page = text(&c, &appel_url).await?;
    assert!(page.contains(&format!("name=\"etat.{pupil}\"")), "{page}");

    // Counting by hour, alert at one: the board and the pupil's page follow; a threshold of 0
    // is refused.
    let set = |unit: &'static str, threshold: &'static str| {
        let (c, base, csrf) = (c.clone(), base.clone(), csrf.clone());
        async move {
            let res = c
                .post(format!("{base}/vie-scolaire/listes/decompte"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("unite", unit),
                    ("seuil", threshold),
                ])
                .send()
                .await?;
            text(
                &c,
                &format!("{base}{}", cartable_tests::http::location(&res)),
            )
            .await
        }
    };
    let lists = set("heure", "0").await?;
    assert!(lists.contains("Décompte : choisissez"), "{lists}");
    let lists = set("heure", "1").await?;
    assert!(lists.contains("Décompte enregistré"), "{lists}");
    assert!(lists.contains("value=\"heure\" checked"), "{lists}");
    let board = text(&c, &format!("{base}/vie-scolaire?jour={day}")).await?;
    assert!(board.contains("au moins 1 heure d&#39;absence"), "{board}");
    let alerts = section(&board, "alertes");
    assert!(alerts.contains(&format!("eleve/{pupil}\"")), "{alerts}");
    let file = text(&c, &pupil_url).await?;
    assert!(
        between(&file, "id=\"decompte\" role=\"status\">", "<")
            .is_some_and(|s| s.contains("heure")),
        "{file}"
    );
    set("journee", "4").await?;
    let file = text(&c, &pupil_url).await?;
    assert!(
        between(&file, "id=\"decompte\" role=\"status\">", "<")
            .is_some_and(|s| s.contains("journée")),
        "{file}"
    );
    set("demi-journee", "4").await?;

    // The rates for the conseil d'administration: the class's line, the établissement's.
    let rates = text(&c, &format!("{base}/vie-scolaire/taux")).await?;
    let classes = section(&rates, "taux-classes");
    assert!(classes.contains(&format!(">{class_label}<")), "{rates}");
    let total = section(&rates, "taux-etablissement");
    let absences: usize = between(total, "data-libelle=\"Absences\">", "<")
        .and_then(|n| n.parse().ok())
        .ok_or(format!("no total:\n{total}"))?;
    assert!(absences > 0, "{total}");
    assert!(section(&rates, "taux-niveaux").contains(">6e<"), "{rates}");
    let res = c
        .get(format!("{base}/vie-scolaire/taux?du=demain&au={day}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);

    // The timetable cancels the class's last course of the day: no appel any more.
    let count_appels = |page: &str| {
        between(page, "Tous les appels du jour (", ")").and_then(|n| n.parse::<usize>().ok())
    };
    let before = count_appels(&board).ok_or("no count")?;
    let code = pour.trim_start_matches("classe:");
    let d = cartable_core::dates::parse_iso(&day).ok_or("day")?;
    let monday = cartable_core::dates::iso(cartable_core::dates::monday_of(d));
    let week = text(
        &c,
        &format!("{base}/emploi-du-temps?classe={code}&semaine={monday}"),
    )
    .await?;
    let on_day = week
        .split(&format!("data-date=\"{day}\""))
        .nth(1)
        .ok_or(format!("no {day}:\n{week}"))?;
    let on_day = on_day.split("data-date=\"").next().unwrap_or(on_day);
    // The class's own course (not a group's), with its teacher.
    let last = on_day
        .split("data-cours=\"")
        .skip(1)
        .filter(|s| s.contains(&format!("class=\"qui\">{class_label} — ")))
        .filter_map(|s| s.split('"').next())
        .last()
        .ok_or(format!("no course on {day}"))?
        .to_owned();
    let res = c
        .post(format!("{base}/emploi-du-temps/changement"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("cours", last.as_str()),
            ("date", day.as_str()),
            ("action", "annuler"),
            ("note", "Professeur absent"),
            ("retour", "/emploi-du-temps"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let said = text(
        &c,
        &format!("{base}{}", cartable_tests::http::location(&res)),
    )
    .await?;
    assert!(said.contains("annulé"), "{last}: {said}");
    let board = text(&c, &format!("{base}/vie-scolaire?jour={day}")).await?;
    assert_eq!(count_appels(&board), Some(before - 1), "{board}");
    Ok(())
}
