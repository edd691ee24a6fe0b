//! Copying between spaces for devoirs, without ever following a link: a pupil's folder is
//! read one component at a time with `O_NOFOLLOW`, only folders and regular files are copied,
//! so a link planted over SMB (to another pupil's work, to a system file) copies nothing.

use std::io::Result;
use std::os::fd::OwnedFd;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::ops::TRASH;

/// Deepest folder copied.
const MAX_DEPTH: usize = 32;

fn open_dir_at(at: &OwnedFd, name: &str) -> Result<OwnedFd> {
    Ok(rustix::fs::openat(
        at,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

/// Creates (or opens) folder `name` in `at`, owned by `owner`.
pub fn ensure_dir_at(at: &OwnedFd, name: &str, owner: Option<u32>) -> Result<OwnedFd> {
    match rustix::fs::mkdirat(at, name, Mode::from_raw_mode(0o777)) {
        Ok(()) => {
            if let Some(uid) = owner {
                rustix::fs::chownat(
                    at,
                    name,
                    Some(rustix::fs::Uid::from_raw(uid)),
                    None,
                    AtFlags::SYMLINK_NOFOLLOW,
                )?;
            }
        }
        Err(rustix::io::Errno::EXIST) => {}
        Err(e) => return Err(e.into()),
    }
    open_dir_at(at, name)
}

/// Copies the content of folder `src` into folder `dst` (existing entries of the same name
/// are kept, the copy takes the first free name). Returns the number of files copied.
pub fn copy_into(src: &OwnedFd, dst: &OwnedFd, owner: Option<u32>) -> Result<usize> {
    copy_level(src, dst, owner, 0)
}

fn copy_level(src: &OwnedFd, dst: &OwnedFd, owner: Option<u32>, depth: usize) -> Result<usize> {
    let mut n = 0;
    for e in rustix::fs::Dir::read_from(src)? {
        let e = e?;
        let Ok(name) = e.file_name().to_str() else {
            continue;
        };
        if name == "." || name == ".." || name == TRASH || name.starts_with(".envoi-") {
            continue;
        }
        let Ok(st) = rustix::fs::statat(src, name, AtFlags::SYMLINK_NOFOLLOW) else {
            continue;
        };
        match FileType::from_raw_mode(st.st_mode) {
            FileType::Directory if depth < MAX_DEPTH => {
                let s = open_dir_at(src, name)?;
                let d = ensure_dir_at(dst, name, owner)?;
                n += copy_level(&s, &d, owner, depth + 1)?;
            }
            FileType::RegularFile => {
                let from = rustix::fs::openat(
                    src,
                    name,
                    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )?;
                let Ok(safe) = super::SafeName::parse(name) else {
                    continue;
                };
                let target = super::ops::free_name(dst, &safe)?;
                let to = rustix::fs::openat(
                    dst,
                    target.as_str(),
                    OFlags::WRONLY
                        | OFlags::CREATE
                        | OFlags::EXCL
                        | OFlags::NOFOLLOW
                        | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o666),
                )?;
                if let Some(uid) = owner {
                    rustix::fs::fchown(&to, Some(rustix::fs::Uid::from_raw(uid)), None)?;
                }
                let mut r = std::fs::File::from(from);
                let mut w = std::fs::File::from(to);
                std::io::copy(&mut r, &mut w)?;
                // A copy keeps its original's time (as `cp -p`): a handout untouched by the
                // pupil is never taken for work handed in, whatever second it was copied in.
                if let Ok(secs) = u64::try_from(st.st_mtime) {
                    let nanos = u32::try_from(st.st_mtime_nsec)
                        .unwrap_or(0)
                        .min(999_999_999);
                    w.set_modified(std::time::UNIX_EPOCH + std::time::Duration::new(secs, nanos))?;
                }
                w.sync_all()?;
                n += 1;
            }
            _ => {}
        }
    }
    rustix::fs::fsync(dst)?;
    Ok(n)
}

/// Whether a folder holds any regular file changed after `since` (unix seconds), or any file
/// not among `original` names: the pupil handed something in.
pub fn changed_since(dir: &OwnedFd, since: i64, original: &[String]) -> bool {
    fn walk(dir: &OwnedFd, since: i64, original: &[String], prefix: &str, depth: usize) -> bool {
        let Ok(d) = rustix::fs::Dir::read_from(dir) else {
            return false;
        };
        for e in d.flatten() {
            let Ok(name) = e.file_name().to_str() else {
                continue;
            };
            if name == "." || name == ".." || name.starts_with('.') {
                continue;
            }
            let Ok(st) = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) else {
                continue;
            };
            let path = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            };
            match FileType::from_raw_mode(st.st_mode) {
                FileType::RegularFile if st.st_mtime > since || !original.contains(&path) => {
                    return true;
                }
                FileType::Directory if depth < MAX_DEPTH => {
                    if let Ok(sub) = open_dir_at(dir, name)
                        && walk(&sub, since, original, &path, depth + 1)
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
    walk(dir, since, original, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(p: &std::path::Path) -> Result<OwnedFd> {
        Ok(rustix::fs::open(
            p,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?)
    }

    #[test]
    fn links_are_not_copied() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let (src, dst) = (tmp.path().join("eleve"), tmp.path().join("prof"));
        std::fs::create_dir_all(src.join("partie 2"))?;
        std::fs::create_dir_all(&dst)?;
        std::fs::write(src.join("copie.odt"), "ma copie")?;
        std::fs::write(src.join("partie 2/annexe.txt"), "annexe")?;
        std::fs::write(tmp.path().join("secret.txt"), "secret")?;
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), src.join("lien.txt"))?;
        std::os::unix::fs::symlink(tmp.path(), src.join("dossier-lien"))?;
        assert_eq!(copy_into(&open(&src)?, &open(&dst)?, None)?, 2);
        assert_eq!(std::fs::read_to_string(dst.join("copie.odt"))?, "ma copie");
        assert!(dst.join("partie 2/annexe.txt").is_file());
        assert!(!dst.join("lien.txt").exists() && !dst.join("dossier-lien").exists());
        // Copied again: the first copy is kept.
        copy_into(&open(&src)?, &open(&dst)?, None)?;
        assert!(dst.join("copie (2).odt").is_file());
        assert!(changed_since(&open(&src)?, 0, &[]));
        let all = ["copie.odt".to_owned(), "partie 2/annexe.txt".to_owned()];
        assert!(!changed_since(&open(&src)?, i64::MAX, &all));
        Ok(())
    }
}
