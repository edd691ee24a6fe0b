//! Notes on a 390 px phone, in Chromium: a teacher creates an évaluation and enters the marks
//! of his class (a mark out of the scale refuses the grid, as typed); the pupil and his parent
//! see the mark — and not an évaluation whose day has not come — and open how the average is
//! computed.

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in as http_sign_in};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{fits_phone, sign_in, sign_out, wait_message, wait_path, wait_text};

async fn set(b: &Browser, id: &str, value: &str) -> TestResult {
    b.client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![id.into(), value.into()],
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_marks_on_a_phone_and_the_family_reads_the_average() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && d.classe == class)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let teacher = first("enseignant", "6A")?;
    let parent = first("responsable", "6A")?;
    // The parent's child, by name.
    let pc = client(&daemon.ca())?;
    http_sign_in(&pc, &base, &parent.login, &parent.password).await?;
    let me: serde_json::Value = serde_json::from_str(
        &pc.get(format!("{base}/compte/donnees"))
            .send()
            .await?
            .text()
            .await?,
    )?;
    let child_name = me["enfants"][0].as_str().ok_or("no child")?.to_owned();

    let b = Browser::start().await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;
    sign_in(&b, &base, &teacher.login, &teacher.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes")).await?;
    c.find(Locator::Css("details summary"))
        .await?
        .click()
        .await?;
    let course = c.find(Locator::Css("#cours option[value^='6A|']")).await?;
    let subject = course
        .attr("value")
        .await?
        .ok_or("no course")?
        .split_once('|')
        .map(|(_, s)| s.to_owned())
        .ok_or("no subject")?;
    course.click().await?;
    c.find(Locator::Id("titre"))
        .await?
        .send_keys("Contrôle de fractions")
        .await?;
    set(&b, "coefficient", "2").await?;
    set(&b, "sur", "10").await?;
    fits_phone(&b).await?;
    c.find(Locator::Id("creer-evaluation"))
        .await?
        .click()
        .await?;
    assert_eq!(
        wait_message(&b, "").await?,
        "Évaluation créée : saisissez les notes ci-dessous."
    );
    let grid_url = c.current_url().await?.path().to_owned();
    // The child's row, and two others.
    let rows = c.find_all(Locator::Css("#grille tbody tr")).await?;
    let mut logins = Vec::new();
    let mut child = None;
    for r in &rows {
        let login = r.attr("data-eleve").await?.ok_or("no login")?;
        if r.text().await?.contains(&child_name) {
            child = Some(login.clone());
        }
        logins.push(login);
    }
    let child = child.ok_or(format!("{child_name} not in the grid"))?;
    let others: Vec<&String> = logins.iter().filter(|l| **l != child).take(2).collect();
    let cell = |login: &str| format!("note-{login}");
    c.find(Locator::Id(&cell(&child)))
        .await?
        .send_keys("7,5")
        .await?;
    c.find(Locator::Id(&cell(others[0])))
        .await?
        .send_keys("abs")
        .await?;
    c.find(Locator::Id(&cell(others[1])))
        .await?
        .send_keys("11")
        .await?;
    fits_phone(&b).await?;
    c.find(Locator::Id("enregistrer-notes"))
        .await?
        .click()
        .await?;
    let refused = wait_message(&b, "Évaluation créée : saisissez les notes ci-dessous.").await?;
    assert!(refused.starts_with("Notes non comprises pour"), "{refused}");
    assert!(refused.contains("« 11 »"), "{refused}");
    // What was typed is still there; corrected, the grid is saved.
    let kept = c
        .find(Locator::Id(&cell(&child)))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(kept, "7,5");
    set(&b, &cell(others[1]), "9").await?;
    c.find(Locator::Id("enregistrer-notes"))
        .await?
        .click()
        .await?;
    assert_eq!(wait_message(&b, &refused).await?, "3 notes enregistrées.");
    let figures = wait_text(&b, "statistiques").await?;
    assert!(
        figures.starts_with("2 notes : moyenne 16,5 / 20"),
        "{figures}"
    );

    // An évaluation the family will see only next week.
    c.goto(&format!("{base}/notes")).await?;
    c.find(Locator::Css("details summary"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css(&format!(
        "#cours option[value='6A|{subject}']"
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Id("titre"))
        .await?
        .send_keys("Devoir rendu la semaine prochaine")
        .await?;
    let later = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
            + time::Duration::days(7)
    };
    set(&b, "visible", &cartable_core::dates::iso(later)).await?;
    c.find(Locator::Id("creer-evaluation"))
        .await?
        .click()
        .await?;
    wait_message(&b, "").await?;
    c.find(Locator::Id(&cell(&child)))
        .await?
        .send_keys("2")
        .await?;
    c.find(Locator::Id("enregistrer-notes"))
        .await?
        .click()
        .await?;
    wait_message(&b, "Évaluation créée : saisissez les notes ci-dessous.").await?;
    // The teacher sees both on the pupil's page.
    c.goto(&format!("{base}/notes/eleve/{child}")).await?;
    let page = wait_text(&b, "contenu").await?;
    assert!(page.contains("Devoir rendu la semaine prochaine"), "{page}");
    sign_out(&b).await?;
    assert!(grid_url.starts_with("/notes/evaluation/"));

    // The parent on his phone: the mark, not next week's; the average explained.
    sign_in(&b, &base, &parent.login, &parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes/eleve/{child}")).await?;
    let page = wait_text(&b, "contenu").await?;
    assert!(page.contains("Contrôle de fractions"), "{page}");
    assert!(page.contains("7,5 / 10"), "{page}");
    assert!(
        !page.contains("Devoir rendu la semaine prochaine"),
        "{page}"
    );
    fits_phone(&b).await?;
    c.find(Locator::XPath(&format!(
        "//section[h2[normalize-space()='{subject}']]//a[contains(., 'Comment est calculée')]"
    )))
    .await?
    .click()
    .await?;
    let calc = wait_text(&b, "calcul").await?;
    assert!(calc.contains("Contrôle de fractions"), "{calc}");
    assert!(calc.contains("7,5 / 10 ramenée sur 20"), "{calc}");
    let result = wait_text(&b, "resultat").await?;
    assert!(result.starts_with("Moyenne : "), "{result}");
    assert!(wait_text(&b, "formule").await?.starts_with("20 × "));
    fits_phone(&b).await?;
    sign_out(&b).await?;

    // The pupil: his own, and nobody else's.
    let pupil = demo
        .iter()
        .find(|d| d.login == child)
        .cloned()
        .ok_or("no pupil password")?;
    sign_in(&b, &base, &pupil.login, &pupil.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes")).await?;
    wait_path(&b, &format!("/notes/eleve/{child}")).await?;
    let page = wait_text(&b, "contenu").await?;
    assert!(page.contains("7,5 / 10"), "{page}");
    let other = client(&daemon.ca())?;
    http_sign_in(&other, &base, &pupil.login, &pupil.password).await?;
    let res = other
        .get(format!("{base}/notes/eleve/{}", others[0]))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 404);
    b.close().await;
    Ok(())
}

/// The conseil and the bulletins on a 390 px phone: the professeur principal fills the
/// conseil's grid, the direction generates and publishes the class's bulletins (after
/// confirming), and the parent downloads his child's PDF, read back with a PDF reader.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conseil_meets_and_the_parent_downloads_the_bulletin_on_a_phone() -> TestResult {
    let (tmp, data) = demo_data()?;
    let cast = accounts::class_cast(&data, "6A", "6B").await?;
    let (store, dir) = accounts::demo_directory(&data).await?;
    let pp = accounts::principal(&dir, &cast.all, "6A")
        .await?
        .ok_or("no professeur principal of 6A")?;
    store.close();
    let direction = accounts::first(&cast.all, "direction").ok_or("no direction")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let child = cast.pupil.login.clone();
    let downloads = tmp.path().join("telechargements");
    std::fs::create_dir_all(&downloads)?;
    let b = Browser::start_with_downloads(Some(&downloads)).await?;
    let c = &b.client;
    c.set_window_size(390, 844).await?;

    // The PP: the grid of his class, a synthèse and an avis for the child.
    sign_in(&b, &base, &pp.login, &pp.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes")).await?;
    c.find(Locator::Css("#conseils a[href='/notes/conseil/6A']"))
        .await?
        .click()
        .await?;
    wait_path(&b, "/notes/conseil/6A").await?;
    let period = c
        .find(Locator::Css("nav.onglets a[aria-current='page']"))
        .await?
        .text()
        .await?;
    // On a phone each pupil's line is a card; the class's line closes the grid.
    let grid = wait_text(&b, "grille-conseil").await?;
    assert!(
        grid.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("Classe")),
        "{grid}"
    );
    fits_phone(&b).await?;
    c.find(Locator::Id(&format!("synthese-{child}")))
        .await?
        .send_keys("Une période sérieuse, à poursuivre.")
        .await?;
    c.find(Locator::Css(&format!(
        "#avis-{} option[value='Félicitations']",
        child.replace('.', "\\.")
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Id("enregistrer-conseil"))
        .await?
        .click()
        .await?;
    assert_eq!(
        wait_message(&b, "").await?,
        "Conseil de classe enregistré pour 1 élève."
    );
    sign_out(&b).await?;

    // The direction: generate, then publish once confirmed.
    sign_in(&b, &base, &direction.login, &direction.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes")).await?;
    c.find(Locator::Id("lien-bulletins")).await?.click().await?;
    wait_path(&b, "/notes/bulletins").await?;
    fits_phone(&b).await?;
    c.find(Locator::XPath(
        "//table[@id='classes']//a[normalize-space()='6e A']",
    ))
    .await?
    .click()
    .await?;
    wait_path(&b, "/notes/bulletins/6A").await?;
    c.find(Locator::Id("generer")).await?.click().await?;
    let generated = wait_message(&b, "").await?;
    assert!(
        generated.contains("bulletins générés en brouillon"),
        "{generated}"
    );
    c.find(Locator::Id("publier")).await?.click().await?;
    let refused = wait_message(&b, &generated).await?;
    assert!(
        refused.starts_with("Cochez la case de confirmation"),
        "{refused}"
    );
    c.find(Locator::Id("confirme")).await?.click().await?;
    c.find(Locator::Id("publier")).await?.click().await?;
    let published = wait_message(&b, &refused).await?;
    assert!(published.contains("bulletins publiés"), "{published}");
    fits_phone(&b).await?;
    sign_out(&b).await?;

    // The parent on his phone finds it on his child's page and downloads it.
    sign_in(&b, &base, &cast.parent.login, &cast.parent.password).await?;
    wait_path(&b, "/").await?;
    c.goto(&format!("{base}/notes/eleve/{child}")).await?;
    let list = wait_text(&b, "bulletins").await?;
    assert!(list.contains(&period), "{list}");
    fits_phone(&b).await?;
    c.find(Locator::XPath(&format!(
        "//section[@id='bulletins']//a[starts-with(normalize-space(), '{period}')]"
    )))
    .await?
    .click()
    .await?;
    let pdf = crate::browser_console::downloaded(&downloads).await?;
    let text = crate::browser_console::pdf_pages(&pdf)?.join("\n");
    for want in [
        "Une période sérieuse, à poursuivre.",
        "Félicitations",
        "Moyenne générale",
        &period,
    ] {
        assert!(
            text.contains(want),
            "« {want} » not in the bulletin:\n{text}"
        );
    }
    b.close().await;
    Ok(())
}
