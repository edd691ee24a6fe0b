//! Backups: taken while the service runs, checked before anything is restored, restored onto
//! a fresh install where the same people sign in and find the same files, data and rights;
//! for an LDAP annuaire, the restored slapd holds the same entries (hashes included) and the
//! files keep their owners and ACLs.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cartable_core::config::{Config, FilesConfig};
use cartable_core::directory::DirectoryWrite;
use cartable_core::files::keep;
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, base_config, binary, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};

use crate::TestResult;
use crate::directory::{Backend, college};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What is compared of a file: mode, uid, gid, ACL xattr, content.
type Seen = (u32, u32, u32, Vec<u8>, Vec<u8>);

/// Every file and folder under `root`.
fn snapshot(root: &Path) -> Result<BTreeMap<PathBuf, Seen>, BoxError> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let p = e?.path();
            let m = std::fs::symlink_metadata(&p)?;
            let acl = xattr(&p, "system.posix_acl_access");
            let content = if m.is_file() {
                std::fs::read(&p)?
            } else {
                Vec::new()
            };
            if m.is_dir() {
                stack.push(p.clone());
            }
            out.insert(
                p.strip_prefix(root)?.to_owned(),
                (m.mode(), m.uid(), m.gid(), acl, content),
            );
        }
    }
    Ok(out)
}

fn xattr(p: &Path, name: &str) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    match rustix::fs::lgetxattr(p, name, &mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(_) => Vec::new(),
    }
}

fn run(args: &[&str]) -> Result<(bool, String), BoxError> {
    let out = Command::new(binary()?)
        .args(args)
        .output()
        .map_err(|e| format!("cartabled {args:?}: {e}"))?;
    Ok((
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_live_restores_onto_a_fresh_install() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, base_config(&data))?;
    let daemon = Daemon::serve(&config, &data)?;
    let base = daemon.url.clone();
    let c = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&c, &base, &pupil.login, &pupil.password).await?,
        303
    );
    let page = c
        .get(format!("{base}/fichiers/dossier?e=perso"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf_in(&page).ok_or("no CSRF token")?;
    let form = reqwest::multipart::Form::new().text("csrf", token).part(
        "fichiers",
        reqwest::multipart::Part::bytes("Mon exposé".as_bytes().to_vec()).file_name("exposé.odt"),
    );
    let res = c
        .post(format!("{base}/fichiers/envoyer?e=perso&p="))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);

    // Taken while the service runs.
    let dest = tmp.path().join("sauvegardes");
    let (ok, text) = run(&[
        "backup",
        "--config",
        &config.display().to_string(),
        "--dest",
        &dest.display().to_string(),
    ])?;
    assert!(ok, "{text}");
    assert!(text.contains("Sauvegarde écrite"), "{text}");
    drop(daemon);
    let taken = cartable_core::backup::list(&dest);
    assert_eq!(taken.len(), 1);
    let backup = taken[0].clone();

    // A damaged backup is refused before anything is written, naming the part.
    let damaged = tmp.path().join("abimee");
    cartable_tests::copy_tree(&backup, &damaged)?;
    let tar = damaged.join("fichiers.tar");
    let mut bytes = std::fs::read(&tar)?;
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&tar, bytes)?;
    let fresh = tmp.path().join("neuf");
    let fresh_config = tmp.path().join("neuf.toml");
    std::fs::write(&fresh_config, base_config(&fresh.join("var")))?;
    let (ok, text) = run(&[
        "restore",
        "--config",
        &fresh_config.display().to_string(),
        &damaged.display().to_string(),
    ])?;
    assert!(!ok && text.contains("fichiers.tar"), "{text}");
    assert!(!fresh.join("var/cartable.sqlite").exists());

    // Onto a fresh install: same people, same password, same files, same data.
    let (ok, text) = run(&[
        "restore",
        "--config",
        &fresh_config.display().to_string(),
        &backup.display().to_string(),
    ])?;
    assert!(ok, "{text}");
    let (ok, text) = run(&[
        "restore",
        "--config",
        &fresh_config.display().to_string(),
        &backup.display().to_string(),
    ])?;
    assert!(
        !ok && text.contains("--force"),
        "a second restore needs --force: {text}"
    );
    let restored = Config::load(&fresh_config)?;
    assert_eq!(
        snapshot(&data.join("fichiers"))?,
        snapshot(&restored.files.root)?,
        "the file tree differs"
    );
    let daemon = Daemon::serve(&fresh_config, &fresh.join("var"))?;
    let c = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&c, &daemon.url, &pupil.login, &pupil.password).await?,
        303
    );
    let got = c
        .get(format!(
            "{}/fichiers/telecharger?e=perso&p=expos%C3%A9.odt",
            daemon.url
        ))
        .send()
        .await?
        .text()
        .await?;
    assert_eq!(got, "Mon exposé");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ldap_annuaire_and_its_acls_come_back_whole() -> TestResult {
    let a = Backend::ldap().await?;
    a.dir.apply(college()).await?;
    let tmp = tempfile::tempdir()?;
    let mut config = Config::embedded(tmp.path().join("a"), "127.0.0.1:0".parse()?);
    config.files = FilesConfig {
        root: tmp.path().join("fichiers-a"),
        ..FilesConfig::default()
    };
    keep::keep_in_step(&a.dir, &config.files).await?;
    std::fs::write(
        config.files.root.join("perso/lea.martin/notes.txt"),
        "mes notes",
    )?;
    let dest = tmp.path().join("sauvegardes");
    let now = time::macros::datetime!(2026-11-23 02:00 UTC);
    let backup =
        cartable_core::backup::backup(&config, None, &a.store, &a.dir, &dest, 3, now).await?;
    let manifest = cartable_core::backup::check(&backup)?;
    assert_eq!(manifest.directory, "ldap");

    // A fresh slapd and data folder.
    let b = Backend::ldap().await?;
    let root_b = tmp.path().join("fichiers-b");
    let data_b = tmp.path().join("b");
    cartable_core::backup::restore_local(&backup, &data_b, &root_b, None, false).await?;
    let n = cartable_core::backup::restore_directory(&backup, &b.dir).await?;
    assert!(n > 5, "{n} entries");
    let (
        cartable_core::directory::AnyDirectory::Ldap(la),
        cartable_core::directory::AnyDirectory::Ldap(lb),
    ) = (&a.dir, &b.dir)
    else {
        return Err("not LDAP".into());
    };
    assert_eq!(
        la.export().await?,
        lb.export().await?,
        "the annuaire differs"
    );
    // Restoring again changes nothing.
    cartable_core::backup::restore_directory(&backup, &b.dir).await?;
    assert_eq!(la.export().await?, lb.export().await?);
    // The same people sign in with the same passwords.
    use cartable_core::directory::DirectoryAuth;
    assert!(matches!(
        b.dir.authenticate("lea.martin", "Tilleul-26").await?,
        cartable_core::directory::AuthOutcome::Accepted(_)
    ));
    assert_eq!(snapshot(&config.files.root)?, snapshot(&root_b)?);
    let store_b = Store::open(&data_b.join("cartable.sqlite")).await?;
    store_b.close();
    Ok(())
}
