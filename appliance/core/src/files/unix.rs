//! The accounts as unix sees them: `passwd` and `group` files for libnss-extrausers, so smbd
//! (and `ls -l`) can look accounts up by name with no NSS daemon; smbd's own authentication
//! reads LDAP (`ldapsam:trusted`). Written whole and renamed into place, never half-written.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use crate::directory::{GroupKind, Posix, PosixGroupOf};

/// Login shell of every account: files only, no shell on the server.
const NO_SHELL: &str = "/usr/sbin/nologin";

/// `passwd` lines: `login:x:uid:gid:gecos:home:shell`, home being the person's space.
pub fn passwd(posix: &Posix, perso_root: &Path) -> String {
    posix
        .accounts
        .iter()
        .map(|a| {
            format!(
                "{login}:x:{uid}:{gid}::{home}:{NO_SHELL}\n",
                login = a.login,
                uid = a.uid,
                gid = a.gid,
                home = perso_root.join(a.login.as_str()).display()
            )
        })
        .collect()
}

/// `group` lines: one group per class (`cl-6a`), teaching group (`gr-4-esp`), équipe
/// (`eq-profs-6a`) and service (`sv-...`), with its members.
pub fn group(posix: &Posix) -> String {
    let mut used = HashSet::new();
    let mut out = String::new();
    for g in &posix.groups {
        let (prefix, code) = match &g.of {
            PosixGroupOf::Class(c) => ("cl", c.as_str()),
            PosixGroupOf::Group(c, GroupKind::Groupe) => ("gr", c.as_str()),
            PosixGroupOf::Group(c, GroupKind::Equipe) => ("eq", c.as_str()),
            PosixGroupOf::Group(c, GroupKind::Service) => ("sv", c.as_str()),
        };
        let mut name = format!("{prefix}-{}", unix_name(code));
        if !used.insert(name.clone()) {
            name = format!("{name}-{}", g.gid);
            used.insert(name.clone());
        }
        let members = g
            .members
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(&format!("{name}:x:{}:{members}\n", g.gid));
    }
    out
}

/// A code as a unix group name: lowercase ASCII letters, digits and `-`.
pub(crate) fn unix_name(code: &str) -> String {
    let mut s: String = unicode_normalization::UnicodeNormalization::nfd(code)
        .filter(char::is_ascii)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.truncate(24);
    s
}

/// Writes `text` to `path` through a temporary file, synced, then renamed: a reader sees the
/// old file or the new one. Unchanged content is not rewritten.
pub fn write_atomically(path: &Path, text: &str, mode: u32) -> std::io::Result<bool> {
    write_atomically_bytes(path, text.as_bytes(), mode)
}

/// [`write_atomically`] for any bytes.
pub fn write_atomically_bytes(path: &Path, text: &[u8], mode: u32) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, mode);
    let mut f = opts.open(&tmp)?;
    f.write_all(text)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(true)
}

/// Gives `path` (and, for a folder, all beneath it) the owner of `reference` where they differ.
/// A command run as root (`cartabled backup`, `import`) makes what the service, running as the
/// data's owner, must later read, replace or prune. Only root can change an owner; for anyone
/// else the owners already match.
pub fn owned_like(reference: &Path, path: &Path) -> std::io::Result<()> {
    if owned_like_alone(reference, path)? {
        for e in std::fs::read_dir(path)? {
            owned_like(reference, &e?.path())?;
        }
    }
    Ok(())
}

/// [`owned_like`] for `path` itself only; returns whether it is a folder.
pub fn owned_like_alone(reference: &Path, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let want = std::fs::metadata(reference)?;
    let have = std::fs::symlink_metadata(path)?;
    if (want.uid(), want.gid()) != (have.uid(), have.gid()) {
        std::os::unix::fs::lchown(path, Some(want.uid()), Some(want.gid()))?;
    }
    Ok(have.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{ClassCode, GroupCode, Login, PosixAccount, PosixGroup};

    #[test]
    fn files_nss_extrausers_reads() -> Result<(), Box<dyn std::error::Error>> {
        let posix = Posix {
            accounts: vec![PosixAccount {
                login: Login::parse("lea.martin")?,
                uid: 10_004,
                gid: 100,
            }],
            groups: vec![
                PosixGroup {
                    of: PosixGroupOf::Class(ClassCode::parse("6ème A")?),
                    gid: 10_001,
                    members: vec![Login::parse("lea.martin")?, Login::parse("hugo.petit")?],
                },
                PosixGroup {
                    of: PosixGroupOf::Group(GroupCode::parse("6ème-A")?, GroupKind::Groupe),
                    gid: 10_002,
                    members: vec![],
                },
            ],
        };
        assert_eq!(
            passwd(&posix, Path::new("/srv/cartable/perso")),
            "lea.martin:x:10004:100::/srv/cartable/perso/lea.martin:/usr/sbin/nologin\n"
        );
        assert_eq!(
            group(&posix),
            "cl-6eme-a:x:10001:lea.martin,hugo.petit\ngr-6eme-a:x:10002:\n"
        );
        Ok(())
    }
}
