//! The agenda on the demo collège, through the real daemon: the direction publishes a
//! meeting for the parents of 6A; a parent of a 6A pupil sees it (page, tile, iCal feed), a
//! parent of another class and the 6A pupil himself do not; an event a pupil notes for
//! himself is his alone; the staff's conseil de classe reaches a teacher, not a parent.

use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};
use icalendar::{Calendar, CalendarComponent, Component, EventLike};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn signed(
    base: &str,
    ca: &std::path::Path,
    who: &DemoLogin,
) -> Result<reqwest::Client, BoxError> {
    let c = client(ca)?;
    assert_eq!(
        sign_in(&c, base, &who.login, &who.password).await?.as_u16(),
        303,
        "{}",
        who.login
    );
    Ok(c)
}

async fn page(c: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    Ok(c.get(url).send().await?.text().await?)
}

/// Posts the agenda's form; returns where it sent us back.
async fn add(c: &reqwest::Client, base: &str, fields: &[(&str, &str)]) -> Result<String, BoxError> {
    let agenda = page(c, &format!("{base}/agenda")).await?;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    let csrf = csrf_in(&agenda).ok_or("no CSRF token")?;
    form.push(("csrf", &csrf));
    let res = c
        .post(format!("{base}/agenda/evenement"))
        .form(&form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    Ok(res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_reach_the_audiences_they_are_published_to() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let direction = first("direction", "")?;
    let pupil = first("eleve", "6A")?;
    let teacher = first("enseignant", "")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    // A parent of a 6A pupil and one of a 4B pupil, from the parent lines of the demo file.
    let parent_of = |class: &str| {
        demo.iter()
            .find(|d| d.profile == "responsable" && d.classe.split(',').any(|c| c.trim() == class))
            .cloned()
            .ok_or(format!("no parent in {class}"))
    };
    let parent_6a = parent_of("6A")?;
    let parent_4b = parent_of("4B")?;

    let dir = signed(&base, &ca, &direction).await?;
    // Today, as the agenda's form gives it; the meeting is in six weeks.
    let form = page(&dir, &format!("{base}/agenda")).await?;
    let at = form
        .find("id=\"evenement-jour\" required value=\"")
        .ok_or("no day")?
        + "id=\"evenement-jour\" required value=\"".len();
    let today = cartable_core::dates::parse_iso(&form[at..at + 10]).ok_or("day")?;
    let day = today + time::Duration::days(42);
    let next_day = cartable_core::dates::iso(day + time::Duration::days(1));
    let since = cartable_core::dates::iso(day - time::Duration::days(3));
    let day_s = cartable_core::dates::iso(day);
    let back = add(
        &dir,
        &base,
        &[
            ("titre", "Rencontre avec le professeur principal"),
            ("jour", &day_s),
            ("debut", "18h00"),
            ("fin", "19h30"),
            ("lieu", "Salle 12"),
            ("pour", "parents:6A"),
        ],
    )
    .await?;
    assert!(back.contains("ok="), "{back}");

    let title = "Rencontre avec le professeur principal";
    let jan = format!("{base}/agenda?depuis={since}");
    let p = signed(&base, &ca, &parent_6a).await?;
    let seen = page(&p, &jan).await?;
    assert!(
        seen.contains(title) && seen.contains("18h00 – 19h30"),
        "{seen}"
    );
    assert!(seen.contains("Parents de 6e A"));
    for who in [&parent_4b, &pupil] {
        let c = signed(&base, &ca, who).await?;
        assert!(
            !page(&c, &jan).await?.contains(title),
            "{} sees it",
            who.login
        );
    }

    // The pupil's own event: his alone.
    let e = signed(&base, &ca, &pupil).await?;
    add(
        &e,
        &base,
        &[("titre", "Entraînement de hand"), ("jour", &next_day)],
    )
    .await?;
    assert!(page(&e, &jan).await?.contains("Entraînement de hand"));
    assert!(!page(&p, &jan).await?.contains("Entraînement de hand"));
    assert!(!page(&dir, &jan).await?.contains("Entraînement de hand"));
    // A pupil may not publish.
    let agenda = page(&e, &format!("{base}/agenda")).await?;
    let res = e
        .post(format!("{base}/agenda/evenement"))
        .form(&[
            ("titre", "Fête"),
            ("jour", &next_day),
            ("pour", "tous"),
            ("csrf", &csrf_in(&agenda).ok_or("csrf")?),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 403);

    // The demo's conseil de classe is for the staff: a teacher sees it, a parent does not.
    let t = signed(&base, &ca, &teacher).await?;
    assert!(
        page(&t, &format!("{base}/agenda"))
            .await?
            .contains("Conseil de classe")
    );
    assert!(
        !page(&p, &format!("{base}/agenda"))
            .await?
            .contains("Conseil de classe")
    );

    // The parent's iCal address carries the meeting, at 18h00 French time, in UTC.
    let agenda = page(&p, &format!("{base}/agenda")).await?;
    let shown = p
        .post(format!("{base}/agenda/abonnement"))
        .form(&[("csrf", csrf_in(&agenda).ok_or("csrf")?.as_str())])
        .send()
        .await?
        .text()
        .await?;
    let at = shown.find("/agenda/ical/").ok_or("no address")?;
    let path = shown[at..].split('"').next().ok_or("address")?;
    let body = client(&ca)?
        .get(format!("{base}{path}"))
        .send()
        .await?
        .text()
        .await?;
    let cal: Calendar = body.parse()?;
    let meeting = cal
        .components
        .iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) if e.get_summary() == Some(title) => Some(e),
            _ => None,
        })
        .ok_or(format!("not in the feed:\n{body}"))?;
    assert_eq!(meeting.get_location(), Some("Salle 12"));
    let start = cartable_core::dates::instant_in_france(day, 18 * 60).ok_or("instant")?;
    let stamp = format!(
        "DTSTART:{:04}{:02}{:02}T{:02}{:02}00Z",
        start.year(),
        start.month() as u8,
        start.day(),
        start.hour(),
        start.minute()
    );
    assert!(body.contains(&stamp), "{stamp} not in\n{body}");
    assert!(!body.contains("Entraînement de hand"));
    Ok(())
}

/// What the agenda keeps ends: once a pupil's account is deleted (grace period over), his own
/// events and his secret addresses go at the next lifecycle pass; an event more than a year
/// old goes too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_departed_persons_events_and_addresses_go() -> TestResult {
    use cartable_agenda::model::Event;
    use cartable_core::store::Store;

    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[accounts]\ngrace_days = 0\n",
            cartable_tests::daemon::base_config(&data)
        ),
    )?;
    let mut daemon = Daemon::serve(&config, tmp.path())?;
    let e = signed(&daemon.url, &data.join("tls/ca.pem"), &pupil).await?;
    let form = page(&e, &format!("{}/agenda", daemon.url)).await?;
    let at = form
        .find("id=\"evenement-jour\" required value=\"")
        .ok_or("no day")?
        + "id=\"evenement-jour\" required value=\"".len();
    let today = cartable_core::dates::parse_iso(&form[at..at + 10]).ok_or("day")?;
    add(
        &e,
        &daemon.url,
        &[
            ("titre", "Dentiste"),
            (
                "jour",
                &cartable_core::dates::iso(today + time::Duration::days(2)),
            ),
        ],
    )
    .await?;
    let res = e
        .post(format!("{}/agenda/abonnement", daemon.url))
        .form(&[("csrf", csrf_in(&form).ok_or("csrf")?.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    daemon.terminate()?;

    // An event of the établissement from more than a year ago.
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let old = Event {
        id: 0,
        owner: None,
        title: "Fête de l'an passé".into(),
        place: String::new(),
        description: String::new(),
        day: today - time::Duration::days(400),
        times: None,
        author: "direction".into(),
        audiences: vec![cartable_agenda::model::Audience::Everyone],
    };
    store
        .write(move |w| cartable_agenda::store::add(w, &old, 0))
        .await?;
    let login = pupil.login.clone();
    assert!(store.read(move |r| r.feed_logins()).await?.contains(&login));
    store.close();

    // The pupil leaves: disabled, then deleted (no grace period here).
    let cli = |args: &[&str]| {
        std::process::Command::new(cartable_tests::daemon::binary()?)
            .arg("accounts")
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
    };
    assert!(cli(&["disable", &pupil.login])?.status.success());
    let swept = cli(&["sweep"])?;
    assert!(swept.status.success());

    let _daemon = Daemon::serve(&config, tmp.path())?;
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let started = std::time::Instant::now();
    loop {
        let login = pupil.login.clone();
        let (owners, feeds, old_left) = store
            .read(move |r| {
                let owners = cartable_agenda::store::owners(r)?;
                let feeds = r.feed_logins()?;
                let old = cartable_agenda::store::between(
                    r,
                    today - time::Duration::days(500),
                    today - time::Duration::days(300),
                )?;
                Ok((
                    owners.contains(&login),
                    feeds.contains(&login),
                    !old.is_empty(),
                ))
            })
            .await?;
        if !owners && !feeds && !old_left {
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            return Err(format!(
                "still there: own events {owners}, addresses {feeds}, old event {old_left}"
            )
            .into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    store.close();
    Ok(())
}
