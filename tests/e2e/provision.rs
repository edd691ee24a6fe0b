//! The technician's tool on a test root with a simulated machine: the audit puts blocking
//! points first in its two documents; `plan` touches nothing; `install` lays everything out;
//! a second `install` changes nothing; an install interrupted in the middle of a step puts back
//! that step's files, and the next run takes up from there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cartable_tests::daemon::{binary, built};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const SITE: &str = "[etablissement]\nuai = \"0861234A\"\nnom = \"Collège <Les Tilleuls>\"\n\
                    academie = \"Poitiers\"\n[reseau]\nnom = \"ent.clg-tilleuls.fr\"\n\
                    adresse = \"192.168.10.5\"\n[rupn]\nnom = \"DUPONT\"\nprenom = \"Claire\"\n";

/// A machine's files as the audit reads them.
fn host(root: &Path, memory_kb: u64) -> std::io::Result<()> {
    for d in ["etc", "proc", "srv"] {
        std::fs::create_dir_all(root.join(d))?;
    }
    std::fs::write(
        root.join("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n",
    )?;
    std::fs::write(root.join("proc/cpuinfo"), "processor : 0\nprocessor : 1\n")?;
    std::fs::write(
        root.join("proc/meminfo"),
        format!("MemTotal: {memory_kb} kB\n"),
    )?;
    std::fs::write(root.join("etc/hostname"), "ent\n")
}

fn provision(
    root: &Path,
    site: &Path,
    args: &[&str],
    panne: Option<&str>,
) -> Result<(i32, String), BoxError> {
    let mut cmd = Command::new(built("cartable-provision")?);
    cmd.arg("--root")
        .arg(root)
        .args(["--machine", "simulee"])
        .args(args)
        .arg("--site")
        .arg(site);
    if let Some(step) = panne {
        cmd.env("CARTABLE_PROVISION_PANNE", step);
    }
    let out = cmd.output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

/// Every file under `root` with its content.
fn files(root: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>, BoxError> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(root)?.to_owned(), std::fs::read(&p)?);
            }
        }
    }
    Ok(out)
}

#[test]
fn audit_plan_install_again_and_resume() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("machine");
    let site = tmp.path().join("site.toml");
    std::fs::write(&site, SITE)?;

    // Audit: too little memory is blocking, first in both documents; the HTML escapes.
    host(&root, 1_000_000)?;
    let (code, text) = provision(&root, &site, &["audit"], None)?;
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("BLOQUANT") && text.contains("Mémoire"),
        "{text}"
    );
    let docs = root.join("var/lib/cartable-provision");
    let report = std::fs::read_to_string(docs.join("compte-rendu-audit.md"))?;
    let blocking = report
        .find("## Points bloquants")
        .ok_or("no blocking section")?;
    assert!(
        report[blocking..].find("Mémoire") < report[blocking..].find("## Constats"),
        "{report}"
    );
    let road = std::fs::read_to_string(docs.join("feuille-de-route.html"))?;
    assert!(
        road.contains("Collège &lt;Les Tilleuls&gt;") && road.contains("Jour 3"),
        "{road}"
    );
    assert!(road.find("Lever : Mémoire") < road.find("Jour 1"), "{road}");
    // A bad site file is refused naming the key.
    let bad = tmp.path().join("mauvais.toml");
    std::fs::write(&bad, SITE.replace("0861234A", "86"))?;
    let (code, text) = provision(&root, &bad, &["audit"], None)?;
    assert!(code != 0 && text.contains("etablissement.uai"), "{text}");

    // Plan: changes listed, nothing touched.
    host(&root, 8_000_000)?;
    let before = files(&root)?;
    let (code, text) = provision(&root, &site, &["plan"], None)?;
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("fichier à créer : /etc/cartable/cartable.toml"),
        "{text}"
    );
    assert!(text.contains("paquets à installer : slapd"), "{text}");
    assert_eq!(files(&root)?, before, "plan wrote something");

    // An existing smb.conf, as on a machine that had Samba.
    std::fs::create_dir_all(root.join("etc/samba"))?;
    std::fs::write(
        root.join("etc/samba/smb.conf"),
        "[global]\nworkgroup = ANCIEN\n",
    )?;

    // Interrupted in the Samba step: its file is put back, the earlier steps are done.
    let (code, text) = provision(&root, &site, &["install"], Some("samba"))?;
    assert!(
        code != 0 && text.contains("samba") && text.contains("relancez"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/samba/smb.conf"))?,
        "[global]\nworkgroup = ANCIEN\n"
    );
    let (_, status) = provision(&root, &site, &["status"], None)?;
    assert!(
        status.contains("fait     paquets") && status.contains("à faire  samba"),
        "{status}"
    );

    // Resumed: the steps already done change nothing.
    let (code, text) = provision(&root, &site, &["install"], None)?;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("paquets        inchangé"), "{text}");
    assert!(text.contains("samba          2 changement(s)"), "{text}");
    let smb = std::fs::read_to_string(root.join("etc/samba/smb.conf"))?;
    assert!(smb.contains("path = /srv/cartable/perso/%S"), "{smb}");
    let machine: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("machine-simulee.json"))?)?;
    for p in ["slapd", "samba", "libnss-extrausers"] {
        assert!(
            machine["packages"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == p)),
            "{p}"
        );
    }
    assert!(
        machine["enabled"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "cartabled"))
    );
    let secret = root.join("etc/cartable/ldap.secret");
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&secret)?.permissions()) & 0o777,
        0o600
    );

    // Again: nothing to change, nothing run again.
    let commands = machine["commands"].as_array().map(Vec::len);
    let snapshot = files(&root.join("etc"))?;
    let (code, text) = provision(&root, &site, &["install"], None)?;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Rien à changer"), "{text}");
    assert_eq!(files(&root.join("etc"))?, snapshot);
    let machine: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("machine-simulee.json"))?)?;
    assert_eq!(machine["commands"].as_array().map(Vec::len), commands);
    let (_, text) = provision(&root, &site, &["plan"], None)?;
    assert!(text.contains("Rien à changer"), "{text}");

    // The first import goes through cartabled's own import, with the site's configuration.
    let (code, text) = provision(&root, &site, &["import", "--aaf", "/srv/depot-aaf"], None)?;
    assert_eq!(code, 0, "{text}");
    let machine: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("machine-simulee.json"))?)?;
    let last = machine["commands"]
        .as_array()
        .and_then(|a| a.last())
        .cloned();
    assert_eq!(
        last,
        Some(serde_json::json!([
            "cartabled",
            "import",
            "aaf",
            "/srv/depot-aaf",
            "--config",
            "/etc/cartable/cartable.toml"
        ]))
    );

    // The configuration it wrote is one cartabled accepts (paths moved under the test root).
    let config = std::fs::read_to_string(root.join("etc/cartable/cartable.toml"))?.replace(
        "\"/etc/cartable/",
        &format!("\"{}/etc/cartable/", root.display()),
    );
    let moved = tmp.path().join("verifiee.toml");
    std::fs::write(&moved, config)?;
    let out = Command::new(binary()?)
        .args(["check-config", "--config"])
        .arg(&moved)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(root.join("var/log/cartable-provision.log"))?
            .contains("install : terminée")
    );
    Ok(())
}
