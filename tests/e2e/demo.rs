//! The demo is a collège in mid-term, as a README reader expects it: every profile's account
//! printed at start, documents in every space, the connected services' tiles.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in};

use crate::TestResult;

#[tokio::test]
async fn the_demo_shows_every_profile_documents_and_connected_services() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    // The start banner names an account of each of the eight profiles.
    let out = daemon.output();
    for label in [
        "Élève",
        "Parent",
        "Enseignant",
        "Direction",
        "Vie scolaire",
        "Documentaliste",
        "Personnel administratif",
        "Administrateur ENT",
    ] {
        assert!(out.contains(&format!("  {label}")), "{label} in:\n{out}");
    }
    assert!(out.contains("Pronote, Moodle"), "{out}");

    let page = |who: &'static str, path: &'static str| {
        let (base, ca, demo) = (base.clone(), daemon.ca(), demo.clone());
        async move {
            let a = accounts::first(&demo, who).ok_or("no such demo account")?;
            let c = client(&ca)?;
            sign_in(&c, &base, &a.login, &a.password).await?;
            let res = c.get(format!("{base}{path}")).send().await?;
            assert_eq!(res.status().as_u16(), 200, "{who} {path}");
            Ok::<String, Box<dyn std::error::Error + Send + Sync>>(res.text().await?)
        }
    };
    // Tiles of the services open to each profile.
    let pupil = page("eleve", "/").await?;
    assert!(
        pupil.contains(">Pronote<") && pupil.contains(">Moodle<"),
        "{pupil}"
    );
    let parent = page("responsable", "/").await?;
    assert!(
        parent.contains(">Pronote<") && !parent.contains(">Moodle<"),
        "{parent}"
    );

    // Documents everywhere: the common ones, each class's, a group's, one's own.
    let commun = page("eleve", "/fichiers/dossier?e=commun").await?;
    assert!(commun.contains("Charte informatique.txt"), "{commun}");
    let class = page("eleve", "/fichiers/dossier?e=classes/6A/travail").await?;
    assert!(class.contains("Exposés"), "{class}");
    let own = page("enseignant", "/fichiers/dossier?e=perso").await?;
    assert!(own.contains("Progression annuelle.txt"), "{own}");
    let home = page("eleve", "/fichiers").await?;
    assert!(home.contains("Documents récents"), "{home}");

    // The vie scolaire at 10:00: appels taken with absents and retards, a justification
    // waiting for the CPE, the families told.
    let board = page("vie-scolaire", "/vie-scolaire").await?;
    assert!(board.contains("id=\"absents\""), "{board}");
    assert!(board.contains("absent à 08h00"), "{board}");
    assert!(
        board.contains("Rendez-vous chez l&#39;orthodontiste"),
        "{board}"
    );
    let absent = board
        .split("href=\"/vie-scolaire/eleve/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no absent pupil")?
        .to_owned();
    let c = client(&daemon.ca())?;
    let who = demo
        .iter()
        .find(|d| d.login == absent)
        .ok_or("no password")?;
    sign_in(&c, &base, &who.login, &who.password).await?;
    let told = c
        .get(format!("{base}/notifications"))
        .send()
        .await?
        .text()
        .await?;
    assert!(told.contains("Absence de"), "{told}");

    // The GAR export's first run, in the demo's folder, with its checksum.
    let depot = data.join("depot-gar");
    let mut made = Vec::new();
    for _ in 0..100 {
        made = std::fs::read_dir(&depot)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                    .filter(|n| n.ends_with(".tar.gz") || n.ends_with(".md5"))
                    .collect()
            })
            .unwrap_or_default();
        if made.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(made.len(), 2, "{made:?} in {}", depot.display());
    Ok(())
}
