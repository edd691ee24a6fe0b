//! The emploi du temps on the sample collège (accounts from the SIECLE and STS-web samples):
//! the direction checks then imports UDT's CSV export — 16 courses, the weekly hours the
//! sample's manifest expects, A/B half-groups — and a file with a problem is refused naming
//! its line, changing nothing; a pupil sees his class and his half-group in the right weeks;
//! the maths teacher cancels this week's Monday course and the pupil, his parent and the
//! iCal feed all say so, a pupil of another class does not see it; the feed is parsed back,
//! then revoked; a class's iCalendar file replaces that class's courses only.

use std::path::{Path, PathBuf};
use std::process::Command;

use cartable_tests::daemon::{Daemon, base_config, binary};
use cartable_tests::http::{client, csrf_in, sign_in};
use icalendar::{Calendar, CalendarComponent, Component, EventLike, EventStatus};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/siecle-sts-edt")
}

fn cli(config: &Path, args: &[&str], stdin: Option<&str>) -> Result<String, BoxError> {
    // `cartabled <command> --config FILE <rest>`.
    let mut cmd = Command::new(binary()?);
    cmd.arg(args[0]).arg("--config").arg(config);
    let mut child = cmd
        .args(&args[1..])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        std::io::Write::write_all(&mut input, text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        return Err(format!("cartabled {args:?}: {text}").into());
    }
    Ok(text)
}

/// The login of the person with this jointure (SIECLE/STS id), with a password set.
fn account(config: &Path, jointure: &str, password: &str) -> Result<String, BoxError> {
    let shown: serde_json::Value = serde_json::from_str(&cli(
        config,
        &["accounts", "show", jointure, "--json"],
        None,
    )?)?;
    let login = shown["login"].as_str().ok_or("no login")?.to_owned();
    cli(
        config,
        &["accounts", "set-password", &login, "--password-stdin"],
        Some(&format!("{password}\n")),
    )?;
    Ok(login)
}

async fn page(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    Ok(c.get(url).send().await?.text().await?)
}

async fn import(
    c: &reqwest::Client,
    base: &str,
    format: &str,
    target: &str,
    mode: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Result<String, BoxError> {
    let manage = page(c, &format!("{base}/emploi-du-temps/gerer")).await?;
    let csrf = csrf_in(&manage).ok_or("no CSRF token")?;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("format", format.to_owned())
        .text("cible", target.to_owned())
        .text("mode", mode.to_owned())
        .part(
            "fichier",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let res = c
        .post(format!("{base}/emploi-du-temps/importer"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    Ok(res.text().await?)
}

fn count(page: &str) -> Option<usize> {
    let at = page.find("id=\"nombre-cours\">")? + "id=\"nombre-cours\">".len();
    page[at..].split('<').next()?.parse().ok()
}

/// The first day shown (`data-date`): the Monday of the week on the page.
fn monday(page: &str) -> Option<String> {
    let at = page.find("data-date=\"")? + "data-date=\"".len();
    Some(page[at..at + 10].to_owned())
}

/// The `data-cours` ids of the slots of one day whose subject is `subject`.
fn slots(page: &str, date: &str, subject: &str) -> Vec<String> {
    let Some(start) = page.find(&format!("data-date=\"{date}\"")) else {
        return Vec::new();
    };
    let day = &page[start..];
    let day = &day[..day[1..].find("data-date=\"").map_or(day.len(), |e| e + 1)];
    day.split("data-cours=\"")
        .skip(1)
        .filter(|s| {
            s.split("</li>")
                .next()
                .is_some_and(|li| li.contains(subject))
        })
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_from_udt_with_changes_and_feeds() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, base_config(&data))?;
    let delivery = tmp.path().join("siecle");
    std::fs::create_dir_all(&delivery)?;
    for f in [
        "siecle/ElevesSansAdresses.xml",
        "siecle/ResponsablesAvecAdresses.xml",
        "siecle/Structures.xml",
        "siecle/Nomenclature.xml",
        "sts/sts_emp_0171234K_2026.xml",
    ] {
        let from = fixtures().join(f);
        std::fs::copy(&from, delivery.join(from.file_name().ok_or("name")?))?;
    }
    cli(
        &config,
        &["import", "siecle", &delivery.display().to_string()],
        None,
    )?;
    let direction = account(&config, "STS4105", "Direction-2026-Ok")?;
    let maths = account(&config, "STS4102", "Maths-Gabarit-2026")?;
    let pupil = account(&config, "SIECLE910001", "Eleve-6A-2026")?;
    let parent = account(&config, "SIECLEP700001", "Parent-Famille-2026")?;
    let other = account(&config, "SIECLE910007", "Eleve-5B-2026")?;

    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (config.clone(), tmp.path().to_owned());
        move || Daemon::serve(&config, &dir)
    })
    .await??;
    let base = daemon.url.clone();
    let ca = data.join("tls/ca.pem");
    let as_ = |login: String, password: &'static str| {
        let base = base.clone();
        let ca = ca.clone();
        async move {
            let c = client(&ca)?;
            assert_eq!(
                sign_in(&c, &base, &login, password).await?.as_u16(),
                303,
                "{login}"
            );
            Ok::<_, BoxError>(c)
        }
    };
    let dir = as_(direction, "Direction-2026-Ok").await?;

    // Checked first: the plan, nothing written.
    let csv = std::fs::read(fixtures().join("timetable/udt/export_udt.csv"))?;
    let checked = import(
        &dir,
        &base,
        "csv",
        "",
        "verifier",
        "export_udt.csv",
        csv.clone(),
    )
    .await?;
    assert!(
        checked.contains("16 cours pour 5 classes ou groupes"),
        "{checked}"
    );
    assert!(checked.contains("Rien n&#39;a été modifié"), "{checked}");
    assert_eq!(count(&checked), Some(0));

    // Weeks A and B from the first Monday of the year (the sample's Q1 weeks).
    let manage = page(&dir, &format!("{base}/emploi-du-temps/gerer")).await?;
    let res = dir
        .post(format!("{base}/emploi-du-temps/semaine-a"))
        .form(&[
            ("csrf", csrf_in(&manage).ok_or("csrf")?.as_str()),
            ("date", "2026-08-31"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);

    let imported = import(
        &dir,
        &base,
        "csv",
        "",
        "importer",
        "export_udt.csv",
        csv.clone(),
    )
    .await?;
    assert!(
        imported.contains("Emploi du temps importé : 16 cours"),
        "{imported}"
    );
    assert_eq!(count(&imported), Some(16));
    // The weekly hours per class and group, as the manifest counts them (a half-group
    // every other week is half an hour a week).
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("manifest.json"))?)?;
    for (code, hours) in manifest["expected"]["weekly_hours_by_structure"]
        .as_object()
        .ok_or("no hours in the manifest")?
    {
        let row = imported
            .split("<tr data-code=\"")
            .find(|r| r.starts_with(&format!("{code}\">")))
            .ok_or(format!("no row for {code}"))?;
        // Shown by its label, not its code.
        assert!(!row.contains(&format!(">{code}</td>")), "{row}");
        // « 27 h 30 / 27 h »: hours and minutes, weeks A and B.
        let cell = row
            .split("<td data-libelle=\"Heures\">")
            .nth(1)
            .unwrap_or_default();
        let cell = cell.split("</td>").next().unwrap_or_default();
        let ab: Vec<f64> = cell
            .split(" / ")
            .filter_map(|side| {
                let (h, m) = side.split_once(" h")?;
                let m: f64 = m.trim().parse().unwrap_or(0.0);
                Some(h.trim().parse::<f64>().ok()? + m / 60.0)
            })
            .collect();
        assert_eq!(ab.len(), 2, "{row}");
        assert_eq!(
            (ab[0] + ab[1]) / 2.0,
            hours.as_f64().ok_or("hours")?,
            "{code}: {row}"
        );
    }

    // A teacher unknown to the annuaire: refused naming the line, nothing changed.
    // Edited as bytes: the file is ISO-8859-15.
    let mut broken = Vec::new();
    let mut rest = csv.as_slice();
    while let Some(i) = rest.windows(10).position(|w| w == b"PATRON AGN") {
        broken.extend_from_slice(&rest[..i]);
        broken.extend_from_slice(b"INCONNU AGN");
        rest = &rest[i + 10..];
    }
    broken.extend_from_slice(rest);
    let refused = import(&dir, &base, "csv", "", "importer", "faux.csv", broken).await?;
    assert!(
        refused.contains("faux.csv : 4 problèmes, rien n&#39;a été importé"),
        "{refused}"
    );
    assert!(refused.contains("ligne 4 : « INCONNU AGN"), "{refused}");
    assert_eq!(count(&refused), Some(16));

    // The pupil of 6A in the first SVT half-group: SVT in week A, not in week B.
    let p = as_(pupil.clone(), "Eleve-6A-2026").await?;
    let week_a = page(&p, &format!("{base}/emploi-du-temps?semaine=2026-09-14")).await?;
    assert!(
        week_a.contains("Semaine A du 14 septembre 2026"),
        "{week_a}"
    );
    assert_eq!(slots(&week_a, "2026-09-15", "SVT").len(), 1, "{week_a}");
    assert_eq!(slots(&week_a, "2026-09-14", "Mathématiques").len(), 1);
    let week_b = page(&p, &format!("{base}/emploi-du-temps?semaine=2026-09-21")).await?;
    assert!(week_b.contains("Semaine B"), "{week_b}");
    assert!(slots(&week_b, "2026-09-22", "SVT").is_empty(), "{week_b}");

    // This week, the maths teacher cancels Monday's 6A course.
    let t = as_(maths, "Maths-Gabarit-2026").await?;
    let mine = page(&t, &format!("{base}/emploi-du-temps")).await?;
    let this_monday = monday(&mine).ok_or("no day")?;
    let course = slots(&mine, &this_monday, "Mathématiques")
        .into_iter()
        .next()
        .ok_or(format!("no Monday maths course:\n{mine}"))?;
    let res = t
        .post(format!("{base}/emploi-du-temps/changement"))
        .form(&[
            ("csrf", csrf_in(&mine).ok_or("csrf")?.as_str()),
            ("cours", &course),
            ("date", &this_monday),
            ("action", "annuler"),
            ("note", "Conseil pédagogique"),
            ("retour", "/emploi-du-temps"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);

    // The pupil: on his portal tile, and struck out on the day.
    let portal = page(&p, &format!("{base}/")).await?;
    assert!(portal.contains("1 changement cette semaine"), "{portal}");
    let now = page(&p, &format!("{base}/emploi-du-temps")).await?;
    assert!(
        now.contains(&format!("creneau annule\" data-cours=\"{course}\"")),
        "{now}"
    );
    assert!(now.contains("Conseil pédagogique"));
    // His parent, on the child's page.
    let parent_c = as_(parent, "Parent-Famille-2026").await?;
    let child = page(&parent_c, &format!("{base}/emploi-du-temps")).await?;
    assert!(child.contains(&format!("creneau annule\" data-cours=\"{course}\"")));
    // A 5B pupil: not his course, not his change.
    let o = as_(other, "Eleve-5B-2026").await?;
    let theirs = page(&o, &format!("{base}/emploi-du-temps")).await?;
    assert!(!theirs.contains(&format!("data-cours=\"{course}\"")));
    assert!(!theirs.contains("Conseil pédagogique"));
    assert!(
        !page(&o, &format!("{base}/"))
            .await?
            .contains("changement cette semaine")
    );

    // The pupil's iCal address: read by a calendar application, without a session.
    let now_csrf = csrf_in(&now).ok_or("csrf")?;
    let sub = p
        .post(format!("{base}/emploi-du-temps/abonnement"))
        .form(&[("csrf", now_csrf.as_str())])
        .send()
        .await?
        .text()
        .await?;
    let at = sub
        .find("id=\"adresse-ical\" readonly value=\"")
        .ok_or("no address")?
        + "id=\"adresse-ical\" readonly value=\"".len();
    let url = sub[at..].split('"').next().ok_or("address")?.to_owned();
    let path = &url[url.find("/emploi-du-temps/ical/").ok_or("path")?..];
    let app = client(&ca)?;
    let res = app.get(format!("{base}{path}")).send().await?;
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/calendar"))
    );
    let cal: Calendar = res.text().await?.parse()?;
    let events: Vec<&icalendar::Event> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    // Ten weeks: seven 6A courses a week, and SVT for his half-group every other week — none
    // on a day off (this établissement set no holidays: the public holidays, computed).
    let off = cartable_core::calendar::SchoolCalendar::default();
    let day_of = |e: &icalendar::Event| -> Option<time::Date> {
        use icalendar::{CalendarDateTime, DatePerhapsTime};
        let d = match e.get_start()? {
            DatePerhapsTime::DateTime(CalendarDateTime::Utc(u)) => u.date_naive(),
            DatePerhapsTime::DateTime(CalendarDateTime::Floating(n)) => n.date(),
            DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, .. }) => {
                date_time.date()
            }
            DatePerhapsTime::Date(d) => d,
        };
        use chrono::Datelike;
        time::Date::from_calendar_date(
            d.year(),
            time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?,
            u8::try_from(d.day()).ok()?,
        )
        .ok()
    };
    let mut by_week: std::collections::BTreeMap<time::Date, usize> = Default::default();
    for e in &events {
        let d = day_of(e).ok_or("event without a start")?;
        assert_eq!(off.closed(d), None, "a course on a day off: {d}");
        let monday = d - time::Duration::days(i64::from(d.weekday().number_days_from_monday()));
        *by_week.entry(monday).or_default() += 1;
    }
    let full: Vec<(time::Date, usize)> = by_week
        .iter()
        .filter(|(m, _)| (0..5).all(|k| off.closed(**m + time::Duration::days(k)).is_none()))
        .map(|(m, n)| (*m, *n))
        .collect();
    assert!(full.len() >= 4, "{by_week:?}");
    for w in full.windows(2) {
        assert!([7, 8].contains(&w[0].1), "{by_week:?}");
        if w[1].0 - w[0].0 == time::Duration::weeks(1) {
            assert_eq!(w[0].1 + w[1].1, 15, "A and B weeks alternate: {by_week:?}");
        }
    }
    assert_eq!(by_week.len(), 10, "ten weeks: {by_week:?}");
    let cancelled: Vec<_> = events
        .iter()
        .filter(|e| e.get_status() == Some(EventStatus::Cancelled))
        .collect();
    assert_eq!(cancelled.len(), 1);
    assert!(
        cancelled[0]
            .get_summary()
            .is_some_and(|s| s.starts_with("Mathématiques")),
        "{:?}",
        cancelled[0].get_summary()
    );
    assert!(
        cancelled[0]
            .get_description()
            .is_some_and(|d| d.contains("Conseil pédagogique"))
    );
    assert!(events.iter().all(|e| e.get_location().is_some()));

    // Revoked: the address stops working.
    let res = p
        .post(format!("{base}/emploi-du-temps/abonnement/supprimer"))
        .form(&[("csrf", now_csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        app.get(format!("{base}{path}"))
            .send()
            .await?
            .status()
            .as_u16(),
        404
    );

    // A class's iCalendar file: that class's courses are replaced, nobody else's.
    let mut ics = Calendar::new();
    ics.push(
        icalendar::Event::new()
            .summary("Latin")
            .starts(icalendar::CalendarDateTime::WithTimezone {
                date_time: chrono::NaiveDate::from_ymd_opt(2026, 9, 3)
                    .and_then(|d| d.and_hms_opt(15, 30, 0))
                    .ok_or("date")?,
                tzid: "Europe/Paris".into(),
            })
            .ends(icalendar::CalendarDateTime::WithTimezone {
                date_time: chrono::NaiveDate::from_ymd_opt(2026, 9, 3)
                    .and_then(|d| d.and_hms_opt(16, 30, 0))
                    .ok_or("date")?,
                tzid: "Europe/Paris".into(),
            })
            .location("S101")
            .add_property("RRULE", "FREQ=WEEKLY")
            .description("Professeur : CANEVAS Hélène")
            .done(),
    );
    let replaced = import(
        &dir,
        &base,
        "ical",
        "5BLAT",
        "importer",
        "latin.ics",
        ics.done().to_string().into_bytes(),
    )
    .await?;
    assert!(
        replaced.contains("1 cours pour 1 classe ou groupe"),
        "{replaced}"
    );
    assert_eq!(count(&replaced), Some(16));
    let latin = page(&o, &format!("{base}/emploi-du-temps?semaine=2026-09-14")).await?;
    assert_eq!(slots(&latin, "2026-09-17", "Latin").len(), 1, "{latin}");
    assert!(slots(&latin, "2026-09-15", "Latin").is_empty());
    Ok(())
}
