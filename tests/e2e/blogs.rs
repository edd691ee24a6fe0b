//! The blogs on the demo collège, through the real daemon: a teacher of 6A opens the class's
//! blog with pupils allowed to write; a pupil's post waits, unseen by the families, until the
//! teacher publishes it; a parent's comment waits too; a parent of another class finds
//! nothing; a refused form keeps what was typed.

use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{post_from, status, text};

use crate::TestResult;
use crate::actualites::parents_in_and_outside;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn signed(
    base: &str,
    ca: &std::path::Path,
    who: &DemoLogin,
) -> Result<reqwest::Client, BoxError> {
    cartable_tests::http::signed_in(base, ca, &who.login, &who.password).await
}

/// The `data-billet` ids on a blog's page whose article holds `title`.
fn post_titled(page: &str, title: &str) -> Option<String> {
    page.split("data-billet=\"")
        .skip(1)
        .find(|s| {
            s.split("</article>")
                .next()
                .is_some_and(|a| a.contains(title))
        })
        .and_then(|s| s.split('"').next())
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_blog_its_pupils_posts_and_its_families_comments() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let (p, q) = parents_in_and_outside(&data, &demo, "6A").await?;
    let in_class = |profile: &str, class: &str, skip: usize| {
        demo.iter()
            .filter(|d| d.profile == profile && d.classe == class)
            .nth(skip)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (t, a, a2) = (
        in_class("enseignant", "6A", 0)?,
        in_class("eleve", "6A", 0)?,
        in_class("eleve", "6A", 1)?,
    );
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let (tc, ac, a2c, pc, qc) = (
        signed(&base, &ca, &t).await?,
        signed(&base, &ca, &a).await?,
        signed(&base, &ca, &a2).await?,
        signed(&base, &ca, &p).await?,
        signed(&base, &ca, &q).await?,
    );
    let blogs = format!("{base}/blogs");

    // A pupil opens no blog; the teacher does, for his class (a refused form is kept).
    let r = post_from(
        &ac,
        &blogs,
        &blogs,
        &[("titre", "Le mien"), ("lieu", "classe:6A")],
    )
    .await?;
    assert_eq!(r.status, 403);
    let r = post_from(
        &tc,
        &blogs,
        &blogs,
        &[("titre", ""), ("lieu", "classe:6A"), ("eleves", "1")],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Donnez un titre"), "{}", r.body);
    let r = post_from(
        &tc,
        &blogs,
        &blogs,
        &[
            ("titre", "Projet théâtre 6A"),
            ("lieu", "classe:6A"),
            ("eleves", "1"),
            ("commentaires", "1"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let blog = format!("{base}{}", r.location.split('?').next().unwrap_or_default());
    assert!(text(&pc, &blogs).await?.contains("Projet théâtre 6A"));
    assert!(!text(&qc, &blogs).await?.contains("Projet théâtre 6A"));
    assert_eq!(status(&qc, &blog).await?, 404);

    // A pupil's post waits for the teacher.
    let r = post_from(
        &ac,
        &blog,
        &format!("{blog}/billet"),
        &[("titre", "Nos costumes"), ("texte", "")],
    )
    .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Nos costumes"), "{}", r.body);
    let r = post_from(
        &ac,
        &blog,
        &format!("{blog}/billet"),
        &[
            ("titre", "Nos costumes"),
            ("texte", "Nous avons cousu **douze** costumes."),
        ],
    )
    .await?;
    assert_eq!(r.status, 303);
    let page = text(&ac, &blog).await?;
    let id = post_titled(&page, "Nos costumes").ok_or("the author does not see his post")?;
    let post_url = format!("{base}/blogs/billet/{id}");
    assert_eq!(status(&pc, &post_url).await?, 404);
    assert_eq!(status(&a2c, &post_url).await?, 404);
    assert!(text(&tc, &blog).await?.contains("id=\"billets-a-valider\""));
    assert_eq!(
        post_from(&a2c, &blog, &format!("{post_url}/publier"), &[])
            .await?
            .status,
        404
    );
    let r = post_from(&tc, &post_url, &format!("{post_url}/publier"), &[]).await?;
    assert_eq!(r.status, 303);
    let seen = text(&pc, &post_url).await?;
    assert!(seen.contains("<strong>douze</strong>"), "{seen}");

    // A parent's comment waits too.
    let r = post_from(
        &pc,
        &post_url,
        &format!("{post_url}/commentaire"),
        &[("texte", "Bravo à tous !")],
    )
    .await?;
    assert!(r.location.contains("ok="), "{}", r.location);
    assert!(!text(&a2c, &post_url).await?.contains("Bravo à tous"));
    let moderation = text(&tc, &post_url).await?;
    let comment = moderation
        .split("id=\"valider-commentaire-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no comment to validate")?
        .to_owned();
    let r = post_from(
        &tc,
        &post_url,
        &format!("{base}/blogs/commentaire/{comment}/valider"),
        &[("decision", "publier")],
    )
    .await?;
    assert_eq!(r.status, 303);
    assert!(text(&a2c, &post_url).await?.contains("Bravo à tous"));
    Ok(())
}
