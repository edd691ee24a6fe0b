//! The AAF import on both directory backends: the sample complet feed, again (nothing
//! changes), then the delta (leavers, movers, newcomers); a feed that would disable too many
//! accounts, or that is bad, changes nothing.

use std::path::{Path, PathBuf};

use cartable_core::directory::{AccountState, DirectoryRead, Jointure, PersonQuery, Profile};
use cartable_core::feed::aaf::{self, Category, Feed};
use cartable_core::feed::import::ImportOptions;

use crate::TestResult;
use crate::directory::Backend;

fn sample(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/aaf/sample")
        .join(kind)
}

fn feed(kind: &str) -> Result<Feed, Box<dyn std::error::Error + Send + Sync>> {
    Ok(aaf::read_dir(&sample(kind), None)?)
}

async fn count(
    b: &Backend,
    profile: Profile,
    state: AccountState,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(b.dir
        .search(&PersonQuery {
            profile: Some(profile),
            state: Some(state),
            ..PersonQuery::default()
        })
        .await?
        .total)
}

async fn by_jointure(
    b: &Backend,
    j: &str,
) -> Result<cartable_core::directory::Person, Box<dyn std::error::Error + Send + Sync>> {
    Ok(b.dir
        .person_by_jointure(&Jointure::parse(j)?)
        .await?
        .ok_or_else(|| format!("{j} missing"))?)
}

async fn sample_feed_complet_again_then_delta(b: &Backend) -> TestResult {
    let accounts = b.accounts();
    let opts = ImportOptions::default();
    let first = accounts.import_aaf(&feed("complet")?, &opts).await?;
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(count(b, Profile::Eleve, AccountState::Active).await?, 48);
    assert_eq!(
        count(b, Profile::Enseignant, AccountState::Active).await?,
        24
    );
    for p in [
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
    ] {
        assert_eq!(count(b, p, AccountState::Active).await?, 1, "{p:?}");
    }
    // Every PersRelEleve record is a legal responsable with an account: both parents of a
    // pupil, the main contact at level 1, the other at level 2; nothing left out silently.
    let parents = count(b, Profile::Responsable, AccountState::Active).await?;
    assert_eq!(parents, 90, "the sample's 90 responsables");
    assert_eq!(first.created, 48 + 24 + 4 + parents);
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    let manon = by_jointure(b, "3000001").await?;
    let both: Vec<(String, u8)> = b
        .dir
        .relations(&manon.login)
        .await?
        .parents
        .iter()
        .map(|p| (p.login.to_string(), p.level))
        .collect();
    assert_eq!(
        both,
        [
            (by_jointure(b, "500002").await?.login.to_string(), 1),
            (by_jointure(b, "500003").await?.login.to_string(), 2)
        ]
    );
    let second = by_jointure(b, "500003").await?;
    assert!(
        b.dir
            .relations(&second.login)
            .await?
            .children
            .iter()
            .any(|c| c.login == manon.login),
        "the second parent sees his child"
    );
    let s = b.dir.structure().await?.ok_or("no structure")?;
    assert_eq!(s.uai.as_str(), "0171234K");

    // Homonyms get distinct logins.
    let (h1, h2) = (
        by_jointure(b, "3000007").await?,
        by_jointure(b, "3000008").await?,
    );
    assert_eq!(
        (h1.given_name.as_str(), h1.family_name.as_str()),
        ("Lucas", "MARTIN")
    );
    assert_ne!(h1.login, h2.login);
    assert!(
        h1.login.as_str().starts_with("lucas.martin")
            && h2.login.as_str().starts_with("lucas.martin")
    );
    // A pupil, her class, groups and both legal responsables.
    let celia = by_jointure(b, "3000006").await?;
    let rel = b.dir.relations(&celia.login).await?;
    assert_eq!(rel.classes[0].code.as_str(), "5A");
    assert!(rel.groups.iter().any(|g| g.code.as_str() == "5_ESP"));
    let (parent, other) = (
        by_jointure(b, "500012").await?,
        by_jointure(b, "500013").await?,
    );
    assert_eq!(
        rel.parents
            .iter()
            .map(|p| (&p.login, p.level))
            .collect::<Vec<_>>(),
        [(&parent.login, 1), (&other.login, 2)]
    );
    // A teacher: classes, subjects, professeur principal.
    let teacher = by_jointure(b, "7000001").await?;
    let rel = b.dir.relations(&teacher.login).await?;
    assert_eq!(rel.teachings.len(), 8);
    let pp: Vec<&str> = rel
        .teachings
        .iter()
        .filter(|t| t.principal)
        .map(|t| t.class.code.as_str())
        .collect();
    assert_eq!(pp, ["3A", "4A", "5A", "6D"]);
    assert!(
        teacher.must_change_password,
        "initial passwords are to be changed"
    );
    // New accounts come with their initial passwords, for the letters.
    assert_eq!(first.new_accounts.len(), first.created);

    // The same feed again: nothing to do.
    let again = accounts.import_aaf(&feed("complet")?, &opts).await?;
    assert_eq!(
        (
            again.created,
            again.updated,
            again.disabled,
            again.reactivated,
            again.unchanged
        ),
        (0, 0, 0, 0, first.created)
    );

    // The delta: 5 leavers disabled, 3 pupils moved to 5F, 2 newcomers and their parent.
    let delta = accounts.import_aaf(&feed("delta")?, &opts).await?;
    assert_eq!((delta.created, delta.updated, delta.disabled), (3, 3, 5));
    for j in ["3000010", "3000011", "3000012", "3000013", "3000014"] {
        assert_eq!(
            by_jointure(b, j).await?.state,
            AccountState::Disabled,
            "{j}"
        );
    }
    for j in ["3000020", "3000021", "3000022"] {
        let p = by_jointure(b, j).await?;
        let classes = b.dir.relations(&p.login).await?.classes;
        assert_eq!(classes.len(), 1, "{j} in {classes:?}");
        assert_eq!(classes[0].code.as_str(), "5F");
    }
    let newcomer = by_jointure(b, "3900000").await?;
    let parent = by_jointure(b, "599999").await?;
    let children = b.dir.relations(&parent.login).await?.children;
    assert_eq!(children.len(), 2);
    assert!(children.iter().any(|c| c.login == newcomer.login));
    // The delta applied twice changes nothing more.
    let twice = accounts.import_aaf(&feed("delta")?, &opts).await?;
    assert_eq!((twice.created, twice.updated, twice.disabled), (0, 0, 0));
    Ok(())
}

async fn a_complet_feed_missing_pupils_is_refused(b: &Backend) -> TestResult {
    let accounts = b.accounts();
    accounts
        .import_aaf(&feed("complet")?, &ImportOptions::default())
        .await?;
    // A half-delivered feed: a fifth of the pupils are missing.
    let mut half = feed("complet")?;
    let mut dropped = 0;
    half.records.retain(|r| {
        let drop = r.category == Category::Eleve && dropped < 10;
        if drop {
            dropped += 1;
        }
        !drop
    });
    let err = accounts
        .import_aaf(&half, &ImportOptions::default())
        .await
        .err()
        .ok_or("a feed disabling 10 pupils was applied")?;
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(
        count(b, Profile::Eleve, AccountState::Active).await?,
        48,
        "something was applied"
    );
    // Forced, it goes through.
    let forced = accounts
        .import_aaf(
            &half,
            &ImportOptions {
                force: true,
                ..ImportOptions::default()
            },
        )
        .await?;
    // The pupils and the parents who had no other child there.
    assert_eq!(count(b, Profile::Eleve, AccountState::Active).await?, 38);
    assert_eq!(count(b, Profile::Eleve, AccountState::Disabled).await?, 10);
    assert!(forced.disabled >= 10, "{}", forced.disabled);
    // They come back with the next full feed.
    let back = accounts
        .import_aaf(&feed("complet")?, &ImportOptions::default())
        .await?;
    assert_eq!(back.reactivated, forced.disabled);
    assert_eq!(count(b, Profile::Eleve, AccountState::Active).await?, 48);
    Ok(())
}

async fn a_dry_run_writes_nothing(b: &Backend) -> TestResult {
    let report = b
        .accounts()
        .import_aaf(
            &feed("complet")?,
            &ImportOptions {
                dry_run: true,
                ..ImportOptions::default()
            },
        )
        .await?;
    assert!(report.created > 100);
    assert_eq!(b.dir.search(&PersonQuery::default()).await?.total, 0);
    assert!(b.dir.structure().await?.is_none());
    Ok(())
}

on_both_backends!(
    sample_feed_complet_again_then_delta,
    a_complet_feed_missing_pupils_is_refused,
    a_dry_run_writes_nothing,
);
