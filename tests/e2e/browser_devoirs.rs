//! Devoirs in headless Chromium: a teacher of 6A hands a worksheet out to the class and
//! prepares an exam; a pupil finds the worksheet (not the exam) in his own space and hands
//! his copy in; the teacher collects (who handed in, who did not), returns the corrected copy
//! and opens the exam; the pupil finds both.

use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login};
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{shown, sign_in, sign_out, wait_message, wait_path};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn names(b: &Browser) -> Result<Vec<String>, BoxError> {
    let mut out = Vec::new();
    for r in b.client.find_all(Locator::Css("tr[data-nom]")).await? {
        out.push(r.attr("data-nom").await?.unwrap_or_default());
    }
    Ok(out)
}

/// Clicks a button of the devoir titled `title` and returns the message shown after.
async fn step(b: &Browser, title: &str, button: &str) -> Result<String, BoxError> {
    let before = shown(b).await;
    b.client
        .find(Locator::Css(&format!(
            "section[data-titre='{title}'] button.{button}"
        )))
        .await?
        .click()
        .await?;
    wait_message(b, &before).await
}

async fn distribute(b: &Browser, base: &str, title: &str, exam: bool) -> Result<String, BoxError> {
    let c = &b.client;
    c.goto(&format!("{base}/fichiers/devoirs")).await?;
    c.find(Locator::Id("titre")).await?.send_keys(title).await?;
    c.find(Locator::Css("#pour option[value='classe:6A']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("input[name='fichier'][value='Fractions.odt']"))
        .await?
        .click()
        .await?;
    if exam {
        c.find(Locator::Id("epreuve")).await?.click().await?;
    }
    c.find(Locator::Id("distribuer")).await?.click().await?;
    wait_message(b, "").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worksheet_goes_out_comes_back_and_returns_corrected() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Embedded,
        store.clone(),
        Arc::new(SystemClock),
    )
    .await?;
    let teacher = accounts::teacher(&dir, &demo, &["6A"], &[])
        .await?
        .ok_or("no teacher of 6A")?;
    let t = dir
        .person(&Login::parse(&teacher.login)?)
        .await?
        .ok_or("teacher")?;
    let teacher_folder = format!("{} {}", t.family_name, t.given_name);
    let class: Vec<_> = demo
        .iter()
        .filter(|d| d.profile == "eleve" && d.classe == "6A")
        .cloned()
        .collect();
    let pupil = class.first().cloned().ok_or("no pupil")?;
    let p = dir
        .person(&Login::parse(&pupil.login)?)
        .await?
        .ok_or("pupil")?;
    store.close();

    // Due in a week, or the first school day after (a day off is refused).
    let due_day = cartable_tests::calendar::school_day_from(
        &data,
        cartable_core::dates::today_in_france(cartable_core::clock::Clock::now(&SystemClock))
            + time::Duration::days(7),
    )
    .await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let perso = data.join("fichiers/perso");
    std::fs::write(
        perso.join(&teacher.login).join("Fractions.odt"),
        "Exercice 1 : 3/4 + 1/4",
    )?;
    let work = tmp.path().join("maison");
    std::fs::create_dir_all(&work)?;
    std::fs::write(work.join("Ma copie.odt"), "3/4 + 1/4 = 1")?;
    let b = Browser::start().await?;
    let c = &b.client;

    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    let n = class.len();
    assert_eq!(
        distribute(&b, &base, "DM fractions", false).await?,
        format!("Devoir distribué à {n} élèves.")
    );
    assert!(
        distribute(&b, &base, "Contrôle", true)
            .await?
            .starts_with(&format!("Épreuve préparée pour {n} élèves"))
    );
    sign_out(&b).await?;

    // The pupil: the worksheet is in his space, the exam is not; he hands his copy in.
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    let folder = format!("devoirs/{teacher_folder}");
    c.goto(&format!("{base}/fichiers/dossier?e=perso&p={folder}"))
        .await?;
    assert_eq!(names(&b).await?, ["DM fractions"]);
    c.goto(&format!(
        "{base}/fichiers/dossier?e=perso&p={folder}/DM fractions"
    ))
    .await?;
    assert_eq!(names(&b).await?, ["Fractions.odt"]);
    c.find(Locator::Id("fichiers"))
        .await?
        .send_keys(&work.join("Ma copie.odt").display().to_string())
        .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    assert_eq!(wait_message(&b, "").await?, "Fichier envoyé : Ma copie.odt");
    sign_out(&b).await?;

    // The teacher collects: one handed in, the others not; corrects; returns; opens the exam.
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/fichiers/devoirs")).await?;
    assert_eq!(
        step(&b, "DM fractions", "ramasser").await?,
        format!("Copies ramassées : 1 rendue sur {n}.")
    );
    let statut = c
        .find(Locator::Css(&format!(
            "section[data-titre='DM fractions'] tr[data-eleve='{}'] .statut",
            pupil.login
        )))
        .await?
        .text()
        .await?;
    assert_eq!(statut, "rendu");
    if let Some(other) = class.get(1) {
        let statut = c
            .find(Locator::Css(&format!(
                "section[data-titre='DM fractions'] tr[data-eleve='{}'] .statut",
                other.login
            )))
            .await?
            .text()
            .await?;
        assert_eq!(statut, "pas rendu");
    }
    let collected = perso
        .join(&teacher.login)
        .join("devoirs/ramasses/DM fractions")
        .join(format!("{} {} ({})", p.family_name, p.given_name, p.login));
    assert_eq!(
        std::fs::read_to_string(collected.join("Ma copie.odt"))?,
        "3/4 + 1/4 = 1"
    );
    std::fs::write(collected.join("Correction.txt"), "Très bien : 18/20")?;
    assert_eq!(
        step(&b, "DM fractions", "restituer").await?,
        format!("Copies corrigées restituées à {n} élèves.")
    );
    assert_eq!(
        step(&b, "Contrôle", "ouvrir").await?,
        format!("Épreuve ouverte : {n} élèves la voient.")
    );
    sign_out(&b).await?;

    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/fichiers/dossier?e=perso&p={folder}"))
        .await?;
    assert_eq!(names(&b).await?, ["Contrôle", "DM fractions"]);
    c.goto(&format!(
        "{base}/fichiers/dossier?e=perso&p={folder}/DM fractions/corrige"
    ))
    .await?;
    assert!(names(&b).await?.contains(&"Correction.txt".to_owned()));
    // Pupils have no devoirs page.
    c.goto(&format!("{base}/fichiers/devoirs")).await?;
    assert!(c.source().await?.contains("Vous n'avez pas accès"));
    sign_out(&b).await?;

    // A title as a teacher writes it, with a due date; refused first (no file chosen): the
    // page comes back with everything typed.
    let due = due_day;
    let title = "DM n° 3 : les fractions ?";
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/fichiers/devoirs")).await?;
    c.find(Locator::Id("titre")).await?.send_keys(title).await?;
    c.find(Locator::Css("#pour option[value='classe:6A']"))
        .await?
        .click()
        .await?;
    c.execute(
        "document.getElementById('pour-le').value = arguments[0];",
        vec![serde_json::json!(cartable_core::dates::iso(due))],
    )
    .await?;
    c.find(Locator::Id("distribuer")).await?.click().await?;
    let refused = wait_message(&b, "").await?;
    assert!(
        refused.contains("choisissez au moins un fichier"),
        "{refused}"
    );
    assert_eq!(
        c.find(Locator::Id("titre")).await?.prop("value").await?,
        Some(title.to_owned())
    );
    assert_eq!(
        c.find(Locator::Id("pour-le")).await?.prop("value").await?,
        Some(cartable_core::dates::iso(due))
    );
    assert_eq!(
        c.find(Locator::Id("pour")).await?.prop("value").await?,
        Some("classe:6A".to_owned())
    );
    c.find(Locator::Css("input[name='fichier'][value='Fractions.odt']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("distribuer")).await?.click().await?;
    let done = wait_message(&b, &refused).await?;
    assert_eq!(done, format!("Devoir distribué à {n} élèves."));
    sign_out(&b).await?;

    // The pupil's « Travail à rendre »: the title as typed, its date, and his folder.
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    // Told in his notifications, which lead to it.
    c.find(Locator::Id("lien-notifications"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/notifications").await?;
    let told = c.find(Locator::Id("notifications")).await?.text().await?;
    assert!(
        told.contains(&format!("Travail à rendre : {title}, pour")),
        "{told}"
    );
    c.goto(&format!("{base}/")).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Css("a.tuile[href='/fichiers/travail']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/fichiers/travail").await?;
    let list = c.find(Locator::Id("travaux")).await?.text().await?;
    assert!(list.contains(title), "{list}");
    assert!(
        list.contains(&format!(
            "Pour le {}",
            cartable_core::dates::day_and_date(due)
        )),
        "{list}"
    );
    assert!(list.contains("copie corrigée rendue le"), "{list}");
    c.find(Locator::LinkText(title)).await?.click().await?;
    wait_path(&b, "/fichiers/dossier").await?;
    assert_eq!(names(&b).await?, ["Fractions.odt"]);
    assert!(
        c.current_url()
            .await?
            .query()
            .unwrap_or_default()
            .contains("DM%20n%C2%B0%203%20-%20les%20fractions"),
        "the folder is named after the title"
    );
    b.close().await;
    Ok(())
}
