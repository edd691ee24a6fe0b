//! Backups: one folder `cartable-AAAAMMJJ-HHMMSS/` per backup, complete or absent (written as
//! `….partiel` then renamed), holding the store (a consistent SQLite copy), the LDAP annuaire
//! (LDIF, hashes included) when the directory is LDAP, the configuration and TLS material, the
//! file tree (`fichiers.tar`: owners, modes, POSIX ACLs and extended attributes, by GNU tar) and
//! a manifest with each part's size and SHA-256. A restore checks the manifest first, then puts
//! each part back; it can be run again.

pub mod ldif;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::config::Config;
use crate::directory::AnyDirectory;
use crate::error::blocking;
use crate::store::Store;
use crate::{Error, Result};

pub const STORE: &str = "cartable.sqlite";
pub const ANNUAIRE: &str = "annuaire.ldif";
pub const FILES: &str = "fichiers.tar";
pub const CONFIG: &str = "cartable.toml";
pub const MANIFEST: &str = "manifeste.json";
const PARTIAL: &str = ".partiel";
const PREFIX: &str = "cartable-";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: String,
    /// Unix seconds.
    pub created_at: i64,
    /// `embedded` or `ldap`.
    pub directory: String,
    pub parts: Vec<Part>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

fn sha256(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((n, format!("{:x}", h.finalize())))
}

fn tar(args: &[&std::ffi::OsStr]) -> Result<()> {
    let out = Command::new("tar")
        .args(args)
        .output()
        .map_err(|e| Error::io("tar", e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Task(format!(
            "tar : {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_file() {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

/// The name of a backup taken at `now`.
pub fn name_at(now: OffsetDateTime) -> String {
    format!(
        "{PREFIX}{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        now.month() as u8,
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// Takes a backup into `dest`; keeps the `keep` newest. Returns its folder.
pub async fn backup(
    config: &Config,
    config_file: Option<&Path>,
    store: &Store,
    directory: &AnyDirectory,
    dest: &Path,
    keep: usize,
    now: OffsetDateTime,
) -> Result<PathBuf> {
    let name = name_at(now);
    let partial = dest.join(format!("{name}{PARTIAL}"));
    {
        let (dest, partial) = (dest.to_owned(), partial.clone());
        blocking(move || {
            // What a crash left half-written is not a backup.
            if let Ok(rd) = std::fs::read_dir(&dest) {
                for e in rd.flatten() {
                    if e.file_name().to_string_lossy().ends_with(PARTIAL) {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
            std::fs::create_dir_all(&partial).map_err(io(&partial))?;
            std::fs::set_permissions(
                &partial,
                std::os::unix::fs::PermissionsExt::from_mode(0o700),
            )
            .map_err(io(&partial))
        })
        .await?;
    }
    store.copy_to(&partial.join(STORE)).await?;
    if let AnyDirectory::Ldap(l) = directory {
        let text = ldif::write(&l.export().await?);
        let path = partial.join(ANNUAIRE);
        blocking(move || std::fs::write(&path, text).map_err(io(&path))).await?;
    }
    let (root, data_dir, config_file) = (
        config.files.root.clone(),
        config.data_dir.clone(),
        config_file.map(Path::to_owned),
    );
    let kind = match directory {
        AnyDirectory::Ldap(_) => "ldap",
        AnyDirectory::Embedded(_) => "embedded",
    };
    let (dest, p) = (dest.to_owned(), partial.clone());
    blocking(move || {
        if let Some(c) = config_file.filter(|c| c.is_file()) {
            std::fs::copy(&c, p.join(CONFIG)).map_err(io(&c))?;
        }
        let tls = data_dir.join("tls");
        if tls.is_dir() {
            copy_dir(&tls, &p.join("tls")).map_err(io(&tls))?;
        }
        if root.is_dir() {
            tar(&[
                "--create".as_ref(),
                "--file".as_ref(),
                p.join(FILES).as_os_str(),
                "--xattrs".as_ref(),
                "--xattrs-include=*".as_ref(),
                "--acls".as_ref(),
                "--numeric-owner".as_ref(),
                "--sparse".as_ref(),
                "-C".as_ref(),
                root.as_os_str(),
                ".".as_ref(),
            ])?;
        }
        let mut parts = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(&p)
            .map_err(io(&p))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .collect();
        names.sort();
        for f in names {
            let (bytes, sha) = sha256(&f).map_err(io(&f))?;
            parts.push(Part {
                name: f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes,
                sha256: sha,
            });
        }
        let manifest = Manifest {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: now.unix_timestamp(),
            directory: kind.to_owned(),
            parts,
        };
        let text =
            serde_json::to_string_pretty(&manifest).map_err(|e| Error::Task(e.to_string()))?;
        let m = p.join(MANIFEST);
        std::fs::write(&m, text).map_err(io(&m))?;
        std::fs::File::open(&p)
            .and_then(|d| d.sync_all())
            .map_err(io(&p))?;
        crate::files::unix::owned_like(&dest, &p).map_err(io(&p))?;
        let done = dest.join(&name);
        std::fs::rename(&p, &done).map_err(io(&done))?;
        std::fs::File::open(&dest)
            .and_then(|d| d.sync_all())
            .map_err(io(&dest))?;
        prune(&dest, keep)?;
        Ok(done)
    })
    .await
}

/// The backups in `dest`, oldest first.
pub fn list(dest: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dest)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with(PREFIX) && !n.ends_with(PARTIAL)
                    }) && p.join(MANIFEST).is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// When the newest complete backup in `dest` was taken (unix seconds), from its manifest.
pub fn newest(dest: &Path) -> Option<i64> {
    let last = list(dest).pop()?;
    let text = std::fs::read_to_string(last.join(MANIFEST)).ok()?;
    serde_json::from_str::<Manifest>(&text)
        .ok()
        .map(|m| m.created_at)
}

fn prune(dest: &Path, keep: usize) -> Result<()> {
    let all = list(dest);
    let extra = all.len().saturating_sub(keep.max(1));
    for old in &all[..extra] {
        std::fs::remove_dir_all(old).map_err(io(old))?;
    }
    Ok(())
}

/// Reads a backup's manifest and checks every part against it; an error names the part.
pub fn check(from: &Path) -> Result<Manifest> {
    let m = from.join(MANIFEST);
    let text = std::fs::read_to_string(&m).map_err(io(&m))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Error::Invalid {
        field: "manifeste.json",
        reason: e.to_string(),
    })?;
    for part in &manifest.parts {
        let p = from.join(&part.name);
        let (bytes, sha) = sha256(&p).map_err(io(&p))?;
        if bytes != part.bytes || sha != part.sha256 {
            return Err(Error::Invalid {
                field: "sauvegarde",
                reason: format!(
                    "« {} » a été modifié ou tronqué depuis la sauvegarde",
                    part.name
                ),
            });
        }
    }
    Ok(manifest)
}

/// What a restore put back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    pub entries: usize,
    pub files: bool,
    pub config_written: bool,
}

/// Puts the store, the configuration (if none is there yet), the TLS material and the file
/// tree back. The directory's entries are restored by [`restore_directory`] once the store is
/// there. Refuses to replace an existing store unless `force`.
pub async fn restore_local(
    from: &Path,
    data_dir: &Path,
    files_root: &Path,
    config_file: Option<&Path>,
    force: bool,
) -> Result<(Manifest, Restored)> {
    let (from, data_dir, root, config_file) = (
        from.to_owned(),
        data_dir.to_owned(),
        files_root.to_owned(),
        config_file.map(Path::to_owned),
    );
    blocking(move || {
        let manifest = check(&from)?;
        let target = data_dir.join(STORE);
        if target.exists() && !force {
            return Err(Error::Policy(format!(
                "{} existe déjà : ce n'est pas une installation neuve (--force pour la remplacer)",
                target.display()
            )));
        }
        std::fs::create_dir_all(&data_dir).map_err(io(&data_dir))?;
        let tmp = data_dir.join(format!("{STORE}.restauration"));
        std::fs::copy(from.join(STORE), &tmp).map_err(io(&tmp))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io(&tmp))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(data_dir.join(format!("{STORE}{suffix}")));
        }
        std::fs::rename(&tmp, &target).map_err(io(&target))?;
        let mut done = Restored::default();
        if let Some(c) = config_file.filter(|c| !c.exists())
            && from.join(CONFIG).is_file()
        {
            if let Some(dir) = c.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            std::fs::copy(from.join(CONFIG), &c).map_err(io(&c))?;
            done.config_written = true;
        }
        if from.join("tls").is_dir() {
            copy_dir(&from.join("tls"), &data_dir.join("tls")).map_err(io(&data_dir))?;
        }
        if from.join(FILES).is_file() {
            std::fs::create_dir_all(&root).map_err(io(&root))?;
            tar(&[
                "--extract".as_ref(),
                "--file".as_ref(),
                from.join(FILES).as_os_str(),
                "--xattrs".as_ref(),
                "--xattrs-include=*".as_ref(),
                "--acls".as_ref(),
                "--same-owner".as_ref(),
                "--same-permissions".as_ref(),
                "--numeric-owner".as_ref(),
                "-C".as_ref(),
                root.as_os_str(),
            ])?;
            done.files = true;
        }
        Ok((manifest, done))
    })
    .await
}

/// Writes the saved annuaire into the (LDAP) directory.
pub async fn restore_directory(from: &Path, directory: &AnyDirectory) -> Result<usize> {
    let path = from.join(ANNUAIRE);
    if !path.is_file() {
        return Ok(0);
    }
    let AnyDirectory::Ldap(l) = directory else {
        return Err(Error::Policy(
            "la sauvegarde contient un annuaire LDAP : configurez [directory] backend = \"ldap\""
                .to_owned(),
        ));
    };
    let p = path.clone();
    let text = blocking(move || std::fs::read_to_string(&p).map_err(io(&p))).await?;
    let entries = ldif::parse(&text).map_err(|e| Error::Invalid {
        field: "annuaire.ldif",
        reason: e,
    })?;
    l.import(entries).await
}
