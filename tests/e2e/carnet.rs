//! The carnet d'adresses on the demo collège, per pair of profiles: everyone shows his phone
//! (and e-mail); then each viewer looks each subject up. The staff are found by everyone in
//! their service with what they show; a pupil never sees a pupil's or a parent's details even
//! when he finds them; whoever else finds someone sees what he chose to show; nobody is found
//! whom the messagerie would not let one write to. The vCard export carries the same.

use std::collections::BTreeMap;
use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login};
use cartable_core::store::Store;
use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{post_from, text};

use crate::TestResult;

/// Subjects and viewers: (name in the table, profile, class or "").
const CAST: &[(&str, &str, &str)] = &[
    ("eleve-6A", "eleve", "6A"),
    ("eleve-6B", "eleve", "6B"),
    ("parent", "responsable", ""),
    ("enseignant-6A", "enseignant", "6A"),
    ("direction", "direction", ""),
    ("vie-scolaire", "vie-scolaire", ""),
    ("documentaliste", "documentaliste", ""),
    ("administratif", "administratif", ""),
    ("admin", "admin", ""),
];

const STAFF_IN_SERVICES: &[&str] = &[
    "direction",
    "vie-scolaire",
    "documentaliste",
    "administratif",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_each_profile_sees_of_each_other() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let mut cast: Vec<(&str, &str, DemoLogin)> = Vec::new();
    for (name, profile, class) in CAST {
        let who = demo
            .iter()
            .find(|d| d.profile == *profile && (class.is_empty() || d.classe == *class))
            .cloned()
            .ok_or(format!("no {profile} {class}"))?;
        cast.push((name, profile, who));
    }
    // The parent of the 6A pupil, so that the 6A teacher may reach him.
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Embedded,
        store.clone(),
        Arc::new(SystemClock),
    )
    .await?;
    let pupil = Login::parse(&cast[0].2.login)?;
    let parent = dir
        .relations(&pupil)
        .await?
        .parents
        .first()
        .map(|p| p.login.to_string())
        .ok_or("the 6A pupil has no parent")?;
    if let Some(c) = cast.iter_mut().find(|c| c.0 == "parent") {
        c.2 = demo
            .iter()
            .find(|d| d.login == parent)
            .cloned()
            .ok_or("parent not in the CSV")?;
    }
    let mut names = BTreeMap::new();
    for (name, _, who) in &cast {
        let p = dir
            .person(&Login::parse(&who.login)?)
            .await?
            .ok_or("no such person")?;
        names.insert(*name, (p.display_name(), p.email.clone()));
    }
    store.close();

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let ca = daemon.ca();
    let mut clients = BTreeMap::new();
    for (i, (name, _, who)) in cast.iter().enumerate() {
        let c = cartable_tests::http::signed_in(&base, &ca, &who.login, &who.password).await?;
        // Each shows a phone of his own, and his e-mail when the annuaire has one.
        let phone = format!("05 49 00 10 {i:02}");
        let mut form = vec![("telephone", phone.as_str()), ("montrer_telephone", "1")];
        if names[name].1.is_some() {
            form.push(("montrer_email", "1"));
        }
        let fiche = format!("{base}/carnet/fiche");
        let r = post_from(&c, &fiche, &fiche, &form).await?;
        assert_eq!(r.status, 303, "{name}: {}", r.body);
        clients.insert(*name, (c, phone));
    }

    // Each viewer looks each subject up by login.
    let mut table = Vec::new();
    for (viewer, vprofile, _) in &cast {
        let (c, _) = &clients[viewer];
        for (subject, sprofile, who) in &cast {
            if viewer == subject {
                continue;
            }
            let page = text(c, &format!("{base}/carnet?q={}", who.login)).await?;
            let (name, email) = &names[subject];
            let phone = &clients[subject].1;
            let results = page
                .split("id=\"personnes\"")
                .nth(1)
                .and_then(|s| s.split("</section>").next())
                .unwrap_or_default();
            let found = results.contains(name.as_str());
            let in_service = STAFF_IN_SERVICES.contains(subject);
            let hidden = *vprofile == "eleve" && matches!(*sprofile, "eleve" | "responsable");
            let sees_phone = page.contains(phone.as_str());
            table.push(format!(
                "{viewer:>15} → {subject:<15} trouvé {found:<5} téléphone {sees_phone}"
            ));
            if hidden {
                assert!(!sees_phone, "{viewer} sees {subject}'s phone");
                if let Some(e) = email {
                    assert!(
                        !page.contains(e.as_str()),
                        "{viewer} sees {subject}'s e-mail"
                    );
                }
            } else if found || in_service {
                assert!(
                    sees_phone,
                    "{viewer} finds {subject} without his phone:\n{page}"
                );
                if let Some(e) = email {
                    assert!(
                        page.contains(e.as_str()),
                        "{viewer}: no e-mail of {subject}"
                    );
                }
            } else {
                assert!(
                    !sees_phone,
                    "{viewer} sees the phone of {subject}, whom he cannot reach"
                );
            }
        }
    }
    println!("{}", table.join("\n"));
    // Who the messagerie lets one write to is who one finds: the teacher his pupil and her
    // parent, the pupil his teacher; not the pupil of another class's parent.
    let finds = |viewer: &str, subject: &str| {
        table
            .iter()
            .any(|l| l.contains(&format!("{viewer:>15} → {subject:<15} trouvé true")))
    };
    assert!(finds("enseignant-6A", "eleve-6A"), "{}", table.join("\n"));
    assert!(finds("enseignant-6A", "parent"), "{}", table.join("\n"));
    assert!(finds("eleve-6A", "enseignant-6A"), "{}", table.join("\n"));
    assert!(!finds("eleve-6B", "parent"), "{}", table.join("\n"));

    // The teacher is told whose parent it is.
    let (teacher, _) = &clients["enseignant-6A"];
    let parent_login = &cast
        .iter()
        .find(|c| c.0 == "parent")
        .ok_or("parent")?
        .2
        .login;
    let page = text(teacher, &format!("{base}/carnet?q={parent_login}")).await?;
    let child = &names["eleve-6A"].0;
    assert!(
        page.contains(&format!("Parent de {child} (6e A)")),
        "{page}"
    );

    // The vCard export: the same people, the same details.
    let res = teacher
        .get(format!("{base}/carnet/vcard?q={parent_login}"))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/vcard"))
    );
    let cards = res.text().await?;
    assert!(cards.starts_with("BEGIN:VCARD"), "{cards}");
    assert!(cards.contains(&clients["parent"].1), "{cards}");
    assert!(cards.contains(&clients["vie-scolaire"].1), "{cards}");
    let (pupil_b, _) = &clients["eleve-6A"];
    let pupil_login = &cast[1].2.login;
    let cards = text(pupil_b, &format!("{base}/carnet/vcard?q={pupil_login}")).await?;
    assert!(!cards.contains(&clients["eleve-6B"].1), "{cards}");

    // A wrong phone is refused, what was typed kept.
    let fiche = format!("{base}/carnet/fiche");
    let r = post_from(
        teacher,
        &fiche,
        &fiche,
        &[
            ("telephone", "appelez le secrétariat"),
            ("montrer_telephone", "1"),
        ],
    )
    .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("appelez le secrétariat"), "{}", r.body);
    Ok(())
}
