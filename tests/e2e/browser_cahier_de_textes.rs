//! The cahier de textes in headless Chromium, on the demo collège: a teacher of 5A picks one
//! of his courses with the class (from the timetable) and writes its séance with work for a
//! later day and a worksheet from his files; a pupil of 5A
//! finds the work under that day with the worksheet (the same bytes), his parent too; a
//! pupil of 5B neither sees it nor can fetch the worksheet.

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{sign_in, sign_out, wait_message, wait_path};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const WORK: &str = "Exercice 3 page 52, sur le cahier.";
const SHEET: &str = "Fiche fractions.txt";

/// The text of the work due on `date` shown on the page, if any.
async fn due_on(b: &Browser, date: &str) -> Result<Option<String>, BoxError> {
    match b
        .client
        .find(Locator::Css(&format!(
            "div.jour-travail[data-date='{date}']"
        )))
        .await
    {
        Ok(e) => Ok(Some(e.text().await?)),
        Err(_) => Ok(None),
    }
}

/// Fetches a link's target from the page, as the browser would (same session).
async fn fetch(b: &Browser, href: &str) -> Result<(u16, String), BoxError> {
    let v = b
        .client
        .execute(
            "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send(); \
             return [x.status, x.responseText];",
            vec![serde_json::json!(href)],
        )
        .await?;
    Ok((
        v[0].as_u64().unwrap_or(0) as u16,
        v[1].as_str().unwrap_or_default().to_owned(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seance_with_homework_reaches_the_class_and_its_families() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let accounts::ClassCast {
        teacher,
        pupil,
        parent,
        other,
        ..
    } = accounts::class_cast(&data, "5A", "5B").await?;

    // Work due in two days, or the first school day after (the calendar refuses a day off).
    let today = cartable_core::dates::today_in_france(cartable_core::clock::Clock::now(
        &cartable_core::clock::SystemClock,
    ));
    let due_day =
        cartable_tests::calendar::school_day_from(&data, today + time::Duration::days(2)).await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let sheet = "Fractions : 1/2 + 1/4 = ?\n";
    std::fs::write(
        data.join("fichiers/perso").join(&teacher.login).join(SHEET),
        sheet,
    )?;
    let b = Browser::start().await?;
    let c = &b.client;

    // The teacher writes today's séance for 5A.
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/cahier-de-textes")).await?;
    c.find(Locator::Css(
        "#mes-classes a[href='/cahier-de-textes/classe/5A']",
    ))
    .await?
    .click()
    .await?;
    wait_path(&b, "/cahier-de-textes/classe/5A").await?;
    let today = c
        .find(Locator::Id("date"))
        .await?
        .prop("value")
        .await?
        .ok_or("no date")?;
    assert_eq!(
        today,
        cartable_core::dates::iso(cartable_core::dates::today_in_france(
            cartable_core::clock::Clock::now(&cartable_core::clock::SystemClock)
        ))
    );
    let due = cartable_core::dates::iso(due_day);
    // His courses with 5A, from the timetable: one fills the subject and the date.
    c.find(Locator::Css("#mes-cours a")).await?.click().await?;
    let started = std::time::Instant::now();
    let subject = loop {
        let v = c
            .find(Locator::Id("matiere"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        if !v.is_empty() {
            break v;
        }
        if started.elapsed() > std::time::Duration::from_secs(10) {
            return Err("the course did not fill the subject".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let filled = c
        .find(Locator::Id("date"))
        .await?
        .prop("value")
        .await?
        .ok_or("no date")?;
    assert!(filled <= today, "{filled} after {today}");
    c.find(Locator::Id("titre"))
        .await?
        .send_keys("Fractions : additions")
        .await?;
    c.find(Locator::Id("seance-contenu"))
        .await?
        .send_keys("Additionner des fractions de même dénominateur.")
        .await?;
    c.find(Locator::Id("seance-travail"))
        .await?
        .send_keys(WORK)
        .await?;
    c.execute(
        "document.getElementById('pour').value = arguments[0];",
        vec![serde_json::json!(due)],
    )
    .await?;
    c.find(Locator::Id("minutes"))
        .await?
        .send_keys("20")
        .await?;
    c.find(Locator::Css(&format!(
        "input[name='piece'][value='{SHEET}']"
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Id("enregistrer")).await?.click().await?;
    assert_eq!(wait_message(&b, "").await?, "Séance enregistrée.");
    let listed = c.find(Locator::Id("liste-seances")).await?.text().await?;
    assert!(listed.contains(WORK) && listed.contains(SHEET), "{listed}");
    sign_out(&b).await?;

    // The pupil: the work under its day, with the worksheet.
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Css("a.tuile[href='/cahier-de-textes']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/cahier-de-textes").await?;
    let work = due_on(&b, &due).await?.ok_or("no work on its day")?;
    assert!(
        work.contains(WORK) && work.contains("environ 20 min"),
        "{work}"
    );
    assert!(work.contains(&subject), "{work}");
    let href = c
        .find(Locator::Css(&format!(
            "div.jour-travail[data-date='{due}'] a.piece"
        )))
        .await?
        .attr("href")
        .await?
        .ok_or("no link")?;
    assert_eq!(fetch(&b, &href).await?, (200, sheet.to_owned()));
    let seances = c.find(Locator::Id("seances")).await?.text().await?;
    assert!(seances.contains("Fractions : additions"), "{seances}");
    sign_out(&b).await?;

    // His parent.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/cahier-de-textes?enfant={}", pupil.login))
        .await?;
    let work = due_on(&b, &due).await?.ok_or("the parent sees no work")?;
    assert!(work.contains(WORK), "{work}");
    sign_out(&b).await?;

    // A pupil of 5B: not his work, not his worksheet.
    sign_in(&b, &base, &other.login, &other.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/cahier-de-textes")).await?;
    let page = c.find(Locator::Css("main")).await?.text().await?;
    assert!(!page.contains(WORK), "{page}");
    assert_eq!(fetch(&b, &href).await?.0, 404);
    b.close().await;
    Ok(())
}
