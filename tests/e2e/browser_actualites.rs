//! The actualités on a 390 px phone, in Chromium: the CPE, contributor of « Vie du collège »,
//! writes an actualité « à la une » for the parents of 6A; the direction validates it from
//! its queue; a 6A parent finds it on his portal and opens it; a parent without a child in
//! 6A finds it neither on his portal nor in his list.

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::actualites::parents_in_and_outside;
use crate::browser_sign_in::{fits_phone, sign_in, sign_out, wait_message, wait_path, wait_text};

const TITLE: &str = "Réunion des parents de 6e A";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributor_writes_publisher_validates_the_class_parents_read() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let (p, q) = parents_in_and_outside(&data, &demo, "6A").await?;
    let first = |profile: &str| accounts::first(&demo, profile).ok_or(format!("no {profile}"));
    let (cpe, direction) = (first("vie-scolaire")?, first("direction")?);
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let b = Browser::start().await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;

    sign_in(&b, &base, &cpe.login, &cpe.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/actualites")).await?;
    c.find(Locator::Id("ecrire")).await?.click().await?;
    wait_path(&b, "/actualites/ecrire").await?;
    c.find(Locator::XPath(
        "//select[@id='rubrique']/option[starts-with(., 'Vie du collège')]",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Id("titre")).await?.send_keys(TITLE).await?;
    c.find(Locator::Id("texte"))
        .await?
        .send_keys("Rendez-vous **jeudi à 18h** au réfectoire.")
        .await?;
    c.find(Locator::Css("input[name='pour'][value='parents:6A']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("input[name='une']"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    let sent = wait_message(&b, "").await?;
    assert!(sent.contains("validation"), "{sent}");
    assert_eq!(wait_text(&b, "etat").await?, "En attente de validation");
    sign_out(&b).await?;

    sign_in(&b, &base, &direction.login, &direction.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/actualites")).await?;
    let queue = wait_text(&b, "a-valider").await?;
    assert!(queue.contains(TITLE), "{queue}");
    c.find(Locator::XPath(&format!(
        "//article[.//a[normalize-space()='{TITLE}']]//button[starts-with(@id, 'valider-')]"
    )))
    .await?
    .click()
    .await?;
    let validated = wait_message(&b, "").await?;
    assert!(validated.contains("validée"), "{validated}");
    sign_out(&b).await?;

    sign_in(&b, &base, &p.login, &p.password).await?;
    wait_path(&b, "/").await?;
    let portal = c.source().await?;
    assert!(portal.contains(&format!("À la une : {TITLE}")), "{portal}");
    c.find(Locator::XPath(&format!(
        "//a[.//*[contains(., 'À la une : {TITLE}')] or contains(., 'À la une : {TITLE}')]"
    )))
    .await?
    .click()
    .await?;
    let text = wait_text(&b, "texte").await?;
    assert!(text.contains("jeudi à 18h"), "{text}");
    fits_phone(&b).await?;
    sign_out(&b).await?;

    sign_in(&b, &base, &q.login, &q.password).await?;
    wait_path(&b, "/").await?;
    assert!(!c.source().await?.contains(TITLE));
    c.goto(&format!("{base}/actualites")).await?;
    wait_path(&b, "/actualites").await?;
    assert!(!c.source().await?.contains(TITLE));
    b.close().await;
    Ok(())
}
