//! The médiacentre on a 390 px phone, in Chromium: a teacher shares a link with his class; a
//! pupil of that class finds it in his médiacentre, opens the school's encyclopedia from it
//! and keeps it as a favourite; a pupil of another class does not see the link.

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{fits_phone, shown, sign_in, sign_out, wait_message, wait_path};

const LINK: &str = "Les volcans d'Auvergne en vidéo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_shares_a_link_that_only_his_class_finds() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let find = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && d.classe == class)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (t, a, b) = (
        find("enseignant", "6A")?,
        find("eleve", "6A")?,
        find("eleve", "6B")?,
    );
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let br = Browser::start().await?;
    let c = &br.client;
    c.set_window_size(390, 844).await?;

    // The teacher shares the link with 6A from his phone.
    sign_in(&br, &base, &t.login, &t.password).await?;
    wait_path(&br, "/").await?;
    c.goto(&format!("{base}/mediacentre")).await?;
    c.find(Locator::Id("titre-signet"))
        .await?
        .send_keys(LINK)
        .await?;
    c.find(Locator::Id("adresse-signet"))
        .await?
        .send_keys("https://www.lumni.fr/video/les-volcans")
        .await?;
    c.find(Locator::Css("#classe option[value='6A']"))
        .await?
        .click()
        .await?;
    let before = shown(&br).await;
    c.find(Locator::Id("ajouter-signet")).await?.click().await?;
    let said = wait_message(&br, &before).await?;
    assert!(said.contains("partagé avec la classe"), "{said}");
    let mine = c.find(Locator::Id("signets")).await?.text().await?;
    assert!(mine.contains(LINK) && mine.contains("6e A"), "{mine}");
    sign_out(&br).await?;

    // A pupil of 6A finds it; he keeps the encyclopedia as a favourite.
    sign_in(&br, &base, &a.login, &a.password).await?;
    wait_path(&br, "/").await?;
    c.goto(&format!("{base}/mediacentre")).await?;
    let shared = c.find(Locator::Id("partages")).await?.text().await?;
    assert!(shared.contains(LINK), "{shared}");
    let before = shown(&br).await;
    c.find(Locator::XPath(
        "//li[contains(., 'Encyclopædia Universalis Junior')]//button",
    ))
    .await?
    .click()
    .await?;
    let said = wait_message(&br, &before).await?;
    assert!(said.contains("favoris"), "{said}");
    let favourites = c.find(Locator::Id("favoris")).await?.text().await?;
    assert!(
        favourites.contains("Encyclopædia Universalis Junior"),
        "{favourites}"
    );
    fits_phone(&br).await?;
    sign_out(&br).await?;

    // A pupil of 6B does not see it.
    sign_in(&br, &base, &b.login, &b.password).await?;
    wait_path(&br, "/").await?;
    c.goto(&format!("{base}/mediacentre")).await?;
    let page = c.find(Locator::Css("main")).await?.text().await?;
    assert!(page.contains("Médiacentre"), "{page}");
    assert!(!page.contains(LINK), "{page}");
    assert!(
        page.contains("Aucun lien partagé avec votre classe"),
        "{page}"
    );
    br.close().await;
    Ok(())
}
