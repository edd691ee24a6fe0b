//! `cartabled import aaf` as the technician runs it: bad deliveries refused with the file and
//! line, nothing applied; reports on disk; an import killed at any moment and run again ends
//! exactly where an uninterrupted one does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, PersonQuery};
use cartable_core::store::Store;
use cartable_tests::daemon::{Daemon, binary};
use cartable_tests::http::{client, sign_in};
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn sample(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/aaf/sample")
        .join(kind)
}

/// A copy of a sample delivery, for spoiling.
fn copy(kind: &str, to: &Path) -> Result<(), BoxError> {
    std::fs::create_dir_all(to)?;
    for f in std::fs::read_dir(sample(kind))? {
        let f = f?.path();
        if let Some(name) = f.file_name() {
            std::fs::copy(&f, to.join(name))?;
        }
    }
    Ok(())
}

struct Site {
    tmp: tempfile::TempDir,
    config: PathBuf,
}

impl Site {
    fn new(ldap: Option<&Slapd>) -> Result<Self, BoxError> {
        let tmp = tempfile::tempdir()?;
        let data = tmp.path().join("var");
        let config = tmp.path().join("cartable.toml");
        let mut text = cartable_tests::daemon::base_config(&data);
        if let Some(s) = ldap {
            text.push_str(&format!(
                "[directory]\nbackend = \"ldap\"\nurl = \"{}\"\nbase_dn = \"{BASE_DN}\"\n\
                 bind_dn = \"{ADMIN_DN}\"\nbind_password = \"{ADMIN_PASSWORD}\"\n",
                s.url
            ));
        }
        std::fs::write(&config, text)?;
        Ok(Self { tmp, config })
    }

    fn import(&self, dir: &Path, extra: &[&str]) -> Result<Output, BoxError> {
        Ok(Command::new(binary()?)
            .args(["import", "--config"])
            .arg(&self.config)
            .arg("aaf")
            .arg(dir)
            .args(extra)
            .output()?)
    }

    fn people(&self) -> Result<usize, BoxError> {
        let out = Command::new(binary()?)
            .args(["accounts", "--config"])
            .arg(&self.config)
            .args(["list", "--json"])
            .output()?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        Ok(v.as_array().map_or(0, Vec::len))
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bad_deliveries_are_refused_and_change_nothing() -> TestResult {
    let site = Site::new(None)?;
    let root = site.tmp.path().to_owned();
    let eleve = "ENT2D_0171234K_Complet_20260828_Eleve_0000.xml";

    // An HTML error page saved under the feed's name.
    let html = root.join("html");
    copy("complet", &html)?;
    std::fs::write(
        html.join(eleve),
        "<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>\n",
    )?;
    // A truncated part.
    let truncated = root.join("truncated");
    copy("complet", &truncated)?;
    let full = std::fs::read(truncated.join(eleve))?;
    std::fs::write(truncated.join(eleve), &full[..full.len() / 2])?;
    // An entity bomb.
    let bomb = root.join("bomb");
    copy("complet", &bomb)?;
    std::fs::write(
        bomb.join(eleve),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR [\n<!ENTITY a \"aaaaaaaa\">\n\
         <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<ficAlimMENESR>&b;</ficAlimMENESR>\n",
    )?;
    // An identifier that does not match its jointure.
    let mismatch = root.join("mismatch");
    copy("complet", &mismatch)?;
    let text = std::fs::read(mismatch.join(eleve))?;
    let needle = b"<id>3000005</id>";
    let at = text
        .windows(needle.len())
        .position(|w| w == needle)
        .ok_or("no 3000005")?;
    let mut spoiled = text.clone();
    spoiled.splice(at..at + needle.len(), b"<id>3000099</id>".iter().copied());
    std::fs::write(mismatch.join(eleve), spoiled)?;

    for (dir, expected) in [
        (&html, "n'est pas un flux AAF"),
        (&truncated, "ligne"),
        (&bomb, "DTD interne refusée"),
        (&mismatch, "ne correspond pas"),
    ] {
        let out = site.import(dir, &[])?;
        assert!(!out.status.success(), "{} accepted", dir.display());
        let err = stderr(&out);
        assert!(
            err.contains(expected) && err.contains(eleve),
            "{}: {err}",
            dir.display()
        );
        assert_eq!(site.people()?, 0, "{} applied something", dir.display());
    }

    // A good import, then another school's feed.
    let out = site.import(&sample("complet"), &["--json"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let created = report["created"].as_u64().ok_or("no created")? as usize;
    assert_eq!(site.people()?, created);
    let dir = PathBuf::from(report["report_dir"].as_str().ok_or("no report dir")?);
    let csv = std::fs::read_to_string(dir.join("rapport.csv"))?;
    assert_eq!(csv.lines().count(), created + 1, "one line per change");
    use std::os::unix::fs::PermissionsExt;
    let accounts = dir.join("nouveaux-comptes.csv");
    assert_eq!(
        std::fs::metadata(&accounts)?.permissions().mode() & 0o077,
        0
    );
    assert_eq!(
        std::fs::read_to_string(&accounts)?.lines().count(),
        created + 1
    );

    let other = root.join("other");
    std::fs::create_dir_all(&other)?;
    for f in std::fs::read_dir(sample("complet"))? {
        let f = f?.path();
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("name")?
            .replace("0171234K", "0869999Z");
        std::fs::copy(&f, other.join(name))?;
    }
    let out = site.import(&other, &[])?;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("0869999Z"), "{}", stderr(&out));
    assert_eq!(site.people()?, created);
    Ok(())
}

/// Logins, states, classes and parents of everyone, by jointure.
async fn snapshot(dir: &AnyDirectory) -> Result<BTreeMap<String, String>, BoxError> {
    let mut out = BTreeMap::new();
    let people = dir
        .search(&PersonQuery {
            per_page: 1000,
            ..PersonQuery::default()
        })
        .await?
        .people;
    for p in people {
        let rel = dir.relations(&p.login).await?;
        let mut parents: Vec<String> = rel
            .parents
            .iter()
            .map(|r| format!("{}:{}", r.login, r.level))
            .collect();
        parents.sort();
        out.insert(
            p.jointure.map(|j| j.to_string()).unwrap_or_default(),
            format!(
                "{} {:?} {:?} {:?} {}",
                p.login,
                p.state,
                rel.classes
                    .iter()
                    .map(|c| c.code.to_string())
                    .collect::<Vec<_>>(),
                parents,
                rel.teachings.len()
            ),
        );
    }
    Ok(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_at_any_point_converges_when_run_again() -> TestResult {
    // The reference: one uninterrupted import.
    let reference_slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let reference = Site::new(Some(&reference_slapd))?;
    let out = reference.import(&sample("complet"), &[])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let clock: SharedClock = Arc::new(SystemClock);
    let store = Store::open(&reference.tmp.path().join("probe.sqlite")).await?;
    let expected = snapshot(
        &AnyDirectory::from_config(
            &DirectoryConfig::Ldap(reference_slapd.config()),
            store.clone(),
            clock.clone(),
        )
        .await?,
    )
    .await?;
    assert!(expected.len() > 100);

    // Killed at several moments, then run to the end.
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let site = Site::new(Some(&slapd))?;
    let dir =
        AnyDirectory::from_config(&DirectoryConfig::Ldap(slapd.config()), store, clock).await?;
    let mut seen = Vec::new();
    for delay_ms in [0u64, 10, 30, 60, 100] {
        use std::io::BufRead;
        let mut child = Command::new(binary()?)
            .args(["import", "--config"])
            .arg(&site.config)
            .arg("aaf")
            .arg(sample("complet"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        // Once the plan is made and the report written, it starts writing: kill it then.
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let applying = tokio::task::spawn_blocking(move || {
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .any(|l| l.starts_with("Application des changements"))
        })
        .await?;
        // Wait until this run writes something new, then let it go on a little.
        let before = dir.search(&PersonQuery::default()).await?.total;
        let started = std::time::Instant::now();
        while applying
            && dir.search(&PersonQuery::default()).await?.total == before
            && child.try_wait()?.is_none()
            && started.elapsed() < Duration::from_secs(60)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        let _ = child.kill();
        let _ = child.wait();
        seen.push((applying, dir.search(&PersonQuery::default()).await?.total));
    }
    assert!(
        seen.iter().any(|(_, n)| *n > 0 && *n < expected.len()),
        "no kill landed while the import was writing: {seen:?}"
    );
    let out = site.import(&sample("complet"), &[])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let got = snapshot(&dir).await?;
    assert_eq!(
        got, expected,
        "the resumed import differs from an uninterrupted one"
    );
    // And one more run finds nothing to do.
    let out = site.import(&sample("complet"), &["--json"])?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(report["created"], 0);
    assert_eq!(report["updated"], 0);
    Ok(())
}

/// An imported pupil signs in with his letter's password, once: the site sends him to choose
/// his own. The letter's password is kept as SHA-512-crypt (`{CRYPT}` in slapd), the one he
/// chooses as argon2id.
async fn the_letters_password_opens_the_forced_change(ldap: Option<&Slapd>) -> TestResult {
    let site = Site::new(ldap)?;
    let out = site.import(&sample("complet"), &["--json"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let dir = PathBuf::from(report["report_dir"].as_str().ok_or("no report dir")?);
    let letters = std::fs::read_to_string(dir.join("nouveaux-comptes.csv"))?;
    let (login, password) = letters
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f.get(2) == Some(&"eleve")).then(|| (f[0].to_owned(), f[1].to_owned()))
        })
        .next()
        .ok_or("no pupil among the new accounts")?;
    if let Some(s) = ldap {
        let entry = s.search(&format!("(uid={login})"), &["userPassword"])?;
        // ldapsearch prints userPassword base64-encoded ("userPassword:: e0NSWVBUfSQ2J...").
        let b64 = entry
            .lines()
            .find_map(|l| l.strip_prefix("userPassword:: "))
            .ok_or(format!("no userPassword: {entry}"))?;
        use base64::Engine as _;
        let stored = base64::engine::general_purpose::STANDARD.decode(b64)?;
        assert!(
            stored.starts_with(b"{CRYPT}$6$"),
            "{}",
            String::from_utf8_lossy(&stored)
        );
    }
    let data = site.tmp.path().join("var");
    let daemon = tokio::task::block_in_place(|| Daemon::serve(&site.config, &data))?;
    let c = client(&daemon.ca())?;
    let wrong = sign_in(&c, &daemon.url, &login, &format!("{password}x")).await?;
    assert_eq!(wrong.as_u16(), 401);
    let right = sign_in(&c, &daemon.url, &login, &password).await?;
    assert_eq!(right.as_u16(), 303);
    let portal = c.get(format!("{}/", daemon.url)).send().await?;
    assert_eq!(portal.status().as_u16(), 303);
    let to = portal
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(to.ends_with("/compte/mot-de-passe"), "sent to {to}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_letters_password_opens_the_forced_change_embedded() -> TestResult {
    the_letters_password_opens_the_forced_change(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_letters_password_opens_the_forced_change_ldap() -> TestResult {
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    the_letters_password_opens_the_forced_change(Some(&slapd)).await
}
