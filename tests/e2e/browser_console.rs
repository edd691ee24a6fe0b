//! In headless Chromium: a teacher cannot reach a pupil of another class, a parent cannot
//! open another family's page by changing the name in the address bar, and the RUPN resets a
//! class from the console and downloads its login letters — which open the accounts, and
//! require a new password at once.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::clock::SystemClock;
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login};
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{sign_in, sign_out, text_of, wait_path, wait_text};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The text of every page of a PDF.
pub(crate) fn pdf_pages(bytes: &[u8]) -> Result<Vec<String>, BoxError> {
    let doc = lopdf::Document::load_mem(bytes)?;
    let mut out = Vec::new();
    for n in doc.get_pages().keys() {
        out.push(doc.extract_text(&[*n])?);
    }
    Ok(out)
}

pub(crate) async fn downloaded(dir: &Path) -> Result<Vec<u8>, BoxError> {
    let start = Instant::now();
    loop {
        if let Some(f) = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        {
            let bytes = std::fs::read(&f)?;
            if bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF") {
                return Ok(bytes);
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err("no PDF downloaded".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teachers_parents_and_the_rupn_each_reach_only_what_is_theirs() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    // Who is who, read from the annuaire before the service starts.
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Embedded,
        store.clone(),
        Arc::new(SystemClock),
    )
    .await?;
    let pupil_of = |class: &str| {
        demo.iter()
            .find(|d| d.profile == "eleve" && d.classe == class)
            .cloned()
            .ok_or(format!("no pupil in {class}"))
    };
    let (in_6a, in_6b) = (pupil_of("6A")?, pupil_of("6B")?);
    let teacher = accounts::teacher(&dir, &demo, &["6A"], &["6B"])
        .await?
        .ok_or("no teacher of 6A only")?;
    let rel_6b = dir.relations(&Login::parse(&in_6b.login)?).await?;
    let parent_login = rel_6b.parents.first().ok_or("no parent")?.login.to_string();
    let parent = demo
        .iter()
        .find(|d| d.login == parent_login)
        .cloned()
        .ok_or("parent not in the CSV")?;
    store.close();

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let downloads = tmp.path().join("telechargements");
    std::fs::create_dir_all(&downloads)?;
    let b = Browser::start_with_downloads(Some(&downloads)).await?;
    let c = &b.client;

    // A teacher of 6A: his pupil's page has the reset button; a 6B pupil's page does not exist
    // for him, nor may he open 6B.
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/personnes/{}", in_6a.login)).await?;
    assert!(c.find(Locator::Id("reinitialiser")).await.is_ok());
    c.goto(&format!("{base}/personnes/{}", in_6b.login)).await?;
    assert!(c.source().await?.contains("Cette page n'existe pas."));
    assert!(c.find(Locator::Id("reinitialiser")).await.is_err());
    c.goto(&format!("{base}/classes/6B")).await?;
    assert!(
        c.source()
            .await?
            .contains("Vous n'avez pas accès à cette page.")
    );
    c.goto(&format!("{base}/")).await?;
    sign_out(&b).await?;

    // A parent opens his child's page from the portal, then tries another family's.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Css(&format!(
        "a[href='/personnes/{}']",
        in_6b.login
    )))
    .await?
    .click()
    .await?;
    wait_path(&b, &format!("/personnes/{}", in_6b.login)).await?;
    assert_eq!(text_of(&b, "identifiant").await?, in_6b.login);
    c.goto(&format!("{base}/personnes/{}", in_6a.login)).await?;
    let page = c.source().await?;
    assert!(page.contains("Cette page n'existe pas."));
    assert!(
        !page.contains(&in_6a.login),
        "nothing of the other family shows"
    );
    c.goto(&format!("{base}/")).await?;
    sign_out(&b).await?;

    // The RUPN: console, classes, 6A, letters for pupils and responsables.
    let rupn = accounts::first(&demo, "admin").ok_or("no RUPN")?;
    sign_in(&b, &base, &rupn.login, &rupn.password).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Css("a[href='/admin']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/admin").await?;
    c.find(Locator::Id("classe-filtre"))
        .await?
        .send_keys("6A")
        .await?;
    c.find(Locator::Id("chercher")).await?.click().await?;
    let start = Instant::now();
    while !c
        .current_url()
        .await?
        .query()
        .unwrap_or_default()
        .contains("classe=6A")
    {
        if start.elapsed() > Duration::from_secs(10) {
            return Err("the search did not run".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let found = c.find(Locator::Id("personnes")).await?.text().await?;
    assert!(
        found.contains(&in_6a.login) && found.contains(&teacher.login),
        "{found}"
    );
    assert!(!found.contains(&in_6b.login));
    c.goto(&format!("{base}/admin/classes")).await?;
    c.find(Locator::Css("a[href='/classes/6A']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/classes/6A").await?;
    let pupils = c.find_all(Locator::Css("#eleves tbody tr")).await?.len();
    c.find(Locator::Id("avec-responsables"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("courriers-classe"))
        .await?
        .click()
        .await?;
    // Asked first, saying how many pupils and what follows.
    let asked = wait_text(&b, "confirmation").await?;
    assert!(
        asked.contains(&format!("Les {pupils} élèves")) && asked.contains("leurs responsables"),
        "{asked}"
    );
    c.find(Locator::Id("confirmer")).await?.click().await?;
    let pdf = downloaded(&downloads).await?;
    let pages = pdf_pages(&pdf)?;
    assert!(
        pages.len() > pupils,
        "{} letters for {pupils} pupils and their responsables",
        pages.len()
    );
    let first = &pages[0];
    assert!(
        first.contains("Identifiant") && first.contains("Mot de passe"),
        "{first}"
    );
    assert!(
        pages.iter().any(|p| p.contains(&in_6a.login)),
        "a letter for {}",
        in_6a.login
    );
    assert!(pages.iter().any(|p| p.contains("Responsable de")));

    // The établissement's name and logo on the portal: a text file is refused, a PNG taken.
    let not_png = tmp.path().join("logo.png");
    std::fs::write(&not_png, "pas une image")?;
    c.goto(&format!("{base}/admin/etablissement")).await?;
    c.find(Locator::Id("logo"))
        .await?
        .send_keys(&not_png.display().to_string())
        .await?;
    c.find(Locator::Id("enregistrer")).await?.click().await?;
    let start = Instant::now();
    while c.find(Locator::Id("erreur-etablissement")).await.is_err() {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("no refusal: {}", c.source().await?).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        text_of(&b, "erreur-etablissement")
            .await?
            .contains("PNG ou JPEG")
    );
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    )?;
    std::fs::write(&not_png, &png)?;
    c.goto(&format!("{base}/admin/etablissement")).await?;
    let name = c.find(Locator::Id("nom")).await?;
    name.clear().await?;
    name.send_keys("Collège Les Tilleuls — Poitiers").await?;
    c.find(Locator::Id("logo"))
        .await?
        .send_keys(&not_png.display().to_string())
        .await?;
    c.find(Locator::Id("enregistrer")).await?.click().await?;
    wait_path(&b, "/admin/etablissement").await?;
    let start = Instant::now();
    while c.find(Locator::Id("enregistre")).await.is_err() {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("not saved: {}", c.source().await?).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.goto(&format!("{base}/")).await?;
    assert_eq!(
        text_of(&b, "nom-etablissement").await?,
        "Collège Les Tilleuls — Poitiers"
    );
    assert!(c.find(Locator::Css("img.logo")).await.is_ok());
    let logo = cartable_tests::http::client(&daemon.ca())?
        .get(format!("{base}/etablissement/logo"))
        .send()
        .await?;
    assert_eq!(
        logo.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(logo.bytes().await?.to_vec(), png);

    // The letter's password opens the account — and asks for a new one first.
    let letter = pages
        .iter()
        .find(|p| p.contains(&in_6a.login))
        .ok_or("letter")?;
    let password = letter
        .lines()
        .skip_while(|l| !l.contains("Mot de passe :"))
        .flat_map(|l| l.split_whitespace())
        .find(|w| w.len() >= 8 && w.chars().any(|c| c.is_ascii_digit()) && !w.contains(':'))
        .ok_or(format!("no password in the letter:\n{letter}"))?
        .to_owned();
    let http = cartable_tests::http::client(&daemon.ca())?;
    let res = cartable_tests::http::post_sign_in(&http, &base, &in_6a.login, &password).await?;
    assert_eq!(res.status().as_u16(), 303, "the letter's password signs in");
    let home = http.get(format!("{base}/")).send().await?;
    assert_eq!(
        home.headers().get("location").and_then(|l| l.to_str().ok()),
        Some("/compte/mot-de-passe"),
        "a new password is required first"
    );
    // The old one no longer works.
    let old = cartable_tests::http::client(&daemon.ca())?;
    let res =
        cartable_tests::http::post_sign_in(&old, &base, &in_6a.login, &in_6a.password).await?;
    assert_eq!(res.status().as_u16(), 401);

    // In the browser, the pupil signs in with the letter, is taken to the change page with
    // the policy shown, is refused a too simple password, then chooses one.
    c.goto(&format!("{base}/")).await?;
    sign_out(&b).await?;
    sign_in(&b, &base, &in_6a.login, &password).await?;
    wait_path(&b, "/compte/mot-de-passe").await?;
    assert!(
        text_of(&b, "changement-requis")
            .await?
            .contains("choisissez un nouveau mot de passe")
    );
    assert!(text_of(&b, "regle").await?.contains("8 caractères"));
    let fill = |new: &'static str| {
        let password = password.clone();
        async move {
            c.find(Locator::Id("actuel"))
                .await?
                .send_keys(&password)
                .await?;
            c.find(Locator::Id("nouveau")).await?.send_keys(new).await?;
            c.find(Locator::Id("confirmation"))
                .await?
                .send_keys(new)
                .await?;
            c.find(Locator::Id("changer")).await?.click().await?;
            Ok::<(), BoxError>(())
        }
    };
    fill("court").await?;
    assert!(
        wait_text(&b, "erreur-mot-de-passe")
            .await?
            .contains("8 caractères")
    );
    c.goto(&format!("{base}/compte")).await?;
    wait_path(&b, "/compte/mot-de-passe").await?;
    fill("Cartable-2026").await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/compte")).await?;
    wait_path(&b, "/compte").await?;
    b.close().await;
    Ok(())
}
