//! The emploi du temps in headless Chromium, on the demo collège: a teacher of 5A cancels
//! one of his courses this week with a message; a pupil of 5A finds it on his portal tile
//! and struck out on his week, on a phone; his parent sees it on the child's week; a pupil
//! of 5B does not; the RUPN closes the module to pupils in the console — the tile and the
//! page are gone for them at once — and opens it again.

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{sign_in, sign_out, wait_message, wait_path};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The portal tile of the emploi du temps, if shown: its description.
async fn tile(b: &Browser) -> Result<Option<String>, BoxError> {
    for t in b.client.find_all(Locator::Css("a.tuile")).await? {
        if t.attr("href").await?.as_deref() == Some("/emploi-du-temps") {
            return Ok(Some(t.find(Locator::Css(".desc")).await?.text().await?));
        }
    }
    Ok(None)
}

/// Opens the module's page for profiles in the console and saves.
async fn open_to_pupils(b: &Browser, base: &str, open: bool) -> Result<String, BoxError> {
    let c = &b.client;
    c.goto(&format!("{base}/admin/modules")).await?;
    let boxed = c
        .find(Locator::Css(
            "#module-emploi-du-temps input[name='p-eleve']",
        ))
        .await?;
    if boxed.is_selected().await? != open {
        boxed.click().await?;
    }
    c.find(Locator::Css(
        "#module-emploi-du-temps button[type='submit']",
    ))
    .await?
    .click()
    .await?;
    wait_message(b, "").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_course_reaches_the_class_and_its_families() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let accounts::ClassCast {
        teacher,
        pupil,
        parent,
        other,
        all,
    } = accounts::class_cast(&data, "5A", "5B").await?;
    let rupn = accounts::first(&all, "admin").ok_or("no RUPN")?;

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let b = Browser::start().await?;
    let c = &b.client;

    // The teacher cancels his first 5A course of the week still as planned.
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/emploi-du-temps")).await?;
    let mut course = None;
    for slot in c.find_all(Locator::Css("li.creneau")).await? {
        let who = slot.find(Locator::Css(".qui")).await?.text().await?;
        let class = slot.attr("class").await?.unwrap_or_default();
        if who.starts_with("5e A") && !class.contains("annule") {
            course = Some((slot.attr("data-cours").await?.ok_or("id")?, slot));
            break;
        }
    }
    let (id, slot) = course.ok_or("no 5A course this week")?;
    slot.find(Locator::Css("summary")).await?.click().await?;
    slot.find(Locator::Css(
        "select[name='action'] option[value='annuler']",
    ))
    .await?
    .click()
    .await?;
    slot.find(Locator::Css("input[name='note']"))
        .await?
        .send_keys("Réunion d'équipe")
        .await?;
    slot.find(Locator::Css("button[type='submit']"))
        .await?
        .click()
        .await?;
    assert_eq!(wait_message(&b, "").await?, "Cours annulé.");
    let struck = format!("li.creneau.annule[data-cours='{id}']");
    assert!(c.find(Locator::Css(&struck)).await.is_ok());
    sign_out(&b).await?;

    // The pupil, on a phone: the tile tells, the day shows it struck out with the message,
    // the days one under the other.
    c.set_window_size(390, 844).await?;
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    let said = tile(&b).await?.ok_or("no emploi du temps tile")?;
    assert!(said.contains("changement"), "{said}");
    c.find(Locator::Css("a.tuile[href='/emploi-du-temps']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/emploi-du-temps").await?;
    let mine = c.find(Locator::Css(&struck)).await?;
    assert!(mine.text().await?.contains("Réunion d'équipe"));
    assert!(mine.text().await?.contains("annulé"));
    let days = c.find_all(Locator::Css("section.jour")).await?;
    let (first, second) = (days[0].rectangle().await?, days[1].rectangle().await?);
    assert!(
        second.1 >= first.1 + first.3,
        "days side by side on a phone: {first:?} {second:?}"
    );
    // Nothing wider than the screen.
    let wide: bool = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await?
        .as_bool()
        .unwrap_or(true);
    assert!(!wide, "the week is wider than a phone");
    c.set_window_size(1280, 900).await?;
    sign_out(&b).await?;

    // The parent, on the child's week.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/emploi-du-temps?enfant={}", pupil.login))
        .await?;
    assert!(c.find(Locator::Css(&struck)).await.is_ok());
    sign_out(&b).await?;

    // A pupil of 5B: not his course.
    sign_in(&b, &base, &other.login, &other.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/emploi-du-temps")).await?;
    assert!(
        c.find(Locator::Css(&format!("li[data-cours='{id}']")))
            .await
            .is_err()
    );
    assert!(
        c.find(Locator::Css("li.creneau")).await.is_ok(),
        "5B has courses"
    );
    sign_out(&b).await?;

    // The RUPN closes the module to pupils: gone for them at once, then back.
    sign_in(&b, &base, &rupn.login, &rupn.password).await?;
    wait_path(&b, "/").await?;
    assert!(
        open_to_pupils(&b, &base, false)
            .await?
            .contains("profils enregistrés")
    );
    sign_out(&b).await?;
    sign_in(&b, &base, &other.login, &other.password).await?;
    wait_path(&b, "/").await?;
    assert_eq!(tile(&b).await?, None);
    c.goto(&format!("{base}/emploi-du-temps")).await?;
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(body.contains("Cette page n'existe pas."), "{body}");
    c.goto(&format!("{base}/")).await?;
    sign_out(&b).await?;
    sign_in(&b, &base, &rupn.login, &rupn.password).await?;
    wait_path(&b, "/").await?;
    open_to_pupils(&b, &base, true).await?;
    sign_out(&b).await?;
    sign_in(&b, &base, &other.login, &other.password).await?;
    wait_path(&b, "/").await?;
    assert!(tile(&b).await?.is_some());
    b.close().await;
    Ok(())
}
