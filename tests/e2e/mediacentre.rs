//! The médiacentre on the demo collège, through the real daemon: the documentaliste declares a
//! resource for the 5e (a refused form keeps what was typed), a 5e pupil finds it, opens it and
//! keeps it as a favourite (the portal's tile names it), a 6e pupil neither sees nor opens it;
//! a search ignores accents; a teacher shares a link with his class only; a signet's address
//! must be a web address; a resource removed once confirmed.

use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{post_from, status, text};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn signed(
    base: &str,
    ca: &std::path::Path,
    who: &DemoLogin,
) -> Result<reqwest::Client, BoxError> {
    cartable_tests::http::signed_in(base, ca, &who.login, &who.password).await
}

/// The id of the resource titled `title` on the management page.
fn resource_id(page: &str, title: &str) -> Option<String> {
    page.split("href=\"/mediacentre/gestion/")
        .skip(1)
        .find(|s| s.split("</a>").next().is_some_and(|a| a.contains(title)))
        .and_then(|s| s.split('"').next())
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resources_for_a_level_and_links_shared_with_a_class() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let first = |profile: &str, class: &str, skip: usize| {
        demo.iter()
            .filter(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .nth(skip)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (s, t, a, a2, b) = (
        first("documentaliste", "", 0)?,
        first("enseignant", "6A", 0)?,
        first("eleve", "6A", 0)?,
        first("eleve", "5A", 0)?,
        first("eleve", "6B", 0)?,
    );
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let (sc, tc, ac, a2c, bc) = (
        signed(&base, &ca, &s).await?,
        signed(&base, &ca, &t).await?,
        signed(&base, &ca, &a).await?,
        signed(&base, &ca, &a2).await?,
        signed(&base, &ca, &b).await?,
    );
    let home = format!("{base}/mediacentre");
    let manage = format!("{home}/gestion");

    // The documentaliste declares an atlas for the 5e; a pupil may not.
    assert_eq!(status(&ac, &manage).await?, 403);
    let atlas = [
        ("titre", "Atlas géographique interactif"),
        ("editeur", "Édition Cartes & Cie"),
        (
            "description",
            "Cartes du monde pour le cours d'histoire-géographie",
        ),
        ("adresse", "javascript:alert(1)"),
        ("type", "bouquet"),
        ("niveau", "5"),
    ];
    let r = post_from(&sc, &manage, &manage, &atlas).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("https://"), "{}", r.body);
    assert!(
        r.body.contains("Atlas géographique interactif"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Édition Cartes &#38; Cie"), "{}", r.body);
    let mut atlas = atlas.to_vec();
    atlas[3] = ("adresse", "https://atlas.exemple.fr/monde");
    let no_audience: Vec<_> = atlas
        .iter()
        .filter(|(k, _)| *k != "niveau")
        .copied()
        .collect();
    let r = post_from(&sc, &manage, &manage, &no_audience).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("au moins un profil"), "{}", r.body);
    let r = post_from(&sc, &manage, &manage, &atlas).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = text(&sc, &manage).await?;
    assert!(page.contains("pour : niveau 5e"), "{page}");
    let id = resource_id(&page, "Atlas géographique").ok_or("the atlas is not listed")?;
    let open = format!("{home}/ouvrir/{id}");

    // A 5e pupil finds it, opens it, keeps it; a 6e pupil does not see it and cannot open it.
    assert!(
        text(&a2c, &home)
            .await?
            .contains("Atlas géographique interactif")
    );
    let res = a2c.get(&open).send().await?;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        cartable_tests::http::location(&res),
        "https://atlas.exemple.fr/monde"
    );
    assert!(!text(&ac, &home).await?.contains("Atlas géographique"));
    assert_eq!(status(&ac, &open).await?, 404);
    let r = post_from(&a2c, &home, &format!("{home}/favori/{id}"), &[]).await?;
    assert_eq!(r.status, 303);
    let page = text(&a2c, &home).await?;
    let favourites = page
        .split("id=\"favoris\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .ok_or("no favourites")?;
    assert!(favourites.contains("Atlas géographique"), "{favourites}");
    assert!(
        text(&a2c, &base)
            .await?
            .contains("favoris : Atlas géographique interactif")
    );
    let r = post_from(&ac, &home, &format!("{home}/favori/{id}"), &[]).await?;
    assert_eq!(r.status, 404);

    // The search ignores case and accents, and says when nothing answers.
    let found = text(&tc, &format!("{home}?q=ROBERT%20definitions")).await?;
    assert!(found.contains("Dictionnaire Le Robert"), "{found}");
    assert!(!found.contains("Vikidia</strong>"), "{found}");
    let none = text(&tc, &format!("{home}?q=zzzz")).await?;
    assert!(none.contains("Aucune ressource ne correspond"), "{none}");

    // The teacher shares a link with his class, not with another; pupils of his class find it.
    let offered = text(&tc, &home).await?;
    let choices = offered
        .split("<select id=\"classe\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .ok_or("no class to share with for a teacher")?;
    assert!(choices.contains("value=\"6A\""), "{choices}");
    let elsewhere = ["3A", "3B", "4A", "4B", "5A", "5B", "6B"]
        .into_iter()
        .find(|c| !choices.contains(&format!("value=\"{c}\"")))
        .ok_or("the teacher teaches every class")?;
    let share = |class: &'static str| {
        [
            ("titre", "Le Colisée en 3D"),
            ("adresse", "https://colisee.exemple.fr/visite"),
            ("classe", class),
        ]
    };
    let r = post_from(&tc, &home, &format!("{home}/signets"), &share(elsewhere)).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Le Colisée en 3D"), "{}", r.body);
    let r = post_from(&tc, &home, &format!("{home}/signets"), &share("6A")).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = text(&ac, &home).await?;
    let shared = page
        .split("id=\"partages\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .ok_or("no shared links for a pupil")?;
    assert!(shared.contains("Le Colisée en 3D"), "{shared}");
    assert!(shared.contains("partagé par"), "{shared}");
    assert!(!text(&bc, &home).await?.contains("Le Colisée en 3D"));
    // A pupil's own signet: a web address only, his alone.
    let r = post_from(
        &bc,
        &home,
        &format!("{home}/signets"),
        &[("titre", "Mon jeu"), ("adresse", "file:///etc/passwd")],
    )
    .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mon jeu"), "{}", r.body);
    let r = post_from(
        &bc,
        &home,
        &format!("{home}/signets"),
        &[
            ("titre", "Conjugaison"),
            ("adresse", "https://conjugaison.exemple.fr"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303);
    assert!(text(&bc, &home).await?.contains("Conjugaison"));
    assert!(!text(&ac, &home).await?.contains("Conjugaison"));
    // A pupil cannot remove the teacher's shared link.
    let shared_id = shared
        .split("signet/")
        .nth(1)
        .map(|s| s.to_owned())
        .unwrap_or_default();
    assert!(
        shared_id.is_empty(),
        "a pupil is offered to remove a shared link"
    );

    // A service of the ENT must be one the CAS knows; opened, it goes through the CAS and
    // arrives with a ticket.
    let moodle = [
        ("titre", "Parcours Moodle de 5e"),
        ("adresse", "https://moodle.inconnu.exemple/"),
        ("type", "ent"),
        ("niveau", "5"),
    ];
    let r = post_from(&sc, &manage, &manage, &moodle).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("service relié à l&#39;ENT"), "{}", r.body);
    let mut moodle = moodle.to_vec();
    moodle[1] = (
        "adresse",
        "https://moodle.college-les-tilleuls.invalid/course/5e",
    );
    let r = post_from(&sc, &manage, &manage, &moodle).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let moodle_id =
        resource_id(&text(&sc, &manage).await?, "Parcours Moodle").ok_or("Moodle not listed")?;
    let res = a2c.get(format!("{home}/ouvrir/{moodle_id}")).send().await?;
    assert_eq!(res.status().as_u16(), 303);
    let cas = cartable_tests::http::location(&res);
    assert!(
        cas.starts_with("/cas/login?service=https%3A//moodle.college-les-tilleuls"),
        "{cas}"
    );
    let res = a2c.get(format!("{base}{cas}")).send().await?;
    let arrived = cartable_tests::http::location(&res);
    assert!(
        arrived.starts_with("https://moodle.college-les-tilleuls.invalid/course/5e?ticket=ST-"),
        "{arrived}"
    );

    // Removing a resource asks first, then it is gone for everyone, favourites with it.
    let edit = format!("{manage}/{id}");
    let r = post_from(&sc, &edit, &format!("{edit}/supprimer"), &[]).await?;
    assert_eq!(r.status, 303);
    assert!(r.location.contains(&format!("/mediacentre/gestion/{id}")));
    assert!(text(&a2c, &home).await?.contains("Atlas géographique"));
    let r = post_from(
        &sc,
        &edit,
        &format!("{edit}/supprimer"),
        &[("confirmer", "1")],
    )
    .await?;
    assert_eq!(r.status, 303);
    assert!(!text(&a2c, &home).await?.contains("Atlas géographique"));
    assert_eq!(status(&a2c, &open).await?, 404);
    Ok(())
}
