//! The Samba AD domain (issue 19): a real controller from Debian's packages, in a network
//! namespace, kept in step with the annuaire (a real slapd) by cartable — the sample feed's
//! accounts and classes converge into AD with the annuaire's uids, a pupil's ENT password
//! (accented too) gets him a Kerberos ticket with AES keys, disabling and re-enabling reach
//! Kerberos, a class change moves group membership, an import made while the controller is
//! down loses nothing, and a teacher's reset in the web reaches AD within 5 s.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use cartable_tests::daemon::{Daemon, binary};
use cartable_tests::http::{client, csrf_in, sign_in, text};
use cartable_tests::samba_ad::Dc;
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn sample(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/aaf/sample")
        .join(kind)
}

struct Site {
    tmp: tempfile::TempDir,
    config: PathBuf,
}

impl Site {
    fn new(slapd: &Slapd, dc: &Dc) -> Result<Self, BoxError> {
        let tmp = tempfile::tempdir()?;
        // The file server's users walk down to their folders.
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
        let data = tmp.path().join("var");
        let config = tmp.path().join("cartable.toml");
        // The tree outside the service's private data folder, as on an install.
        let mut text = format!(
            "data_dir = \"{}\"\nlisten = \"127.0.0.1:0\"\nfiles = {{ root = \"{}\" }}\n",
            data.display(),
            tmp.path().join("fichiers").display()
        );
        text.push_str(&format!(
            "[directory]\nbackend = \"ldap\"\nurl = \"{}\"\nbase_dn = \"{BASE_DN}\"\n\
             bind_dn = \"{ADMIN_DN}\"\nbind_password = \"{ADMIN_PASSWORD}\"\n",
            slapd.url
        ));
        text.push_str(&dc.site_section()?);
        std::fs::write(&config, text)?;
        Ok(Self { tmp, config })
    }

    fn cartabled(&self, args: &[&str], stdin: Option<&str>) -> Result<Output, BoxError> {
        use std::io::Write;
        let mut cmd = Command::new(binary()?);
        cmd.arg(args[0]).arg("--config").arg(&self.config);
        cmd.args(&args[1..]);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn()?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            writeln!(pipe, "{text}")?;
        }
        drop(child.stdin.take());
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(format!(
                "cartabled {args:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(out)
    }

    /// Every password the imports handed out, by login (the technician's `nouveaux-comptes.csv`).
    fn new_passwords(&self) -> Result<BTreeMap<String, String>, BoxError> {
        let mut out = BTreeMap::new();
        let imports = self.tmp.path().join("var/imports");
        for run in std::fs::read_dir(imports)? {
            let csv = run?.path().join("nouveaux-comptes.csv");
            if let Ok(text) = std::fs::read_to_string(&csv) {
                for line in text.lines().skip(1) {
                    let cols: Vec<&str> = line.split(';').collect();
                    if let [login, password, ..] = cols[..] {
                        out.insert(login.to_owned(), password.to_owned());
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The entries of an LDIF answer, each as its attributes' values.
fn entries(ldif: &str) -> Vec<BTreeMap<String, Vec<String>>> {
    ldif.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for line in e.lines() {
                if let Some((k, v)) = line.split_once(": ") {
                    m.entry(k.to_ascii_lowercase())
                        .or_default()
                        .push(v.to_owned());
                }
            }
            m
        })
        // AD also answers with referrals to its other partitions.
        .filter(|m| m.contains_key("dn"))
        .collect()
}

fn first<'a>(e: &'a BTreeMap<String, Vec<String>>, k: &str) -> &'a str {
    e.get(k).and_then(|v| v.first()).map_or("", String::as_str)
}

/// The annuaire's login and DN of the person with this AAF jointure.
fn annuaire_person(slapd: &Slapd, jointure: &str) -> Result<(String, String), BoxError> {
    let e = entries(&slapd.search(&format!("(ENTPersonJointure={jointure})"), &["uid"])?);
    let e = e.first().ok_or(format!("no {jointure} in the annuaire"))?;
    Ok((first(e, "uid").to_owned(), first(e, "dn").to_owned()))
}

/// The AD user `login`: his attributes.
fn ad_user(dc: &Dc, login: &str) -> Result<BTreeMap<String, Vec<String>>, BoxError> {
    entries(&dc.search(
        &format!("(&(objectClass=user)(sAMAccountName={login}))"),
        &[
            "sAMAccountName",
            "uidNumber",
            "userAccountControl",
            "employeeID",
            "memberOf",
            "scriptPath",
        ],
    )?)
    .into_iter()
    .next()
    .ok_or(format!("{login} is not in the domain").into())
}

/// Members (their CNs) of the AD group `sam`.
fn ad_members(dc: &Dc, sam: &str) -> Result<Vec<String>, BoxError> {
    let e = entries(&dc.search(&format!("(sAMAccountName={sam})"), &["member"])?);
    let mut cns: Vec<String> = e
        .first()
        .and_then(|e| e.get("member"))
        .into_iter()
        .flatten()
        .filter_map(|dn| dn.strip_prefix("CN="))
        .filter_map(|dn| dn.split(',').next())
        .map(str::to_owned)
        .collect();
    cns.sort();
    Ok(cns)
}

/// Waits up to `limit` for `check`; gives how long it took.
async fn within(
    limit: Duration,
    what: &str,
    mut check: impl FnMut() -> Result<bool, BoxError>,
) -> Result<Duration, BoxError> {
    let started = Instant::now();
    loop {
        if check()? {
            return Ok(started.elapsed());
        }
        if started.elapsed() > limit {
            return Err(format!("{what}: not within {limit:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annuaire_converges_into_the_domain_and_passwords_follow() -> TestResult {
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let started = Instant::now();
    let mut dc = tokio::task::spawn_blocking(Dc::start).await??;
    eprintln!(
        "domain controller provisioned and answering in {:?}",
        started.elapsed()
    );
    let site = Site::new(&slapd, &dc)?;

    // The sample feed: the import writes the annuaire, then the domain, passwords included.
    let started = Instant::now();
    site.cartabled(
        &["import", "aaf", &sample("complet").to_string_lossy()],
        None,
    )?;
    eprintln!(
        "sample feed imported into slapd and the domain in {:?}",
        started.elapsed()
    );

    // Every account but the parents', with the annuaire's uid.
    let annuaire = entries(&slapd.search(
        "(&(objectClass=posixAccount)(!(objectClass=ENTAuxPersRelEleve)))",
        &["uid", "uidNumber"],
    )?);
    let domain = entries(&dc.search(
        "(&(objectClass=user)(employeeID=*))",
        &["sAMAccountName", "uidNumber", "userAccountControl"],
    )?);
    let in_domain: BTreeMap<&str, &str> = domain
        .iter()
        .map(|e| (first(e, "samaccountname"), first(e, "uidnumber")))
        .collect();
    let extra: Vec<&str> = in_domain
        .keys()
        .filter(|l| !annuaire.iter().any(|a| first(a, "uid") == **l))
        .copied()
        .collect();
    assert_eq!(
        domain.len(),
        annuaire.len(),
        "pupils, teachers and staff; extra: {extra:?}"
    );
    let pupils = entries(&slapd.search("(objectClass=ENTEleve)", &["uid"])?);
    assert_eq!(pupils.len(), 48);
    assert!(
        pupils
            .iter()
            .all(|p| in_domain.contains_key(first(p, "uid"))),
        "every pupil in the domain"
    );
    for a in &annuaire {
        let login = first(a, "uid");
        assert_eq!(
            in_domain.get(login).copied(),
            Some(first(a, "uidnumber")),
            "{login}: same uid in AD"
        );
    }
    // Each account got its password with it: enabled.
    assert!(
        domain
            .iter()
            .all(|e| first(e, "useraccountcontrol") == "66048"),
        "every account enabled"
    );

    // A pupil of 6A logs on with the password of his letter: AES keys.
    let passwords = site.new_passwords()?;
    let (pupil, pupil_dn) = annuaire_person(&slapd, "3000000")?;
    let letter = passwords.get(&pupil).ok_or("no password for the pupil")?;
    let tickets = dc.kinit(&pupil, letter)?;
    assert!(tickets.contains("aes256-cts"), "{tickets}");
    assert!(
        ad_members(&dc, "cl-6a")?.contains(&pupil),
        "{pupil} in cl-6a"
    );

    // An accented password, set by the RUPN's command: the same in both directories.
    let accented = "Été-à-Noël-2026";
    site.cartabled(
        &["accounts", "set-password", &pupil, "--password-stdin"],
        Some(accented),
    )?;
    let tickets = dc.kinit(&pupil, accented)?;
    assert!(tickets.contains("aes256-cts"), "{tickets}");
    assert!(slapd.bind_ok(&pupil_dn, accented));
    assert!(
        dc.kinit(&pupil, letter).is_err(),
        "the old password is refused"
    );

    // Disabled in the ENT: Kerberos refuses him; enabled again, it takes him back.
    site.cartabled(&["accounts", "disable", &pupil], None)?;
    let refused = dc
        .kinit(&pupil, accented)
        .err()
        .ok_or("a disabled account logged on")?;
    assert!(refused.contains("revoked"), "{refused}");
    site.cartabled(&["accounts", "enable", &pupil], None)?;
    dc.kinit(&pupil, accented)?;

    // The console's server page checks the controller as it is: answering, then stopped.
    let domain_line = || async {
        let config = std::sync::Arc::new(cartable_core::config::Config::load(&site.config)?);
        let clock: cartable_core::clock::SharedClock =
            std::sync::Arc::new(cartable_core::clock::SystemClock);
        let store = cartable_core::store::Store::open(&config.store_path()).await?;
        let directory = cartable_core::directory::AnyDirectory::from_config(
            &config.directory,
            store.clone(),
            clock.clone(),
        )
        .await?;
        let incidents = cartable_core::server::Incidents::new(clock.clone());
        let watch =
            cartable_core::server::Watch::new(config, store, directory, clock, None, incidents);
        let s = watch.check().await;
        s.get(cartable_core::server::Service::Domaine)
            .cloned()
            .ok_or_else(|| BoxError::from("no domain line"))
    };
    let up = domain_line().await?;
    assert_eq!(up.health, cartable_core::server::Health::Ok, "{up:?}");

    // The controller is down during the next import (leavers, class changes, newcomers).
    tokio::task::block_in_place(|| dc.stop());
    let down = domain_line().await?;
    assert_eq!(down.health, cartable_core::server::Health::Down, "{down:?}");
    assert!(down.summary.starts_with("Ne répond pas"), "{down:?}");
    let out = site.cartabled(&["import", "aaf", &sample("delta").to_string_lossy()], None)?;
    assert!(String::from_utf8_lossy(&out.stdout).contains("Application"));
    tokio::task::block_in_place(|| dc.restart())?;

    // The service compares at start: everything the import changed reaches the domain.
    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (site.config.clone(), site.tmp.path().join("var"));
        move || Daemon::serve(&config, &dir)
    })
    .await??;
    let (leaver, _) = annuaire_person(&slapd, "3000010")?;
    let (mover, _) = annuaire_person(&slapd, "3000020")?;
    let (newcomer, _) = annuaire_person(&slapd, "3900000")?;
    let converged = within(Duration::from_secs(20), "the delta in the domain", || {
        Ok(ad_user(&dc, &newcomer).is_ok()
            && first(&ad_user(&dc, &leaver)?, "useraccountcontrol") == "66050"
            && ad_members(&dc, "cl-5f")?.contains(&mover))
    })
    .await?;
    eprintln!(
        "the delta made while the controller was down reached it {converged:?} after the service started"
    );
    // The mover left his old class's group.
    let was_in = ad_user(&dc, &mover)?;
    let classes: Vec<&String> = was_in
        .get("memberof")
        .into_iter()
        .flatten()
        .filter(|g| g.starts_with("CN=cl-"))
        .collect();
    assert_eq!(
        classes,
        ["CN=cl-5f,OU=groupes,OU=cartable,DC=e2e,DC=test"],
        "{mover} is in his new class's group only"
    );
    // The newcomer's password was owed: no domain logon yet, until he signs in to the ENT.
    let newcomer_password = site
        .new_passwords()?
        .get(&newcomer)
        .cloned()
        .ok_or("no password for the newcomer")?;
    assert_eq!(
        first(&ad_user(&dc, &newcomer)?, "useraccountcontrol"),
        "66050",
        "never enabled without its password"
    );
    let ca = daemon.ca();
    let c = client(&ca)?;
    let status = sign_in(&c, &daemon.url, &newcomer, &newcomer_password).await?;
    assert_eq!(status.as_u16(), 303, "the newcomer signs in to the ENT");
    within(Duration::from_secs(5), "the owed password paid", || {
        Ok(dc.kinit(&newcomer, &newcomer_password).is_ok())
    })
    .await?;

    // A teacher of 6A resets the pupil's password in the web: AD has it within 5 s.
    let (teacher, _) = annuaire_person(&slapd, "7000001")?;
    site.cartabled(
        &["accounts", "set-password", &teacher, "--password-stdin"],
        Some("Prof-Tilleul-2026"),
    )?;
    let t = client(&ca)?;
    assert_eq!(
        sign_in(&t, &daemon.url, &teacher, "Prof-Tilleul-2026")
            .await?
            .as_u16(),
        303
    );
    let page = text(&t, &format!("{}/personnes/{pupil}", daemon.url)).await?;
    let csrf = csrf_in(&page).ok_or("no CSRF token")?;
    let letter = t
        .post(format!("{}/personnes/{pupil}/mot-de-passe", daemon.url))
        .form(&[("csrf", csrf.as_str()), ("confirme", "1")])
        .send()
        .await?;
    assert_eq!(letter.status().as_u16(), 200);
    let pdf = letter.bytes().await?;
    let doc = lopdf::Document::load_mem(&pdf)?;
    let words = doc.extract_text(&doc.get_pages().keys().copied().collect::<Vec<_>>())?;
    let new_password = words
        .lines()
        .skip_while(|l| !l.contains("Mot de passe :"))
        .nth(1)
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .or_else(|| {
            words
                .split("Mot de passe :")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .map(str::to_owned)
        })
        .ok_or(format!("no password in the letter:\n{words}"))?;
    let took = within(Duration::from_secs(5), "the reset in the domain", || {
        Ok(dc.kinit(&pupil, &new_password).is_ok())
    })
    .await?;
    eprintln!("a teacher's reset reached the domain in {took:?}");
    assert!(
        dc.kinit(&pupil, accented).is_err(),
        "old password refused by AD"
    );
    assert!(
        !slapd.bind_ok(&pupil_dn, accented),
        "old password refused by slapd"
    );
    assert!(slapd.bind_ok(&pupil_dn, &new_password));

    // The pupil changes his password on a domain PC: it comes back to the annuaire, and the
    // ENT takes it.
    let script = site.tmp.path().join("mot-de-passe-retour");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec {} domain --config {} password-back\n",
            binary()?.display(),
            site.config.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    tokio::task::block_in_place(|| dc.start_password_back(&script))?;
    let chosen = "Châtaigne-d'hiver-7";
    dc.kpasswd(&pupil, &new_password, chosen)?;
    let p = client(&ca)?;
    let took = within(
        Duration::from_secs(10),
        "the Windows change in the annuaire",
        || Ok(slapd.bind_ok(&pupil_dn, chosen)),
    )
    .await
    .map_err(|e| {
        let log = dc.password_back_log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        format!(
            "{e}\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
    })?;
    eprintln!("a password changed through Kerberos reached the annuaire in {took:?}");
    assert_eq!(
        sign_in(&p, &daemon.url, &pupil, chosen).await?.as_u16(),
        303,
        "the ENT accepts the password chosen on the PC"
    );
    let other = client(&ca)?;
    assert_eq!(
        sign_in(&other, &daemon.url, &pupil, &new_password)
            .await?
            .as_u16(),
        401
    );
    // The file server joins the domain and serves cartable's tree: with the Kerberos ticket
    // of his new password, the pupil writes in his home, and the file is his by the
    // annuaire's uid.
    let root = site.tmp.path().join("fichiers");
    let quotas = cartable_core::files::samba::quota_dir(&site.tmp.path().join("var"));
    let domain = cartable_core::ad::account::Domain::new(cartable_tests::samba_ad::REALM, "fs")?;
    let interfaces = format!("{}/24", dc.member_ip);
    let started = Instant::now();
    tokio::task::block_in_place(|| {
        dc.start_member(&|state, log| {
            cartable_core::files::samba::render_member(
                &cartable_core::files::samba::SambaSite {
                    workgroup: cartable_tests::samba_ad::WORKGROUP,
                    netbios_name: "FS",
                    root: &root,
                    port: 445,
                    interfaces: &interfaces,
                    state_dir: state,
                    log_dir: log,
                    quota_dir: &quotas,
                },
                &domain,
            )
        })
    })?;
    eprintln!("file server joined and serving in {:?}", started.elapsed());
    let homework = site.tmp.path().join("devoir.txt");
    std::fs::write(&homework, "Mon devoir")?;
    let listed = tokio::task::block_in_place(|| {
        dc.smbclient(
            &pupil,
            chosen,
            &pupil,
            &format!("put {} devoir.txt; ls", homework.display()),
        )
    })?;
    assert!(listed.contains("devoir.txt"), "{listed}");
    let written = std::fs::metadata(root.join("perso").join(&pupil).join("devoir.txt"))?;
    let uid = annuaire
        .iter()
        .find(|a| first(a, "uid") == pupil)
        .map(|a| first(a, "uidnumber").to_owned())
        .ok_or("no uid")?;
    assert_eq!(
        written.uid().to_string(),
        uid,
        "the file is the pupil's by his annuaire uid"
    );
    // At logon, Windows runs the script the user's scriptPath names from the controller's
    // netlogon share: cartable writes it, and it maps the class and common shares.
    assert_eq!(first(&ad_user(&dc, &pupil)?, "scriptpath"), "cartable.cmd");
    let script = dc.netlogon_dir().join("cartable.cmd");
    site.cartabled(
        &["domain", "netlogon", "--output", &script.to_string_lossy()],
        None,
    )?;
    let fetched = site.tmp.path().join("recu.cmd");
    tokio::task::block_in_place(|| {
        dc.smbclient_on(
            "dc1",
            &pupil,
            chosen,
            "netlogon",
            &format!("get cartable.cmd {}", fetched.display()),
        )
    })?;
    let text = std::fs::read_to_string(&fetched)?;
    assert!(text.contains("net use S: \\\\fs\\classes"), "{text}");
    // A Linux PC joins with sssd: the same account, uid and home, the same password.
    let started = Instant::now();
    let logon = tokio::task::block_in_place(|| dc.linux_pc_logon(&pupil, chosen, &new_password))?;
    eprintln!(
        "a Linux PC joined and the pupil logged on in {:?}",
        started.elapsed()
    );
    assert!(
        logon.passwd.starts_with(&format!("{pupil}:*:{uid}:")),
        "{}",
        logon.output
    );
    assert!(logon.accepted, "{}", logon.output);
    assert!(logon.wrong_refused, "{}", logon.output);
    // Another pupil's home is not his.
    let (other_pupil, _) = annuaire_person(&slapd, "3000001")?;
    let refused = tokio::task::block_in_place(|| dc.smbclient(&pupil, chosen, &other_pupil, "ls"));
    assert!(refused.is_err(), "{refused:?}");
    // The technician's `verify` proves the same from the server: a ticket, then the home
    // with that ticket only; a wrong password is reported, naming Kerberos.
    let site_file = site.tmp.path().join("site.toml");
    std::fs::write(&site_file, cartable_tests::provision::SITE)?;
    let smb = format!("{}:445", dc.member_ip);
    let verify = |password: &str| -> Result<serde_json::Value, BoxError> {
        let out = Command::new(cartable_tests::daemon::built("cartable-provision")?)
            .args(["--json", "verify", "--compte", &pupil, "--smb", &smb])
            .arg("--site")
            .arg(&site_file)
            .arg("--config")
            .arg(&site.config)
            .args(["--url", &daemon.url])
            .arg("--ca")
            .arg(&ca)
            .arg("--cartabled")
            .arg(binary()?)
            .arg("--root")
            .arg(site.tmp.path().join("racine"))
            .env("CARTABLE_VERIF_MOT_DE_PASSE", password)
            .output()?;
        let all: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stderr)))?;
        all["verifications"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["id"] == "domaine"))
            .cloned()
            .ok_or_else(|| format!("no domain check: {all}").into())
    };
    let mut check = tokio::task::block_in_place(|| verify(chosen))?;
    // On a loaded 2-core machine the member file server (this test's, not cartable's) has once
    // in a few runs stopped answering for minutes (NT_STATUS_IO_TIMEOUT at negotiation or
    // session setup even after verify's own three tries, its log full of unconverted SIDs); a
    // technician then restarts winbind and smbd and runs `verify` again, and so does this test,
    // once, saying so.
    if check["ok"] != true && check["detail"].to_string().contains("NT_STATUS_IO_TIMEOUT") {
        eprintln!(
            "verify timed out, the file server restarted: {check}\n{}",
            dc.member_log(40)
        );
        tokio::task::block_in_place(|| dc.restart_member())?;
        check = tokio::task::block_in_place(|| verify(chosen))?;
    }
    assert_eq!(
        check["ok"],
        true,
        "{check}\nthe file server's log:\n{}",
        dc.member_log(60)
    );
    eprintln!("verify: {}", check["detail"]);
    assert!(
        check["detail"]
            .as_str()
            .is_some_and(|d| d.contains("aes256")),
        "{check}"
    );
    let check = tokio::task::block_in_place(|| verify("pas-le-bon"))?;
    assert_eq!(check["ok"], false, "{check}");
    assert!(
        check["detail"]
            .as_str()
            .is_some_and(|d| d.contains("kinit")),
        "{check}"
    );

    // cartable's own writes were not taken back as Windows changes: the teacher's account kept
    // cartable's argon2id hash.
    let teacher_hash = slapd.search(&format!("(uid={teacher})"), &["userPassword"])?;
    let scheme = |ldif: &str| -> Result<String, BoxError> {
        let line = ldif
            .lines()
            .find(|l| l.starts_with("userPassword:"))
            .ok_or("no userPassword")?;
        Ok(match line.strip_prefix("userPassword:: ") {
            Some(b64) => String::from_utf8(base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                b64,
            )?)?,
            None => line.trim_start_matches("userPassword: ").to_owned(),
        })
    };
    assert!(scheme(&teacher_hash)?.starts_with("{ARGON2}"));
    let pupil_hash = slapd.search(&format!("(uid={pupil})"), &["userPassword"])?;
    assert!(scheme(&pupil_hash)?.starts_with("{CRYPT}$6$"));
    Ok(())
}

/// Namespaces and links made by a test, removed however it ends.
struct Namespaces(Vec<String>);

impl Drop for Namespaces {
    fn drop(&mut self) {
        for ns in &self.0 {
            let _ = Command::new("ip")
                .args(["netns", "del", ns])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

fn ip_in(ns: &str, args: &[&str]) -> Result<(), BoxError> {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "ip"])
        .args(args)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "ip {} in {ns}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// From namespace `ns`, a TCP connection to `to`: the address the other end saw, or why not.
fn connect_from(ns: &str, to: &str) -> Result<String, BoxError> {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, python(), "-c"])
        .arg(format!(
            "import socket\ns = socket.create_connection(('{to}', 7000), timeout=5)\n\
             print(s.recv(64).decode())"
        ))
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "connection from {ns} to {to}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The install gives the controller its own address on the server's network with the shipped
/// `cartable-dc-reseau`: a PC of that network reaches it (the server answers ARP for it and
/// routes it), the server itself reaches it from its own address, `up` run twice changes
/// nothing, and `down` leaves no namespace or link.
#[test]
fn the_controller_gets_its_own_address_on_the_servers_network() -> TestResult {
    let tag = format!("{}", std::process::id() % 100_000);
    let subnet = 100 + std::process::id() % 100;
    let (server, pc, dc_ns) = (
        format!("csrv{tag}"),
        format!("cpc{tag}"),
        format!("cdc{tag}"),
    );
    let _cleanup = Namespaces(vec![server.clone(), pc.clone(), dc_ns.clone()]);
    for ns in [&server, &pc] {
        let out = Command::new("ip").args(["netns", "add", ns]).output()?;
        assert!(out.status.success(), "{out:?}");
        ip_in(ns, &["link", "set", "lo", "up"])?;
    }
    // The school's network: the server's interface and a PC's, on one /24.
    let (lan, pc_lan) = (format!("lan{tag}"), format!("pcl{tag}"));
    ip_in(
        &server,
        &[
            "link", "add", &lan, "type", "veth", "peer", "name", &pc_lan, "netns", &pc,
        ],
    )?;
    ip_in(
        &server,
        &["addr", "add", &format!("10.97.{subnet}.1/24"), "dev", &lan],
    )?;
    ip_in(&server, &["link", "set", &lan, "up"])?;
    ip_in(
        &pc,
        &[
            "addr",
            "add",
            &format!("10.97.{subnet}.5/24"),
            "dev",
            &pc_lan,
        ],
    )?;
    ip_in(&pc, &["link", "set", &pc_lan, "up"])?;

    let dc_address = format!("10.97.{subnet}.2");
    let tmp = tempfile::tempdir()?;
    let env = tmp.path().join("domaine.env");
    std::fs::write(
        &env,
        format!(
            "DC_ADDRESS={dc_address}\nDC_INTERFACE={lan}\nDC_NETNS={dc_ns}\n\
             DC_LINK=cdh{tag}\nDC_PEER=cdp{tag}\n"
        ),
    )?;
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/domain/cartable-dc-reseau");
    let reseau = |what: &str| -> Result<(), BoxError> {
        // Only the network namespace is the server's: its mount namespace is the host's, as
        // for the unit that runs the script (`ip netns exec` would keep the namespaces the
        // script adds to itself).
        let out = Command::new("nsenter")
            .arg(format!("--net=/run/netns/{server}"))
            .arg("sh")
            .arg(&script)
            .arg(what)
            .env("CARTABLE_DC_ENV", &env)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "cartable-dc-reseau {what}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(())
    };
    reseau("up")?;
    reseau("up")?;

    // Something listening on the controller's address, telling each caller who it is.
    let mut listener = Command::new("ip")
        .args(["netns", "exec", &dc_ns, python(), "-c"])
        .arg(format!(
            "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
             s.bind(('{dc_address}', 7000))\ns.listen()\nprint('ready', flush=True)\n\
             for _ in range(2):\n    c, a = s.accept()\n    c.send(a[0].encode())\n    c.close()\n"
        ))
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut ready = String::new();
    if let Some(out) = listener.stdout.as_mut() {
        use std::io::BufRead;
        std::io::BufReader::new(out).read_line(&mut ready)?;
    }
    assert_eq!(ready.trim(), "ready");
    let from_pc = connect_from(&pc, &dc_address);
    let from_server = connect_from(&server, &dc_address);
    let _ = listener.kill();
    let _ = listener.wait();
    assert_eq!(
        from_pc?,
        format!("10.97.{subnet}.5"),
        "a PC reaches the controller"
    );
    assert_eq!(
        from_server?,
        format!("10.97.{subnet}.1"),
        "the server reaches it from its own address"
    );

    reseau("down")?;
    let left = Command::new("ip").args(["netns", "list"]).output()?;
    assert!(
        !String::from_utf8_lossy(&left.stdout).contains(&dc_ns),
        "the controller's namespace is gone"
    );
    let link = Command::new("ip")
        .args([
            "netns",
            "exec",
            &server,
            "ip",
            "link",
            "show",
            &format!("cdh{tag}"),
        ])
        .output()?;
    assert!(!link.status.success(), "the link is gone");
    Ok(())
}
