//! The messagerie through the real daemon: the communication rules as a property over the demo
//! (what the rules say = what the address book offers = what the server accepts), lists in
//! hidden copy, recall, folders and the corbeille, and the safety switches (suspension, hourly
//! limit with its alert, reports).

use std::collections::{BTreeMap, BTreeSet};

use cartable_core::directory::{DirectoryRead, Login, Profile};
use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{self, client, csrf_in, location, sign_in, text};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a person is, for the rules, read from the demo's annuaire before the daemon starts.
#[derive(Debug, Clone, Default)]
struct Who {
    profile: String,
    classes: BTreeSet<String>,
    children: BTreeSet<String>,
    parents: BTreeSet<String>,
}

async fn annuaire(
    data: &std::path::Path,
    demo: &[DemoLogin],
) -> Result<BTreeMap<String, Who>, BoxError> {
    let (store, dir) = accounts::demo_directory(data).await?;
    let mut out = BTreeMap::new();
    for d in demo {
        let login = Login::parse(&d.login)?;
        let p = dir.person(&login).await?.ok_or("no person")?;
        let r = dir.relations(&login).await?;
        let mut w = Who {
            profile: p.profile.as_str().to_owned(),
            ..Who::default()
        };
        match p.profile {
            Profile::Eleve => {
                w.classes = r.classes.iter().map(|c| c.code.to_string()).collect();
                w.parents = r.parents.iter().map(|p| p.login.to_string()).collect();
            }
            Profile::Responsable => {
                w.children = r.children.iter().map(|c| c.login.to_string()).collect();
                w.classes = r
                    .children
                    .iter()
                    .filter_map(|c| c.class.as_ref().map(|k| k.code.to_string()))
                    .collect();
            }
            Profile::Enseignant => {
                w.classes = r
                    .teachings
                    .iter()
                    .map(|t| t.class.code.to_string())
                    .collect();
            }
            _ => {}
        }
        out.insert(d.login.clone(), w);
    }
    store.close();
    Ok(out)
}

fn staff(profile: &str) -> bool {
    matches!(
        profile,
        "direction" | "vie-scolaire" | "documentaliste" | "administratif" | "admin"
    )
}

/// The default rules, as the issue states them: staff and teachers write to everyone; a pupil
/// to his class's teachers and pupils, to the staff and to his own parents; a parent to his
/// children, their teachers and the staff.
fn may_write(from: &str, to: &str, a: &BTreeMap<String, Who>) -> bool {
    if from == to {
        return false;
    }
    let (f, t) = (&a[from], &a[to]);
    let shares = || f.classes.iter().any(|c| t.classes.contains(c));
    match f.profile.as_str() {
        "eleve" => {
            staff(&t.profile)
                || f.parents.contains(to)
                || (t.profile == "eleve" || t.profile == "enseignant") && shares()
        }
        "responsable" => {
            staff(&t.profile) || f.children.contains(to) || t.profile == "enseignant" && shares()
        }
        _ => true,
    }
}

async fn signed(
    base: &str,
    daemon: &Daemon,
    who: &DemoLogin,
) -> Result<(reqwest::Client, String), BoxError> {
    let c = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&c, base, &who.login, &who.password).await?.as_u16(),
        303,
        "{}",
        who.login
    );
    let home = text(&c, &format!("{base}/messagerie")).await?;
    let csrf = csrf_in(&home).ok_or("no csrf")?;
    Ok((c, csrf))
}

/// Posts the compose form; returns the status and the page it leads to.
async fn compose(
    c: &reqwest::Client,
    base: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> Result<(u16, String), BoxError> {
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.to_owned());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = c
        .post(format!("{base}/messagerie/ecrire"))
        .multipart(form)
        .send()
        .await?;
    let status = res.status().as_u16();
    let page = if status == 303 {
        text(c, &format!("{base}{}", location(&res))).await?
    } else {
        res.text().await?
    };
    Ok((status, page))
}

async fn post(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> Result<(u16, String), BoxError> {
    let res = c.post(format!("{base}{path}")).form(form).send().await?;
    let status = res.status().as_u16();
    let page = if status == 303 {
        text(c, &format!("{base}{}", location(&res))).await?
    } else {
        res.text().await?
    };
    Ok((status, page))
}

/// Every login the address book lists to this person, page after page.
async fn offered(c: &reqwest::Client, base: &str) -> Result<BTreeSet<String>, BoxError> {
    let mut out = BTreeSet::new();
    for page in 0..100 {
        let html = text(c, &format!("{base}/messagerie/carnet?page={page}")).await?;
        out.extend(
            html.split("data-login=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .map(str::to_owned),
        );
        if !html.contains("id=\"page-suivante\"") {
            break;
        }
    }
    Ok(out)
}

fn message_ids(html: &str) -> Vec<String> {
    html.split("data-message=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_are_what_the_address_book_offers_and_what_the_server_accepts() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let a = annuaire(&data, &demo).await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    // Senders: every pupil and parent of two classes, teachers of both and of neither, and
    // each kind of staff; recipients: everyone.
    let in_class = |d: &&DemoLogin, c: &str| a[&d.login].classes.contains(c);
    let mut senders: Vec<&DemoLogin> = demo
        .iter()
        .filter(|d| {
            (d.profile == "eleve" || d.profile == "responsable")
                && (in_class(d, "6A") || in_class(d, "4B"))
        })
        .collect();
    senders.extend(demo.iter().filter(|d| d.profile == "enseignant").take(3));
    for p in ["vie-scolaire", "direction", "documentaliste", "admin"] {
        senders.extend(demo.iter().find(|d| d.profile == p));
    }
    let everyone: BTreeSet<String> = demo.iter().map(|d| d.login.clone()).collect();
    let mut differences = Vec::new();
    let mut pairs = 0;
    for s in &senders {
        let (c, csrf) = signed(&base, &daemon, s).await?;
        let got = offered(&c, &base).await?;
        let want: BTreeSet<String> = everyone
            .iter()
            .filter(|to| may_write(&s.login, to, &a))
            .cloned()
            .collect();
        pairs += everyone.len();
        if got != want {
            differences.push(format!(
                "{} ({}) : offert en trop {:?}, manquant {:?}",
                s.login,
                s.profile,
                got.difference(&want).take(5).collect::<Vec<_>>(),
                want.difference(&got).take(5).collect::<Vec<_>>()
            ));
            continue;
        }
        // The server: one allowed recipient accepted; one forbidden refused, with the reason,
        // the message kept as a draft.
        if let Some(to) = want.iter().next() {
            let (status, page) = compose(
                &c,
                &base,
                &csrf,
                &[
                    ("dest", &format!("a:p:{to}")),
                    ("sujet", "Essai"),
                    ("corps", "Bonjour"),
                    ("action", "envoyer"),
                ],
            )
            .await?;
            assert_eq!(status, 303, "{} → {to}: {page}", s.login);
            assert!(page.contains("Message envoyé à 1 personne."), "{page}");
        }
        if let Some(to) = everyone
            .iter()
            .find(|to| *to != &s.login && !want.contains(*to))
        {
            let (status, page) = compose(
                &c,
                &base,
                &csrf,
                &[
                    ("dest", &format!("a:p:{to}")),
                    ("sujet", "Essai interdit"),
                    ("corps", "Bonjour"),
                    ("action", "envoyer"),
                ],
            )
            .await?;
            assert_eq!(status, 422, "{} → {to} accepted", s.login);
            assert!(page.contains("Vous ne pouvez pas écrire à"), "{page}");
            assert!(
                page.contains("Essai interdit"),
                "what was typed is kept: {page}"
            );
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} senders differ:\n{}",
        differences.len(),
        senders.len(),
        differences.join("\n")
    );
    eprintln!(
        "{} expéditeurs × {} destinataires vérifiés ({pairs} paires)",
        senders.len(),
        everyone.len()
    );

    // Lists: a pupil has none; a parent only « l'équipe pédagogique » of his child's class.
    let pupil = senders
        .iter()
        .find(|d| d.profile == "eleve")
        .ok_or("no pupil")?;
    let (c, csrf) = signed(&base, &daemon, pupil).await?;
    let (status, page) = compose(
        &c,
        &base,
        &csrf,
        &[
            ("liste", "parents:6A"),
            ("sujet", "À tous"),
            ("action", "envoyer"),
        ],
    )
    .await?;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Vous ne pouvez pas écrire à « Les parents de la 6e A »"),
        "{page}"
    );
    let parent = senders
        .iter()
        .find(|d| d.profile == "responsable" && a[&d.login].classes.contains("6A"))
        .ok_or("no parent")?;
    let (c, csrf) = signed(&base, &daemon, parent).await?;
    let book = text(&c, &format!("{base}/messagerie/carnet")).await?;
    assert!(
        book.contains("Les enseignants de mon enfant (6e A)"),
        "{book}"
    );
    assert!(!book.contains("Les parents de la"), "{book}");
    let (status, page) = compose(
        &c,
        &base,
        &csrf,
        &[
            ("liste", "parents:6A"),
            ("sujet", "À tous"),
            ("action", "envoyer"),
        ],
    )
    .await?;
    assert_eq!(status, 422, "{page}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_go_in_hidden_copy_a_recall_folders_and_the_corbeille() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let a = annuaire(&data, &demo).await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let teacher = demo
        .iter()
        .find(|d| d.profile == "enseignant" && d.classe == "6A")
        .ok_or("no teacher")?;
    let colleague = demo
        .iter()
        .find(|d| d.profile == "enseignant" && d.login != teacher.login)
        .ok_or("no colleague")?;
    let parents: Vec<&DemoLogin> = demo
        .iter()
        .filter(|d| d.profile == "responsable" && a[&d.login].classes.contains("6A"))
        .take(2)
        .collect();
    let (p1, p2) = (parents[0], parents[1]);
    let (t, tcsrf) = signed(&base, &daemon, teacher).await?;

    // To the parents of his class, in hidden copy, and a colleague in copy.
    let (status, page) = compose(
        &t,
        &base,
        &tcsrf,
        &[
            ("liste", "parents:6A"),
            ("dest", &format!("cc:p:{}", colleague.login)),
            ("sujet", "Sortie au musée"),
            ("corps", "La classe visitera le musée mardi."),
            ("action", "envoyer"),
        ],
    )
    .await?;
    assert_eq!(status, 303, "{page}");
    let sent_to = page
        .split("Message envoyé à ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or(format!("no count: {page}"))?;
    let families = demo
        .iter()
        .filter(|d| d.profile == "responsable" && a[&d.login].classes.contains("6A"))
        .count();
    assert_eq!(
        sent_to,
        families + 1,
        "every parent of 6A and the colleague"
    );
    let (c1, c1csrf) = signed(&base, &daemon, p1).await?;
    let inbox = text(&c1, &format!("{base}/messagerie")).await?;
    let id = message_ids(&inbox)
        .first()
        .cloned()
        .ok_or(format!("empty inbox: {inbox}"))?;
    let read = text(&c1, &format!("{base}/messagerie/message/{id}")).await?;
    assert!(
        read.contains("La classe visitera le musée mardi."),
        "{read}"
    );
    assert!(
        !read.contains("Les parents de la 6e A"),
        "the list is hidden: {read}"
    );
    assert!(!read.contains(&p2.login), "{read}");
    // Answering all reaches the teacher and the colleague, never the class.
    let all = text(
        &c1,
        &format!("{base}/messagerie/ecrire?repondre={id}&tous=1"),
    )
    .await?;
    assert!(all.contains(&format!("a:p:{}", teacher.login)), "{all}");
    assert!(all.contains(&format!("cc:p:{}", colleague.login)), "{all}");
    assert!(!all.contains(&format!("p:{}", p2.login)), "{all}");
    assert!(!all.contains("l:parents"), "{all}");

    // Folders, the corbeille.
    let (status, page) = post(
        &c1,
        &base,
        "/messagerie/dossiers",
        &[("csrf", &c1csrf), ("nom", "Sorties")],
    )
    .await?;
    assert_eq!(status, 303);
    assert!(page.contains("Dossier créé."), "{page}");
    let folder = page
        .split("dossier=dossier:")
        .nth(1)
        .and_then(|s| s.split(['"', '&']).next())
        .ok_or("no folder")?
        .to_owned();
    let (_, page) = post(
        &c1,
        &base,
        &format!("/messagerie/message/{id}"),
        &[
            ("csrf", &c1csrf),
            ("action", "ranger"),
            ("dossier", &format!("dossier:{folder}")),
        ],
    )
    .await?;
    assert!(page.contains("Message rangé."), "{page}");
    let inbox = text(&c1, &format!("{base}/messagerie")).await?;
    assert!(!message_ids(&inbox).contains(&id), "{inbox}");
    let f = text(&c1, &format!("{base}/messagerie?dossier=dossier:{folder}")).await?;
    assert!(message_ids(&f).contains(&id), "{f}");
    let (_, _) = post(
        &c1,
        &base,
        &format!("/messagerie/message/{id}"),
        &[("csrf", &c1csrf), ("action", "corbeille")],
    )
    .await?;
    let trash = text(&c1, &format!("{base}/messagerie?dossier=corbeille")).await?;
    assert!(message_ids(&trash).contains(&id), "{trash}");
    let (_, page) = post(
        &c1,
        &base,
        &format!("/messagerie/message/{id}"),
        &[("csrf", &c1csrf), ("action", "restaurer")],
    )
    .await?;
    assert!(page.contains("Message remis à sa place."), "{page}");
    let f = text(&c1, &format!("{base}/messagerie?dossier=dossier:{folder}")).await?;
    assert!(message_ids(&f).contains(&id), "back in its folder: {f}");
    post(
        &c1,
        &base,
        &format!("/messagerie/message/{id}"),
        &[("csrf", &c1csrf), ("action", "corbeille")],
    )
    .await?;
    // Emptying asks first.
    let (status, page) = post(
        &c1,
        &base,
        "/messagerie/corbeille/vider",
        &[("csrf", &c1csrf)],
    )
    .await?;
    assert_eq!(status, 200);
    assert!(page.contains("Vider la corbeille ?"), "{page}");
    let (_, page) = post(
        &c1,
        &base,
        "/messagerie/corbeille/vider",
        &[("csrf", &c1csrf), ("confirme", "1")],
    )
    .await?;
    assert!(
        page.contains("Corbeille vidée : 1 message supprimé définitivement."),
        "{page}"
    );
    assert_eq!(
        http::status(&c1, &format!("{base}/messagerie/message/{id}")).await?,
        404
    );
    // The sender still has it; a search finds it.
    let found = text(&t, &format!("{base}/messagerie?q=mus%C3%A9e")).await?;
    assert!(message_ids(&found).contains(&id), "{found}");

    // A recall: withdrawn from the parent who had not opened it; the other keeps it.
    let (status, _) = compose(
        &t,
        &base,
        &tcsrf,
        &[
            ("dest", &format!("a:p:{}", p1.login)),
            ("dest", &format!("a:p:{}", p2.login)),
            ("sujet", "Erreur de date"),
            ("corps", "Mardi 12."),
            ("action", "envoyer"),
        ],
    )
    .await?;
    assert_eq!(status, 303);
    let inbox = text(&c1, &format!("{base}/messagerie")).await?;
    let rid = message_ids(&inbox).first().cloned().ok_or("no message")?;
    c1.get(format!("{base}/messagerie/message/{rid}"))
        .send()
        .await?;
    let (status, page) = post(
        &t,
        &base,
        &format!("/messagerie/message/{rid}/rappeler"),
        &[("csrf", &tcsrf)],
    )
    .await?;
    assert_eq!(status, 200);
    assert!(page.contains("Rappeler ce message ?"), "{page}");
    let (_, page) = post(
        &t,
        &base,
        &format!("/messagerie/message/{rid}/rappeler"),
        &[("csrf", &tcsrf), ("confirme", "1")],
    )
    .await?;
    assert!(
        page.contains(
            "Message rappelé : retiré chez 1 destinataire ; 1 destinataire l&#39;avait déjà lu."
        ),
        "{page}"
    );
    let (c2, _) = signed(&base, &daemon, p2).await?;
    let inbox2 = text(&c2, &format!("{base}/messagerie")).await?;
    assert!(!message_ids(&inbox2).contains(&rid), "{inbox2}");
    let res = c2
        .get(format!("{base}/messagerie/message/{rid}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let told = text(&c2, &format!("{base}{}", location(&res))).await?;
    assert!(
        told.contains("Message rappelé par son expéditeur"),
        "{told}"
    );
    assert!(
        c1.get(format!("{base}/messagerie/message/{rid}"))
            .send()
            .await?
            .status()
            .is_success()
    );

    // A draft keeps what was typed.
    let (status, page) = compose(
        &t,
        &base,
        &tcsrf,
        &[
            ("sujet", "Brouillon du conseil"),
            ("corps", "À finir."),
            ("action", "enregistrer"),
        ],
    )
    .await?;
    assert_eq!(status, 303);
    assert!(page.contains("Brouillon enregistré."), "{page}");
    let did = message_ids(&page).first().cloned().ok_or("no draft")?;
    let again = text(&t, &format!("{base}/messagerie/ecrire?brouillon={did}")).await?;
    assert!(again.contains("value=\"Brouillon du conseil\""), "{again}");
    assert!(again.contains(">À finir.</textarea>"), "{again}");

    // An attachment travels with a forward: the parent sends the teacher a photo, the teacher
    // forwards it to his colleague, who downloads the same bytes.
    let photo =
        reqwest::multipart::Part::bytes(b"photo du cahier".to_vec()).file_name("cahier.jpg");
    let form = reqwest::multipart::Form::new()
        .text("csrf", c1csrf.clone())
        .text("dest", format!("a:p:{}", teacher.login))
        .text("sujet", "Le cahier")
        .text("corps", "Voici la page.")
        .text("action", "envoyer")
        .part("piece", photo);
    let res = c1
        .post(format!("{base}/messagerie/ecrire"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let inbox = text(&t, &format!("{base}/messagerie")).await?;
    let fid = message_ids(&inbox).first().cloned().ok_or("no message")?;
    let fwd = text(&t, &format!("{base}/messagerie/ecrire?transferer={fid}")).await?;
    assert!(fwd.contains("value=\"TR : Le cahier\""), "{fwd}");
    assert!(fwd.contains("cahier.jpg"), "{fwd}");
    let (status, _) = compose(
        &t,
        &base,
        &tcsrf,
        &[
            ("transfert", &fid),
            ("dest", &format!("a:p:{}", colleague.login)),
            ("sujet", "TR : Le cahier"),
            ("corps", "Pour information."),
            ("action", "envoyer"),
        ],
    )
    .await?;
    assert_eq!(status, 303);
    let (cc, _) = signed(&base, &daemon, colleague).await?;
    let inbox = text(&cc, &format!("{base}/messagerie")).await?;
    let got = message_ids(&inbox)
        .first()
        .cloned()
        .ok_or("nothing forwarded")?;
    let read = text(&cc, &format!("{base}/messagerie/message/{got}")).await?;
    let piece = read
        .split("href=\"/messagerie/piece/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or(format!("no piece: {read}"))?
        .to_owned();
    let bytes = cc
        .get(format!("{base}/messagerie/piece/{piece}"))
        .send()
        .await?
        .bytes()
        .await?;
    assert_eq!(&bytes[..], b"photo du cahier");
    // Someone else cannot fetch it.
    assert_eq!(
        http::status(&c2, &format!("{base}/messagerie/piece/{piece}")).await?,
        404
    );

    // The parent's data export carries his messages.
    let export = text(&c1, &format!("{base}/compte/donnees")).await?;
    let json: serde_json::Value = serde_json::from_str(&export)?;
    let mine = json["modules"]["messagerie"]["messages"]
        .as_array()
        .ok_or("no messages")?;
    assert!(
        mine.iter().any(|m| m["objet"] == "Erreur de date"),
        "{export}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_suspended_limited_and_a_report_reaches_the_direction() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let first = |profile: &str, class: &str| {
        demo.iter()
            .find(|d| d.profile == profile && (class.is_empty() || d.classe == class))
            .cloned()
            .ok_or(format!("no {profile}"))
    };
    let pupil = first("eleve", "6A")?;
    let teacher = first("enseignant", "6A")?;
    let head = first("direction", "")?;
    let rupn = first("admin", "")?;
    let (p, pcsrf) = signed(&base, &daemon, &pupil).await?;
    let (d, dcsrf) = signed(&base, &daemon, &head).await?;
    let to_teacher = format!("a:p:{}", teacher.login);
    let write = |subject: &'static str| {
        let (p, pcsrf, base, to) = (p.clone(), pcsrf.clone(), base.clone(), to_teacher.clone());
        async move {
            compose(
                &p,
                &base,
                &pcsrf,
                &[
                    ("dest", &to),
                    ("sujet", subject),
                    ("corps", "Bonjour"),
                    ("action", "envoyer"),
                ],
            )
            .await
        }
    };

    // The direction suspends the pupils: refused at once, with why; restored, it goes.
    let (_, page) = post(
        &d,
        &base,
        "/messagerie/suspension",
        &[("csrf", &dcsrf), ("qui", "eleve"), ("etat", "suspendre")],
    )
    .await?;
    assert!(page.contains("Envoi suspendu pour les élèves."), "{page}");
    let (status, page) = write("Pendant la suspension").await?;
    assert_eq!(status, 422);
    assert!(
        page.contains(
            "L&#39;envoi de messages est suspendu par l&#39;établissement pour les élèves"
        ),
        "{page}"
    );
    assert!(
        page.contains("Pendant la suspension"),
        "kept as typed: {page}"
    );
    let inbox = text(&p, &format!("{base}/messagerie")).await?;
    assert!(inbox.contains("id=\"suspendu\""), "{inbox}");
    post(
        &d,
        &base,
        "/messagerie/suspension",
        &[("csrf", &dcsrf), ("qui", "eleve"), ("etat", "retablir")],
    )
    .await?;
    let (status, _) = write("Après la suspension").await?;
    assert_eq!(status, 303);

    // A limit of 2 messages an hour for pupils: the third is refused, the RUPN alerted.
    let mut limits: Vec<(String, String)> = Vec::new();
    for (profile, (m, r)) in [
        ("eleve", (2, 30)),
        ("responsable", (10, 60)),
        ("enseignant", (60, 1000)),
        ("direction", (100, 5000)),
        ("vie-scolaire", (100, 5000)),
        ("documentaliste", (100, 5000)),
        ("administratif", (100, 5000)),
        ("admin", (100, 5000)),
    ] {
        limits.push((format!("m.{profile}"), m.to_string()));
        limits.push((format!("d.{profile}"), r.to_string()));
    }
    let mut form: Vec<(&str, &str)> = limits
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("csrf", &dcsrf));
    let (status, page) = post(&d, &base, "/messagerie/limites", &form).await?;
    assert_eq!(status, 303, "{page}");
    assert!(page.contains("Limites enregistrées."), "{page}");
    let (status, _) = write("Deuxième").await?;
    assert_eq!(status, 303);
    let (status, page) = write("Troisième").await?;
    assert_eq!(status, 422);
    assert!(page.contains("Vous avez atteint la limite d&#39;envoi fixée par l&#39;établissement (2 messages ou 30 destinataires par heure)"), "{page}");
    let (r, _) = signed(&base, &daemon, &rupn).await?;
    let rules = text(&r, &format!("{base}/messagerie/regles")).await?;
    assert!(
        rules.contains("a atteint la limite d&#39;envoi de la messagerie"),
        "{rules}"
    );
    let told = text(&r, &format!("{base}/notifications")).await?;
    assert!(told.contains("a atteint la limite d&#39;envoi"), "{told}");

    // The teacher reports a message: gone from his messagerie, shown to the direction.
    let (t, tcsrf) = signed(&base, &daemon, &teacher).await?;
    let inbox = text(&t, &format!("{base}/messagerie")).await?;
    let id = message_ids(&inbox)
        .first()
        .cloned()
        .ok_or("nothing received")?;
    let (status, page) = post(
        &t,
        &base,
        &format!("/messagerie/message/{id}/signaler"),
        &[("csrf", &tcsrf), ("motif", "Message insultant.")],
    )
    .await?;
    assert_eq!(status, 303);
    assert!(page.contains("Message signalé"), "{page}");
    assert_eq!(
        http::status(&t, &format!("{base}/messagerie/message/{id}")).await?,
        404
    );
    let reports = text(&d, &format!("{base}/messagerie/signalements")).await?;
    assert!(reports.contains("« Message insultant. »"), "{reports}");
    assert!(
        reports.contains("Deuxième") || reports.contains("Après la suspension"),
        "{reports}"
    );
    let told = text(&r, &format!("{base}/notifications")).await?;
    assert!(told.contains("Message signalé par"), "{told}");
    // The teacher cannot read the reports, nor anyone's mail.
    assert_eq!(
        http::status(&t, &format!("{base}/messagerie/signalements")).await?,
        403
    );
    let rid = reports
        .split("/messagerie/signalement/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .ok_or("no report")?
        .to_owned();
    let (_, page) = post(
        &d,
        &base,
        &format!("/messagerie/signalement/{rid}/traite"),
        &[("csrf", &dcsrf)],
    )
    .await?;
    assert!(page.contains("Signalement marqué comme traité."), "{page}");
    assert!(page.contains("Traité le"), "{page}");

    // The rules page explains in plain words, and answers « can X write to Y? ».
    let rules = text(
        &d,
        &format!(
            "{base}/messagerie/regles?de={}&a={}",
            pupil.login, head.login
        ),
    )
    .await?;
    assert!(rules.contains("Un élève peut écrire à : ses responsables, les élèves de sa classe, les enseignants de sa classe"), "{rules}");
    assert!(rules.contains("Oui : "), "{rules}");
    let rules = text(&d, &format!("{base}/messagerie/regles?classe=6A")).await?;
    assert!(rules.contains("Un élève de 6e A peut écrire à"), "{rules}");
    // A pupil barred from writing to pupils: the matrix changed, then back to the defaults.
    let mut form: Vec<(String, String)> = vec![("csrf".into(), dcsrf.clone())];
    for scope in ["ses-responsables", "enseignants-classes", "personnels"] {
        form.push((format!("r.eleve.{scope}"), "1".into()));
    }
    let (status, page) = post(
        &d,
        &base,
        "/messagerie/regles",
        &form
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    )
    .await?;
    assert_eq!(status, 303);
    assert!(page.contains("Un élève peut écrire à : ses responsables, les enseignants de sa classe, les personnels"), "{page}");
    let (_, page) = post(
        &d,
        &base,
        "/messagerie/regles/defaut",
        &[("csrf", &dcsrf), ("confirme", "1")],
    )
    .await?;
    assert!(
        page.contains("Règles de communication remises à celles par défaut."),
        "{page}"
    );
    Ok(())
}
