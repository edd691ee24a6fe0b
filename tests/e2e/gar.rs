//! The GAR export on the sample académie feed, through `cartabled gar`: a dry run says what is
//! new and writes nothing; the real run drops a `tar.gz` and its `md5` whose five flows
//! `xmllint` validates against the schema's structure (tests/fixtures/gar), carrying what the
//! GAR needs and nothing more; once the delta is imported (pupils moved to another class, some
//! gone, some new), the next dry run lists exactly that. A wrong `[gar]` key is named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cartable_tests::daemon::{base_config, binary};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn run(args: &[&str], config: &Path) -> Result<Output, BoxError> {
    Ok(Command::new(binary()?)
        .args(args)
        .arg("--config")
        .arg(config)
        .output()?)
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn import(config: &Path, kind: &str) -> Result<(), BoxError> {
    let out = Command::new(binary()?)
        .args(["import", "--config"])
        .arg(config)
        .arg("aaf")
        .arg(fixtures().join("aaf/sample").join(kind))
        .output()?;
    if !out.status.success() {
        return Err(format!("import {kind}: {}", said(&out)).into());
    }
    Ok(())
}

fn files_in(dir: &Path, ending: &str) -> Result<Vec<PathBuf>, BoxError> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ending))
        .collect();
    out.sort();
    Ok(out)
}

#[test]
fn the_five_flows_are_valid_and_the_dry_run_shows_what_changed() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("var");
    let depot = tmp.path().join("depot-gar");
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, base_config(&data))?;
    import(&config, "complet")?;

    // The direction is the assignment manager.
    let list = run(&["accounts", "list", "--json"], &config)?;
    let people: serde_json::Value = serde_json::from_slice(&list.stdout)?;
    let direction = people
        .as_array()
        .and_then(|a| a.iter().find(|p| p["profile"] == "direction"))
        .and_then(|p| p["login"].as_str())
        .ok_or("no direction in the sample")?
        .to_owned();
    std::fs::write(
        &config,
        format!(
            "{}[gar]\ndossier = \"{}\"\nidentifiant_ent = \"ENT-TEST\"\n\
             responsables_affectation = [\"{direction}\", \"personne.inconnue\"]\n",
            base_config(&data),
            depot.display()
        ),
    )?;

    // A dry run: everything is new, nothing is written.
    let dry = run(&["gar", "--essai"], &config)?;
    let text = said(&dry);
    assert!(dry.status.success(), "{text}");
    assert!(text.contains("premier export"), "{text}");
    assert!(text.contains("GAREleve 48,"), "{text}");
    assert!(
        !text.contains("+ [Eleve]"),
        "a first export lists every element:\n{text}"
    );
    assert!(text.contains("personne.inconnue"), "{text}");
    assert!(!depot.exists(), "a dry run wrote {}", depot.display());

    // The real run: an archive and its checksum.
    let real = run(&["gar"], &config)?;
    let text = said(&real);
    assert!(real.status.success(), "{text}");
    let archives = files_in(&depot, ".tar.gz")?;
    let sums = files_in(&depot, ".md5")?;
    assert_eq!(
        (archives.len(), sums.len()),
        (1, 1),
        "{archives:?} {sums:?}"
    );
    let archive = &archives[0];
    let name = archive
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("archive name")?;
    assert!(name.starts_with("ENT-TEST_GAR-ENT_Complet_"), "{name}");
    let md5 = Command::new("md5sum").arg(archive).output()?;
    let computed = String::from_utf8_lossy(&md5.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(std::fs::read_to_string(&sums[0])?.trim(), computed);

    // Five flows, each valid against the schema's structure.
    let out = tmp.path().join("extrait");
    std::fs::create_dir_all(&out)?;
    let untar = Command::new("tar")
        .arg("-xzf")
        .arg(archive)
        .arg("-C")
        .arg(&out)
        .output()?;
    assert!(untar.status.success(), "{}", said(&untar));
    let xmls = files_in(&out, ".xml")?;
    assert_eq!(xmls.len(), 5, "{xmls:?}");
    let schema = fixtures().join("gar/GAR-ENT.xsd");
    let mut flows = std::collections::BTreeMap::new();
    for x in &xmls {
        let check = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&schema)
            .arg(x)
            .output()?;
        assert!(check.status.success(), "{}: {}", x.display(), said(&check));
        let kind = x
            .to_string_lossy()
            .rsplit("_2D_")
            .next()
            .unwrap_or_default()
            .trim_end_matches("_0000.xml")
            .to_owned();
        flows.insert(kind, std::fs::read_to_string(x)?);
    }
    let eleve = flows.get("Eleve").ok_or("no Eleve flow")?;
    assert_eq!(eleve.matches("<GAREleve>").count(), 48);
    assert!(eleve.contains("<GARPersonProfil>National_elv</GARPersonProfil>"));
    assert!(eleve.contains("<GARMEFCode>10610001110</GARMEFCode>"));
    assert!(eleve.contains("<GARPersonDateNaissance>2012-04-02</GARPersonDateNaissance>"));
    // Only what the GAR needs: no INE, no address, no parent.
    for secret in ["719659571KG", "RUE DU MOULIN", "500002", "POITIERS"] {
        for (kind, text) in &flows {
            assert!(!text.contains(secret), "{secret} in the {kind} flow");
        }
    }
    let teachers = flows.get("Enseignant").ok_or("no Enseignant flow")?;
    assert!(teachers.contains("prof7000019@ac-exemple.fr"));
    assert!(teachers.contains("<GAREnsDisciplinePosteCode>L1900</GAREnsDisciplinePosteCode>"));
    assert!(teachers.contains("<GARPersonProfil>National_doc</GARPersonProfil>"));
    let groups = flows.get("Groupe").ok_or("no Groupe flow")?;
    assert!(groups.contains("<GARGroupeCode>6A</GARGroupeCode>"));
    assert!(groups.contains("<GARGroupeStatut>GROUPE</GARGroupeStatut>"));
    assert!(groups.contains("<GAREnsClasseMatiere>"));
    let etab = flows.get("Etab").ok_or("no Etab flow")?;
    assert!(etab.contains("<GARStructureUAI>0171234K</GARStructureUAI>"));
    assert!(etab.contains("<GARMatiereCode>100100</GARMatiereCode>"));
    let resp = flows.get("RespAff").ok_or("no RespAff flow")?;
    assert_eq!(resp.matches("<GARRespAff>").count(), 1, "{resp}");

    // Nothing changed: the dry run says so.
    let again = said(&run(&["gar", "--essai"], &config)?);
    assert!(again.contains("rien n'a changé"), "{again}");

    // The delta: three pupils move to 5F, five leave, two arrive.
    import(&config, "delta")?;
    let dry = run(&["gar", "--essai"], &config)?;
    let text = said(&dry);
    assert!(dry.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let moved_in: Vec<&str> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("+ [Groupe]") && l.ends_with("— 5EME F"))
        .copied()
        .collect();
    assert!(moved_in.len() >= 3, "{text}");
    for l in &moved_in {
        let who = l
            .split("] ")
            .nth(1)
            .and_then(|s| s.split(" — ").next())
            .ok_or("no name")?;
        assert!(
            lines
                .iter()
                .any(|x| x.trim_start().starts_with("- [Groupe]") && x.contains(who)),
            "{who} joined 5F without leaving a class:\n{text}"
        );
    }
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with("- [Eleve] Élève"))
            .count(),
        5,
        "{text}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with("+ [Eleve] Élève"))
            .count(),
        2,
        "{text}"
    );
    // Still one archive: a dry run writes none.
    assert_eq!(files_in(&depot, ".tar.gz")?.len(), 1);

    // The pupil finds in « Télécharger mes données » what is kept of him for the GAR.
    let pupil = people
        .as_array()
        .and_then(|a| a.iter().find(|p| p["jointure"] == "3000001"))
        .and_then(|p| p["login"].as_str())
        .ok_or("no pupil 3000001")?
        .to_owned();
    let mut set = Command::new(binary()?)
        .args(["accounts", "--config"])
        .arg(&config)
        .args(["set-password", &pupil, "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut i) = set.stdin.take() {
        use std::io::Write;
        i.write_all(b"Cartable-gar-2026\n")?;
    }
    assert!(set.wait()?.success());
    {
        let daemon = cartable_tests::daemon::Daemon::serve(&config, &data)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let mine: serde_json::Value = rt.block_on(async {
            let c = cartable_tests::http::signed_in(
                &daemon.url,
                &daemon.ca(),
                &pupil,
                "Cartable-gar-2026",
            )
            .await?;
            cartable_tests::http::get_json(&c, &format!("{}/compte/donnees", daemon.url)).await
        })?;
        assert_eq!(mine["pour_le_gar"]["mef"], "10610001110", "{mine}");
        assert_eq!(mine["pour_le_gar"]["civilite"], "Mme", "{mine}");
    }

    // A wrong key is named.
    std::fs::write(
        &config,
        format!(
            "{}[gar]\ndossier = \"depot\"\nheure = 25\n",
            base_config(&data)
        ),
    )?;
    let bad = said(&run(&["gar", "--essai"], &config)?);
    assert!(
        bad.contains("gar.heure") && bad.contains("gar.dossier"),
        "{bad}"
    );
    Ok(())
}
