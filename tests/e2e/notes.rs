//! Notes over HTTP against the demo: the direction's periods and their lock (a closed period's
//! marks cannot change, and come back as typed); the conseil de classe (a teacher's
//! appréciation, the PP's synthèse and avis, the CPE's appréciation, each writing only his
//! own); bulletins generated as drafts the family cannot see, published only when confirmed,
//! read back from the PDF with the vie scolaire's counts, never changed once published (a
//! re-edition is version 2); new marks told to the family from their visibility day; an
//! évaluation of compétences only, its levels on the pupil's page, and the bilan de fin de
//! cycle proposed from them; an évaluation's settings changed and the évaluation deleted by its
//! teacher.

use cartable_tests::accounts::{self, class_cast, demo_directory};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, post, sign_in, status, text};
use time::Duration;

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

fn today() -> time::Date {
    use cartable_core::clock::Clock;
    cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
}

/// A signed-in client and its CSRF token.
async fn signed(
    daemon: &Daemon,
    login: &accounts::DemoLogin,
) -> Result<(reqwest::Client, String), BoxError> {
    let c = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&c, &daemon.url, &login.login, &login.password)
            .await?
            .as_u16(),
        303
    );
    let home = text(&c, &format!("{}/", daemon.url)).await?;
    let csrf = csrf_in(&home).ok_or("no CSRF token")?;
    Ok((c, csrf))
}

fn pdf_text(bytes: &[u8]) -> Result<String, BoxError> {
    let doc = lopdf::Document::load_mem(bytes)?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    Ok(doc.extract_text(&pages)?)
}

/// The teacher's first course in `class` (`6A|Mathématiques`), from his notes page.
async fn first_course(t: &reqwest::Client, base: &str, class: &str) -> Result<String, BoxError> {
    let home = text(t, &format!("{base}/notes")).await?;
    home.split(&format!("<option value=\"{class}|"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|s| format!("{class}|{s}"))
        .ok_or(format!("no {class} course").into())
}

/// A new évaluation of the teacher's course on the last school day before today (the form
/// refuses a day without school: the day before is tried). Returns its path and day.
async fn evaluation_before_today(
    base: &str,
    c: &reqwest::Client,
    csrf: &str,
    course: &str,
    visible: Option<time::Date>,
) -> Result<(String, time::Date), BoxError> {
    for back in 1..15 {
        let day = today() - Duration::days(back);
        let res = post(
            c,
            &format!("{base}/notes/evaluations"),
            &[
                ("csrf", csrf),
                ("cours", course),
                ("titre", "Contrôle de fin de période"),
                ("jour", &iso(day)),
                ("coefficient", "1"),
                ("sur", "20"),
                ("ramener", "1"),
                ("compte", "compte"),
                ("notee", "1"),
                ("visible", &iso(visible.unwrap_or(day))),
            ],
        )
        .await?;
        match res.status {
            // The grid's path, without the message the redirect carries.
            303 => {
                return Ok((
                    res.location
                        .split('?')
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    day,
                ));
            }
            422 => continue,
            s => return Err(format!("évaluation: {s}").into()),
        }
    }
    Err("no school day in the last two weeks".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_period_keeps_its_marks_and_the_direction_sets_the_periods() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "6A", "6B").await?;
    let direction = accounts::first(&cast.all, "direction").ok_or("no direction")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &cast.teacher).await?;
    let (d, dc) = signed(&daemon, &direction).await?;

    let course = first_course(&t, &base, "6A").await?;
    let (grid, day) = evaluation_before_today(&base, &t, &tc, &course, None).await?;
    let pupil = &cast.pupil.login;
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "12")],
    )
    .await?;
    assert_eq!(res.status, 303);

    // The settings: a refused form names the row and field, and keeps what was typed.
    assert_eq!(status(&t, &format!("{base}/notes/reglages")).await?, 403);
    let page = text(&d, &format!("{base}/notes/reglages")).await?;
    assert!(page.contains("Période 3"), "{page}");
    let (p1, p2, p3) = (
        (day - Duration::days(60), day, day),
        (
            day + Duration::days(1),
            day + Duration::days(120),
            day + Duration::days(130),
        ),
        (
            day + Duration::days(121),
            day + Duration::days(240),
            day + Duration::days(250),
        ),
    );
    let form = |a: &(time::Date, time::Date, time::Date),
                b: &(time::Date, time::Date, time::Date),
                c: &(time::Date, time::Date, time::Date)| {
        let mut f = vec![
            ("csrf".to_owned(), dc.clone()),
            (
                "avis".to_owned(),
                "Félicitations\nEncouragements".to_owned(),
            ),
        ];
        for (i, p) in [a, b, c].iter().enumerate() {
            f.push((format!("du.{}", i + 1), iso(p.0)));
            f.push((format!("au.{}", i + 1), iso(p.1)));
            f.push((format!("verrou.{}", i + 1), iso(p.2)));
        }
        f
    };
    let overlapping = (day - Duration::days(5), p2.1, p2.2);
    let res = post(
        &d,
        &format!("{base}/notes/reglages"),
        &form(&p1, &overlapping, &p3),
    )
    .await?;
    assert_eq!(res.status, 422);
    let page = res.body;
    assert!(page.contains("Période 2, « du »"), "{page}");
    assert!(
        page.contains(&format!("value=\"{}\"", iso(overlapping.0))),
        "{page}"
    );

    // Period 1 ends on the évaluation's day and closed yesterday at the latest.
    let res = post(&d, &format!("{base}/notes/reglages"), &form(&p1, &p2, &p3)).await?;
    assert_eq!(res.status, 303);
    let page = text(&d, &format!("{base}{}", res.location)).await?;
    assert!(page.contains("Réglages enregistrés"), "{page}");

    // The closed period's mark cannot change; the grid says why and keeps what was typed.
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(page.contains("id=\"periode-close\""), "{page}");
    assert!(page.contains("readonly"), "{page}");
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "17")],
    )
    .await?;
    assert_eq!(res.status, 422);
    let page = res.body;
    assert!(page.contains("1er trimestre est clos"), "{page}");
    assert!(page.contains("value=\"17\""), "{page}");
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(page.contains("value=\"12\""), "the mark changed: {page}");
    // Nor can a new évaluation be dated in it.
    let res = post(
        &t,
        &format!("{base}/notes/evaluations"),
        &[
            ("csrf", tc.as_str()),
            ("cours", course.as_str()),
            ("titre", "Rattrapage"),
            ("jour", &iso(day)),
            ("coefficient", "1"),
            ("sur", "20"),
            ("ramener", "1"),
            ("compte", "compte"),
            ("notee", "1"),
            ("visible", &iso(day)),
        ],
    )
    .await?;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("est clos"));

    // The direction reopens it until next week: the correction goes through.
    let reopened = (p1.0, p1.1, today() + Duration::days(7));
    let res = post(
        &d,
        &format!("{base}/notes/reglages"),
        &form(&reopened, &p2, &p3),
    )
    .await?;
    assert_eq!(res.status, 303);
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "17")],
    )
    .await?;
    assert_eq!(res.status, 303);
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(page.contains("value=\"17\""), "{page}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conseil_writes_each_its_part_and_published_bulletins_never_change() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "6A", "6B").await?;
    let (store, dir) = demo_directory(&data).await?;
    let pp = accounts::principal(&dir, &cast.all, "6A")
        .await?
        .ok_or("no professeur principal of 6A")?;
    store.close();
    let direction = accounts::first(&cast.all, "direction").ok_or("no direction")?;
    let cpe = accounts::first(&cast.all, "vie-scolaire").ok_or("no vie scolaire")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &pp).await?;
    let (v, vc) = signed(&daemon, &cpe).await?;
    let (d, dc) = signed(&daemon, &direction).await?;
    let (p, _) = signed(&daemon, &cast.parent).await?;
    let pupil = cast.pupil.login.clone();

    // The PP's appréciation in his subject; one too long refuses the form as typed.
    let home = text(&t, &format!("{base}/notes")).await?;
    assert!(home.contains("/notes/conseil/6A"), "{home}");
    let link = home
        .split("href=\"/notes/appreciations?cours=6A%7C")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or(format!("no appréciations link:\n{home}"))?
        .replace("&amp;", "&");
    let page = text(&t, &format!("{base}/notes/appreciations?cours=6A%7C{link}")).await?;
    let period = page
        .split("name=\"periode\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(str::to_owned)
        .ok_or("no period field")?;
    let cours = page
        .split("name=\"cours\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no course field")?
        .replace("&#124;", "|")
        .replace("&#x7c;", "|");
    let key = format!("appreciation.{pupil}");
    let long = "a".repeat(401);
    let res = post(
        &t,
        &format!("{base}/notes/appreciations"),
        &[
            ("csrf", tc.as_str()),
            ("cours", cours.as_str()),
            ("periode", period.as_str()),
            (key.as_str(), long.as_str()),
        ],
    )
    .await?;
    assert_eq!(res.status, 422);
    let page = res.body;
    assert!(page.contains("400 caractères au plus"), "{page}");
    assert!(page.contains(&long), "the typed text is lost");
    let res = post(
        &t,
        &format!("{base}/notes/appreciations"),
        &[
            ("csrf", tc.as_str()),
            ("cours", cours.as_str()),
            ("periode", period.as_str()),
            (key.as_str(), "Très bon travail en classe."),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);

    // The PP writes the synthèse and the avis; an avis off the list is refused.
    let conseil = format!("{base}/notes/conseil/6A?periode={period}");
    let page = text(&t, &conseil).await?;
    assert!(page.contains("Très bon travail en classe."), "{page}");
    let (sk, ak, ck) = (
        format!("synthese.{pupil}"),
        format!("avis.{pupil}"),
        format!("cpe.{pupil}"),
    );
    let res = post(
        &t,
        &format!("{base}/notes/conseil/6A"),
        &[
            ("csrf", tc.as_str()),
            ("periode", period.as_str()),
            (sk.as_str(), "Un trimestre sérieux."),
            (ak.as_str(), "Avis inventé"),
        ],
    )
    .await?;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Un trimestre sérieux."));
    let res = post(
        &t,
        &format!("{base}/notes/conseil/6A"),
        &[
            ("csrf", tc.as_str()),
            ("periode", period.as_str()),
            (sk.as_str(), "Un trimestre sérieux."),
            (ak.as_str(), "Compliments"),
            // Not his to write: ignored.
            (ck.as_str(), "écrit par le PP"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);
    // The CPE writes his appréciation; the synthèse he sends is not his and is kept.
    let res = post(
        &v,
        &format!("{base}/notes/conseil/6A"),
        &[
            ("csrf", vc.as_str()),
            ("periode", period.as_str()),
            (ck.as_str(), "Élève ponctuel et respectueux."),
            (sk.as_str(), "écrasé par le CPE"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);
    let page = text(&d, &conseil).await?;
    assert!(page.contains("Un trimestre sérieux."), "{page}");
    assert!(page.contains("Élève ponctuel et respectueux."), "{page}");
    assert!(!page.contains("écrasé par le CPE") && !page.contains("écrit par le PP"));

    // Drafts: the family cannot open them.
    let res = post(
        &d,
        &format!("{base}/notes/bulletins/6A/generer"),
        &[("csrf", dc.as_str()), ("periode", period.as_str())],
    )
    .await?;
    assert_eq!(res.status, 303);
    let class_page = format!("{base}/notes/bulletins/6A?periode={period}");
    let bulletin_of = |page: &str| -> Option<String> {
        let row = page.split(&format!("/notes/eleve/{pupil}\"")).nth(1)?;
        let row = row.split("</tr>").next()?;
        Some(
            row.split("href=\"/notes/bulletin/")
                .nth(1)?
                .split('"')
                .next()?
                .to_owned(),
        )
    };
    let page = text(&d, &class_page).await?;
    let draft = bulletin_of(&page).ok_or(format!("no bulletin link:\n{page}"))?;
    assert!(page.contains("en brouillon"), "{page}");
    assert_eq!(
        status(&p, &format!("{base}/notes/bulletin/{draft}")).await?,
        404
    );

    // Publishing asks to confirm.
    let res = post(
        &d,
        &format!("{base}/notes/bulletins/6A/publier"),
        &[
            ("csrf", dc.as_str()),
            ("periode", period.as_str()),
            ("a_partir_du", &iso(today())),
        ],
    )
    .await?;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Cochez la case de confirmation"));
    assert_eq!(
        status(&p, &format!("{base}/notes/bulletin/{draft}")).await?,
        404
    );
    let res = post(
        &d,
        &format!("{base}/notes/bulletins/6A/publier"),
        &[
            ("csrf", dc.as_str()),
            ("periode", period.as_str()),
            ("a_partir_du", &iso(today())),
            ("confirme", "1"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);

    // The parent finds it on his child's page and reads it.
    let page = text(&p, &format!("{base}/notes/eleve/{pupil}?periode={period}")).await?;
    assert!(page.contains(&format!("/notes/bulletin/{draft}")), "{page}");
    let res = p
        .get(format!("{base}/notes/bulletin/{draft}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let v1 = res.bytes().await?.to_vec();
    let words = pdf_text(&v1)?;
    for want in [
        "Très bon travail en classe.",
        "Un trimestre sérieux.",
        "Compliments",
        "Élève ponctuel et respectueux.",
        "Vie scolaire",
        "retard",
        "Moyenne générale",
    ] {
        assert!(
            words.contains(want),
            "« {want} » not in the bulletin:\n{words}"
        );
    }

    // A re-edition is version 2, a draft; version 1 stays as it was.
    let res = post(
        &t,
        &format!("{base}/notes/conseil/6A"),
        &[
            ("csrf", tc.as_str()),
            ("periode", period.as_str()),
            (sk.as_str(), "Synthèse corrigée."),
            (ak.as_str(), "Compliments"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);
    let res = post(
        &d,
        &format!("{base}/notes/bulletins/6A/generer"),
        &[("csrf", dc.as_str()), ("periode", period.as_str())],
    )
    .await?;
    assert_eq!(res.status, 303);
    let page = text(&d, &class_page).await?;
    assert!(page.contains("version 2 en brouillon"), "{page}");
    let again = p
        .get(format!("{base}/notes/bulletin/{draft}"))
        .send()
        .await?
        .bytes()
        .await?;
    assert_eq!(again.to_vec(), v1, "a published bulletin changed");
    let v2 = bulletin_of(&page).ok_or("no version 2 link")?;
    assert_ne!(v2, draft);
    assert_eq!(
        status(&p, &format!("{base}/notes/bulletin/{v2}")).await?,
        404
    );
    let direction_copy = d.get(format!("{base}/notes/bulletin/{v2}")).send().await?;
    assert_eq!(direction_copy.status().as_u16(), 200);
    assert!(pdf_text(&direction_copy.bytes().await?)?.contains("Synthèse corrigée."));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_marks_are_told_to_the_family_from_their_day() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "6A", "6B").await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &cast.teacher).await?;
    let (p, _) = signed(&daemon, &cast.parent).await?;
    let (o, _) = signed(&daemon, &cast.other).await?;
    let course = first_course(&t, &base, "6A").await?;
    let subject = course
        .split_once('|')
        .map(|(_, s)| s.to_owned())
        .unwrap_or_default();
    let told = |page: &str| page.matches(&format!("Nouvelle note en {subject}")).count();
    let before = told(&text(&p, &format!("{base}/notifications")).await?);

    // Seen from tomorrow: nothing told yet.
    let tomorrow = today() + Duration::days(1);
    let (later, _) = evaluation_before_today(&base, &t, &tc, &course, Some(tomorrow)).await?;
    let pupil = &cast.pupil.login;
    let res = post(
        &t,
        &format!("{base}{later}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "15")],
    )
    .await?;
    assert_eq!(res.status, 303);
    assert_eq!(
        told(&text(&p, &format!("{base}/notifications")).await?),
        before
    );

    // Seen already: the parent is told at once (his summary mails it tonight).
    let (now, _) = evaluation_before_today(&base, &t, &tc, &course, None).await?;
    let res = post(
        &t,
        &format!("{base}{now}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "13,5")],
    )
    .await?;
    assert_eq!(res.status, 303);
    let page = text(&p, &format!("{base}/notifications")).await?;
    assert_eq!(told(&page), before + 1, "{page}");
    // Saving the grid again tells nothing more; a pupil of another class is told nothing.
    let res = post(
        &t,
        &format!("{base}{now}"),
        &[("csrf", tc.as_str()), (&format!("note.{pupil}"), "14")],
    )
    .await?;
    assert_eq!(res.status, 303);
    assert_eq!(
        told(&text(&p, &format!("{base}/notifications")).await?),
        before + 1
    );
    assert_eq!(told(&text(&o, &format!("{base}/notifications")).await?), 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compétences_reach_the_pupil_and_the_bilan_de_fin_de_cycle() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "6A", "6B").await?;
    let (store, dir) = demo_directory(&data).await?;
    let pp = accounts::principal(&dir, &cast.all, "6A")
        .await?
        .ok_or("no professeur principal of 6A")?;
    store.close();
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &pp).await?;
    let (a, _) = signed(&daemon, &cast.pupil).await?;
    let pupil = cast.pupil.login.clone();
    let course = first_course(&t, &base, "6A").await?;

    // Neither a mark nor a compétence: refused, as typed.
    let mut created = None;
    for back in 1..15 {
        let day = iso(today() - Duration::days(back));
        let base_form = vec![
            ("csrf", tc.as_str()),
            ("cours", course.as_str()),
            ("titre", "Résolution de problèmes"),
            ("jour", day.as_str()),
            ("coefficient", "1"),
            ("sur", "20"),
            ("compte", "compte"),
            ("visible", day.as_str()),
        ];
        let res = post(&t, &format!("{base}/notes/evaluations"), &base_form).await?;
        assert_eq!(res.status, 422);
        let page = res.body;
        if page.contains("pas de cours") {
            continue;
        }
        assert!(
            page.contains("cochez « notée » ou au moins une composante"),
            "{page}"
        );
        assert!(
            page.contains("Résolution de problèmes"),
            "the title typed is lost"
        );
        let mut form = base_form.clone();
        form.push(("competence", "CPD_SCI"));
        form.push(("competence", "MET_APP"));
        let res = post(&t, &format!("{base}/notes/evaluations"), &form).await?;
        assert_eq!(res.status, 303);
        created = Some(res.location);
        break;
    }
    let grid = created.ok_or("no school day in the last two weeks")?;
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(
        !page.contains(&format!("name=\"note.{pupil}\"")),
        "a mark cell: {page}"
    );
    assert!(
        page.contains(&format!("name=\"niveau.CPD_SCI.{pupil}\"")),
        "{page}"
    );
    // A level off the scale is refused; then two levels are kept.
    let (sci, met) = (
        format!("niveau.CPD_SCI.{pupil}"),
        format!("niveau.MET_APP.{pupil}"),
    );
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[("csrf", tc.as_str()), (sci.as_str(), "7")],
    )
    .await?;
    assert_eq!(res.status, 422);
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[
            ("csrf", tc.as_str()),
            (sci.as_str(), "4"),
            (met.as_str(), "2"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(
        page.contains("value=\"4\" title=\"Très bonne maîtrise\" selected"),
        "{page}"
    );

    // The pupil sees his levels of the period.
    let page = text(&a, &format!("{base}/notes/eleve/{pupil}")).await?;
    let skills = page
        .split("id=\"competences\"")
        .nth(1)
        .ok_or(format!("no compétences on the pupil's page:\n{page}"))?;
    assert!(
        skills.contains("Les méthodes et outils pour apprendre"),
        "{skills}"
    );

    // The PP's bilan de fin de cycle 3 proposes the year's level and keeps what he settles.
    let page = text(&t, &format!("{base}/notes/bilan/6A")).await?;
    assert!(page.contains("Bilan de fin de cycle 3"), "{page}");
    let mine = page
        .split(&format!("id=\"bilan-{pupil}\""))
        .nth(1)
        .ok_or("the pupil is not on the bilan")?;
    assert!(mine.contains("d&#39;après l&#39;année : "), "{mine}");
    let mut form = vec![("csrf".to_owned(), tc.clone())];
    for code in [
        "CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND",
    ] {
        form.push((format!("niveau.{code}.{pupil}"), "3".to_owned()));
    }
    form[3].1 = "4".to_owned();
    let res = post(&t, &format!("{base}/notes/bilan/6A"), &form).await?;
    assert_eq!(res.status, 303);
    let page = text(&t, &format!("{base}{}", res.location)).await?;
    assert!(page.contains("8 niveaux enregistrés"), "{page}");
    let mine = page
        .split(&format!("id=\"bilan-{pupil}\""))
        .nth(1)
        .ok_or("the pupil is not on the bilan")?;
    // Seven at « satisfaisante » (40) and one at « très bonne » (50).
    assert!(mine.contains("330 points"), "{mine}");
    assert!(
        !mine
            .split("</h2>")
            .next()
            .unwrap_or_default()
            .contains("à valider")
    );
    // A 5e has no bilan.
    assert_eq!(status(&t, &format!("{base}/notes/bilan/5A")).await?, 404);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teaching_groups_marks_reach_its_pupils_from_several_classes() -> TestResult {
    use cartable_core::directory::{Change, DirectoryRead, DirectoryWrite, GroupCode, Login};
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "4A", "6B").await?;
    // The 4e's Spanish LV2 group gets a teacher; one of its pupils of 4A, one of 4B.
    let (store, dir) = demo_directory(&data).await?;
    let uai = dir.structure().await?.ok_or("no structure")?.uai;
    let teacher = cast.teacher.clone();
    dir.apply(vec![Change::AddToGroup {
        uai,
        group: GroupCode::parse("4-ESP")?,
        member: Login::parse(&teacher.login)?,
    }])
    .await?;
    let mut members = Vec::new();
    for class in ["4A", "4B"] {
        for d in cast
            .all
            .iter()
            .filter(|d| d.profile == "eleve" && d.classe == class)
        {
            let r = dir.relations(&Login::parse(&d.login)?).await?;
            if r.groups.iter().any(|g| g.code.as_str() == "4-ESP") {
                members.push(d.clone());
                break;
            }
        }
    }
    let outsider = {
        let mut found = None;
        for d in cast
            .all
            .iter()
            .filter(|d| d.profile == "eleve" && d.classe == "4A")
        {
            let r = dir.relations(&Login::parse(&d.login)?).await?;
            if !r.groups.iter().any(|g| g.code.as_str() == "4-ESP") {
                found = Some(d.clone());
                break;
            }
        }
        found.ok_or("every 4A pupil learns Spanish")?
    };
    store.close();
    let [in_4a, in_4b] = <[accounts::DemoLogin; 2]>::try_from(members)
        .map_err(|_| "no Spanish pupil in 4A and 4B")?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &teacher).await?;
    let home = text(&t, &format!("{base}/notes")).await?;
    assert!(home.contains("value=\"groupe|4-ESP\""), "{home}");
    let (grid, _) = evaluation_before_today(&base, &t, &tc, "groupe|4-ESP", None).await?;
    let page = text(&t, &format!("{base}{grid}")).await?;
    // The group's pupils, from both classes; not a pupil of 4A outside it.
    for p in [&in_4a, &in_4b] {
        assert!(
            page.contains(&format!("name=\"note.{}\"", p.login)),
            "{page}"
        );
    }
    assert!(!page.contains(&format!("name=\"note.{}\"", outsider.login)));
    let (ka, kb) = (
        format!("note.{}", in_4a.login),
        format!("note.{}", in_4b.login),
    );
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[
            ("csrf", tc.as_str()),
            (ka.as_str(), "16"),
            (kb.as_str(), "10"),
        ],
    )
    .await?;
    assert_eq!(res.status, 303);

    // The 4A pupil sees it under the group's subject, with the group's average.
    let (a, _) = signed(&daemon, &in_4a).await?;
    let page = text(&a, &format!("{base}/notes/eleve/{}", in_4a.login)).await?;
    let section = page
        .split("<h2>Espagnol LV2 4e</h2>")
        .nth(1)
        .ok_or(format!("no group subject on the pupil's page:\n{page}"))?;
    assert!(section.contains("16 / 20"), "{section}");
    assert!(section.contains("classe : 13,0 (de 10 à 16)"), "{section}");
    // The pupil outside the group has no such subject.
    let (o, _) = signed(&daemon, &outsider).await?;
    let page = text(&o, &format!("{base}/notes/eleve/{}", outsider.login)).await?;
    assert!(!page.contains("Espagnol LV2 4e"), "{page}");
    // Another teacher cannot open the group's grid.
    let other_teacher = cast
        .all
        .iter()
        .find(|d| d.profile == "enseignant" && d.login != teacher.login)
        .cloned()
        .ok_or("no other teacher")?;
    let (u, _) = signed(&daemon, &other_teacher).await?;
    assert_eq!(status(&u, &format!("{base}{grid}")).await?, 404);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_corrects_then_deletes_an_evaluation() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let cast = class_cast(&data, "6A", "6B").await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let (t, tc) = signed(&daemon, &cast.teacher).await?;
    let (p, _) = signed(&daemon, &cast.parent).await?;
    let course = first_course(&t, &base, "6A").await?;
    let (grid, day) = evaluation_before_today(&base, &t, &tc, &course, None).await?;
    let pupil = &cast.pupil.login;
    let key = format!("note.{pupil}");
    let res = post(
        &t,
        &format!("{base}{grid}"),
        &[("csrf", tc.as_str()), (key.as_str(), "18")],
    )
    .await?;
    assert_eq!(res.status, 303);
    let settings = |title: &str, out_of: &str, visible: time::Date| {
        vec![
            ("csrf".to_owned(), tc.clone()),
            ("titre".to_owned(), title.to_owned()),
            ("jour".to_owned(), iso(day)),
            ("coefficient".to_owned(), "3".to_owned()),
            ("sur".to_owned(), out_of.to_owned()),
            ("ramener".to_owned(), "1".to_owned()),
            ("compte".to_owned(), "compte".to_owned()),
            ("notee".to_owned(), "1".to_owned()),
            ("visible".to_owned(), iso(visible)),
        ]
    };
    // A scale below a mark given is refused, the form open and as typed.
    let modify = format!("{base}{grid}/modifier");
    let res = post(&t, &modify, &settings("Contrôle corrigé", "10", day)).await?;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("Une note saisie dépasse 10"),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains("<details class=\"carte\" id=\"modifier\" open>")
    );
    assert!(res.body.contains("value=\"Contrôle corrigé\""));
    // Hidden from the family until next week, coefficient 3.
    let later = today() + Duration::days(7);
    let res = post(&t, &modify, &settings("Contrôle corrigé", "20", later)).await?;
    assert_eq!(res.status, 303);
    let page = text(&t, &format!("{base}{grid}")).await?;
    assert!(
        page.contains("Contrôle corrigé") && page.contains("coefficient 3"),
        "{page}"
    );
    let family = text(&p, &format!("{base}/notes/eleve/{pupil}")).await?;
    assert!(!family.contains("Contrôle corrigé"), "{family}");

    // Deleting asks to confirm, then takes the marks with it.
    let delete = format!("{base}{grid}/supprimer");
    let res = post(&t, &delete, &[("csrf", tc.as_str())]).await?;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Cochez la case de confirmation"));
    assert_eq!(status(&t, &format!("{base}{grid}")).await?, 200);
    let res = post(&t, &delete, &[("csrf", tc.as_str()), ("confirme", "1")]).await?;
    assert_eq!(res.status, 303);
    let page = text(&t, &format!("{base}{}", res.location)).await?;
    assert!(
        page.contains("« Contrôle corrigé » supprimée avec sa note."),
        "{page}"
    );
    assert_eq!(status(&t, &format!("{base}{grid}")).await?, 404);
    let mine = text(&t, &format!("{base}/notes/eleve/{pupil}")).await?;
    assert!(!mine.contains("Contrôle corrigé"));
    Ok(())
}
