//! The technician's tool on a test root with a simulated machine: the audit puts blocking
//! points first in its two documents; `plan` touches nothing; `install` lays everything out;
//! a second `install` changes nothing; an install interrupted in the middle of a step puts back
//! that step's files, and the next run takes up from there. Then the same install on real
//! services: its directory commands on a slapd as Debian leaves it, the first import, the
//! service and smbd started on what it wrote, and `verify` proving each one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cartable_tests::daemon::{binary, built};
use cartable_tests::provision::{
    BASE, SITE, host, move_installed_config, replay_directory_commands, samba_schema_under,
};
use cartable_tests::slapd::Slapd;

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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

    // A certificate provided by the collectivité: the audit blocks until its files are
    // there, then the configuration uses them instead of a local CA.
    let provided = tmp.path().join("site-certificat.toml");
    std::fs::write(
        &provided,
        format!(
            "{SITE}[tls]\ncertificat = \"/etc/ssl/ent.pem\"\ncle = \"/etc/ssl/private/ent.key\"\n"
        ),
    )?;
    let (code, text) = provision(&root, &provided, &["audit"], None)?;
    assert_eq!(code, 2, "{text}");
    assert!(
        text.lines().any(|l| l.contains("BLOQUANT")
            && l.contains("Certificat fourni : /etc/ssl/ent.pem : absent")),
        "{text}"
    );
    std::fs::create_dir_all(root.join("etc/ssl/private"))?;
    std::fs::write(
        root.join("etc/ssl/ent.pem"),
        "-----BEGIN CERTIFICATE-----\n",
    )?;
    std::fs::write(
        root.join("etc/ssl/private/ent.key"),
        "-----BEGIN PRIVATE KEY-----\n",
    )?;
    let (_, text) = provision(&root, &provided, &["audit"], None)?;
    assert!(
        text.lines()
            .any(|l| l.starts_with('✓') && l.contains("Certificat fourni")),
        "{text}"
    );
    let (_, text) = provision(&root, &provided, &["plan"], None)?;
    assert!(text.contains("cert = \"/etc/ssl/ent.pem\""), "{text}");
    assert!(!text.contains("hostnames"), "{text}");

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
    assert!(text.contains("samba          9 changement(s)"), "{text}");
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
        0o640,
        "cartabled (its group) reads the annuaire's password; nobody else"
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
    let commands = machine["commands"].as_array().cloned().unwrap_or_default();
    let last_two = commands.len().checked_sub(2).map(|i| &commands[i..]);
    assert_eq!(
        last_two.and_then(|c| c.first()).cloned(),
        Some(serde_json::json!([
            "cartabled",
            "import",
            "aaf",
            "/srv/depot-aaf",
            "--config",
            root.join("etc/cartable/cartable.toml")
        ]))
    );
    assert_eq!(
        last_two
            .and_then(|c| c.get(1))
            .and_then(|c| c.get(4))
            .cloned(),
        Some(serde_json::json!("letters")),
        "the login letters come after the import"
    );

    // The configuration it wrote is one cartabled accepts (paths moved under the test root).
    accepted_by_cartabled(&root, tmp.path())?;
    assert!(
        std::fs::read_to_string(root.join("var/log/cartable-provision.log"))?
            .contains("install : terminée")
    );
    Ok(())
}

/// The configuration the install wrote under `root`, its absolute paths moved under `root`,
/// is one `cartabled check-config` accepts.
fn accepted_by_cartabled(root: &Path, tmp: &Path) -> TestResult {
    let mut config = std::fs::read_to_string(root.join("etc/cartable/cartable.toml"))?;
    for dir in ["/etc/cartable/", "/var/lib/cartable-dc/"] {
        config = config.replace(&format!("\"{dir}"), &format!("\"{}{dir}", root.display()));
    }
    let moved = tmp.join("verifiee.toml");
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
    Ok(())
}

/// A site with a Windows domain: the site file's mistakes are named; the plan shows the
/// controller's address, provisioning, policy, cartable's account and units; the install lays
/// them out in order (the controller before the file server joins it, the password return
/// once cartabled runs); cartabled accepts the `[domaine]` it is given; a second install
/// changes nothing. (The commands themselves run on a real controller in `domain.rs`.)
#[test]
fn a_site_with_a_domain_installs_its_controller() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("machine");
    host(&root, 8_000_000)?;
    let domaine = "[domaine]\nroyaume = \"clg-tilleuls.lan\"\nadresse = \"192.168.10.6\"\n";
    let site = tmp.path().join("site.toml");
    std::fs::write(&site, format!("{SITE}{domaine}"))?;

    // Mistakes named by their key.
    for (bad, key) in [
        (
            domaine.replace("192.168.10.6", "192.168.10.5"),
            "domaine.adresse",
        ),
        (
            domaine.replace("192.168.10.6", "dc.college"),
            "domaine.adresse",
        ),
        (
            domaine.replace("clg-tilleuls.lan", "tilleuls"),
            "domaine.royaume",
        ),
    ] {
        let f = tmp.path().join("mauvais.toml");
        std::fs::write(&f, format!("{SITE}{bad}"))?;
        let (code, text) = provision(&root, &f, &["plan"], None)?;
        assert!(code != 0 && text.contains(key), "{key}: {text}");
    }
    let (code, text) = provision(&root, &site, &["plan"], None)?;
    assert!(
        code != 0 && text.contains("domaine.interface"),
        "no default route: the interface must be given\n{text}"
    );
    let (code, text) = provision(&root, &site, &["audit"], None)?;
    assert!(
        code == 2
            && text
                .lines()
                .any(|l| l.contains("BLOQUANT") && l.contains("Domaine Windows")),
        "{text}"
    );
    std::fs::create_dir_all(root.join("proc/net"))?;
    std::fs::write(
        root.join("proc/net/route"),
        "Iface\tDestination\tGateway\tFlags\nens18\t00000000\t010AA8C0\t0003\n",
    )?;

    let (code, text) = provision(&root, &site, &["plan"], None)?;
    assert_eq!(code, 0, "{text}");
    for want in [
        "paquets à installer : slapd",
        "samba-ad-provision",
        "fichier à créer : /etc/cartable/domaine.env",
        "+ DC_INTERFACE=ens18",
        "commande : ip netns exec cartable-dc sh -c",
        "service à activer et démarrer : cartable-dc-reseau",
        "service à activer et démarrer : cartable-dc",
        "service à activer et démarrer : cartable-dc-mots-de-passe",
        "ligne à ajouter : /etc/hosts",
        "+ 192.168.10.6 dc.clg-tilleuls.lan dc",
        "security = ads",
    ] {
        assert!(text.contains(want), "{want} missing from the plan:\n{text}");
    }

    let (code, text) = provision(&root, &site, &["install"], None)?;
    assert_eq!(code, 0, "{text}");
    let docs = root.join("var/lib/cartable-provision");
    let machine: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("machine-simulee.json"))?)?;
    let enabled: Vec<String> = machine["enabled"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let at = |u: &str| enabled.iter().position(|e| e == u).unwrap_or(usize::MAX);
    assert!(
        at("cartable-dc-reseau") < at("cartable-dc")
            && at("cartable-dc") < at("winbind")
            && at("winbind") < at("cartabled")
            && at("cartabled") < at("cartable-dc-mots-de-passe")
            && at("cartable-dc-mots-de-passe") < usize::MAX,
        "{enabled:?}"
    );
    let commands: Vec<String> = machine["commands"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    c.as_array()
                        .map(|w| {
                            w.iter()
                                .filter_map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let ran = |what: &str| commands.iter().position(|c| c.contains(what));
    for what in [
        "--use-rfc2307",
        "passwordsettings set",
        "dsacl set",
        "syncpasswords --cache-ldb-initialize",
        "net ads join",
    ] {
        assert!(ran(what).is_some(), "{what} not run: {commands:#?}");
    }
    assert!(ran("dsacl set") < ran("net ads join"));
    assert!(
        !commands.iter().any(|c| c.contains("smbpasswd -w")),
        "a member server keeps no LDAP password"
    );

    let read = |p: &str| std::fs::read_to_string(root.join(p));
    assert!(read("etc/hosts")?.contains("192.168.10.6 dc.clg-tilleuls.lan dc"));
    assert!(read("etc/krb5.conf")?.contains("kdc = 192.168.10.6"));
    let smb = read("etc/samba/smb.conf")?;
    assert!(
        smb.contains("realm = CLG-TILLEULS.LAN")
            && smb.contains("idmap config CLG-TILLEULS : backend = ad"),
        "{smb}"
    );
    let netlogon = read("var/lib/cartable-dc/state/sysvol/clg-tilleuls.lan/scripts/cartable.cmd")?;
    assert!(
        netlogon.contains("net use S: \\\\cartable\\classes"),
        "{netlogon}"
    );
    let key = root.join("var/lib/cartable-dc/tls/dc.key");
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key)?.permissions()) & 0o777,
        0o600
    );

    // The [domaine] it gives cartabled is one cartabled accepts.
    let config = read("etc/cartable/cartable.toml")?;
    assert!(
        config.contains("compte = \"cartable-sync@CLG-TILLEULS.LAN\""),
        "{config}"
    );
    accepted_by_cartabled(&root, tmp.path())?;

    let (code, text) = provision(&root, &site, &["install"], None)?;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Rien à changer"), "{text}");
    Ok(())
}

/// The whole window on real services: the install's directory configuration applied to a
/// slapd as Debian leaves it (cn=config over ldapi), the first import of the académie's
/// sample feed through the tool into it, the service started on the installed
/// configuration, smbd on cartable's template — then `verify` proves each service with a
/// pupil's account, and fails, naming the check, on a wrong password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_import_then_verify_on_real_services() -> TestResult {
    let tmp = tempfile::tempdir()?;
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )?;
    let t = tmp.path();
    let root = t.join("machine");
    let site = t.join("site.toml");
    std::fs::write(&site, SITE)?;
    host(&root, 8_000_000)?;
    samba_schema_under(&root)?;
    let (code, text) = provision(&root, &site, &["install"], None)?;
    assert_eq!(code, 0, "{text}");

    // slapd as the package leaves it; the install's directory commands run against it.
    let slapd = tokio::task::spawn_blocking(Slapd::start_fresh_debian).await??;
    let db = t.join("ldap-cartable");
    std::fs::create_dir_all(&db)?;
    let ran = replay_directory_commands(&root, &slapd, &db)?;
    assert!(ran >= 5, "{ran} directory commands");
    let secret = std::fs::read_to_string(root.join("etc/cartable/ldap.secret"))?;
    let admin = format!("cn=admin,{BASE}");
    assert!(
        slapd.bind_ok(&admin, &secret),
        "the administrator cannot bind"
    );
    // People read nothing anonymously.
    let anonymous = Command::new("ldapsearch")
        .args([
            "-x",
            "-LLL",
            "-H",
            &slapd.url,
            "-b",
            BASE,
            "(objectClass=*)",
            "dn",
        ])
        .output()?;
    assert!(
        !String::from_utf8_lossy(&anonymous.stdout).contains("dn:"),
        "anonymous read the annuaire"
    );

    // The installed configuration, its paths moved into the test folder.
    let installed = move_installed_config(&root, t, &slapd.url)?;

    // The first import, through the tool, of the académie's sample feed.
    let (code, text) = installed.import_sample(&root, &site)?;
    assert_eq!(code, 0, "{text}");
    // Then a login letter for every account, one PDF per class and one for the staff,
    // readable by root only.
    let everyone = installed.accounts(&["list", "--json"], None)?;
    let everyone: serde_json::Value = serde_json::from_slice(&everyone.stdout)?;
    let everyone = everyone.as_array().map_or(0, Vec::len);
    let courriers = root.join("var/lib/cartable-provision/courriers");
    assert_eq!(letter_pages(&courriers)?, everyone, "{text}");
    assert!(courriers.join("courriers-personnels.pdf").exists());
    let pupil = installed.pupil_with_password("Verif-Tilleuls-26")?;

    // The service and smbd, as the units would start them.
    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (installed.config.clone(), t.to_owned());
        move || cartable_tests::daemon::Daemon::serve(&config, &dir)
    })
    .await??;
    let smbd = installed.smbd()?;
    let verify =
        |password: &str| installed.verify(&root, &site, &pupil, password, &daemon.url, smbd.port);
    let (code, text) = verify("Verif-Tilleuls-26")?;
    assert_eq!(code, 0, "{text}\n{}", smbd.log());
    for label in ["Annuaire", "Portail", "CAS", "Partages", "Sauvegarde"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with('✓') && l.contains(label)),
            "{label} not proven:\n{text}"
        );
    }
    assert!(text.contains(&format!("désigne {pupil}")), "{text}");
    let list = std::fs::read_to_string(root.join("var/lib/cartable-provision/verification.md"))?;
    assert!(list.contains("[x] **Sauvegarde"), "{list}");
    let written = cartable_core::backup::list(&installed.backups);
    assert_eq!(written.len(), 1, "one backup written");
    cartable_core::backup::check(&written[0])?;
    // The test file did not stay in the pupil's space.
    assert!(
        !installed
            .files
            .join("perso")
            .join(&pupil)
            .join(".verification-cartable.txt")
            .exists()
    );

    // A wrong password: the checks that need it fail, each saying why; exit code 2.
    let (code, text) = verify("pas-le-bon")?;
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("✗ Annuaire") && text.contains("refusé"),
        "{text}"
    );
    assert!(
        text.contains("✗ Partages") && text.contains("NT_STATUS_LOGON_FAILURE"),
        "{text}"
    );

    // Letters again later: not for the pupil who has signed in since (his sign-in time
    // reaches the annuaire within seconds: it is written in batches).
    let started = std::time::Instant::now();
    loop {
        let out = installed.accounts(&["show", &pupil, "--json"], None)?;
        let shown: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        if !shown["last_login"].is_null() {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the sign-in time never reached the annuaire: {shown}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let again = t.join("courriers-2");
    let out = installed.accounts(&["letters", "--dest", &again.display().to_string()], None)?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(letter_pages(&again)?, everyone - 1);
    drop(daemon);
    Ok(())
}

/// Pages of all the letters' PDFs in a folder, each checked private to root.
fn letter_pages(dir: &Path) -> Result<usize, BoxError> {
    let mut pages = 0;
    for e in std::fs::read_dir(dir)? {
        let path = e?.path();
        let mode =
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path)?.permissions());
        assert_eq!(mode & 0o077, 0, "{} readable by others", path.display());
        pages += lopdf::Document::load(&path)?.get_pages().len();
    }
    Ok(pages)
}
