//! Réservations on a 390 px phone, in Chromium: a teacher books the tablets for every week A
//! until the holidays; a colleague's overlapping booking of them is refused with the day and
//! the reason; the computer room, taken by a course, is booked once the course's teacher
//! cancels that occurrence in the timetable.

use cartable_core::dates::{iso, monday_of, today_in_france};
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in as http_sign_in, text};
use fantoccini::{Client, Locator};
use time::Duration;

use crate::TestResult;
use crate::browser_sign_in::{fits_phone, shown, sign_in, sign_out, wait_message, wait_path};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Fills the booking form and sends it; returns the message shown after.
async fn book(
    b: &Browser,
    c: &Client,
    resource: &str,
    fields: &[(&str, &str)],
    selects: &[(&str, &str)],
) -> Result<String, BoxError> {
    c.find(Locator::XPath(&format!(
        "//select[@id='ressource']/option[starts-with(., '{resource}')]"
    )))
    .await?
    .click()
    .await?;
    for (id, value) in fields {
        let e = c.find(Locator::Id(id)).await?;
        e.clear().await?;
        // A date field takes what a keyboard types in the browser's locale: set it directly.
        c.execute(
            "arguments[0].value = arguments[1];",
            vec![
                serde_json::to_value(&e)?,
                serde_json::Value::String((*value).to_owned()),
            ],
        )
        .await?;
    }
    for (id, value) in selects {
        c.find(Locator::Css(&format!("#{id} option[value='{value}']")))
            .await?
            .click()
            .await?;
    }
    let before = shown(b).await;
    c.find(Locator::Id("reserver-bouton"))
        .await?
        .click()
        .await?;
    wait_message(b, &before).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weeks_a_until_the_holidays_a_refused_colleague_and_a_freed_room() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let find = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && d.classe == class)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (t1, t2) = (find("enseignant", "6A")?, find("enseignant", "6B")?);
    let today = today_in_france(cartable_core::clock::Clock::now(
        &cartable_core::clock::SystemClock,
    ));
    let monday = monday_of(today) + Duration::weeks(1);
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let courses = store.read(cartable_emploi_du_temps::store::courses).await?;
    let (kind, holidays) = store
        .read(move |r| Ok((r.week_kind(monday)?, r.school_calendar()?.holidays)))
        .await?;
    store.close();
    // The next holidays: the series ends the day before them.
    let holiday = holidays
        .iter()
        .filter(|h| h.first_day > monday)
        .min_by_key(|h| h.first_day)
        .ok_or("no holidays ahead in the demo's calendar")?;
    let until = iso(holiday.first_day - Duration::days(1));
    let lab = courses
        .iter()
        .find(|c| {
            c.room == "Salle info"
                && c.day <= 5
                && (c.weeks.code() == "H" || kind.is_none_or(|k| k == c.weeks.code()))
        })
        .ok_or("no course in the computer room")?;
    let lab_day = iso(monday + Duration::days(i64::from(lab.day) - 1));
    let lab_teacher = demo
        .iter()
        .find(|x| lab.teachers.contains(&x.login))
        .cloned()
        .ok_or("no teacher for the course")?;
    let wednesday = iso(monday + Duration::days(2));

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let b = Browser::start().await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;

    sign_in(&b, &base, &t1.login, &t1.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/reservations")).await?;
    let said = book(
        &b,
        c,
        "Valise de tablettes",
        &[
            ("jour", &wednesday),
            ("debut", "09h00"),
            ("fin", "10h00"),
            ("quantite", "2"),
            ("jusqu-au", &until),
        ],
        &[("repetition", "semaine-a")],
    )
    .await?;
    assert!(said.contains("enregistrée"), "{said}");
    let mine = c
        .find(Locator::Id("mes-reservations"))
        .await?
        .text()
        .await?;
    assert!(mine.contains("Valise de tablettes"), "{mine}");
    fits_phone(&b).await?;
    sign_out(&b).await?;

    // The colleague: refused with the day and the reason, nothing booked.
    sign_in(&b, &base, &t2.login, &t2.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/reservations")).await?;
    // The series' first day: next week's Wednesday if it is a week A, else the one after.
    let first = monday + Duration::days(2) + Duration::weeks(if kind == Some("B") { 1 } else { 0 });
    let (first_iso, first_day) = (iso(first), cartable_core::dates::day_and_date(first));
    let said = book(
        &b,
        c,
        "Valise de tablettes",
        &[
            ("jour", &first_iso),
            ("debut", "09h30"),
            ("fin", "10h30"),
            ("quantite", "1"),
        ],
        &[],
    )
    .await?;
    assert!(
        said.contains("déjà réservé") && said.contains(&first_day),
        "{said}"
    );
    assert_eq!(
        c.find(Locator::Id("debut"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("09h30")
    );
    sign_out(&b).await?;

    // The computer room: its course is in the way; cancelled in the timetable, it is free.
    sign_in(&b, &base, &t1.login, &t1.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/reservations")).await?;
    let slot = format!("{}-{}", lab.start, lab.end);
    let said = book(
        &b,
        c,
        "Salle informatique",
        &[("jour", &lab_day)],
        &[("creneau", &slot)],
    )
    .await?;
    assert!(said.contains("la salle a cours"), "{said}");
    let lc = client(&daemon.ca())?;
    http_sign_in(&lc, &base, &lab_teacher.login, &lab_teacher.password).await?;
    let week = text(&lc, &format!("{base}/emploi-du-temps")).await?;
    let res = lc
        .post(format!("{base}/emploi-du-temps/changement"))
        .form(&[
            ("csrf", csrf_in(&week).ok_or("csrf")?.as_str()),
            ("cours", &lab.id.to_string()),
            ("date", &lab_day),
            ("action", "annuler"),
            ("salle", ""),
            ("note", "Sortie"),
            ("retour", "/emploi-du-temps"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let said = book(
        &b,
        c,
        "Salle informatique",
        &[("jour", &lab_day)],
        &[("creneau", &slot)],
    )
    .await?;
    assert!(said.contains("enregistrée"), "{said}");
    b.close().await;
    Ok(())
}
