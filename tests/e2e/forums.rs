//! The forums on the demo collège, through the real daemon: a 6A pupil opens a subject in his
//! class's forum and a classmate replies; a 6B pupil and a parent find nothing there; a
//! report reaches the class's teacher, who hides the message with a reason shown in its
//! place; a locked subject takes no reply; a refused form keeps what was typed.

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

/// The number after `/forums/sujet/` in a redirect.
fn subject_in(location: &str) -> Result<String, BoxError> {
    Ok(location
        .split("/forums/sujet/")
        .nth(1)
        .and_then(|s| s.split(['?', '#', '/']).next())
        .filter(|s| !s.is_empty())
        .ok_or(format!("no subject in {location}"))?
        .to_owned())
}

/// The id of the last message on a subject's page.
fn last_message(page: &str) -> Result<String, BoxError> {
    Ok(page
        .rsplit("id=\"message-")
        .next()
        .and_then(|s| s.split('"').next())
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()))
        .ok_or("no message on the page")?
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_talks_reports_and_its_teacher_moderates() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let in_class = |profile: &str, class: &str, skip: usize| {
        demo.iter()
            .filter(|d| d.profile == profile && d.classe == class)
            .nth(skip)
            .cloned()
            .ok_or(format!("no {profile} {class}"))
    };
    let (a, a2, b, t) = (
        in_class("eleve", "6A", 0)?,
        in_class("eleve", "6A", 1)?,
        in_class("eleve", "6B", 0)?,
        in_class("enseignant", "6A", 0)?,
    );
    let parent = in_class("responsable", "6A", 0)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let (ac, a2c, bc, tc, pc) = (
        signed(&base, &ca, &a).await?,
        signed(&base, &ca, &a2).await?,
        signed(&base, &ca, &b).await?,
        signed(&base, &ca, &t).await?,
        signed(&base, &ca, &parent).await?,
    );
    let forum = format!("{base}/forums/forum/classe/6A");
    assert!(
        text(&ac, &format!("{base}/forums"))
            .await?
            .contains("/forums/forum/classe/6A")
    );
    assert_eq!(status(&bc, &forum).await?, 404);
    // Parents have no forum: the module is closed to them.
    assert_eq!(status(&pc, &forum).await?, 404);

    // Refused, kept as typed.
    let r = post_from(
        &ac,
        &forum,
        &forum,
        &[("titre", ""), ("texte", "Qui a le cours de maths ?")],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Qui a le cours de maths ?"), "{}", r.body);
    let r = post_from(
        &ac,
        &forum,
        &forum,
        &[
            ("titre", "Cours de maths"),
            ("texte", "Qui a le cours de **lundi** ?"),
        ],
    )
    .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let subject = format!("{base}/forums/sujet/{}", subject_in(&r.location)?);
    let r = post_from(
        &a2c,
        &subject,
        &format!("{subject}/repondre"),
        &[("texte", "Moi, je te l'envoie.")],
    )
    .await?;
    assert_eq!(r.status, 303);
    let page = text(&ac, &subject).await?;
    assert!(page.contains("<strong>lundi</strong>"), "{page}");
    assert!(page.contains("Moi, je te l"), "{page}");
    assert_eq!(status(&bc, &subject).await?, 404);

    // A rude reply, reported by a classmate: the teacher is told and hides it.
    let r = post_from(
        &a2c,
        &subject,
        &format!("{subject}/repondre"),
        &[("texte", "T'es nul en maths.")],
    )
    .await?;
    assert_eq!(r.status, 303);
    let rude = last_message(&text(&ac, &subject).await?)?;
    let r = post_from(
        &ac,
        &subject,
        &format!("{base}/forums/message/{rude}/signaler"),
        &[("motif", "Moquerie")],
    )
    .await?;
    assert!(r.location.contains("ok="), "{}", r.location);
    // B cannot report what he cannot see; A2 cannot hide it.
    assert_eq!(
        post_from(
            &bc,
            &format!("{base}/forums"),
            &format!("{base}/forums/message/{rude}/signaler"),
            &[("motif", "x")]
        )
        .await?
        .status,
        404
    );
    assert_eq!(
        post_from(
            &a2c,
            &subject,
            &format!("{base}/forums/message/{rude}/masquer"),
            &[("motif", "x")]
        )
        .await?
        .status,
        403
    );
    let told = text(&tc, &format!("{base}/notifications")).await?;
    assert!(told.contains("Message signalé dans le forum"), "{told}");
    let queue = text(&tc, &format!("{base}/forums/signalements")).await?;
    assert!(
        queue.contains("Moquerie") && queue.contains("nul en maths"),
        "{queue}"
    );
    let r = post_from(
        &tc,
        &subject,
        &format!("{base}/forums/message/{rude}/masquer"),
        &[("motif", "Propos blessant")],
    )
    .await?;
    assert_eq!(r.status, 303);
    let seen = text(&ac, &subject).await?;
    assert!(
        seen.contains("Propos blessant") && !seen.contains("nul en maths"),
        "{seen}"
    );
    assert!(
        !text(&tc, &format!("{base}/forums/signalements"))
            .await?
            .contains("Moquerie")
    );

    // Locked: no more replies, for anyone.
    let r = post_from(&tc, &subject, &format!("{subject}/verrouiller"), &[]).await?;
    assert_eq!(r.status, 303);
    let r = post_from(
        &ac,
        &subject,
        &format!("{subject}/repondre"),
        &[("texte", "Encore une question")],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("verrouillé") && r.body.contains("Encore une question"),
        "{}",
        r.body
    );
    // Only a moderator pins or locks.
    assert_eq!(
        post_from(&ac, &subject, &format!("{subject}/epingler"), &[])
            .await?
            .status,
        403
    );
    Ok(())
}
