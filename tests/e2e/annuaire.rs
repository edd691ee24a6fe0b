//! The annuaire: vie scolaire finds pupils and families (never colleagues), the direction
//! everyone; long lists are paged; a parent is shown with his children and their classes.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in};

use crate::TestResult;

#[tokio::test]
async fn vie_scolaire_finds_pupils_and_parents_the_direction_everyone() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let get = |c: reqwest::Client, url: String| async move {
        let res = c.get(url).send().await?;
        assert_eq!(res.status().as_u16(), 200);
        Ok::<String, Box<dyn std::error::Error + Send + Sync>>(res.text().await?)
    };

    let vs = accounts::first(&demo, "vie-scolaire").ok_or("no vie scolaire")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &vs.login, &vs.password).await?;
    // Pupils by default: Océane, not her mother.
    let page = get(c.clone(), format!("{base}/annuaire?q=lacroix")).await?;
    assert!(page.contains("Océane LACROIX"), "{page}");
    assert!(!page.contains("Hélène LACROIX"), "{page}");
    assert!(page.contains("6e A"), "{page}");
    // Parents, with their children and classes.
    let page = get(
        c.clone(),
        format!("{base}/annuaire?q=lacroix&profil=responsable"),
    )
    .await?;
    assert!(page.contains("Hélène LACROIX"), "{page}");
    assert!(page.contains("Océane LACROIX (6e A)"), "{page}");
    // Asking for teachers gives pupils: vie scolaire does not look colleagues up.
    let page = get(
        c.clone(),
        format!("{base}/annuaire?q=pons&profil=enseignant"),
    )
    .await?;
    assert!(!page.contains("Thierry PONS"), "{page}");
    assert!(!page.contains("<option value=\"enseignant\""), "{page}");
    // Every pupil: paged by 25.
    let first = get(c.clone(), format!("{base}/annuaire?profil=eleve")).await?;
    assert!(first.contains("Page 1 sur"), "{first}");
    assert!(first.contains("id=\"page-suivante\""), "{first}");
    let second = get(c.clone(), format!("{base}/annuaire?profil=eleve&page=1")).await?;
    assert!(second.contains("Page 2 sur"), "{second}");
    // The classes' lists are one click away.
    assert!(first.contains("href=\"/classes/6A\""), "{first}");
    // Nothing found says so.
    let none = get(c.clone(), format!("{base}/annuaire?q=zzzz")).await?;
    assert!(none.contains("0 personne trouvée"), "{none}");
    assert!(none.contains("id=\"aucun-resultat\""), "{none}");

    let dir = accounts::first(&demo, "direction").ok_or("no direction")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &dir.login, &dir.password).await?;
    let page = get(c.clone(), format!("{base}/annuaire?q=pons")).await?;
    assert!(page.contains("Thierry PONS"), "{page}");
    let portal = get(c.clone(), format!("{base}/")).await?;
    assert!(portal.contains("href=\"/annuaire\""), "{portal}");

    // A pupil has no annuaire.
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &pupil.login, &pupil.password).await?;
    let res = c.get(format!("{base}/annuaire?q=a")).send().await?;
    assert_eq!(res.status().as_u16(), 403);
    Ok(())
}

#[tokio::test]
async fn the_journal_is_paged_and_filtered_by_action_in_words() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let rupn = accounts::first(&demo, "admin").ok_or("no admin")?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &rupn.login, &rupn.password).await?;
    let page = c
        .get(format!("{base}/admin/journal"))
        .send()
        .await?
        .text()
        .await?;
    // The demo's import wrote hundreds of lines: 50 a page.
    assert!(page.contains("Page 1 sur"), "{page}");
    assert_eq!(page.matches("<td data-libelle=\"Date\">").count(), 50);
    assert!(
        page.contains("<option value=\"responsable.linked\""),
        "{page}"
    );
    let page = c
        .get(format!(
            "{base}/admin/journal?action=responsable.linked&page=1"
        ))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("Page 2 sur"), "{page}");
    assert!(
        page.contains("\"Action\">responsable lié à un élève<"),
        "{page}"
    );
    assert!(!page.contains("\"Action\">compte créé<"), "{page}");
    assert!(!page.contains(">responsable.linked<"), "{page}");
    Ok(())
}
