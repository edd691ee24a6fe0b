//! Réservations on the demo collège, through the real daemon: a colleague's overlapping
//! booking of the last tablets is refused with the day and the reason, what he typed kept;
//! two teachers asking for the only projector at the same moment: exactly one gets it; a
//! weekly booking on weeks A skips weeks B and the holidays; the computer room is refused
//! while the timetable has a course in it, and booked once that course is cancelled; the CDI
//! waits for the direction, whose decision reaches the teacher.

use cartable_core::dates::{iso, monday_of, parse_iso, today_in_france};
use cartable_core::store::Store;
use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{Posted, csrf_in, post, text};
use time::{Date, Duration};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn signed(
    base: &str,
    ca: &std::path::Path,
    who: &DemoLogin,
) -> Result<reqwest::Client, BoxError> {
    cartable_tests::http::signed_in(base, ca, &who.login, &who.password).await
}

async fn csrf(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    Ok(csrf_in(&text(c, url).await?).ok_or("no CSRF token")?)
}

async fn book(
    c: &reqwest::Client,
    base: &str,
    fields: &[(&str, &str)],
) -> Result<Posted, BoxError> {
    let url = format!("{base}/reservations");
    let token = csrf(c, &url).await?;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &token));
    post(c, &url, &form).await
}

/// The id of the resource named `name` in the booking form.
fn resource(page: &str, name: &str) -> Result<String, BoxError> {
    Ok(page
        .split("<option value=\"")
        .skip(1)
        .find(|s| {
            s.split("</option>")
                .next()
                .is_some_and(|o| o.contains(name))
        })
        .and_then(|s| s.split('"').next())
        .ok_or(format!("no resource « {name} »"))?
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_and_equipment_are_booked_without_conflict() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let find = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (t1, t2, d) = (
        find("enseignant", "6A")?,
        find("enseignant", "6B")?,
        find("direction", "")?,
    );
    // Next week, and a course of the timetable in the computer room then.
    let today = today_in_france(cartable_core::clock::Clock::now(
        &cartable_core::clock::SystemClock,
    ));
    let monday = monday_of(today) + Duration::weeks(1);
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let courses = store.read(cartable_emploi_du_temps::store::courses).await?;
    let (week_a, calendar) = store
        .read(move |r| {
            let kinds: Vec<(Date, Option<&'static str>)> = (0..20)
                .map(|w| monday + Duration::weeks(w))
                .map(|m| r.week_kind(m).map(|k| (m, k)))
                .collect::<cartable_core::Result<_>>()?;
            Ok((kinds, r.school_calendar()?))
        })
        .await?;
    store.close();
    let lab = courses
        .iter()
        .find(|c| {
            let kind = week_a.first().and_then(|(_, k)| *k);
            c.room == "Salle info"
                && c.day <= 5
                && (c.weeks.code() == "H" || kind.is_none_or(|k| k == c.weeks.code()))
        })
        .ok_or("no course in the computer room")?;
    let lab_day = monday + Duration::days(i64::from(lab.day) - 1);
    let teacher_of_lab = demo
        .iter()
        .find(|x| lab.teachers.contains(&x.login))
        .cloned()
        .ok_or("the course's teacher is not in the demo")?;

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let (c1, c2, dc, lc) = (
        signed(&base, &ca, &t1).await?,
        signed(&base, &ca, &t2).await?,
        signed(&base, &ca, &d).await?,
        signed(&base, &ca, &teacher_of_lab).await?,
    );
    let home = text(&c1, &format!("{base}/reservations")).await?;
    let tablets = resource(&home, "Valise de tablettes")?;
    let projector = resource(&home, "Vidéoprojecteur")?;
    let room = resource(&home, "Salle informatique")?;
    let cdi = resource(&home, "CDI")?;
    let tuesday = iso(monday + Duration::days(1));

    // The last tablets: refused at once with the day and why; nothing typed lost.
    let r = book(
        &c1,
        &base,
        &[
            ("ressource", &tablets),
            ("jour", &tuesday),
            ("debut", "10h00"),
            ("fin", "11h00"),
            ("quantite", "2"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = book(
        &c2,
        &base,
        &[
            ("ressource", &tablets),
            ("jour", &tuesday),
            ("debut", "10h30"),
            ("fin", "11h30"),
            ("quantite", "1"),
            ("motif", "Exposés"),
        ],
    )
    .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà réservé"), "{}", r.body);
    assert!(r.body.contains("Rien n"), "{}", r.body);
    assert!(
        r.body.contains("value=\"10h30\"") && r.body.contains("value=\"Exposés\""),
        "{}",
        r.body
    );

    // Two at once for the only projector: one gets it.
    let (k1, k2) = (
        csrf(&c1, &format!("{base}/reservations")).await?,
        csrf(&c2, &format!("{base}/reservations")).await?,
    );
    let form = |k: &str| {
        vec![
            ("ressource".to_owned(), projector.clone()),
            ("jour".to_owned(), tuesday.clone()),
            ("debut".to_owned(), "14h00".to_owned()),
            ("fin".to_owned(), "15h00".to_owned()),
            ("quantite".to_owned(), "1".to_owned()),
            ("csrf".to_owned(), k.to_owned()),
        ]
    };
    let url = format!("{base}/reservations");
    let (f1, f2) = (form(&k1), form(&k2));
    let (a, b) = tokio::join!(post(&c1, &url, &f1), post(&c2, &url, &f2));
    let mut got = vec![a?.status, b?.status];
    got.sort_unstable();
    assert_eq!(got, vec![303, 422], "exactly one booking of the last unit");

    // Every week A until February: weeks B and the holidays skipped.
    let until = iso(monday + Duration::weeks(10));
    let wednesday = monday + Duration::days(2);
    let expected = week_a
        .iter()
        .filter(|(m, k)| *m <= monday + Duration::weeks(10) && k.is_none_or(|k| k == "A"))
        .map(|(m, _)| *m + Duration::days(2))
        .filter(|day| *day >= wednesday && calendar.closed(*day).is_none())
        .filter(|day| *day <= parse_iso(&until).unwrap_or(*day))
        .count();
    assert!(
        expected >= 2,
        "the demo's calendar leaves fewer than two weeks A"
    );
    let r = book(
        &c1,
        &base,
        &[
            ("ressource", &tablets),
            ("jour", &iso(wednesday)),
            ("debut", "08h00"),
            ("fin", "09h00"),
            ("quantite", "1"),
            ("repetition", "semaine-a"),
            ("jusqu-au", &until),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let said = text(&c1, &format!("{base}{}", r.location)).await?;
    assert!(
        said.contains(&format!("{expected} réservations enregistrées")),
        "expected {expected}: {said}"
    );

    // The computer room: its course is in the way until cancelled for that day.
    let slot = [
        ("ressource", room.as_str()),
        ("jour", &iso(lab_day)),
        ("creneau", &format!("{}-{}", lab.start, lab.end)),
    ];
    let r = book(&c1, &base, &slot).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("la salle a cours"), "{}", r.body);
    let week = text(&lc, &format!("{base}/emploi-du-temps")).await?;
    let res = lc
        .post(format!("{base}/emploi-du-temps/changement"))
        .form(&[
            ("csrf", csrf_in(&week).ok_or("csrf")?.as_str()),
            ("cours", &lab.id.to_string()),
            ("date", &iso(lab_day)),
            ("action", "annuler"),
            ("salle", ""),
            ("note", "Sortie"),
            ("retour", "/emploi-du-temps"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let r = book(&c1, &base, &slot).await?;
    assert_eq!(r.status, 303, "{}", r.body);

    // The teacher's iCal address carries the room's booking, at its French time, in UTC.
    let page = text(&c1, &format!("{base}/reservations")).await?;
    let shown = post(
        &c1,
        &format!("{base}/reservations/abonnement"),
        &[("csrf", csrf_in(&page).ok_or("csrf")?.as_str())],
    )
    .await?
    .body;
    let at = shown.find("/reservations/ical/").ok_or("no address")?;
    let path = shown[at..].split('"').next().ok_or("address")?;
    // Fetched by a calendar application: no session.
    let feed = cartable_tests::http::client(&ca)?
        .get(format!("{base}{path}"))
        .send()
        .await?
        .text()
        .await?;
    let start = cartable_core::dates::instant_in_france(lab_day, lab.start).ok_or("instant")?;
    let stamp = format!(
        "DTSTART:{:04}{:02}{:02}T{:02}{:02}00Z",
        start.year(),
        start.month() as u8,
        start.day(),
        start.hour(),
        start.minute()
    );
    assert!(
        feed.contains("SUMMARY:Salle informatique") && feed.contains(&stamp),
        "{stamp} not in\n{feed}"
    );

    // The CDI waits for the direction.
    let r = book(
        &c1,
        &base,
        &[
            ("ressource", &cdi),
            ("jour", &tuesday),
            ("debut", "13h00"),
            ("fin", "14h00"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        text(&c1, &format!("{base}{}", r.location))
            .await?
            .contains("un gestionnaire la validera")
    );
    let queue = text(&dc, &format!("{base}/reservations/a-valider")).await?;
    let waiting = queue
        .split("id=\"valider-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    let mine = waiting.last().ok_or("nothing to validate")?;
    let token = csrf_in(&queue).ok_or("csrf")?;
    let r = post(
        &dc,
        &format!("{base}/reservations/{mine}/valider"),
        &[("csrf", token.as_str())],
    )
    .await?;
    assert_eq!(r.status, 303);
    let told = text(&c1, &format!("{base}/notifications")).await?;
    assert!(told.contains("Réservation validée"), "{told}");

    // Managing: a resource still booked is not deleted; one without bookings is; an edit
    // shows in the form.
    let manage = format!("{base}/reservations/gestion");
    let token = csrf(&dc, &manage).await?;
    let r = post(
        &dc,
        &format!("{base}/reservations/gestion/ressource/{tablets}/supprimer"),
        &[("csrf", token.as_str()), ("confirmer", "1")],
    )
    .await?;
    assert!(
        text(&dc, &format!("{base}{}", r.location))
            .await?
            .contains("à venir"),
        "{}",
        r.location
    );
    assert!(
        text(&c1, &format!("{base}/reservations"))
            .await?
            .contains("Valise de tablettes")
    );
    let lab = resource(&home, "Laboratoire")?;
    let r = post(
        &dc,
        &format!("{base}/reservations/gestion/ressource/{lab}/supprimer"),
        &[("csrf", token.as_str()), ("confirmer", "1")],
    )
    .await?;
    assert!(
        text(&dc, &format!("{base}{}", r.location))
            .await?
            .contains("Ressource supprimée")
    );
    assert!(
        !text(&c1, &format!("{base}/reservations"))
            .await?
            .contains("Laboratoire")
    );
    let r = post(
        &dc,
        &format!("{base}/reservations/gestion/ressource/{projector}"),
        &[
            ("csrf", token.as_str()),
            ("nom", "Vidéoprojecteur du CDI"),
            ("quantite", "2"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303);
    assert!(
        text(&c1, &format!("{base}/reservations"))
            .await?
            .contains("Vidéoprojecteur du CDI (Matériel : 2 en tout)")
    );
    Ok(())
}
