//! The actualités on the demo collège, through the real daemon: the direction opens a channel
//! to a teacher; what he writes for the parents of 6A waits for validation, unseen by them,
//! until the direction validates it; then a 6A parent finds it and is notified, a parent
//! without a child in 6A and a pupil find nothing there. A refused form keeps what was typed;
//! a refusal reaches its author with its reason; a scheduled item stays hidden; « j'ai lu »
//! counts in « lu par … sur … ».

use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login};
use cartable_core::store::Store;
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

/// The id in `/actualites/{id}…`.
fn id_in(location: &str) -> Result<String, BoxError> {
    Ok(location
        .trim_start_matches("/actualites/")
        .split(['?', '/'])
        .next()
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty())
        .ok_or(format!("no item in {location}"))?
        .to_owned())
}

/// « Lu par N … sur M » on a page: (N, M).
fn readership(page: &str) -> Option<(usize, usize)> {
    let at = page.find("Lu par ")? + "Lu par ".len();
    let words: Vec<&str> = page[at..].split_whitespace().take(4).collect();
    Some((
        words.first()?.parse().ok()?,
        words
            .get(3)?
            .trim_end_matches("</strong></p>")
            .parse()
            .ok()?,
    ))
}

/// A parent whose children are all in `class`, and one with no child in it, read in the
/// annuaire.
pub(crate) async fn parents_in_and_outside(
    data: &std::path::Path,
    demo: &[DemoLogin],
    class: &str,
) -> Result<(DemoLogin, DemoLogin), BoxError> {
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Embedded,
        store.clone(),
        Arc::new(SystemClock),
    )
    .await?;
    let mut p = None;
    let mut q = None;
    for d in demo.iter().filter(|d| d.profile == "responsable") {
        let rel = dir.relations(&Login::parse(&d.login)?).await?;
        let classes: Vec<String> = rel
            .children
            .iter()
            .filter_map(|c| c.class.as_ref().map(|k| k.code.to_string()))
            .collect();
        if classes.is_empty() {
            continue;
        }
        if p.is_none() && classes.iter().all(|c| c == class) {
            p = Some(d.clone());
        } else if q.is_none() && !classes.iter().any(|c| c == class) {
            q = Some(d.clone());
        }
    }
    store.close();
    Ok((
        p.ok_or(format!("no parent of {class} only"))?,
        q.ok_or(format!("no parent outside {class}"))?,
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn written_validated_and_read_by_its_audience_only() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let (p, q) = parents_in_and_outside(&data, &demo, "6A").await?;
    let find = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (d, v, t, a) = (
        find("direction", "")?,
        find("vie-scolaire", "")?,
        find("enseignant", "6A")?,
        find("eleve", "6A")?,
    );
    // A poster among the teacher's documents, and a text file that only claims to be an image.
    let documents =
        cartable_core::files::Tree::new(data.join("fichiers")).perso(&Login::parse(&t.login)?);
    std::fs::create_dir_all(&documents)?;
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
    std::fs::write(documents.join("affiche.png"), PNG)?;
    std::fs::write(documents.join("faux.png"), b"pas une image")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let (dc, vc, tc, pc, qc, ac) = (
        signed(&base, &ca, &d).await?,
        signed(&base, &ca, &v).await?,
        signed(&base, &ca, &t).await?,
        signed(&base, &ca, &p).await?,
        signed(&base, &ca, &q).await?,
        signed(&base, &ca, &a).await?,
    );
    let list = format!("{base}/actualites");

    // The demo's important notice to 6A's parents: on P's portal « à la une », not Q's.
    let portal = text(&pc, &format!("{base}/")).await?;
    assert!(portal.contains("À la une : Sortie au musée"), "{portal}");
    let mine = text(&pc, &list).await?;
    let notice = mine
        .split("<a href=\"/actualites/")
        .skip(1)
        .find(|s| s.contains("Sortie au musée"))
        .and_then(|s| s.split('"').next())
        .ok_or("the notice is not in the 6A parent's list")?
        .to_owned();
    assert!(mine.contains("Menu de la cantine"), "{mine}");
    assert!(!text(&qc, &list).await?.contains("Sortie au musée"));
    let notice_url = format!("{base}/actualites/{notice}");
    assert_eq!(status(&qc, &notice_url).await?, 404);
    assert_eq!(status(&ac, &notice_url).await?, 404);

    // « J'ai lu »: counted on the author's page, once.
    let before =
        readership(&text(&vc, &notice_url).await?).ok_or("no readership for its author")?;
    let page = text(&pc, &notice_url).await?;
    assert!(page.contains("id=\"j-ai-lu\""), "{page}");
    let r = post_from(&pc, &notice_url, &format!("{notice_url}/lu"), &[]).await?;
    assert_eq!(r.status, 303);
    let _ = post_from(&pc, &notice_url, &format!("{notice_url}/lu"), &[]).await?;
    assert!(text(&pc, &notice_url).await?.contains("id=\"deja-lu\""));
    let after = readership(&text(&vc, &notice_url).await?).ok_or("no readership")?;
    assert_eq!(
        (after.0, after.1),
        (before.0 + 1, before.1),
        "{before:?} → {after:?}"
    );
    // Q cannot say he read what is not for him.
    assert_eq!(
        post_from(&qc, &list, &format!("{notice_url}/lu"), &[])
            .await?
            .status,
        404
    );

    // The teacher writes nowhere yet; the direction makes him a contributor.
    assert!(!text(&tc, &list).await?.contains("id=\"ecrire\""));
    assert_eq!(
        status(&tc, &format!("{base}/actualites/rubriques")).await?,
        403
    );
    let channels = text(&dc, &format!("{base}/actualites/rubriques")).await?;
    let vie = channels
        .split("data-rubrique=\"")
        .skip(1)
        .find(|s| s.contains("<h2>Vie du collège</h2>"))
        .and_then(|s| s.split('"').next())
        .ok_or("no « Vie du collège » channel")?
        .to_owned();
    let r = post_from(
        &dc,
        &format!("{base}/actualites/rubriques"),
        &format!("{base}/actualites/rubriques/{vie}/role"),
        &[("identifiant", &t.login), ("role", "contributeur")],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // A pupil is refused as a writer.
    let r = post_from(
        &dc,
        &format!("{base}/actualites/rubriques"),
        &format!("{base}/actualites/rubriques/{vie}/role"),
        &[("identifiant", &a.login), ("role", "contributeur")],
    )
    .await?;
    assert!(r.location.contains("err="), "{}", r.location);
    assert!(text(&tc, &list).await?.contains("id=\"ecrire\""));

    // A refused form comes back with what was typed.
    let write = format!("{base}/actualites/ecrire");
    let body = "Les **cahiers** de 6A seront relevés lundi.";
    let r = post_from(
        &tc,
        &write,
        &write,
        &[
            ("rubrique", &vie),
            ("titre", "Cahiers de 6A"),
            ("texte", body),
        ],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Choisissez au moins un public"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Les **cahiers** de 6A seront relevés lundi."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Cahiers de 6A\""), "{}", r.body);

    // Not an image: refused, what was typed kept.
    let r = post_from(
        &tc,
        &write,
        &write,
        &[
            ("rubrique", &vie),
            ("titre", "Cahiers de 6A"),
            ("texte", body),
            ("pour", "parents:6A"),
            ("image", "faux.png"),
        ],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("pas une image") && r.body.contains("relevés lundi"),
        "{}",
        r.body
    );
    // Sent for validation, with the poster: hidden from its audience until then.
    let r = post_from(
        &tc,
        &write,
        &write,
        &[
            ("rubrique", &vie),
            ("titre", "Cahiers de 6A"),
            ("texte", body),
            ("pour", "parents:6A"),
            ("image", "affiche.png"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let item = id_in(&r.location)?;
    let item_url = format!("{base}/actualites/{item}");
    assert!(
        text(&tc, &item_url)
            .await?
            .contains("En attente de validation")
    );
    assert_eq!(status(&pc, &item_url).await?, 404);
    let queue = text(&dc, &list).await?;
    assert!(
        queue.contains("id=\"a-valider\"") && queue.contains("Cahiers de 6A"),
        "{queue}"
    );
    // Only a publisher decides.
    assert_eq!(
        post_from(&tc, &list, &format!("{item_url}/valider"), &[])
            .await?
            .status,
        403
    );
    let r = post_from(&dc, &list, &format!("{item_url}/valider"), &[]).await?;
    assert_eq!(r.status, 303);
    let seen = text(&pc, &item_url).await?;
    assert!(seen.contains("<strong>cahiers</strong>"), "{seen}");
    assert_eq!(status(&qc, &item_url).await?, 404);
    // The poster, copied from the teacher's documents: for those who see the actualité only.
    let image = seen
        .split("<img src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no image in the actualité")?
        .to_owned();
    assert!(image.starts_with("/actualites/image/"), "{image}");
    let got = pc.get(format!("{base}{image}")).send().await?;
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(
        got.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(got.bytes().await?.as_ref(), PNG);
    assert_eq!(status(&qc, &format!("{base}{image}")).await?, 404);
    let told = text(&pc, &format!("{base}/notifications")).await?;
    assert!(told.contains("Cahiers de 6A"), "{told}");
    // Published: its author no longer edits it alone.
    assert_eq!(
        post_from(&tc, &item_url, &format!("{item_url}/supprimer"), &[])
            .await?
            .status,
        403
    );

    // A refusal needs a reason, and reaches the author with it.
    let r = post_from(
        &tc,
        &write,
        &write,
        &[
            ("rubrique", &vie),
            ("titre", "Brouillon à revoir"),
            ("texte", "À revoir."),
            ("pour", "tous"),
        ],
    )
    .await?;
    let second = format!("{base}/actualites/{}", id_in(&r.location)?);
    let r = post_from(&dc, &list, &format!("{second}/refuser"), &[("motif", "")]).await?;
    assert!(r.location.contains("err="), "{}", r.location);
    let r = post_from(
        &dc,
        &list,
        &format!("{second}/refuser"),
        &[("motif", "Trop vague")],
    )
    .await?;
    assert_eq!(r.status, 303);
    let refused = text(&tc, &second).await?;
    assert!(refused.contains("Refusée : Trop vague"), "{refused}");
    assert!(
        text(&tc, &format!("{base}/notifications"))
            .await?
            .contains("Trop vague")
    );

    // Scheduled for tomorrow: its publisher sees it as such, its audience not yet.
    let tomorrow = cartable_core::dates::iso(
        cartable_core::dates::today_in_france(cartable_core::clock::Clock::now(&SystemClock))
            + time::Duration::days(1),
    );
    let r = post_from(
        &dc,
        &write,
        &write,
        &[
            ("rubrique", &vie),
            ("titre", "Annonce de demain"),
            ("texte", "Demain."),
            ("pour", "parents"),
            ("du-jour", &tomorrow),
            ("du-heure", "08h00"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303);
    assert!(r.location.contains("ok="), "{}", r.location);
    let scheduled = format!("{base}/actualites/{}", id_in(&r.location)?);
    assert!(text(&dc, &scheduled).await?.contains("Programmée"));
    assert_eq!(status(&pc, &scheduled).await?, 404);
    assert!(!text(&pc, &list).await?.contains("Annonce de demain"));
    Ok(())
}
