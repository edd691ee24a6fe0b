//! The messagerie on a 390 px phone, in Chromium, with a real mail server: a parent writes to
//! his child's teacher with an attachment; the teacher is told by e-mail (which does not carry
//! the message itself), reads it and answers; the parent reads the answer in the conversation;
//! a pupil who tries to write to another family's parent is refused, and told why.

use std::time::Duration;

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::smtp::{MailServer, body_text};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{fits_phone, sign_in, sign_out, wait_message, wait_path, wait_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_writes_to_the_teacher_who_answers_and_a_pupil_is_told_why_not() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let relay = MailServer::start(&tmp.path().join("smtp"))?;
    let daemon = Daemon::demo_with_relay(tmp.path(), &data, relay.port)?;
    let base = daemon.url.clone();
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    // The professeur principal of 6A teaches 6A; a parent of a 6A pupil.
    let teacher = first("enseignant", "6A")?;
    let parent = first("responsable", "6A")?;
    let teacher_family = {
        let dir = cartable_tests::http::client(&data.join("tls/ca.pem"))?;
        cartable_tests::http::sign_in(&dir, &base, &teacher.login, &teacher.password).await?;
        let me: serde_json::Value = serde_json::from_str(
            &dir.get(format!("{base}/compte/donnees"))
                .send()
                .await?
                .text()
                .await?,
        )?;
        me["nom"].as_str().ok_or("no family name")?.to_owned()
    };

    let b = Browser::start().await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;

    // The parent: finds the teacher by name, attaches a file, sends.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/messagerie")).await?;
    c.find(Locator::Id("ecrire")).await?.click().await?;
    wait_path(&b, "/messagerie/ecrire").await?;
    c.find(Locator::Id("cherche"))
        .await?
        .send_keys(&teacher_family)
        .await?;
    c.find(Locator::Id("chercher")).await?.click().await?;
    // The search reloads the page: wait for its answer rather than read the page being left.
    c.wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::Css(&format!(
            "#trouves input[value='a:p:{}']",
            teacher.login
        )))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("sujet"))
        .await?
        .send_keys("Exercices pour jeudi")
        .await?;
    c.find(Locator::Id("corps"))
        .await?
        .send_keys("Bonjour, voici la photo du cahier : pouvez-vous confirmer les exercices ?")
        .await?;
    let photo = tmp.path().join("cahier.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 photo du cahier")?;
    c.find(Locator::Id("piece"))
        .await?
        .send_keys(&photo.to_string_lossy())
        .await?;
    fits_phone(&b).await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    let sent = wait_message(&b, "").await?;
    assert_eq!(sent, "Message envoyé à 1 personne.");
    let listed = wait_text(&b, "messages").await?;
    assert!(listed.contains("Exercices pour jeudi"), "{listed}");
    sign_out(&b).await?;

    // The teacher: one e-mail, which says who wrote and where, not what.
    let mails = relay.wait_for(
        &format!("{}@demo.invalid", teacher.login),
        1,
        Duration::from_secs(60),
    )?;
    let text = body_text(&mails[0]);
    assert!(text.contains("Exercices pour jeudi"), "{text}");
    assert!(text.contains("/messagerie/message/"), "{text}");
    assert!(!text.contains("photo du cahier"), "{text}");

    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    let portal = wait_text(&b, "contenu").await?;
    assert!(portal.contains("non lu"), "{portal}");
    c.goto(&format!("{base}/messagerie")).await?;
    let unread = c
        .find(Locator::XPath(
            "//ul[@id='messages']/li[contains(@class, 'non-lue')]//a[contains(., 'Exercices pour jeudi')]",
        ))
        .await?;
    unread.click().await?;
    let conversation = wait_text(&b, "conversation").await?;
    assert!(conversation.contains("photo du cahier"), "{conversation}");
    assert!(conversation.contains("cahier.jpg"), "{conversation}");
    let piece = c
        .find(Locator::Css("#conversation a[href^='/messagerie/piece/']"))
        .await?
        .attr("href")
        .await?
        .ok_or("no piece")?;
    fits_phone(&b).await?;
    c.find(Locator::Id("repondre")).await?.click().await?;
    wait_path(&b, "/messagerie/ecrire").await?;
    let subject = c
        .find(Locator::Id("sujet"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(subject, "RE : Exercices pour jeudi");
    c.execute(
        "document.getElementById('corps').value = 'Oui : exercices 3 et 4 page 52.\\n' + document.getElementById('corps').value;",
        vec![],
    )
    .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    assert_eq!(wait_message(&b, "").await?, "Message envoyé à 1 personne.");
    sign_out(&b).await?;

    // The parent reads the answer, below his own message; the piece is his too.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/messagerie")).await?;
    c.find(Locator::XPath(
        "//ul[@id='messages']//a[contains(., 'RE : Exercices pour jeudi')]",
    ))
    .await?
    .click()
    .await?;
    let conversation = wait_text(&b, "conversation").await?;
    let mine = conversation
        .find("photo du cahier")
        .ok_or(conversation.clone())?;
    let answer = conversation
        .find("exercices 3 et 4 page 52")
        .ok_or(conversation.clone())?;
    assert!(mine < answer, "{conversation}");
    fits_phone(&b).await?;
    let got: String = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => r.text()).then(done);",
            vec![serde_json::Value::String(piece.clone())],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(got.contains("photo du cahier"), "{got}");
    sign_out(&b).await?;

    // A pupil of 6B cannot write to a 6A parent: told why, before and after trying.
    let pupil = first("eleve", "6B")?;
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/messagerie/ecrire?a={}", parent.login))
        .await?;
    let why = wait_text(&b, "erreur").await?;
    assert!(why.starts_with("Vous ne pouvez pas écrire à"), "{why}");
    assert!(
        why.contains("Un élève peut écrire à : ses responsables"),
        "{why}"
    );
    c.find(Locator::Id("sujet"))
        .await?
        .send_keys("Bonjour")
        .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refused = wait_text(&b, "erreur").await?;
    assert!(
        refused.starts_with("Vous ne pouvez pas écrire à"),
        "{refused}"
    );
    fits_phone(&b).await?;
    b.close().await;
    Ok(())
}
