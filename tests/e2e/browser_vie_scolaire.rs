//! The appel on a 390 px phone, in Chromium, with a real mail server: a teacher takes the
//! appel of a course with an absent and a late pupil; the absent pupil's two parents each find
//! the notification in the ENT and receive one e-mail; one of them justifies with a piece; the
//! CPE accepts; the parent sees it justified.

use std::time::Duration;

use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in as http_sign_in};
use cartable_tests::smtp::{MailServer, body_text};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{fits_phone, sign_in, sign_out, wait_message, wait_path, wait_text};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn signed(
    base: &str,
    ca: &std::path::Path,
    who: &DemoLogin,
) -> Result<reqwest::Client, BoxError> {
    let c = client(ca)?;
    assert_eq!(
        http_sign_in(&c, base, &who.login, &who.password)
            .await?
            .as_u16(),
        303
    );
    Ok(c)
}

async fn json(c: &reqwest::Client, url: &str) -> Result<serde_json::Value, BoxError> {
    Ok(serde_json::from_str(
        &c.get(url).send().await?.text().await?,
    )?)
}

/// A 6A pupil with two parents, and those parents' logins (found in the annuaire by the CPE).
async fn family(
    base: &str,
    ca: &std::path::Path,
    demo: &[DemoLogin],
    cpe: &reqwest::Client,
    skip: &[String],
) -> Result<(DemoLogin, Vec<DemoLogin>), BoxError> {
    for pupil in demo
        .iter()
        .filter(|d| d.profile == "eleve" && d.classe == "6A" && !skip.contains(&d.login))
    {
        let c = signed(base, ca, pupil).await?;
        let me = json(&c, &format!("{base}/compte/donnees")).await?;
        let names: Vec<String> = me["responsables"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if names.len() != 2 {
            continue;
        }
        let mut parents = Vec::new();
        for name in &names {
            let family = name.rsplit(' ').next().unwrap_or_default();
            let found = cpe
                .get(format!("{base}/annuaire"))
                .query(&[("q", family), ("profil", "responsable")])
                .send()
                .await?
                .text()
                .await?;
            let login = found
                .split("<a href=\"/personnes/")
                .skip(1)
                .find(|s| {
                    s.split_once("\">")
                        .is_some_and(|(_, rest)| rest.starts_with(name.as_str()))
                })
                .and_then(|s| s.split('"').next())
                .ok_or(format!("{name} not found:\n{found}"))?;
            parents.push(
                demo.iter()
                    .find(|d| d.login == login)
                    .cloned()
                    .ok_or("no password")?,
            );
        }
        return Ok((pupil.clone(), parents));
    }
    Err("no 6A pupil with two parents".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appel_on_a_phone_tells_both_parents_who_justify_and_the_cpe_accepts() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let relay = MailServer::start(&tmp.path().join("smtp"))?;
    let daemon = Daemon::demo_with_relay(tmp.path(), &data, relay.port)?;
    let base = daemon.url.clone();
    let ca = data.join("tls/ca.pem");
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let cpe_login = first("vie-scolaire", "")?;
    let cpe = signed(&base, &ca, &cpe_login).await?;
    let (absent, parents) = family(&base, &ca, &demo, &cpe, &[]).await?;
    let (late, _) = family(&base, &ca, &demo, &cpe, std::slice::from_ref(&absent.login)).await?;
    let teacher = first("enseignant", "6A")?;

    let b = Browser::start().await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;

    // The teacher, on his phone: a course of 6A today (added, an after-school one: the test
    // runs on any day), its appel with one absent and one late pupil.
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/vie-scolaire")).await?;
    c.find(Locator::Css("details summary"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#pour option[value='classe:6A']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("matiere"))
        .await?
        .send_keys("Mathématiques")
        .await?;
    c.execute(
        "document.getElementById('debut').value = '17:30'; \
         document.getElementById('fin').value = '18:25';",
        vec![],
    )
    .await?;
    c.find(Locator::Id("ajouter-cours")).await?.click().await?;
    let added = wait_message(&b, "").await?;
    assert_eq!(added, "Cours ajouté : faites l'appel ci-dessous.");
    assert_eq!(wait_text(&b, "etat-appel").await?, "à faire");
    c.find(Locator::Css(&format!(
        "li[data-eleve='{}'] input[value='absent']",
        absent.login
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Css(&format!(
        "li[data-eleve='{}'] input[value='retard']",
        late.login
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Css(&format!(
        "li[data-eleve='{}'] input[type='number']",
        late.login
    )))
    .await?
    .send_keys("10")
    .await?;
    c.find(Locator::Id("valider-appel")).await?.click().await?;
    let saved = wait_message(&b, &added).await?;
    assert_eq!(saved, "Appel enregistré : 1 absent, 1 retard.");
    wait_path(&b, "/vie-scolaire").await?;
    let mine = wait_text(&b, "mes-appels").await?;
    assert!(mine.contains("fait à"), "{mine}");
    fits_phone(&b).await?;
    sign_out(&b).await?;

    // Each parent of the absent pupil: one e-mail, and the notification in the ENT.
    for p in &parents {
        let address = format!("{}@demo.invalid", p.login);
        let mails = relay.wait_for(&address, 1, Duration::from_secs(60))?;
        let text = body_text(&mails[0]);
        assert!(text.contains("Absence de"), "{text}");
        assert!(text.contains("Mathématiques"), "{text}");
        let pc = signed(&base, &ca, p).await?;
        let list = pc
            .get(format!("{base}/notifications"))
            .send()
            .await?
            .text()
            .await?;
        assert_eq!(list.matches("Absence de").count(), 1, "{list}");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for p in &parents {
        assert_eq!(
            relay.mailbox(&format!("{}@demo.invalid", p.login)).len(),
            1,
            "one mail per parent"
        );
    }

    // The first parent, on his phone: from the notification to the justification, with a PDF.
    let parent = &parents[0];
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Id("lien-notifications"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/notifications").await?;
    c.find(Locator::Css("#notifications a"))
        .await?
        .click()
        .await?;
    wait_path(&b, &format!("/vie-scolaire/eleve/{}", absent.login)).await?;
    let table = wait_text(&b, "absences").await?;
    assert!(table.contains("Non justifiée"), "{table}");
    c.find(Locator::Css("#motif option[value='maladie']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("message"))
        .await?
        .send_keys("Fièvre depuis hier soir.")
        .await?;
    let pdf = tmp.path().join("certificat.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")?;
    c.find(Locator::Id("piece"))
        .await?
        .send_keys(&pdf.to_string_lossy())
        .await?;
    c.find(Locator::Id("envoyer-justification"))
        .await?
        .click()
        .await?;
    let sent = wait_message(&b, "").await?;
    assert_eq!(
        sent,
        "Justification envoyée : la vie scolaire vous répondra ici."
    );
    assert!(
        wait_text(&b, "absences")
            .await?
            .contains("Justification envoyée, en attente")
    );
    sign_out(&b).await?;

    // The CPE: the justification on the board, its piece, accepted in one click.
    sign_in(&b, &base, &cpe_login.login, &cpe_login.password).await?;
    wait_path(&b, "/").await?;
    // Today's board (on a day without school the board opens on the last school day).
    let today = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
    };
    c.goto(&format!(
        "{base}/vie-scolaire?jour={}",
        cartable_core::dates::iso(today)
    ))
    .await?;
    let board = wait_text(&b, "a-traiter").await?;
    assert!(board.contains("Maladie de l'enfant"), "{board}");
    assert!(board.contains("Fièvre depuis hier soir."), "{board}");
    let absents = wait_text(&b, "absents").await?;
    assert!(absents.contains("absent à 17h30"), "{absents}");
    assert!(absents.contains("retard de 10 min"), "{absents}");
    let piece = c
        .find(Locator::Css("#a-traiter a[href$='/piece']"))
        .await?
        .attr("href")
        .await?
        .ok_or("no piece link")?;
    let res = cpe.get(format!("{base}{piece}")).send().await?;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.bytes().await?.starts_with(b"%PDF-"));
    // The pupil's page says each parent was reached by e-mail.
    let cpe_view = cpe
        .get(format!("{base}/vie-scolaire/eleve/{}", absent.login))
        .send()
        .await?
        .text()
        .await?;
    let told = cpe_view
        .split("class=\"prevenus\">")
        .nth(1)
        .and_then(|s| s.split("</td>").next())
        .ok_or(format!("no families column:\n{cpe_view}"))?;
    assert_eq!(told.matches("courriel envoyé le").count(), 2, "{told}");
    let id = piece
        .trim_end_matches("/piece")
        .rsplit('/')
        .next()
        .ok_or("no id")?;
    c.find(Locator::Id(&format!("accepter-{id}")))
        .await?
        .click()
        .await?;
    let accepted = wait_message(&b, "").await?;
    assert_eq!(
        accepted,
        "Justification acceptée : la famille est prévenue."
    );
    // The day in the CPE's export, the absence justified.
    let day = cartable_core::dates::iso(today);
    let res = cpe
        .get(format!("{base}/vie-scolaire/export?du={day}&au={day}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await?;
    assert!(
        csv.starts_with("\u{feff}Date;Heure;Classe ou groupe;Élève"),
        "{csv}"
    );
    let line = csv
        .lines()
        .find(|l| l.contains(";17h30;") && l.contains(&format!(";{};absent;", absent.login)))
        .ok_or(format!("no absence in:\n{csv}"))?;
    assert!(line.contains(";17h30;6e A;"), "{line}");
    assert!(line.ends_with(";justifiée"), "{line}");
    assert!(
        csv.contains(&format!(";{};retard;10;Mathématiques;", late.login)),
        "{csv}"
    );
    sign_out(&b).await?;

    // The parent sees it justified, and was told.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/vie-scolaire/eleve/{}", absent.login))
        .await?;
    let table = wait_text(&b, "absences").await?;
    assert!(table.contains("Justifiée (Maladie de l'enfant)"), "{table}");
    let told = relay.wait_for(
        &format!("{}@demo.invalid", parent.login),
        2,
        Duration::from_secs(60),
    )?;
    assert!(body_text(&told[1]).contains("Justification acceptée"));
    b.close().await;
    Ok(())
}
