//! The directory conformance suite: the same scenarios against the embedded backend and
//! against OpenLDAP (a real slapd with cartable's schema loaded by ldapadd).

use std::sync::Arc;

use cartable_core::accounts::{AccountView, Accounts};
use cartable_core::auth::password;
use cartable_core::clock::{ManualClock, SharedClock};
use cartable_core::config::AccountsConfig;
use cartable_core::directory::{
    AccountState, AnyDirectory, AuthOutcome, Change, ClassCode, ClassRef, DirectoryAuth,
    DirectoryRead, DirectoryWrite, GroupCode, GroupKind, GroupRef, Jointure, Link, Login,
    NewPerson, PersonQuery, PersonUpdate, Profile, Structure, Uai,
};
use cartable_core::store::Store;
use cartable_tests::slapd::Slapd;
use time::macros::datetime;

use crate::TestResult;

/// A backend under test and what keeps it alive.
pub struct Backend {
    pub dir: AnyDirectory,
    pub store: Store,
    pub clock: ManualClock,
    _store_dir: tempfile::TempDir,
    pub slapd: Option<Slapd>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Backend {
    pub async fn with(
        config: cartable_core::config::DirectoryConfig,
        slapd: Option<Slapd>,
    ) -> Result<Self, BoxError> {
        let tmp = tempfile::tempdir()?;
        let store = Store::open(&tmp.path().join("s.sqlite")).await?;
        let clock = ManualClock::new(datetime!(2026-09-01 8:00 UTC));
        let shared: SharedClock = Arc::new(clock.clone());
        Ok(Self {
            dir: AnyDirectory::from_config(&config, store.clone(), shared).await?,
            store,
            clock,
            _store_dir: tmp,
            slapd,
        })
    }

    pub async fn embedded() -> Result<Self, BoxError> {
        Self::with(cartable_core::config::DirectoryConfig::Embedded, None).await
    }

    pub async fn ldap() -> Result<Self, BoxError> {
        let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
        let config = cartable_core::config::DirectoryConfig::Ldap(slapd.config());
        Self::with(config, Some(slapd)).await
    }

    pub fn accounts(&self) -> Accounts {
        Accounts::new(
            self.dir.clone(),
            self.store.clone(),
            Arc::new(self.clock.clone()),
            AccountsConfig::default(),
        )
    }
}

pub fn uai() -> Uai {
    Uai::parse("0860001A").unwrap()
}

pub fn login(s: &str) -> Login {
    Login::parse(s).unwrap()
}

pub fn person(l: &str, profile: Profile, given: &str, family: &str, pw: Option<&str>) -> Change {
    Change::CreatePerson {
        uai: Some(uai()),
        person: NewPerson {
            login: login(l),
            jointure: None,
            profile,
            given_name: given.into(),
            family_name: family.into(),
            email: None,
            birth_date: None,
            password_hash: pw.map(|p| password::hash(p).unwrap()),
            nt_hash: None,
            must_change_password: false,
        },
    }
}

/// A small collège: one class, a group, a pupil with two responsables (levels 1 and 2), a
/// teacher who is professeur principal, a CPE.
pub fn college() -> Vec<Change> {
    let code = ClassCode::parse("6A").unwrap();
    let mut pupil = person(
        "lea.martin",
        Profile::Eleve,
        "Léa",
        "MARTIN",
        Some("Tilleul-26"),
    );
    if let Change::CreatePerson { person, .. } = &mut pupil {
        person.jointure = Some(Jointure::parse("3000001").unwrap());
        person.birth_date = Some(time::macros::date!(2015 - 02 - 28));
    }
    vec![
        Change::UpsertStructure(Structure {
            uai: uai(),
            name: "Collège des Essais".into(),
            kind: "CLG".into(),
        }),
        Change::UpsertClass {
            uai: uai(),
            class: ClassRef {
                code: code.clone(),
                label: "6e A".into(),
            },
        },
        Change::UpsertGroup {
            uai: uai(),
            group: GroupRef {
                code: GroupCode::parse("6-LAT").unwrap(),
                label: "Latin 6e".into(),
                kind: GroupKind::Groupe,
            },
        },
        pupil,
        person(
            "anne.martin",
            Profile::Responsable,
            "Anne",
            "MARTIN",
            Some("Parent-26"),
        ),
        person("marc.durand", Profile::Responsable, "Marc", "DURAND", None),
        person(
            "paul.prof",
            Profile::Enseignant,
            "Paul",
            "PROF",
            Some("Prof-2026"),
        ),
        person("cpe.essai", Profile::VieScolaire, "Claire", "ESSAI", None),
        Change::AddToClass {
            uai: uai(),
            class: code.clone(),
            pupil: login("lea.martin"),
        },
        Change::AddToGroup {
            uai: uai(),
            group: GroupCode::parse("6-LAT").unwrap(),
            member: login("lea.martin"),
        },
        Change::LinkResponsable {
            child: login("lea.martin"),
            parent: login("anne.martin"),
            level: 1,
        },
        Change::LinkResponsable {
            child: login("lea.martin"),
            parent: login("marc.durand"),
            level: 2,
        },
        Change::AddTeaching {
            uai: uai(),
            teacher: login("paul.prof"),
            class: code.clone(),
            subject: "Mathématiques".into(),
        },
        Change::AddTeaching {
            uai: uai(),
            teacher: login("paul.prof"),
            class: code.clone(),
            subject: "Latin".into(),
        },
        Change::SetPrincipal {
            uai: uai(),
            class: code,
            teacher: login("paul.prof"),
        },
    ]
}

async fn people_and_structure_read_back(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let lea = d.person(&login("lea.martin")).await?.ok_or("lea missing")?;
    assert_eq!(lea.profile, Profile::Eleve);
    assert_eq!(lea.given_name, "Léa");
    assert_eq!(lea.family_name, "MARTIN");
    assert_eq!(lea.state, AccountState::Active);
    assert!(!lea.must_change_password);
    assert_eq!(lea.jointure.as_ref().map(Jointure::as_str), Some("3000001"));
    assert_eq!(lea.birth_date, Some(time::macros::date!(2015 - 02 - 28)));
    assert_eq!(lea.last_login, None, "never signed in yet");
    let by_j = d
        .person_by_jointure(&Jointure::parse("3000001")?)
        .await?
        .ok_or("not found by jointure")?;
    assert_eq!(by_j.login, lea.login);
    assert_eq!(d.person(&login("personne.absente")).await?, None);
    assert_eq!(d.person_by_jointure(&Jointure::parse("999")?).await?, None);
    let cpe = d.person(&login("cpe.essai")).await?.ok_or("cpe")?;
    assert_eq!(cpe.profile, Profile::VieScolaire);
    let s = d.structure().await?.ok_or("no structure")?;
    assert_eq!(
        (s.uai.as_str(), s.name.as_str()),
        ("0860001A", "Collège des Essais")
    );
    d.ping().await?;
    Ok(())
}

async fn relations_follow_classes_parents_and_teachings(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let pupil = d.relations(&login("lea.martin")).await?;
    assert_eq!(pupil.classes.len(), 1);
    assert_eq!(pupil.classes[0].label, "6e A");
    assert_eq!(pupil.groups.len(), 1);
    assert_eq!(pupil.groups[0].label, "Latin 6e");
    let parents: Vec<_> = pupil
        .parents
        .iter()
        .map(|p| (p.login.as_str(), p.level))
        .collect();
    assert_eq!(parents, [("anne.martin", 1), ("marc.durand", 2)]);

    let parent = d.relations(&login("anne.martin")).await?;
    assert_eq!(parent.children.len(), 1);
    assert_eq!(parent.children[0].login.as_str(), "lea.martin");
    assert_eq!(parent.children[0].display_name, "Léa MARTIN");
    assert_eq!(parent.children[0].level, 1);
    assert_eq!(
        parent.children[0].class.as_ref().map(|c| c.label.as_str()),
        Some("6e A")
    );
    let other = d.relations(&login("marc.durand")).await?;
    assert_eq!(other.children[0].level, 2);

    let teacher = d.relations(&login("paul.prof")).await?;
    assert_eq!(teacher.teachings.len(), 1);
    assert_eq!(teacher.teachings[0].class.label, "6e A");
    assert_eq!(teacher.teachings[0].subjects, ["Latin", "Mathématiques"]);
    assert!(teacher.teachings[0].principal);
    // The équipe pédagogique is kept by the directory: created with the class, joined by
    // the teacher given a teaching there.
    let equipes: Vec<_> = teacher
        .groups
        .iter()
        .map(|g| (g.code.as_str(), g.kind, g.label.as_str()))
        .collect();
    assert_eq!(
        equipes,
        [("profs-6A", GroupKind::Equipe, "Équipe pédagogique 6e A")]
    );
    assert!(teacher.children.is_empty() && teacher.classes.is_empty());
    assert!(d.relations(&login("personne.absente")).await.is_err());
    Ok(())
}

async fn authentication(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    match d.authenticate("lea.martin", "Tilleul-26").await? {
        AuthOutcome::Accepted(p) => assert_eq!(p.login.as_str(), "lea.martin"),
        other => return Err(format!("expected acceptance, got {other:?}").into()),
    }
    for (l, pw) in [
        ("lea.martin", "tilleul-26"),
        ("lea.martin", ""),
        ("inconnu", "Tilleul-26"),
        ("marc.durand", ""),
        ("marc.durand", "x"),
        ("../etc", "x"),
        ("*", "x"),
    ] {
        assert_eq!(
            d.authenticate(l, pw).await?,
            AuthOutcome::BadCredentials,
            "{l}/{pw}"
        );
    }
    // The accepted sign-in is remembered, at the clock's time.
    let lea = d.person(&login("lea.martin")).await?.ok_or("lea")?;
    assert_eq!(
        lea.last_login,
        Some(cartable_core::clock::Clock::now(&b.clock).unix_timestamp())
    );
    Ok(())
}

async fn a_refused_batch_writes_nothing(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let err = d
        .apply(vec![
            person("paul.durand", Profile::Eleve, "Paul", "DURAND", None),
            Change::LinkResponsable {
                child: login("paul.durand"),
                parent: login("absent.parent"),
                level: 1,
            },
        ])
        .await
        .err()
        .ok_or("batch with a missing parent was accepted")?;
    assert!(err.to_string().contains("absent.parent"), "{err}");
    assert_eq!(d.person(&login("paul.durand")).await?, None, "half applied");
    let err = d
        .apply(vec![Change::AddToClass {
            uai: uai(),
            class: ClassCode::parse("3Z")?,
            pupil: login("lea.martin"),
        }])
        .await
        .err()
        .ok_or("unknown class accepted")?;
    assert!(err.to_string().contains("3Z"), "{err}");
    Ok(())
}

async fn logins_are_given_once(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let err = d
        .apply(vec![person(
            "lea.martin",
            Profile::Eleve,
            "Léa",
            "MARTIN",
            None,
        )])
        .await
        .err()
        .ok_or("same login created twice")?;
    assert!(err.to_string().contains("déjà été attribué"), "{err}");
    // The original is untouched.
    assert!(matches!(
        d.authenticate("lea.martin", "Tilleul-26").await?,
        AuthOutcome::Accepted(_)
    ));
    Ok(())
}

async fn links_applied_twice_change_nothing(b: &Backend) -> TestResult {
    let d = &b.dir;
    let all = college();
    d.apply(all.clone()).await?;
    let before = (
        d.relations(&login("lea.martin")).await?,
        d.relations(&login("anne.martin")).await?,
        d.relations(&login("paul.prof")).await?,
    );
    let again: Vec<Change> = all
        .into_iter()
        .filter(|c| !matches!(c, Change::CreatePerson { .. }))
        .collect();
    d.apply(again).await?;
    let after = (
        d.relations(&login("lea.martin")).await?,
        d.relations(&login("anne.martin")).await?,
        d.relations(&login("paul.prof")).await?,
    );
    assert_eq!(before, after);
    Ok(())
}

async fn search_filters_sorts_and_pages(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let parents = d
        .search(&PersonQuery {
            profile: Some(Profile::Responsable),
            ..PersonQuery::default()
        })
        .await?;
    let logins: Vec<_> = parents.people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(
        logins,
        ["marc.durand", "anne.martin"],
        "sorted by family name"
    );
    assert_eq!(parents.total, 2);
    let mart = d
        .search(&PersonQuery {
            text: Some("mart".into()),
            ..PersonQuery::default()
        })
        .await?;
    let logins: Vec<_> = mart.people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["anne.martin", "lea.martin"]);
    // Wildcards typed by a user are literal characters.
    for text in ["a_m", "%", "*", "(uid=*)"] {
        let none = d
            .search(&PersonQuery {
                text: Some(text.into()),
                ..PersonQuery::default()
            })
            .await?;
        assert_eq!(none.total, 0, "{text:?} matched {:?}", none.people);
    }
    let mut seen = Vec::new();
    for page in 0..3 {
        let p = d
            .search(&PersonQuery {
                page,
                per_page: 2,
                ..PersonQuery::default()
            })
            .await?;
        assert_eq!(p.total, 5);
        seen.extend(p.people.into_iter().map(|p| p.login));
    }
    assert_eq!(seen.len(), 5, "pages overlap or miss people: {seen:?}");
    seen.dedup();
    assert_eq!(seen.len(), 5);
    // A class: its pupils and its teachers, nobody else.
    let in_6a = d
        .search(&PersonQuery {
            class: Some(ClassCode::parse("6A")?),
            ..PersonQuery::default()
        })
        .await?;
    let logins: Vec<_> = in_6a.people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["lea.martin", "paul.prof"]);
    let none = d
        .search(&PersonQuery {
            class: Some(ClassCode::parse("6B")?),
            ..PersonQuery::default()
        })
        .await?;
    assert_eq!(none.total, 0);
    let classes: Vec<_> = d
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect();
    assert_eq!(classes, [("6A".to_owned(), "6e A".to_owned())]);
    let groups = d.groups().await?;
    assert!(
        groups
            .iter()
            .any(|g| g.code.as_str() == "6-LAT" && g.kind == GroupKind::Groupe),
        "{groups:?}"
    );
    let latin = d
        .search(&PersonQuery {
            group: Some(GroupCode::parse("6-LAT")?),
            ..PersonQuery::default()
        })
        .await?;
    let logins: Vec<_> = latin.people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["lea.martin"]);
    Ok(())
}

async fn lifecycle_disable_enable_delete_after_grace(b: &Backend) -> TestResult {
    b.dir.apply(college()).await?;
    let accounts = b.accounts();
    let lea = login("lea.martin");
    assert!(accounts.disable("rupn", &lea).await?);
    assert!(!accounts.disable("rupn", &lea).await?, "disabled twice");
    assert_eq!(
        b.dir.authenticate("lea.martin", "Tilleul-26").await?,
        AuthOutcome::Disabled
    );
    assert!(accounts.enable("rupn", &lea).await?);
    assert!(matches!(
        b.dir.authenticate("lea.martin", "Tilleul-26").await?,
        AuthOutcome::Accepted(_)
    ));

    // Disabled again; the sweep deletes nobody before the grace period is over.
    accounts.disable("import", &lea).await?;
    b.clock.advance(time::Duration::days(29));
    assert!(accounts.sweep("lifecycle").await?.deleted.is_empty());
    b.clock.advance(time::Duration::days(2));
    let report = accounts.sweep("lifecycle").await?;
    assert_eq!(report.deleted, std::slice::from_ref(&lea));
    assert_eq!(b.dir.person(&lea).await?, None);
    assert!(
        b.dir.login_taken("lea.martin").await?,
        "a deleted login is reserved"
    );
    // Links to the deleted pupil are gone; the parent remains.
    assert!(
        b.dir
            .relations(&login("anne.martin"))
            .await?
            .children
            .is_empty()
    );
    match accounts.show("lea.martin").await? {
        AccountView::Deleted(t) => assert_eq!(t.jointure.as_deref(), Some("3000001")),
        other => return Err(format!("expected a tombstone, got {other:?}").into()),
    }
    // A homonym arriving later gets a new login.
    assert_eq!(
        accounts.new_login("Léa", "Martin").await?.as_str(),
        "lea.martin2"
    );
    // Every step is in the audit log.
    let actions: Vec<String> = b
        .store
        .read(|r| r.audit(&Default::default()))
        .await?
        .into_iter()
        .map(|e| format!("{} {} {}", e.actor, e.action, e.target))
        .collect();
    assert_eq!(
        actions,
        [
            "lifecycle account.deleted lea.martin",
            "import account.disabled lea.martin",
            "rupn account.enabled lea.martin",
            "rupn account.disabled lea.martin",
        ]
    );
    Ok(())
}

async fn passwords_follow_the_policy(b: &Backend) -> TestResult {
    b.dir.apply(college()).await?;
    let accounts = b.accounts();
    let prof = login("paul.prof");
    let refused = accounts
        .set_password("rupn", &prof, Some("court1".into()), false)
        .await
        .err()
        .ok_or("weak password accepted")?;
    assert!(refused.to_string().contains("trop court"), "{refused}");
    let chosen = accounts
        .set_password("rupn", &prof, Some("Nouveau-Mot-2026".into()), false)
        .await?;
    assert!(matches!(
        b.dir.authenticate("paul.prof", &chosen).await?,
        AuthOutcome::Accepted(_)
    ));
    assert_eq!(
        b.dir.authenticate("paul.prof", "Prof-2026").await?,
        AuthOutcome::BadCredentials
    );
    let generated = accounts.set_password("rupn", &prof, None, true).await?;
    assert_eq!(generated.len(), 10);
    match b.dir.authenticate("paul.prof", &generated).await? {
        AuthOutcome::Accepted(p) => assert!(p.must_change_password),
        other => return Err(format!("{other:?}").into()),
    }
    Ok(())
}

async fn people_are_modified(b: &Backend) -> TestResult {
    b.dir.apply(college()).await?;
    b.dir
        .apply(vec![Change::UpdatePerson {
            login: login("anne.martin"),
            update: PersonUpdate {
                family_name: Some("MARTIN-LEROY".into()),
                email: Some(Some("anne.martin@exemple.fr".into())),
                ..PersonUpdate::default()
            },
        }])
        .await?;
    let anne = b.dir.person(&login("anne.martin")).await?.ok_or("anne")?;
    assert_eq!(anne.family_name, "MARTIN-LEROY");
    assert_eq!(anne.given_name, "Anne");
    assert_eq!(anne.email.as_deref(), Some("anne.martin@exemple.fr"));
    let lea = b.dir.relations(&login("lea.martin")).await?;
    assert!(
        lea.parents
            .iter()
            .any(|p| p.display_name == "Anne MARTIN-LEROY")
    );
    b.dir
        .apply(vec![Change::UpdatePerson {
            login: login("anne.martin"),
            update: PersonUpdate {
                email: Some(None),
                ..PersonUpdate::default()
            },
        }])
        .await?;
    assert_eq!(
        b.dir
            .person(&login("anne.martin"))
            .await?
            .ok_or("anne")?
            .email,
        None
    );
    let missing = b
        .dir
        .apply(vec![Change::UpdatePerson {
            login: login("personne.absente"),
            update: PersonUpdate::default(),
        }])
        .await;
    assert!(missing.is_err());
    Ok(())
}

async fn links_are_undone(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(college()).await?;
    let code = ClassCode::parse("6A")?;
    let unlink = |l: Link| Change::Unlink(l);
    d.apply(vec![
        unlink(Link::Class {
            uai: uai(),
            class: code.clone(),
            pupil: login("lea.martin"),
        }),
        unlink(Link::Group {
            uai: uai(),
            group: GroupCode::parse("6-LAT")?,
            member: login("lea.martin"),
        }),
        unlink(Link::Responsable {
            child: login("lea.martin"),
            parent: login("marc.durand"),
        }),
        unlink(Link::Teaching {
            uai: uai(),
            teacher: login("paul.prof"),
            class: code.clone(),
            subject: "Latin".into(),
        }),
        unlink(Link::Principal {
            uai: uai(),
            class: code.clone(),
            teacher: login("paul.prof"),
        }),
        // Undoing what is not there is harmless.
        unlink(Link::Responsable {
            child: login("lea.martin"),
            parent: login("paul.prof"),
        }),
    ])
    .await?;
    let lea = d.relations(&login("lea.martin")).await?;
    assert!(lea.classes.is_empty() && lea.groups.is_empty(), "{lea:?}");
    let parents: Vec<_> = lea.parents.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(parents, ["anne.martin"]);
    assert!(
        d.relations(&login("marc.durand"))
            .await?
            .children
            .is_empty()
    );
    let prof = d.relations(&login("paul.prof")).await?;
    assert_eq!(prof.teachings.len(), 1);
    assert_eq!(prof.teachings[0].subjects, ["Mathématiques"]);
    assert!(!prof.teachings[0].principal);
    assert_eq!(
        prof.groups.len(),
        1,
        "still in the équipe while teaching there"
    );
    d.apply(vec![unlink(Link::Teaching {
        uai: uai(),
        teacher: login("paul.prof"),
        class: code,
        subject: "Mathématiques".into(),
    })])
    .await?;
    let prof = d.relations(&login("paul.prof")).await?;
    assert!(prof.teachings.is_empty());
    assert!(
        prof.groups.is_empty(),
        "left the équipe with the last subject"
    );
    Ok(())
}

/// Lists of people read as a French reader expects: accents and case do not send a name to
/// the end (GÉRARD before GIRAUD, « ANDRÉ Évan » before « ANDRÉ Thierry »), on both backends.
async fn people_are_sorted_the_french_way(b: &Backend) -> TestResult {
    let d = &b.dir;
    d.apply(vec![
        Change::UpsertStructure(Structure {
            uai: uai(),
            name: "Collège".into(),
            kind: "CLG".into(),
        }),
        person("t.andre", Profile::Enseignant, "Thierry", "ANDRÉ", None),
        person("e.andre", Profile::Enseignant, "Évan", "ANDRÉ", None),
        person("g.giraud", Profile::Enseignant, "Paul", "GIRAUD", None),
        person("g.gerard", Profile::Enseignant, "Paul", "GÉRARD", None),
        person("z.zola", Profile::Enseignant, "Émile", "ZOLA", None),
        person("e.ecole", Profile::Enseignant, "Anne", "ÉCOLE", None),
    ])
    .await?;
    let found = d
        .search(&PersonQuery {
            profile: Some(Profile::Enseignant),
            ..PersonQuery::default()
        })
        .await?;
    let names: Vec<String> = found.people.iter().map(|p| p.display_name()).collect();
    assert_eq!(
        names,
        [
            "Évan ANDRÉ",
            "Thierry ANDRÉ",
            "Anne ÉCOLE",
            "Paul GÉRARD",
            "Paul GIRAUD",
            "Émile ZOLA"
        ]
    );
    Ok(())
}

on_both_backends!(
    people_are_sorted_the_french_way,
    people_and_structure_read_back,
    relations_follow_classes_parents_and_teachings,
    authentication,
    a_refused_batch_writes_nothing,
    logins_are_given_once,
    links_applied_twice_change_nothing,
    search_filters_sorts_and_pages,
    lifecycle_disable_enable_delete_after_grace,
    passwords_follow_the_policy,
    people_are_modified,
    links_are_undone,
);

/// What other ENT software reading the annuaire sees: SDET classes and attributes, posix
/// accounts with distinct numbers, and passwords slapd itself verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_entries_speak_sdet_and_posix() -> TestResult {
    let b = Backend::ldap().await?;
    b.dir.apply(college()).await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    let lea = slapd.search("(uid=lea.martin)", &["*"])?;
    for needle in [
        "objectClass: ENTEleve",
        "objectClass: ENTPerson",
        "objectClass: posixAccount",
        "ENTPersonProfils: National_ELV",
        "ENTPersonJointure: 3000001",
        "ENTPersonLogin: lea.martin",
        "ENTEleveClasses: cn=6A,ou=classes,ENTStructureUAI=0860001A,ou=structures,dc=cartable,dc=test",
        "ENTEleveAutoriteParentale: uid=anne.martin,ou=people,dc=cartable,dc=test",
    ] {
        assert!(lea.contains(needle), "{needle} missing in:\n{lea}");
    }
    let prof = slapd.search(
        "(uid=paul.prof)",
        &["objectClass", "ENTAuxEnsClassesMatieres"],
    )?;
    assert!(prof.contains("objectClass: ENTAuxEnseignant"), "{prof}");
    assert!(
        prof.contains("ENTAuxEnsClassesMatieres: 0860001A$6A$Latin"),
        "{prof}"
    );
    let parent = slapd.search(
        "(uid=anne.martin)",
        &["objectClass", "ENTAuxPersRelEleveEleve"],
    )?;
    assert!(
        parent.contains("objectClass: ENTAuxPersRelEleve"),
        "{parent}"
    );

    let numbers = slapd.search("(objectClass=posixAccount)", &["uidNumber"])?;
    let mut uids: Vec<&str> = numbers
        .lines()
        .filter_map(|l| l.strip_prefix("uidNumber: "))
        .collect();
    let count = uids.len();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(count, 5);
    assert_eq!(uids.len(), count, "uidNumbers clash: {numbers}");
    let groups = slapd.search("(objectClass=posixGroup)", &["gidNumber", "memberUid"])?;
    assert!(groups.contains("memberUid: lea.martin"), "{groups}");

    // The same annuaire over the local socket (ldapi://), as on the appliance itself.
    let mut over_socket = slapd.config();
    over_socket.url = slapd.ldapi_url().to_owned();
    let local = AnyDirectory::from_config(
        &cartable_core::config::DirectoryConfig::Ldap(over_socket),
        b.store.clone(),
        Arc::new(b.clock.clone()),
    )
    .await?;
    assert_eq!(
        local
            .person(&login("lea.martin"))
            .await?
            .map(|p| p.given_name),
        Some("Léa".to_owned())
    );

    // slapd verifies the {ARGON2} password on a plain simple bind; nothing stored in clear.
    let dn = "uid=lea.martin,ou=people,dc=cartable,dc=test";
    assert!(slapd.bind_ok(dn, "Tilleul-26"));
    assert!(!slapd.bind_ok(dn, "tilleul-26"));
    let pw = slapd.search("(uid=lea.martin)", &["userPassword"])?;
    assert!(!pw.contains("Tilleul"), "{pw}");
    Ok(())
}

/// `cartabled serve` with `backend = "ldap"`: sign-in through the web checks the password on
/// slapd, and the portal reads the relations from the annuaire.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_sign_in_with_the_ldap_backend() -> TestResult {
    use cartable_tests::daemon::Daemon;
    use cartable_tests::http::{client, get_json, sign_in};
    use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN};

    let b = Backend::ldap().await?;
    b.dir.apply(college()).await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("var");
    let secret = tmp.path().join("ldap.secret");
    std::fs::write(&secret, format!("{ADMIN_PASSWORD}\n"))?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}\n[directory]\nbackend = \"ldap\"\n\
             url = \"{}\"\nbase_dn = \"{BASE_DN}\"\nbind_dn = \"{ADMIN_DN}\"\n\
             bind_password_file = \"{}\"\n",
            cartable_tests::daemon::base_config(&data),
            slapd.url,
            secret.display()
        ),
    )?;
    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (config.clone(), tmp.path().to_owned());
        move || Daemon::serve(&config, &dir)
    })
    .await??;
    let http = client(&data.join("tls/ca.pem"))?;
    let health = get_json(&http, &format!("{}/healthz", daemon.url)).await?;
    assert_eq!(health["directory"]["backend"], "ldap");
    assert_eq!(health["directory"]["status"], "ok");

    assert_eq!(
        sign_in(&http, &daemon.url, "lea.martin", "mauvais").await?,
        401
    );
    assert_eq!(
        sign_in(&http, &daemon.url, "lea.martin", "Tilleul-26").await?,
        303
    );
    let portal = http
        .get(format!("{}/", daemon.url))
        .send()
        .await?
        .text()
        .await?;
    assert!(portal.contains("Bonjour Léa"), "{portal}");
    assert!(portal.contains("6e A"), "{portal}");
    assert!(portal.contains("Collège des Essais"), "{portal}");
    // The sign-in time reaches the annuaire in the next batch (every 2 s), for every reader.
    let started = std::time::Instant::now();
    loop {
        let entry = slapd.search("(uid=lea.martin)", &["cartableLastLogin"])?;
        if entry.contains("cartableLastLogin: ") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(6),
            "no sign-in time in the annuaire: {entry}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Ok(())
}

/// With `samba_domain_sid` set, accounts are Samba accounts too: the NT hash follows the ENT
/// password, and disabling the account disables it for SMB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samba_accounts_follow_the_ent_password_and_state() -> TestResult {
    const SID: &str = "S-1-5-21-1111111111-2222222222-3333333333";
    let slapd = tokio::task::spawn_blocking(Slapd::start_with_samba).await??;
    let mut config = slapd.config();
    config.samba_domain_sid = Some(SID.to_owned());
    let b = Backend::with(
        cartable_core::config::DirectoryConfig::Ldap(config),
        Some(slapd),
    )
    .await?;
    assert!(b.dir.wants_nt_hash());
    let mut changes = college();
    for c in &mut changes {
        if let Change::CreatePerson { person, .. } = c
            && person.login.as_str() == "lea.martin"
        {
            person.nt_hash = Some(password::nt_hash("Tilleul-26"));
        }
    }
    b.dir.apply(changes).await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    let attrs = ["uidNumber", "sambaSID", "sambaNTPassword", "sambaAcctFlags"];
    let lea = slapd.search("(uid=lea.martin)", &attrs)?;
    let uid: i64 = lea
        .lines()
        .find_map(|l| l.strip_prefix("uidNumber: "))
        .ok_or("no uidNumber")?
        .parse()?;
    assert!(
        lea.contains(&format!("sambaSID: {SID}-{}", uid * 2 + 1000)),
        "{lea}"
    );
    assert!(
        lea.contains(&format!(
            "sambaNTPassword: {}",
            password::nt_hash("Tilleul-26")
        )),
        "{lea}"
    );
    assert!(lea.contains("sambaAcctFlags: [U          ]"), "{lea}");

    let accounts = b.accounts();
    let pw = accounts
        .set_password("rupn", &login("lea.martin"), None, false)
        .await?;
    let lea = slapd.search("(uid=lea.martin)", &attrs)?;
    assert!(
        lea.contains(&format!("sambaNTPassword: {}", password::nt_hash(&pw))),
        "{lea}"
    );
    accounts.disable("rupn", &login("lea.martin")).await?;
    let lea = slapd.search("(uid=lea.martin)", &attrs)?;
    assert!(lea.contains("sambaAcctFlags: [UD         ]"), "{lea}");

    // An account created without a known password becomes a Samba account at its first one.
    accounts
        .set_password(
            "rupn",
            &login("marc.durand"),
            Some("Marc-2026".into()),
            false,
        )
        .await?;
    let marc = slapd.search("(uid=marc.durand)", &["objectClass", "sambaNTPassword"])?;
    assert!(marc.contains("objectClass: sambaSamAccount"), "{marc}");
    assert!(marc.contains(&format!(
        "sambaNTPassword: {}",
        password::nt_hash("Marc-2026")
    )));
    Ok(())
}

/// `ldap://` with StartTLS to a slapd that refuses clear-text operations, trusting only the
/// CA given in `tls_ca_file`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_over_starttls_with_a_private_ca() -> TestResult {
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let ca = slapd.require_tls()?;
    let tmp = tempfile::tempdir()?;
    let store = Store::open(&tmp.path().join("s.sqlite")).await?;
    let clock: SharedClock = Arc::new(ManualClock::new(datetime!(2026-09-01 8:00 UTC)));

    // Without TLS the server refuses to work.
    let clear = cartable_core::config::DirectoryConfig::Ldap(slapd.config());
    let refused = AnyDirectory::from_config(&clear, store.clone(), clock.clone()).await;
    assert!(
        refused.is_err(),
        "clear-text LDAP accepted by a TLS-only slapd"
    );

    let mut config = slapd.config();
    config.starttls = true;
    config.tls_ca_file = Some(ca);
    let dir = AnyDirectory::from_config(
        &cartable_core::config::DirectoryConfig::Ldap(config),
        store,
        clock,
    )
    .await?;
    dir.apply(college()).await?;
    assert!(matches!(
        dir.authenticate("lea.martin", "Tilleul-26").await?,
        AuthOutcome::Accepted(_)
    ));
    Ok(())
}
