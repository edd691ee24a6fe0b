//! « Usages de l'ENT » against a school year of visits counted the way the service counts
//! them (the year before last, written to a demo's store before it starts): each week's people per
//! profile, visits per service, hours and devices read the same in the chart (each bar's
//! figure), in its table and in the CSV, and equal what was counted; three people of the
//! direction are never shown; the page is the direction's and the RUPN's.

use std::collections::HashMap;

use cartable_core::academie::audience::{Audience, Visit, service};
use cartable_core::clock::Clock;
use cartable_core::dates::instant_in_france;
use cartable_core::directory::Profile;
use cartable_core::store::Store;
use cartable_core::usage::Device;
use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The figures a chart draws, by its `<title>`s: « 07/09 — Élèves : 27 » → ("07/09",
/// "Élèves") → 27.
fn bars(page: &str, id: &str) -> Result<HashMap<(String, String), i64>, BoxError> {
    let start = page
        .find(&format!("<svg class=\"graphique\" id=\"{id}\""))
        .ok_or(format!("no chart {id}"))?;
    let svg = &page[start..start + page[start..].find("</svg>").ok_or("unclosed svg")?];
    let mut out = HashMap::new();
    for rect in svg.split("<rect").skip(1) {
        let Some(title) = rect
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
        else {
            continue;
        };
        let (label, rest) = title.split_once(" — ").ok_or(title.to_owned())?;
        let (series, n) = rest.rsplit_once(" : ").ok_or(title.to_owned())?;
        out.insert(
            (label.to_owned(), series.replace("&#39;", "'")),
            n.replace('\u{202f}', "").parse::<i64>()?,
        );
    }
    Ok(out)
}

/// Text as the page shows it.
fn unescape(s: &str) -> String {
    s.replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A table's cells, row by row: its first cell (the row's name) then each `data-libelle`.
fn table(page: &str, id: &str) -> Result<Vec<HashMap<String, String>>, BoxError> {
    let start = page
        .find(&format!("id=\"{id}\""))
        .ok_or(format!("no table {id}"))?;
    let t = &page[start..start + page[start..].find("</table>").ok_or("unclosed table")?];
    let body = t.split("<tbody>").nth(1).ok_or("no body")?;
    let mut rows = Vec::new();
    for tr in body.split("<tr>").skip(1) {
        let mut cells = HashMap::new();
        for cell in tr.split("data-libelle=\"").skip(1) {
            let (name, rest) = cell.split_once("\">").ok_or("bad cell")?;
            let value = rest.split("</t").next().unwrap_or_default();
            cells.insert(unescape(name), unescape(value).replace('\u{202f}', ""));
        }
        rows.push(cells);
    }
    Ok(rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_visits_reads_the_same_in_the_charts_the_tables_and_the_csv() -> TestResult {
    let (_tmp, data) = demo_data()?;
    // A school year of visits, counted as the service counts them.
    // The year before last: the demo seeds last year and this one.
    let today = cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now());
    let annee = cartable_core::usage::year::school_year(today) - 2;
    let year = cartable_core::usage::year::year_label(annee);
    let (_, end) = cartable_core::usage::year::year_bounds(annee);
    let weeks = cartable_core::usage::report::weeks(annee, end);
    assert!((52..=53).contains(&weeks.len()), "{weeks:?}");
    let (first, last) = (
        cartable_core::dates::iso(weeks[0]),
        cartable_core::dates::iso(weeks[weeks.len() - 1]),
    );
    let pupils = |w: usize| 20 + w;
    let parents = |w: usize| 10 + w % 7;
    let audience = Audience::default();
    let at = |monday: time::Date, days: i64, h: u16, m: u16| {
        instant_in_france(monday + time::Duration::days(days), h * 60 + m).ok_or("no instant")
    };
    for (w, monday) in weeks.iter().enumerate() {
        for i in 0..pupils(w) {
            let login = format!("eleve.{i}");
            // Monday 8:10 and Tuesday 19:30 on a computer: one person, two visits.
            for (when, s) in [
                (at(*monday, 0, 8, 10)?, service::ACCUEIL),
                (at(*monday, 1, 19, 30)?, service::CAHIER_TEXTES),
            ] {
                audience.count(Visit {
                    at: when,
                    service: s,
                    profile: Profile::Eleve,
                    login: &login,
                    device: Device::Ordinateur,
                });
            }
        }
        for i in 0..parents(w) {
            let login = format!("parent.{i}");
            for s in [service::ACCUEIL, service::NOTES] {
                audience.count(Visit {
                    at: at(*monday, 3, 20, 15)?,
                    service: s,
                    profile: Profile::Responsable,
                    login: &login,
                    device: Device::Telephone,
                });
            }
        }
        // Three people of the direction: too few to be shown.
        for i in 0..3 {
            audience.count(Visit {
                at: at(*monday, 4, 12, 5)?,
                service: service::ACCUEIL,
                profile: Profile::Direction,
                login: &format!("direction.{i}"),
                device: Device::Ordinateur,
            });
        }
    }
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    audience.flush(&store).await?;
    drop(store);

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let direction = accounts::first(&demo, "direction").ok_or("no direction")?;
    let http = client(&data.join("tls/ca.pem"))?;
    assert_eq!(
        sign_in(&http, &base, &direction.login, &direction.password).await?,
        303
    );
    let res = http
        .get(format!("{base}/usages?annee={annee}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await?.replace("&#39;", "'");
    assert!(
        page.contains(&format!("Usages de l'ENT, année {year}")),
        "{page}"
    );

    // People per week and profile: drawn, tabled, as counted; the direction never.
    let drawn = bars(&page, "graphique-personnes")?;
    let rows = table(&page, "tableau-personnes")?;
    assert_eq!(rows.len(), weeks.len());
    for (w, monday) in weeks.iter().enumerate() {
        let label = format!("{:02}/{:02}", monday.day(), monday.month() as u8);
        let (p, r) = (pupils(w) as i64, parents(w) as i64);
        assert_eq!(
            drawn.get(&(label.clone(), "Élèves".into())),
            Some(&p),
            "{label}"
        );
        assert_eq!(
            drawn.get(&(label.clone(), "Parents".into())),
            Some(&r),
            "{label}"
        );
        assert!(
            !drawn.contains_key(&(label.clone(), "Direction".into())),
            "{label}"
        );
        assert_eq!(rows[w]["Élèves"], p.to_string(), "{label}");
        assert_eq!(rows[w]["Parents"], r.to_string(), "{label}");
        assert_eq!(rows[w]["Direction"], "< 5", "{label}");
        assert_eq!(rows[w]["Total"], (p + r).to_string(), "{label}");
    }
    // Visits per service: the portal counts everyone (the direction's 3 visits included,
    // the cell being large enough).
    let drawn = bars(&page, "graphique-services")?;
    let rows = table(&page, "tableau-services")?;
    for (w, monday) in weeks.iter().enumerate() {
        let label = format!("{:02}/{:02}", monday.day(), monday.month() as u8);
        let accueil = (pupils(w) + parents(w) + 3) as i64;
        assert_eq!(
            drawn.get(&(label.clone(), "Accueil (portail)".into())),
            Some(&accueil)
        );
        assert_eq!(rows[w]["Accueil (portail)"], accueil.to_string());
        assert_eq!(rows[w]["Cahier de textes"], pupils(w).to_string());
        assert_eq!(rows[w]["Notes"], parents(w).to_string());
    }
    // Hours: pupils at 8 h and 19 h, parents at 20 h; nothing at 3 h.
    let year_pupils: i64 = (0..weeks.len()).map(|w| pupils(w) as i64).sum();
    let year_parents: i64 = (0..weeks.len()).map(|w| parents(w) as i64).sum();
    let drawn = bars(&page, "graphique-heures")?;
    let rows = table(&page, "tableau-heures")?;
    assert_eq!(rows.len(), 24);
    for (h, who, n) in [
        (8, "Élèves", year_pupils),
        (19, "Élèves", year_pupils),
        (20, "Parents", 2 * year_parents),
    ] {
        assert_eq!(drawn.get(&(format!("{h}h"), who.into())), Some(&n), "{h} h");
        assert_eq!(rows[h][who], n.to_string(), "{h} h");
    }
    assert_eq!(rows[3]["Total"], "0");
    // Devices: pupils on computers, parents on phones.
    let drawn = bars(&page, "graphique-appareils")?;
    assert_eq!(
        drawn.get(&("Élèves".into(), "Ordinateur".into())),
        Some(&(2 * year_pupils))
    );
    assert_eq!(
        drawn.get(&("Parents".into(), "Téléphone".into())),
        Some(&(2 * year_parents))
    );
    // Accounts: the demo's parents who never signed in, said first.
    assert!(page.contains("id=\"parents-jamais\""), "{page}");
    let accounts = table(&page, "tableau-comptes")?;
    assert!(
        accounts
            .first()
            .is_some_and(|r| r.get("Profil").is_some_and(|p| p.contains("Parents"))),
        "{accounts:?}"
    );

    // By class: each demo class with its pupils, as many as the demo made.
    let classes = table(&page, "tableau-classes")?;
    let in_6a = demo
        .iter()
        .filter(|a| a.profile == "eleve" && a.classe == "6A")
        .count();
    let row_6a = classes
        .iter()
        .find(|r| {
            r.get("Classe")
                .is_some_and(|c| c == &accounts::class_label("6A"))
        })
        .ok_or(format!("no 6A in {classes:?}"))?;
    assert_eq!(row_6a["Élèves"], in_6a.to_string(), "{row_6a:?}");
    assert!(row_6a["Parents"].parse::<usize>()? >= in_6a, "{row_6a:?}");

    // The CSV: the same figures, small ones masked.
    let csv = http
        .get(format!("{base}/usages/usages.csv?annee={annee}"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        csv.starts_with("semaine;service;profil;visites;visiteurs\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{first};Ensemble de l'ENT;Élèves;40;20\n")),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{first};Ensemble de l'ENT;Direction;< 5;< 5\n")),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "{last};Cahier de textes;Élèves;{n};{n}\n",
            n = pupils(weeks.len() - 1)
        )),
        "{csv}"
    );

    // The conseil d'administration's report: the page and its PDF say the same figures.
    let res = http
        .get(format!("{base}/usages/conseil?annee={annee}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let council = unescape(&res.text().await?);
    let mean_pupils = year_pupils / weeks.len() as i64;
    let mean_parents = year_parents / weeks.len() as i64;
    let peak_people = (0..weeks.len())
        .map(|w| (pupils(w) + parents(w)) as i64)
        .max()
        .unwrap_or(0);
    for said in [
        format!("L'ENT en {year}"),
        format!("{} semaines de l'année avec des visites.", weeks.len()),
        format!("a vu venir {peak_people} personnes"),
        "Heures de venue".to_owned(),
    ] {
        assert!(council.contains(&said), "{said}: {council}");
    }
    // The second part: people per week.
    let rows = table(&council, "conseil-tableau-2")?;
    assert!(
        rows.iter()
            .any(|r| r.get("Profil").is_some_and(|p| p == "Élèves")
                && r.get("En moyenne par semaine") == Some(&mean_pupils.to_string())),
        "{rows:?}"
    );
    let pdf = http
        .get(format!("{base}/usages/conseil.pdf?annee={annee}"))
        .send()
        .await?;
    assert_eq!(
        pdf.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let text = crate::browser_console::pdf_pages(&pdf.bytes().await?)?.join("\n");
    for said in [
        "Personnes venues chaque semaine".to_owned(),
        format!("{mean_parents}"),
        "Services utilis".to_owned(),
    ] {
        assert!(text.contains(&said), "{said}: {text}");
    }

    // A year out of range is refused, said in French.
    let res = http.get(format!("{base}/usages?annee=1900")).send().await?;
    assert_eq!(res.status().as_u16(), 400);
    Ok(())
}
