//! The web file manager in headless Chromium: a pupil uploads, organises, downloads, deletes
//! and restores his documents, reads his class's documents without being able to change
//! them; the RUPN gives him a small quota and his next upload is refused, nothing written.

use std::path::Path;
use std::time::{Duration, Instant};

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{shown, sign_in, sign_out, wait_path, wait_text};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens the actions of the row named `name` and returns the row.
async fn row(b: &Browser, name: &str) -> Result<fantoccini::elements::Element, BoxError> {
    let r = b
        .client
        .find(Locator::Css(&format!("tr[data-nom='{name}']")))
        .await?;
    if let Ok(s) = r.find(Locator::Css("summary")).await {
        s.click().await?;
    }
    Ok(r)
}

/// The message shown after the last action (`message` or `erreur`), once the page is there.
async fn outcome(b: &Browser, before: &str) -> Result<String, BoxError> {
    let started = Instant::now();
    loop {
        for id in ["message", "erreur"] {
            if let Ok(e) = b.client.find(Locator::Id(id)).await
                && let Ok(t) = e.text().await
                && t != before
            {
                return Ok(t);
            }
        }
        if started.elapsed() > Duration::from_secs(15) {
            return Err(format!("no outcome shown:\n{}", b.client.source().await?).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the demo puts in every pupil's own space, left aside by [`names`].
const DEMO_FOLDERS: [&str; 2] = ["Français", "Histoire-géographie"];

/// The names listed in the folder shown, in order, the demo's own folders aside.
async fn names(b: &Browser) -> Result<Vec<String>, BoxError> {
    let mut out = Vec::new();
    for r in b.client.find_all(Locator::Css("tr[data-nom]")).await? {
        let name = r.attr("data-nom").await?.unwrap_or_default();
        if !DEMO_FOLDERS.contains(&name.as_str()) {
            out.push(name);
        }
    }
    Ok(out)
}

async fn downloaded(dir: &Path, name: &str) -> Result<Vec<u8>, BoxError> {
    let start = Instant::now();
    let path = dir.join(name);
    loop {
        if path.exists() {
            return Ok(std::fs::read(&path)?);
        }
        if start.elapsed() > Duration::from_secs(30) {
            let there: Vec<_> = std::fs::read_dir(dir)?
                .flatten()
                .map(|e| e.file_name())
                .collect();
            return Err(format!("{name} not downloaded; there: {there:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_keeps_his_documents_on_the_web() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let pupil = demo
        .iter()
        .find(|d| d.profile == "eleve" && d.classe == "6A")
        .cloned()
        .ok_or("no pupil in 6A")?;
    let rupn = accounts::first(&demo, "admin").ok_or("no RUPN")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let downloads = tmp.path().join("telechargements");
    let work = tmp.path().join("poste");
    std::fs::create_dir_all(&downloads)?;
    std::fs::create_dir_all(&work)?;
    let expose: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(work.join("Mon exposé (v2).odt"), &expose)?;
    std::fs::write(work.join("notes de cours.txt"), "Les volcans d'Auvergne")?;
    std::fs::write(work.join("CON.txt"), "réservé")?;
    std::fs::write(work.join("video.mp4"), vec![7u8; 2 * 1024 * 1024])?;
    let b = Browser::start_with_downloads(Some(&downloads)).await?;
    let c = &b.client;

    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.find(Locator::Css("a[href='/fichiers']"))
        .await?
        .click()
        .await?;
    let spaces = wait_text(&b, "espaces").await?;
    assert!(spaces.contains("Mes documents"), "{spaces}");
    assert!(spaces.contains("6e A — documents"), "{spaces}");
    assert!(spaces.contains("Documents communs"), "{spaces}");
    assert!(!spaces.contains("6B"), "{spaces}");
    c.find(Locator::LinkText("Mes documents"))
        .await?
        .click()
        .await?;
    wait_text(&b, "titre").await?;

    // Two files at once, names with accents, spaces and brackets.
    let files = format!(
        "{}\n{}",
        work.join("Mon exposé (v2).odt").display(),
        work.join("notes de cours.txt").display()
    );
    c.find(Locator::Id("fichiers"))
        .await?
        .send_keys(&files)
        .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    assert_eq!(outcome(&b, "").await?, "2 fichiers envoyés");
    assert_eq!(
        names(&b).await?,
        ["Mon exposé (v2).odt", "notes de cours.txt"]
    );

    // A folder, a move into it, a rename.
    let before = shown(&b).await;
    c.find(Locator::Id("nom-dossier"))
        .await?
        .send_keys("Histoire géo")
        .await?;
    c.find(Locator::Id("creer-dossier")).await?.click().await?;
    assert_eq!(outcome(&b, &before).await?, "Dossier créé : Histoire géo");
    let before = shown(&b).await;
    let r = row(&b, "notes de cours.txt").await?;
    r.find(Locator::Css(
        "select[name='vers'] option[value='Histoire géo']",
    ))
    .await?
    .click()
    .await?;
    r.find(Locator::Css("button.deplacer"))
        .await?
        .click()
        .await?;
    assert_eq!(outcome(&b, &before).await?, "Déplacé dans « Histoire géo »");
    assert_eq!(names(&b).await?, ["Histoire géo", "Mon exposé (v2).odt"]);
    let before = shown(&b).await;
    let r = row(&b, "Mon exposé (v2).odt").await?;
    let field = r.find(Locator::Css("input[name='nom']")).await?;
    field.clear().await?;
    field.send_keys("Exposé final.odt").await?;
    r.find(Locator::Css("button.renommer"))
        .await?
        .click()
        .await?;
    assert_eq!(
        outcome(&b, &before).await?,
        "Renommé en « Exposé final.odt »"
    );

    // Names Windows would refuse are refused, with the reason.
    let before = shown(&b).await;
    let r = row(&b, "Exposé final.odt").await?;
    let field = r.find(Locator::Css("input[name='nom']")).await?;
    field.clear().await?;
    field.send_keys("CON.txt").await?;
    r.find(Locator::Css("button.renommer"))
        .await?
        .click()
        .await?;
    let refused = outcome(&b, &before).await?;
    assert!(refused.contains("réservé par Windows"), "{refused}");

    // Download: the same bytes under the same name.
    c.find(Locator::LinkText("Exposé final.odt"))
        .await?
        .click()
        .await?;
    assert_eq!(downloaded(&downloads, "Exposé final.odt").await?, expose);

    // Corbeille and back.
    let before = shown(&b).await;
    row(&b, "Exposé final.odt")
        .await?
        .find(Locator::Css("button.supprimer"))
        .await?
        .click()
        .await?;
    assert_eq!(
        outcome(&b, &before).await?,
        "« Exposé final.odt » mis à la corbeille"
    );
    assert_eq!(names(&b).await?, ["Histoire géo"]);
    c.find(Locator::Id("lien-corbeille")).await?.click().await?;
    wait_text(&b, "corbeille").await?;
    row(&b, "Exposé final.odt")
        .await?
        .find(Locator::Css("button.restaurer"))
        .await?
        .click()
        .await?;
    assert_eq!(outcome(&b, "").await?, "Restauré dans « Racine »");
    assert_eq!(names(&b).await?, ["Histoire géo", "Exposé final.odt"]);

    // The class's documents: readable, nothing to change.
    c.goto(&format!("{base}/fichiers/dossier?e=classes/6A/donnees"))
        .await?;
    assert_eq!(
        names(&b).await?,
        [
            "Fournitures de la rentrée.txt",
            "Sortie scolaire - autorisation.txt"
        ]
    );
    assert!(c.find(Locator::Id("fichiers")).await.is_err(), "read-only");
    sign_out(&b).await?;

    // The RUPN gives him 1 Mo.
    sign_in(&b, &base, &rupn.login, &rupn.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/personnes/{}", pupil.login)).await?;
    // Zero is not a quota: refused, said so, nothing changed.
    c.find(Locator::Id("quota-mio"))
        .await?
        .send_keys("0")
        .await?;
    c.find(Locator::Id("changer-quota")).await?.click().await?;
    let said = outcome(&b, "").await?;
    assert!(said.contains("« Quota en Mo »"), "{said}");
    c.find(Locator::Id("quota-mio"))
        .await?
        .send_keys("1")
        .await?;
    c.find(Locator::Id("changer-quota")).await?.click().await?;
    let said = outcome(&b, &said).await?;
    assert!(
        said.starts_with("Quota d") && said.ends_with(": 1,0 Mo."),
        "{said}"
    );
    // The page before the click has the same element: read until the new one shows, an
    // element of the page being left may vanish under our feet.
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Id("quota-personne")).await
            && let Ok(q) = e.text().await
            && q.contains("sur 1,0 Mo")
            && q.contains("quota propre")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "quota not shown"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sign_out(&b).await?;

    // Over the quota: refused with the reason, nothing kept.
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/fichiers/dossier?e=perso")).await?;
    c.find(Locator::Id("fichiers"))
        .await?
        .send_keys(&work.join("video.mp4").display().to_string())
        .await?;
    c.find(Locator::Id("envoyer")).await?.click().await?;
    let refused = outcome(&b, "").await?;
    assert!(refused.contains("votre quota est atteint"), "{refused}");
    assert_eq!(names(&b).await?, ["Histoire géo", "Exposé final.odt"]);
    let home = data.join("fichiers/perso").join(&pupil.login);
    let left: Vec<_> = std::fs::read_dir(&home)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter()
            .all(|n| !n.contains("video") && !n.starts_with(".envoi")),
        "{left:?}"
    );
    b.close().await;
    Ok(())
}
