//! What people do to files in a space, from the web: list, read, create, rename, move, send to
//! the corbeille and back. Every operation starts from the space's root and walks down with
//! [`open_beneath`] (no symbolic link followed), then acts relative to the opened folder, so
//! a link or a `..` planted over SMB cannot lead it outside. Blocking: call it off the
//! executor.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{Error, ErrorKind, Result};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};

use super::name::SafeName;
use super::path::{RelPath, Want, open_beneath};

/// The hidden folder of a space holding what was deleted (vetoed over SMB).
pub const TRASH: &str = ".corbeille";
/// Prefix of an upload being written; renamed to its name once complete.
const PARTIAL: &str = ".envoi-";

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
    pub size: u64,
    /// Unix seconds.
    pub modified: i64,
}

/// A space's folder, opened.
pub struct Space<'a> {
    pub root: &'a Path,
    /// Unix owner given to what is created here (the person, so SMB sees it as theirs).
    pub owner: Option<u32>,
}

fn dir(space: &Space<'_>, rel: &RelPath) -> Result<OwnedFd> {
    open_beneath(space.root, rel, Want::Dir)
}

fn entry_of(dirfd: &OwnedFd, name: &OsStr) -> Option<Entry> {
    let st = rustix::fs::statat(dirfd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
    let kind = FileType::from_raw_mode(st.st_mode);
    if !matches!(kind, FileType::Directory | FileType::RegularFile) {
        return None;
    }
    Some(Entry {
        name: name.to_str()?.to_owned(),
        is_dir: kind == FileType::Directory,
        size: st.st_size as u64,
        modified: st.st_mtime,
    })
}

/// The folder's folders then files, by name; hidden entries, links and anything but folders
/// and regular files are left out.
pub fn list(space: &Space<'_>, rel: &RelPath) -> Result<Vec<Entry>> {
    let fd = dir(space, rel)?;
    let mut out = Vec::new();
    for e in rustix::fs::Dir::read_from(&fd)? {
        let e = e?;
        let name = OsStr::from_bytes(e.file_name().to_bytes());
        if name.as_bytes().first() == Some(&b'.') {
            continue;
        }
        if let Some(entry) = entry_of(&fd, name) {
            out.push(entry);
        }
    }
    out.sort_by(|a, b| {
        (!a.is_dir)
            .cmp(&!b.is_dir)
            .then_with(|| crate::collation::compare(&a.name, &b.name))
    });
    Ok(out)
}

/// Opens a file for reading.
/// The files of a space, as paths, sorted, at most `max` (six folders deep, leaving out the
/// top-level folders named in `skip`).
pub fn files_under(root: &Path, skip: &[&str], max: usize) -> Vec<String> {
    let space = Space { root, owner: None };
    let mut out = Vec::new();
    let mut queue = vec![(RelPath::default(), 0)];
    while let Some((dir, depth)) = queue.pop() {
        let Ok(entries) = list(&space, &dir) else {
            continue;
        };
        for e in entries {
            let Ok(name) = SafeName::parse(&e.name) else {
                continue;
            };
            if depth == 0 && e.is_dir && skip.contains(&e.name.as_str()) {
                continue;
            }
            let p = dir.join(name);
            if e.is_dir {
                if depth < 6 {
                    queue.push((p, depth + 1));
                }
            } else if out.len() < max {
                out.push(p.as_string());
            }
        }
    }
    out.sort();
    out
}

pub fn open_file(space: &Space<'_>, rel: &RelPath) -> Result<File> {
    Ok(File::from(open_beneath(space.root, rel, Want::File)?))
}

/// Whether a name is free in a folder.
fn free(dirfd: &OwnedFd, name: &str) -> Result<bool> {
    match rustix::fs::statat(dirfd, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(_) => Ok(false),
        Err(rustix::io::Errno::NOENT) => Ok(true),
        Err(e) => Err(e.into()),
    }
}

/// `name`, or `name (2).ext`, `name (3).ext`... the first that is free.
pub fn free_name(dirfd: &OwnedFd, name: &SafeName) -> Result<SafeName> {
    if free(dirfd, name.as_str())? {
        return Ok(name.clone());
    }
    let s = name.as_str();
    let (stem, ext) = match s.rfind('.') {
        Some(i) if i > 0 => (&s[..i], &s[i..]),
        _ => (s, ""),
    };
    for n in 2..10_000 {
        let candidate = format!("{stem} ({n}){ext}");
        if let Ok(c) = SafeName::parse(&candidate)
            && free(dirfd, c.as_str())?
        {
            return Ok(c);
        }
    }
    Err(Error::new(ErrorKind::AlreadyExists, s.to_owned()))
}

/// A new file being written: created hidden beside its destination, renamed into place by
/// [`Upload::finish`], removed if dropped unfinished (nothing half-written is ever shown).
pub struct Upload {
    dirfd: OwnedFd,
    partial: String,
    pub file: Option<File>,
    name: SafeName,
    done: bool,
}

pub fn start_upload(space: &Space<'_>, folder: &RelPath, name: SafeName) -> Result<Upload> {
    let dirfd = dir(space, folder)?;
    let partial = format!("{PARTIAL}{:016x}", rand::random::<u64>());
    let fd = rustix::fs::openat(
        &dirfd,
        partial.as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )?;
    if let Some(uid) = space.owner {
        rustix::fs::fchown(&fd, Some(rustix::fs::Uid::from_raw(uid)), None)?;
    }
    Ok(Upload {
        dirfd,
        partial,
        file: Some(File::from(fd)),
        name,
        done: false,
    })
}

impl Upload {
    /// Syncs the data and gives the file its name (the first free one). Returns it.
    pub fn finish(mut self) -> Result<SafeName> {
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        let name = free_name(&self.dirfd, &self.name)?;
        rustix::fs::renameat_with(
            &self.dirfd,
            self.partial.as_str(),
            &self.dirfd,
            name.as_str(),
            RenameFlags::NOREPLACE,
        )?;
        rustix::fs::fsync(&self.dirfd)?;
        self.done = true;
        Ok(name)
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if !self.done {
            let _ = rustix::fs::unlinkat(&self.dirfd, self.partial.as_str(), AtFlags::empty());
        }
    }
}

/// Creates a folder; refuses an existing name.
pub fn make_dir(space: &Space<'_>, folder: &RelPath, name: &SafeName) -> Result<()> {
    let fd = dir(space, folder)?;
    rustix::fs::mkdirat(&fd, name.as_str(), Mode::from_raw_mode(0o777))?;
    if let Some(uid) = space.owner {
        rustix::fs::chownat(
            &fd,
            name.as_str(),
            Some(rustix::fs::Uid::from_raw(uid)),
            None,
            AtFlags::SYMLINK_NOFOLLOW,
        )?;
    }
    rustix::fs::fsync(&fd)?;
    Ok(())
}

/// Renames an entry within its folder; refuses a name already taken.
pub fn rename(space: &Space<'_>, rel: &RelPath, new_name: &SafeName) -> Result<()> {
    let (folder, name) = rel
        .parent()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "racine"))?;
    let fd = dir(space, &folder)?;
    existing(&fd, name)?;
    rustix::fs::renameat_with(
        &fd,
        name.as_str(),
        &fd,
        new_name.as_str(),
        RenameFlags::NOREPLACE,
    )?;
    rustix::fs::fsync(&fd)?;
    Ok(())
}

/// One entry of an opened folder, if it is a folder or a regular file.
pub fn list_one(dirfd: &OwnedFd, name: &SafeName) -> Result<Entry> {
    existing(dirfd, name)
}

/// The entry must be a folder or a regular file (not a link).
fn existing(dirfd: &OwnedFd, name: &SafeName) -> Result<Entry> {
    entry_of(dirfd, OsStr::new(name.as_str())).ok_or_else(|| Error::from(ErrorKind::NotFound))
}

/// Moves an entry into another folder of the same space, keeping its name (or the first free
/// one). A folder cannot go inside itself.
pub fn move_to(space: &Space<'_>, rel: &RelPath, dest: &RelPath) -> Result<SafeName> {
    let (folder, name) = rel
        .parent()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "racine"))?;
    if dest.components().starts_with(rel.components()) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "un dossier ne peut pas aller dans lui-même",
        ));
    }
    let from = dir(space, &folder)?;
    existing(&from, name)?;
    let to = dir(space, dest)?;
    let target = free_name(&to, name)?;
    rustix::fs::renameat_with(
        &from,
        name.as_str(),
        &to,
        target.as_str(),
        RenameFlags::NOREPLACE,
    )?;
    rustix::fs::fsync(&from)?;
    rustix::fs::fsync(&to)?;
    Ok(target)
}

/// Bytes used by a folder and everything in it (links not followed, not counted).
pub fn usage(root: &Path) -> u64 {
    fn walk(fd: &OwnedFd, depth: usize) -> u64 {
        let Ok(d) = rustix::fs::Dir::read_from(fd) else {
            return 0;
        };
        let mut total = 0;
        for e in d.flatten() {
            let name = e.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            let Ok(st) = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
                continue;
            };
            match FileType::from_raw_mode(st.st_mode) {
                FileType::RegularFile => total += st.st_size as u64,
                FileType::Directory if depth < 64 => {
                    if let Ok(sub) = rustix::fs::openat(
                        fd,
                        name,
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                        Mode::empty(),
                    ) {
                        total += walk(&sub, depth + 1);
                    }
                }
                _ => {}
            }
        }
        total
    }
    match rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => walk(&fd, 0),
        Err(_) => 0,
    }
}

/// The folder that holds a space's corbeille.
pub fn trash_dir(root: &Path) -> PathBuf {
    root.join(TRASH)
}
