//! The cahier de textes' official record: the direction exports 6A's school year as PDF and
//! finds the demo's séances in it; a pupil may not; nothing is added to an archived year.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};

use crate::TestResult;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_year_exports_as_pdf_and_past_years_stay_closed() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let as_ = |who: accounts::DemoLogin| {
        let (base, ca) = (base.clone(), daemon.ca());
        async move {
            let c = client(&ca)?;
            assert_eq!(
                sign_in(&c, &base, &who.login, &who.password)
                    .await?
                    .as_u16(),
                303
            );
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(c)
        }
    };

    let d = as_(first("direction", "")?).await?;
    let res = d
        .get(format!("{base}/cahier-de-textes/classe/6A/pdf"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("cahier-de-textes-6A-"))
    );
    let pdf = lopdf::Document::load_mem(&res.bytes().await?)?;
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages)?;
    for expected in [
        "Cahier de textes",
        "Les fractions",
        "Exercices 5 et 6 page 48.",
        "Travail pour le",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }

    // The demo is a collège in mid-term: every class has its cahier.
    for class in ["6B", "5A", "5B", "4A", "4B", "3A", "3B"] {
        let res = d
            .get(format!("{base}/cahier-de-textes/classe/{class}/pdf"))
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 200, "{class}");
        let pdf = lopdf::Document::load_mem(&res.bytes().await?)?;
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        let text = pdf.extract_text(&pages)?;
        assert!(text.contains("Grammaire : le sujet"), "{class}: {text}");
    }

    let e = as_(first("eleve", "6A")?).await?;
    assert_eq!(
        e.get(format!("{base}/cahier-de-textes/classe/6A/pdf"))
            .send()
            .await?
            .status()
            .as_u16(),
        403
    );

    // A teacher of 6A cannot write into last year: refused with the reason, nothing saved.
    let t = as_(first("enseignant", "6A")?).await?;
    let page = t
        .get(format!("{base}/cahier-de-textes/classe/6A"))
        .send()
        .await?
        .text()
        .await?;
    let res = t
        .post(format!("{base}/cahier-de-textes/seance"))
        .form(&[
            ("csrf", csrf_in(&page).ok_or("csrf")?.as_str()),
            ("classe", "6A"),
            ("matiere", "Français"),
            ("date", "2020-10-01"),
            ("contenu", "Une séance d'une autre année"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    let body = res.text().await?;
    assert!(body.contains("année archivée"), "{body}");
    assert!(
        body.contains("Une séance d&#39;une autre année</textarea>"),
        "the text typed is kept"
    );
    let after = t
        .get(format!("{base}/cahier-de-textes/classe/6A"))
        .send()
        .await?
        .text()
        .await?;
    assert!(!after.contains("Une séance d&#39;une autre année</p>"));
    Ok(())
}
