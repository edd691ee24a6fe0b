//! The school calendar: the RUPN imports the national calendar's iCalendar file (all or
//! nothing, twice changes nothing), adds a period by hand (refused dates come back as typed);
//! the timetable shows no course during the holidays, and work cannot be due on a day off.

use cartable_core::clock::{Clock, SystemClock};
use cartable_core::dates::{iso, today_in_france};
use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, location, sign_in};
use time::{Duration, Weekday};

use crate::TestResult;

fn ics(name: &str, first: time::Date, resume: time::Date) -> String {
    let d = |d: time::Date| iso(d).replace('-', "");
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\nBEGIN:VEVENT\r\nUID:t1\r\n\
         DTSTAMP:20260901T000000Z\r\nSUMMARY:{name}\r\nDTSTART;VALUE=DATE:{}\r\n\
         DTEND;VALUE=DATE:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        d(first),
        d(resume)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holidays_are_imported_and_the_timetable_keeps_them() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let rupn = accounts::first(&demo, "admin").ok_or("no admin")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &rupn.login, &rupn.password).await?;
    let page = c
        .get(format!("{base}/admin/calendrier"))
        .send()
        .await?
        .text()
        .await?;
    // The demo's holidays and the computed public holidays.
    // (The one around today is left out: the demo is a school in session.)
    assert!(
        page.contains("Vacances de Noël") || page.contains("Vacances de la Toussaint"),
        "{page}"
    );
    assert!(page.contains("Armistice 1918"), "{page}");
    let token = csrf_in(&page).ok_or("no csrf")?;

    // A week off, five weeks from now, as the national file gives it (Saturday to the
    // Monday school resumes).
    let today = today_in_france(SystemClock.now());
    let mut monday = today + Duration::weeks(5);
    while monday.weekday() != Weekday::Monday {
        monday -= Duration::days(1);
    }
    let file = ics(
        "Vacances de test",
        monday - Duration::days(2),
        monday + Duration::days(7),
    );
    let import = |file: String| {
        let (c, base, token) = (c.clone(), base.clone(), token.clone());
        async move {
            let form = reqwest::multipart::Form::new().text("csrf", token).part(
                "fichier",
                reqwest::multipart::Part::text(file).file_name("Zone-A.ics"),
            );
            let res = c
                .post(format!("{base}/admin/calendrier/importer"))
                .multipart(form)
                .send()
                .await?;
            assert_eq!(res.status().as_u16(), 303);
            let page = c
                .get(format!("{base}{}", location(&res)))
                .send()
                .await?
                .text()
                .await?;
            Ok::<String, Box<dyn std::error::Error + Send + Sync>>(page)
        }
    };
    let page = import(file.clone()).await?;
    assert!(page.contains("1 période ajoutée sur 1"), "{page}");
    assert!(page.contains("Vacances de test"), "{page}");
    // Twice: nothing doubled.
    let page = import(file).await?;
    assert!(page.contains("0 période ajoutée sur 1"), "{page}");
    assert_eq!(page.matches("data-periode=\"Vacances de test\"").count(), 1);
    // Not a calendar: nothing changes, and the page says why.
    let page = import("bonjour".into()).await?;
    assert!(
        page.contains("Calendrier non importé, rien n&#39;a changé"),
        "{page}"
    );

    // By hand, the last day before the first: refused, the form as typed.
    let res = c
        .post(format!("{base}/admin/calendrier"))
        .form(&[
            ("csrf", token.as_str()),
            ("nom", "Pont de l'Ascension"),
            ("du", "2027-05-07"),
            ("au", "2027-05-06"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 422);
    let page = res.text().await?;
    assert!(
        page.contains("le dernier jour est avant le premier"),
        "{page}"
    );
    assert!(page.contains("value=\"Pont de l&#39;Ascension\""), "{page}");
    assert!(page.contains("value=\"2027-05-07\""), "{page}");

    // A pupil's week during the holiday: no course, the holiday named each day.
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let p = client(&daemon.ca())?;
    sign_in(&p, &base, &pupil.login, &pupil.password).await?;
    let week = p
        .get(format!("{base}/emploi-du-temps?semaine={}", iso(monday)))
        .send()
        .await?
        .text()
        .await?;
    assert!(!week.contains("<li class=\"creneau"), "{week}");
    assert_eq!(week.matches("Vacances de test : pas de cours.").count(), 5);
    assert!(week.contains("l&#39;établissement est fermé"), "{week}");
    // Nor in the pupil's calendar subscription.
    let csrf = csrf_in(&week).ok_or("no csrf")?;
    let sub = p
        .post(format!("{base}/emploi-du-temps/abonnement"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?
        .text()
        .await?;
    let marker = "id=\"adresse-ical\" readonly value=\"";
    let at = sub.find(marker).ok_or("no address")? + marker.len();
    let url = sub[at..].split('"').next().ok_or("address")?;
    let path = &url[url.find("/emploi-du-temps/ical/").ok_or("path")?..];
    let feed = client(&daemon.ca())?
        .get(format!("{base}{path}"))
        .send()
        .await?
        .text()
        .await?;
    assert!(feed.contains("BEGIN:VEVENT"), "{feed}");
    for k in 0..5 {
        let day = iso(monday + Duration::days(k)).replace('-', "");
        assert!(!feed.contains(&format!("DTSTART:{day}")), "{day} in {feed}");
    }
    // The week after has its courses back.
    let after = p
        .get(format!(
            "{base}/emploi-du-temps?semaine={}",
            iso(monday + Duration::weeks(1))
        ))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        after.contains("<li class=\"creneau") || after.contains(": pas de cours."),
        "{after}"
    );
    Ok(())
}
