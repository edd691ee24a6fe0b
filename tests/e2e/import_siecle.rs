//! SIECLE and STS-web exports, and the écoles' CSV, through the same plan and apply as the
//! AAF: the sample exports give the accounts and links their manifest expects, on both
//! backends; again, nothing changes; a pupil leaving and one changing class are followed; an
//! STS file without services keeps the équipes; bad deliveries are refused whole.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use cartable_core::directory::{
    AccountState, DirectoryRead, Jointure, Person, PersonQuery, Profile, Uai,
};
use cartable_core::feed::FeedError;
use cartable_core::feed::import::{ImportOptions, Source};
use cartable_core::feed::siecle;
use cartable_tests::daemon::binary;
use time::macros::date;

use crate::TestResult;
use crate::directory::Backend;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TODAY: time::Date = date!(2026 - 09 - 01);
const ALL: [&str; 5] = [
    "siecle/ElevesSansAdresses.xml",
    "siecle/ResponsablesAvecAdresses.xml",
    "siecle/Structures.xml",
    "siecle/Nomenclature.xml",
    "sts/sts_emp_0171234K_2026.xml",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/siecle-sts-edt")
}

fn manifest() -> Result<serde_json::Value, BoxError> {
    Ok(serde_json::from_slice(&std::fs::read(
        fixtures().join("manifest.json"),
    )?)?)
}

/// A delivery folder holding copies of the given sample files.
fn delivery(files: &[&str]) -> Result<tempfile::TempDir, BoxError> {
    let dir = tempfile::tempdir()?;
    for f in files {
        let from = fixtures().join(f);
        let name = from.file_name().ok_or("no file name")?;
        std::fs::copy(&from, dir.path().join(name))?;
    }
    Ok(dir)
}

/// Rewrites one file of a delivery (ISO-8859-15 text, edited as bytes).
fn edit(dir: &Path, name: &str, f: impl FnOnce(String) -> String) -> Result<(), BoxError> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path)?;
    // Latin-9 → chars one to one through Latin-1 for the ASCII parts we touch.
    let text: String = bytes.iter().map(|b| *b as char).collect();
    let out: Vec<u8> = f(text).chars().map(|c| c as u32 as u8).collect();
    std::fs::write(path, out)?;
    Ok(())
}

fn read(dir: &Path) -> Result<siecle::Delivery, FeedError> {
    siecle::read_dir(dir, None, TODAY)
}

async fn by_jointure(b: &Backend, j: &str) -> Result<Option<Person>, BoxError> {
    Ok(b.dir.person_by_jointure(&Jointure::parse(j)?).await?)
}

async fn import(
    b: &Backend,
    dir: &Path,
    opts: &ImportOptions,
) -> Result<cartable_core::feed::import::ImportReport, BoxError> {
    Ok(b.accounts()
        .import(Source::siecle(read(dir)?), opts)
        .await?)
}

fn label(code: &str) -> &'static str {
    match code {
        "020700" => "Français",
        "061300" => "Mathématiques",
        "030201" => "Anglais LV1",
        "062900" => "Sciences de la vie et de la Terre",
        "020300" => "Langues et cultures de l'Antiquité latin",
        _ => "?",
    }
}

async fn siecle_and_sts_give_what_the_manifest_expects(b: &Backend) -> TestResult {
    let m = manifest()?;
    let e = &m["expected"];
    let dir = delivery(&ALL)?;
    let first = import(b, dir.path(), &ImportOptions::default()).await?;
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let s = b.dir.structure().await?.ok_or("no structure")?;
    assert_eq!(s.uai.as_str(), "0171234K");

    // Pupils: in their class and groups; the leaver and the pupil not yet placed are not.
    let class_of = e["class_of"].as_object().ok_or("class_of")?;
    for (id, class) in class_of {
        let p = by_jointure(b, &format!("SIECLE{id}"))
            .await?
            .ok_or(format!("pupil {id}"))?;
        assert_eq!(p.profile, Profile::Eleve);
        let rel = b.dir.relations(&p.login).await?;
        assert_eq!(
            rel.classes
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>(),
            [class.as_str().ok_or("class")?],
            "{id}"
        );
        let groups: BTreeSet<&str> = rel
            .groups
            .iter()
            .filter(|g| g.kind == cartable_core::directory::GroupKind::Groupe)
            .map(|g| g.code.as_str())
            .collect();
        let want: BTreeSet<&str> = e["groups_of"][id]
            .as_array()
            .map(|a| a.iter().filter_map(|g| g.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(groups, want, "groups of {id}");
    }
    for id in e["excluded_pupils"].as_object().ok_or("excluded")?.keys() {
        assert!(
            by_jointure(b, &format!("SIECLE{id}")).await?.is_none(),
            "{id}"
        );
    }
    let pupils = b
        .dir
        .search(&PersonQuery {
            profile: Some(Profile::Eleve),
            ..PersonQuery::default()
        })
        .await?
        .total;
    assert_eq!(pupils, class_of.len());

    // Responsables: level-1 links exactly; level 2 and 3 get no account by default; people
    // tied only to past pupils neither.
    for (pupil, links) in e["responsables_by_pupil"].as_object().ok_or("resp")? {
        let Some(p) = by_jointure(b, &format!("SIECLE{pupil}")).await? else {
            continue;
        };
        let rel = b.dir.relations(&p.login).await?;
        let got: BTreeSet<String> = rel.parents.iter().map(|r| r.login.to_string()).collect();
        let mut want = BTreeSet::new();
        for l in links.as_array().ok_or("links")? {
            let (id, level) = (l[0].as_str().ok_or("id")?, l[1].as_u64().ok_or("lvl")?);
            let parent = by_jointure(b, &format!("SIECLEP{id}")).await?;
            if level == 1 {
                want.insert(parent.ok_or(format!("parent {id}"))?.login.to_string());
            } else {
                assert!(
                    parent.is_none(),
                    "level {level} responsable {id} has an account"
                );
            }
        }
        assert_eq!(got, want, "responsables of {pupil}");
    }
    for id in e["persons_without_active_pupil"]
        .as_array()
        .ok_or("persons")?
    {
        let id = id.as_str().ok_or("id")?;
        assert!(by_jointure(b, &format!("SIECLEP{id}")).await?.is_none());
    }

    // Teachers: their services (a group's service counts for its class and makes them a
    // member of the group), the professeurs principaux; other staff by their function.
    let group_class = BTreeMap::from([("6AGR1", "6A"), ("6AGR2", "6A"), ("5BLAT", "5B")]);
    let mut want: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for s in e["teacher_services"].as_array().ok_or("services")? {
        let (structure, subject, teacher) = (
            s[0].as_str().ok_or("s")?,
            s[1].as_str().ok_or("m")?,
            s[2].as_str().ok_or("t")?,
        );
        let class = group_class.get(structure).copied().unwrap_or(structure);
        want.entry(teacher.to_owned())
            .or_default()
            .insert((class.to_owned(), label(subject).to_owned()));
    }
    for (teacher, services) in &want {
        let p = by_jointure(b, &format!("STS{teacher}"))
            .await?
            .ok_or("teacher")?;
        assert_eq!(p.profile, Profile::Enseignant);
        let rel = b.dir.relations(&p.login).await?;
        let got: BTreeSet<(String, String)> = rel
            .teachings
            .iter()
            .flat_map(|t| {
                t.subjects
                    .iter()
                    .map(|s| (t.class.code.to_string(), s.clone()))
            })
            .collect();
        assert_eq!(&got, services, "services of {teacher}");
    }
    let svt = by_jointure(b, "STS4104").await?.ok_or("4104")?;
    let rel = b.dir.relations(&svt.login).await?;
    assert!(rel.groups.iter().any(|g| g.code.as_str() == "6AGR1"));
    for (class, teacher) in e["profs_principaux"].as_object().ok_or("pp")? {
        let p = by_jointure(b, &format!("STS{}", teacher.as_str().ok_or("t")?))
            .await?
            .ok_or("pp")?;
        let rel = b.dir.relations(&p.login).await?;
        assert!(
            rel.teachings
                .iter()
                .any(|t| t.principal && t.class.code.as_str() == class),
            "professeur principal of {class}"
        );
    }
    let dir_p = by_jointure(b, "STS4105").await?.ok_or("4105")?;
    assert_eq!(dir_p.profile, Profile::Direction);
    let cpe = by_jointure(b, "STS4106").await?.ok_or("4106")?;
    assert_eq!(cpe.profile, Profile::VieScolaire);
    assert_eq!(first.new_accounts.len(), first.created);

    // The same exports again, in another folder order: nothing to do.
    let again = import(b, dir.path(), &ImportOptions::default()).await?;
    assert_eq!(
        (
            again.created,
            again.updated,
            again.disabled,
            again.reactivated
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(again.unchanged, first.created);

    // A pupil leaves, another changes class.
    edit(dir.path(), "ElevesSansAdresses.xml", |t| {
        t.replacen(
            "<ELEVE ELEVE_ID=\"910012\" ELENOET=\"112\">",
            "<ELEVE ELEVE_ID=\"910012\" ELENOET=\"112\">\n        <DATE_SORTIE>15/07/2026</DATE_SORTIE>",
            1,
        )
        .replacen(
            "<STRUCTURES_ELEVE ELEVE_ID=\"910002\" ELENOET=\"102\">\n        <STRUCTURE>\n          <CODE_STRUCTURE>6A</CODE_STRUCTURE>",
            "<STRUCTURES_ELEVE ELEVE_ID=\"910002\" ELENOET=\"102\">\n        <STRUCTURE>\n          <CODE_STRUCTURE>5B</CODE_STRUCTURE>",
            1,
        )
    })?;
    let next = import(b, dir.path(), &ImportOptions::default()).await?;
    let left = by_jointure(b, "SIECLE910012").await?.ok_or("910012")?;
    assert_eq!(left.state, AccountState::Disabled);
    let moved = by_jointure(b, "SIECLE910002").await?.ok_or("910002")?;
    let rel = b.dir.relations(&moved.login).await?;
    assert_eq!(rel.classes[0].code.as_str(), "5B");
    assert!(next.disabled >= 1 && next.updated >= 1, "{next:?}");

    // STS before the timetable is sent: no services, équipes kept, and said.
    let before = b.dir.relations(&svt.login).await?.teachings;
    edit(dir.path(), "sts_emp_0171234K_2026.xml", |t| {
        let mut out = String::new();
        let mut rest = t.as_str();
        while let Some(i) = rest.find("<SERVICES>") {
            out.push_str(&rest[..i]);
            let j = rest[i..]
                .find("</SERVICES>")
                .map_or(rest.len(), |j| i + j + 11);
            rest = &rest[j..];
        }
        out.push_str(rest);
        out
    })?;
    let early = import(b, dir.path(), &ImportOptions::default()).await?;
    assert!(
        early.warnings.iter().any(|w| w.contains("aucun service")),
        "{:?}",
        early.warnings
    );
    assert_eq!(b.dir.relations(&svt.login).await?.teachings, before);
    Ok(())
}

async fn level_two_responsables_when_configured(b: &Backend) -> TestResult {
    let dir = delivery(&ALL)?;
    let opts = ImportOptions {
        personnes_en_charge: true,
        ..ImportOptions::default()
    };
    import(b, dir.path(), &opts).await?;
    let pupil = by_jointure(b, "SIECLE910006").await?.ok_or("910006")?;
    let rel = b.dir.relations(&pupil.login).await?;
    // The grandmother in charge (NIVEAU_RESPONSABILITE 2) is linked as level 2.
    let levels: BTreeSet<u8> = rel.parents.iter().map(|p| p.level).collect();
    assert_eq!(levels, BTreeSet::from([1, 2]));
    // A contact (level 3) never gets an account.
    assert!(by_jointure(b, "SIECLEP700017").await?.is_none());
    Ok(())
}

on_both_backends!(
    siecle_and_sts_give_what_the_manifest_expects,
    level_two_responsables_when_configured,
);

#[test]
fn zipped_exports_and_the_old_responsables_format_are_read() -> TestResult {
    let plain = read(delivery(&ALL)?.path())?;
    let zipped = read(
        delivery(&[
            "siecle/ExportXML_ElevesSansAdresses.zip",
            "siecle/ResponsablesAvecAdresses.xml",
            "siecle/Structures.xml",
            "sts/sts_emp_0171234K_2026.xml",
        ])?
        .path(),
    )?;
    assert_eq!(plain.desired.people, zipped.desired.people);
    let legacy = read(
        delivery(&[
            "siecle/ElevesAvecAdresses.xml",
            "siecle/variants/ResponsablesAvecAdresses_legacy_RESP_LEGAL.xml",
        ])?
        .path(),
    )?;
    let pupil = legacy
        .desired
        .people
        .get(&Jointure::parse("SIECLE910001")?)
        .ok_or("910001")?;
    assert_eq!(
        pupil.responsables.len(),
        2,
        "RESP_LEGAL 1 and 2 are both legal"
    );
    // RESP_LEGAL 1 is the main contact, 2 the other legal responsable.
    let levels: BTreeSet<u8> = pupil.responsables.values().copied().collect();
    assert_eq!(levels, BTreeSet::from([1, 2]));
    // Names keep their accents (ISO-8859-15 decoded), Œ included.
    assert!(
        plain
            .desired
            .people
            .values()
            .any(|p| p.family_name.contains('Œ'))
    );
    Ok(())
}

#[test]
fn bad_deliveries_are_refused_naming_the_file() -> TestResult {
    let refused = |files: &[&str], spoil: &dyn Fn(&Path) -> Result<(), BoxError>| {
        let dir = delivery(files)?;
        spoil(dir.path())?;
        match read(dir.path()) {
            Ok(_) => Err::<FeedError, BoxError>("accepted".into()),
            Err(e) => Ok(e),
        }
    };
    let none = |_: &Path| Ok(());
    let e = refused(&["siecle/ElevesSansAdresses.xml"], &none)?;
    assert!(e.message.contains("ResponsablesAvecAdresses"), "{e}");
    let e = refused(&ALL[..2], &|d| {
        std::fs::copy(
            fixtures().join("timetable/sts/emp_sts_0171234K_2026.xml"),
            d.join("emp_sts_0171234K_2026.xml"),
        )?;
        Ok(())
    })?;
    assert!(e.message.contains("EDT_STS"), "{e}");
    let e = refused(&ALL, &|d| {
        std::fs::write(
            d.join("Structures.xml"),
            "<html><body>502 Bad Gateway</body></html>",
        )?;
        Ok(())
    })?;
    assert!(e.message.contains("<html>") && e.to_string().contains("Structures.xml"));
    let e = refused(&ALL, &|d| {
        edit(d, "ResponsablesAvecAdresses.xml", |t| {
            t[..t.len() / 2].to_owned()
        })
    })?;
    assert!(
        e.message.contains("tronqué") || e.message.contains("mal formé"),
        "{e}"
    );
    let e = refused(&ALL, &|d| {
        edit(d, "Nomenclature.xml", |t| {
            t.replacen(
                "<BEE_NOMENCLATURES",
                "<!DOCTYPE BEE_NOMENCLATURES [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<BEE_NOMENCLATURES",
                1,
            )
        })
    })?;
    assert!(e.message.contains("DTD"), "{e}");
    let e = refused(&ALL, &|d| {
        edit(d, "sts_emp_0171234K_2026.xml", |t| {
            t.replacen("CODE=\"0171234K\"", "CODE=\"0179999Z\"", 1)
        })
    })?;
    assert!(e.message.contains("0179999Z"), "{e}");
    let e = refused(&ALL, &|d| {
        edit(d, "ElevesSansAdresses.xml", |t| {
            t.replacen("<DATE_NAISS>14/03/2015", "<DATE_NAISS>14-03-2015", 1)
        })
    })?;
    assert!(e.message.contains("DATE_NAISS") && e.line.is_some(), "{e}");
    // Another établissement's exports, against this server's UAI.
    let dir = delivery(&ALL)?;
    let e = siecle::read_dir(dir.path(), Some(&Uai::parse("0869999Z")?), TODAY)
        .err()
        .ok_or("accepted")?;
    assert!(e.message.contains("0869999Z"), "{e}");
    Ok(())
}

/// The écoles' CSV through the command: refused with line and column, then imported.
#[test]
fn an_ecole_imports_its_csv() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        cartable_tests::daemon::base_config(&tmp.path().join("var")),
    )?;
    let csv = tmp.path().join("ecole.csv");
    let run = |extra: &[&str]| -> Result<std::process::Output, BoxError> {
        Ok(Command::new(binary()?)
            .args(["import", "--config"])
            .arg(&config)
            .arg("csv")
            .arg(&csv)
            .args(extra)
            .output()?)
    };
    std::fs::write(
        &csv,
        "profil;identifiant;nom;prénom;date_naissance;classe;responsables;courriel\n\
         eleve;E1;MARTIN;Léa;12/05/2019;CP;R1;\n\
         eleve;E2;NGUYEN;Tom;31/02/2019;CP;R2;\n\
         responsable;R1;MARTIN;Paul;;;;paul@example.org\n\
         responsable;R2;NGUYEN;Anh;;;;\n\
         enseignant;P1;DURAND;Anne;;CP;;\n\
         direction;D1;PETIT;Marc;;;;\n",
    )?;
    let out = run(&["--uai", "0861234A", "--nom", "École des Lilas", "--json"])?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("ecole.csv") && err.contains("ligne 3") && err.contains("date_naissance"),
        "{err}"
    );
    let text = std::fs::read_to_string(&csv)?.replace("31/02/2019", "28/02/2019");
    std::fs::write(&csv, text)?;
    let out = run(&["--uai", "0861234A", "--nom", "École des Lilas", "--json"])?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["created"], 6);
    let out = run(&["--json"])?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(6))
    );
    let out = Command::new(binary()?)
        .args(["accounts", "--config"])
        .arg(&config)
        .args(["show", "lea.martin", "--json"])
        .output()?;
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("CP") && shown.contains("paul.martin"),
        "{shown}"
    );
    Ok(())
}
