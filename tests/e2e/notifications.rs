//! Notifications with a real mail server (OpenSMTPD on loopback): a pupil gives
//! and checks his address by the link mailed to him; a teacher's change to the timetable
//! reaches the pupil and his parents in the ENT and by one e-mail each; the relay down and
//! cartabled killed with -9 lose nothing and send nothing twice; quiet hours and « jamais »
//! hold mails back, not notifications.

use std::time::Duration;

use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, base_config, demo_data};
use cartable_tests::http::{client, csrf_in, location, sign_in};
use cartable_tests::smtp::{MailServer, body_text};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn page(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    let res = c.get(url).send().await?;
    let status = res.status().as_u16();
    let text = res.text().await?;
    if status != 200 {
        return Err(format!("{url}: {status}\n{text}").into());
    }
    Ok(text)
}

/// The first course of the teacher's week page: (course id, its date).
fn a_course(page: &str) -> Option<(String, String)> {
    let mut found = Vec::new();
    for day in page.split("data-date=\"").skip(1) {
        let date = day.get(..10)?.to_owned();
        let day = day.split("data-date=\"").next().unwrap_or(day);
        for c in day.split("data-cours=\"").skip(1) {
            if let Some(id) = c.split('"').next() {
                found.push((id.to_owned(), date.clone()));
            }
        }
    }
    found.into_iter().next()
}

async fn change(
    t: &reqwest::Client,
    base: &str,
    course: &(String, String),
    action: &str,
) -> Result<(), BoxError> {
    let week = page(t, &format!("{base}/emploi-du-temps")).await?;
    let res = t
        .post(format!("{base}/emploi-du-temps/changement"))
        .form(&[
            ("csrf", csrf_in(&week).ok_or("csrf")?.as_str()),
            ("cours", &course.0),
            ("date", &course.1),
            ("action", action),
            ("salle", "B12"),
            ("note", "Réunion"),
            ("retour", "/emploi-du-temps"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    Ok(())
}

/// The same course `weeks` weeks later.
fn later(course: &(String, String), weeks: i64) -> Result<(String, String), BoxError> {
    let d = cartable_core::dates::parse_iso(&course.1).ok_or("date")?;
    Ok((
        course.0.clone(),
        cartable_core::dates::iso(d + time::Duration::weeks(weeks)),
    ))
}

fn address(login: &str) -> String {
    format!("{login}@demo.invalid")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notified_in_the_ent_and_by_mail_once_relay_down_or_not() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let mut relay = MailServer::start(&tmp.path().join("smtp"))?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[mail]\nhost = \"localhost\"\nport = {}\nsecurity = \"aucune\"\n\
             sender = \"ENT de démonstration <ne-pas-repondre@demo.invalid>\"\n\
             ca_file = \"{}\"\nretry_seconds = 1\nquiet_start = 0\nquiet_end = 0\n",
            base_config(&data),
            relay.port,
            relay.ca_file.display()
        ),
    )?;
    let mut daemon = Daemon::serve(&config, tmp.path())?;
    let ca = data.join("tls/ca.pem");
    let signed = |who: DemoLogin, base: String| {
        let ca = ca.clone();
        async move {
            let c = client(&ca)?;
            assert_eq!(
                sign_in(&c, &base, &who.login, &who.password)
                    .await?
                    .as_u16(),
                303
            );
            Ok::<_, BoxError>(c)
        }
    };
    let base = daemon.url.clone();

    // The 6A maths teacher and a 6A pupil with his parents.
    let teacher = demo
        .iter()
        .find(|d| d.profile == "enseignant" && d.classe == "6A")
        .cloned()
        .ok_or("no 6A teacher")?;
    let pupil = demo
        .iter()
        .find(|d| d.profile == "eleve" && d.classe == "6A")
        .cloned()
        .ok_or("no 6A pupil")?;
    let p = signed(pupil.clone(), base.clone()).await?;
    // His parents, as the annuaire links them.
    let me: serde_json::Value = serde_json::from_str(
        &p.get(format!("{base}/compte/donnees"))
            .send()
            .await?
            .text()
            .await?,
    )?;
    let names: Vec<String> = me["responsables"]
        .as_array()
        .ok_or("no responsables")?
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    assert!(!names.is_empty(), "{me}");
    let mut parents = Vec::new();
    for d in demo
        .iter()
        .filter(|d| d.profile == "responsable" && d.classe.split(',').any(|c| c == "6A"))
    {
        let c = signed(d.clone(), base.clone()).await?;
        let them: serde_json::Value = serde_json::from_str(
            &c.get(format!("{base}/compte/donnees"))
                .send()
                .await?
                .text()
                .await?,
        )?;
        let name = format!(
            "{} {}",
            them["prenom"].as_str().unwrap_or_default(),
            them["nom"].as_str().unwrap_or_default()
        );
        if names.contains(&name) {
            parents.push((d.clone(), c));
        }
        if parents.len() == names.len() {
            break;
        }
    }
    assert_eq!(parents.len(), names.len());

    // 1. The pupil gives his own address; the link mailed to it checks it.
    let prefs = page(&p, &format!("{base}/compte/notifications")).await?;
    assert!(
        prefs.contains("Aucune adresse e-mail n'est connue"),
        "{prefs}"
    );
    // A malformed address is refused, what he typed kept.
    let res = p
        .post(format!("{base}/compte/courriel"))
        .form(&[
            ("csrf", csrf_in(&prefs).ok_or("csrf")?.as_str()),
            ("courriel", "pas-une-adresse"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let refused = res.text().await?;
    assert!(refused.contains("value=\"pas-une-adresse\""), "{refused}");
    let mine = "eleve.maison@demo.invalid";
    let res = p
        .post(format!("{base}/compte/courriel"))
        .form(&[
            ("csrf", csrf_in(&prefs).ok_or("csrf")?.as_str()),
            ("courriel", mine),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let check = relay.wait_for(mine, 1, Duration::from_secs(30))?;
    let text = body_text(&check[0]);
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/compte/courriel/verifier?jeton="))
        .ok_or(format!("no link in {text}"))?;
    let path = &link[link.find("/compte/").ok_or("path")?..];
    let res = p.get(format!("{base}{path}")).send().await?;
    assert_eq!(res.status().as_u16(), 303);
    let after = page(&p, &format!("{base}{}", location(&res))).await?;
    assert!(
        after.contains("Votre adresse e-mail est confirmée"),
        "{after}"
    );
    assert!(after.contains(&format!("<strong>{mine}</strong> (confirmée le")));
    // The link works once.
    let again = p.get(format!("{base}{path}")).send().await?;
    let again = page(&p, &format!("{base}{}", location(&again))).await?;
    assert!(again.contains("Ce lien n&#39;est plus valable"), "{again}");

    // 2. The teacher cancels a course of 6A: the pupil and each parent are told in the ENT
    // and by one e-mail.
    let t = signed(teacher.clone(), base.clone()).await?;
    let week = page(&t, &format!("{base}/emploi-du-temps")).await?;
    let first = a_course(&week).ok_or(format!("no course:\n{week}"))?;
    change(&t, &base, &first, "annuler").await?;
    // Told again with the same change: nothing more.
    change(&t, &base, &first, "annuler").await?;
    let mails = relay.wait_for(mine, 2, Duration::from_secs(30))?;
    let told = body_text(&mails[1]);
    assert!(told.contains("Cours annulé"), "{told}");
    let portal = page(&p, &format!("{base}/")).await?;
    assert!(portal.contains("id=\"notifications-non-lues\""), "{portal}");
    let list = page(&p, &format!("{base}/notifications")).await?;
    assert_eq!(list.matches("Cours annulé").count(), 1, "{list}");
    assert!(list.contains("courriel envoyé le"), "{list}");
    for (parent, c) in &parents {
        let got = relay.wait_for(&address(&parent.login), 1, Duration::from_secs(30))?;
        assert_eq!(got.len(), 1);
        assert!(body_text(&got[0]).contains("Cours annulé"));
        let theirs = page(c, &format!("{base}/notifications")).await?;
        assert_eq!(theirs.matches("Cours annulé").count(), 1, "{theirs}");
    }

    // The RUPN's server page: the relay greets.
    let rupn = signed(
        accounts::first(&demo, "admin").ok_or("no RUPN")?,
        base.clone(),
    )
    .await?;
    let server = format!("{base}/admin/serveur");
    let relay_line = |page: &str| -> String {
        let at = page.find("id=\"etat-courriel\"").unwrap_or(0);
        let line = &page[at..];
        line[..line.find("</li>").unwrap_or(line.len())].replace("&#39;", "'")
    };
    let line = relay_line(&page(&rupn, &server).await?);
    assert!(
        line.contains("En service")
            && line.contains(&format!("Le relais répond (localhost:{})", relay.port)),
        "{line}"
    );

    // 3. The relay down: the next change waits, its state shown; cartabled killed with -9
    // and restarted; the relay back: the mail arrives, once.
    relay.stop();
    let second = later(&first, 1)?;
    change(&t, &base, &second, "salle").await?;
    let started = std::time::Instant::now();
    loop {
        let list = page(&p, &format!("{base}/notifications")).await?;
        if list.contains("nouvel essai bientôt") {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            return Err(format!("no retry shown:\n{list}\n{}", daemon.output()).into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The server page says the relay is down and what waits for it.
    let line = relay_line(&page(&rupn, &server).await?);
    assert!(
        line.contains("En panne")
            && line.contains("Le relais ne répond pas")
            && line.contains("en attente depuis le"),
        "{line}"
    );
    daemon.kill9()?;
    relay.resume()?;
    daemon = Daemon::serve(&config, tmp.path())?;
    let base = daemon.url.clone();
    let mails = relay.wait_for(mine, 3, Duration::from_secs(60))?;
    assert!(body_text(&mails[2]).contains("B12"), "{}", mails[2]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(relay.mailbox(mine).len(), 3, "a mail sent twice");

    // 4. Quiet hours now, « jamais » for nothing else: the notification is there, the mail
    // waits for the end of the quiet hours.
    let p = signed(pupil.clone(), base.clone()).await?;
    let prefs = page(&p, &format!("{base}/compte/notifications")).await?;
    let hour = {
        use cartable_core::clock::Clock;
        cartable_core::dates::in_france(cartable_core::clock::SystemClock.now())
    }
    .hour();
    let res = p
        .post(format!("{base}/compte/notifications"))
        .form(&[
            ("csrf", csrf_in(&prefs).ok_or("csrf")?),
            ("calme_debut", hour.to_string()),
            ("calme_fin", ((hour + 2) % 24).to_string()),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let t = signed(teacher, base.clone()).await?;
    let third = later(&first, 2)?;
    change(&t, &base, &third, "annuler").await?;
    let list = page(&p, &format!("{base}/notifications")).await?;
    assert!(list.contains("(heures calmes)"), "{list}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(relay.mailbox(mine).len(), 3, "sent during quiet hours");

    // « Jamais » for the timetable: told in the ENT only.
    let prefs = page(&p, &format!("{base}/compte/notifications")).await?;
    let res = p
        .post(format!("{base}/compte/notifications"))
        .form(&[
            ("csrf", csrf_in(&prefs).ok_or("csrf")?),
            ("type.emploi-du-temps.changement", "jamais".to_owned()),
            ("calme_debut", "20".to_owned()),
            ("calme_fin", "7".to_owned()),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let fourth = later(&first, 3)?;
    change(&t, &base, &fourth, "annuler").await?;
    let list = page(&p, &format!("{base}/notifications")).await?;
    assert!(list.matches("Cours annulé").count() >= 3, "{list}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(relay.mailbox(mine).len(), 3, "sent though « jamais »");

    // Marking all read empties the banner's count.
    let res = p
        .post(format!("{base}/notifications/tout-lu"))
        .form(&[("csrf", csrf_in(&list).ok_or("csrf")?)])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let portal = page(&p, &format!("{base}/")).await?;
    assert!(
        !portal.contains("id=\"notifications-non-lues\""),
        "{portal}"
    );
    Ok(())
}
