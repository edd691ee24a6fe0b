//! What the web shows about a space without walking it at every page: bytes used and the
//! most recently changed documents. Kept per space root, dropped by the daemon's watcher as
//! soon as anything under the root changes (over SMB as well as from the web), and after a
//! minute in any case.

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::ops::TRASH;

/// Documents listed as recent.
pub const RECENT: usize = 8;
/// Longest a summary is trusted without the watcher saying anything.
const TRUST: Duration = Duration::from_secs(60);

/// A recently changed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recent {
    /// Path inside the space.
    pub path: String,
    pub size: u64,
    /// Unix seconds.
    pub modified: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every byte of the space, corbeille included.
    pub used: u64,
    /// Newest first, corbeille and hidden entries left out.
    pub recent: Vec<Recent>,
    /// Bytes by Unix owner: what each person wrote in a shared space counts against his quota.
    pub by_owner: std::collections::BTreeMap<u32, u64>,
}

/// Summaries by space root.
#[derive(Default)]
pub struct Summaries {
    known: Mutex<HashMap<PathBuf, (Summary, Instant)>>,
}

impl Summaries {
    /// The space's summary, computed if unknown or stale. Blocking.
    pub fn of(&self, root: &Path) -> Summary {
        if let Ok(known) = self.known.lock()
            && let Some((s, at)) = known.get(root)
            && at.elapsed() < TRUST
        {
            return s.clone();
        }
        let s = compute(root);
        if let Ok(mut known) = self.known.lock() {
            known.insert(root.to_owned(), (s.clone(), Instant::now()));
        }
        s
    }

    /// Something changed at `path`: forget every space containing it.
    pub fn changed(&self, path: &Path) {
        if let Ok(mut known) = self.known.lock() {
            known.retain(|root, _| !path.starts_with(root));
        }
    }
}

fn open_dir(at: Option<&OwnedFd>, name: &std::ffi::CStr) -> Option<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    match at {
        Some(fd) => rustix::fs::openat(fd, name, flags, Mode::empty()).ok(),
        None => rustix::fs::open(name, flags, Mode::empty()).ok(),
    }
}

/// Walks a space once: total size, and the newest documents.
pub fn compute(root: &Path) -> Summary {
    let mut out = Summary::default();
    let Ok(c) = std::ffi::CString::new(root.as_os_str().as_encoded_bytes()) else {
        return out;
    };
    let Some(fd) = open_dir(None, &c) else {
        return out;
    };
    let mut recent = Vec::new();
    walk(&fd, "", 0, true, &mut out, &mut recent);
    recent.sort_by(|a: &Recent, b| b.modified.cmp(&a.modified).then(a.path.cmp(&b.path)));
    recent.truncate(RECENT);
    out.recent = recent;
    out
}

fn walk(
    fd: &OwnedFd,
    prefix: &str,
    depth: usize,
    shown: bool,
    out: &mut Summary,
    recent: &mut Vec<Recent>,
) {
    let Ok(dir) = rustix::fs::Dir::read_from(fd) else {
        return;
    };
    for e in dir.flatten() {
        let name = e.file_name();
        let bytes = name.to_bytes();
        if bytes == b"." || bytes == b".." {
            continue;
        }
        let Ok(st) = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
            continue;
        };
        let visible = shown && bytes.first() != Some(&b'.') && bytes != TRASH.as_bytes();
        let text = String::from_utf8_lossy(bytes);
        let path = if prefix.is_empty() {
            text.into_owned()
        } else {
            format!("{prefix}/{text}")
        };
        match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => {
                out.used += st.st_size as u64;
                *out.by_owner.entry(st.st_uid).or_default() += st.st_size as u64;
                if visible {
                    recent.push(Recent {
                        path,
                        size: st.st_size as u64,
                        modified: st.st_mtime,
                    });
                    // Keep the list short while walking a large space.
                    if recent.len() > RECENT * 8 {
                        recent.sort_by_key(|r| std::cmp::Reverse(r.modified));
                        recent.truncate(RECENT);
                    }
                }
            }
            FileType::Directory if depth < 64 => {
                if let Some(sub) = open_dir(Some(fd), name) {
                    walk(&sub, &path, depth + 1, visible, out, recent);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_corbeille_counted_not_shown() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path();
        std::fs::create_dir_all(root.join("cours/.corbeille/1-a"))?;
        std::fs::create_dir_all(root.join(".corbeille/2-b"))?;
        std::fs::write(root.join("cours/ancien.txt"), "12345")?;
        std::fs::write(root.join(".corbeille/2-b/jete.txt"), "123")?;
        let s = Summaries::default();
        let first = s.of(root);
        assert_eq!(first.used, 8);
        assert_eq!(first.recent.len(), 1);
        assert_eq!(first.recent[0].path, "cours/ancien.txt");
        std::fs::write(root.join("nouveau.txt"), "1")?;
        assert_eq!(s.of(root).used, 8, "kept until told");
        s.changed(&root.join("nouveau.txt"));
        assert_eq!(s.of(root).used, 9);
        Ok(())
    }
}
