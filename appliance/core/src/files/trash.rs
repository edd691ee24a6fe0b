//! The corbeille of a space: a deleted entry is moved to `.corbeille/<id>/<name>` with a note
//! of where it was and when (`.corbeille/<id>.json`); it can be put back until it is purged
//! after the configured number of days. Nothing is destroyed by a click.

use std::io::{Error, ErrorKind, Result};
use std::path::Path;

use rustix::fs::{AtFlags, Mode, OFlags, RenameFlags};
use serde::{Deserialize, Serialize};

use super::name::SafeName;
use super::ops::{self, Space, TRASH};
use super::path::{RelPath, Want, open_beneath};

/// One entry in the corbeille.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    pub id: String,
    pub name: String,
    /// The folder it was in (`""` for the space itself).
    pub from: String,
    /// Unix seconds.
    pub deleted_at: i64,
    pub is_dir: bool,
    pub size: u64,
}

#[derive(Serialize, Deserialize)]
struct Note {
    name: String,
    from: String,
    deleted_at: i64,
}

fn trash_fd(space: &Space<'_>) -> Result<std::os::fd::OwnedFd> {
    let root = rustix::fs::open(
        space.root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    match rustix::fs::mkdirat(&root, TRASH, Mode::from_raw_mode(0o700)) {
        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(rustix::fs::openat(
        &root,
        TRASH,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// Moves `rel` to the corbeille.
pub fn delete(space: &Space<'_>, rel: &RelPath, now: i64) -> Result<Trashed> {
    let (folder, name) = rel
        .parent()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "racine"))?;
    let from = open_beneath(space.root, &folder, Want::Dir)?;
    let entry = ops::list_one(&from, name)?;
    let trash = trash_fd(space)?;
    let id = format!("{now:x}-{:08x}", rand::random::<u32>());
    rustix::fs::mkdirat(&trash, id.as_str(), Mode::from_raw_mode(0o700))?;
    let holder = rustix::fs::openat(
        &trash,
        id.as_str(),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let note = Note {
        name: name.as_str().to_owned(),
        from: folder.as_string(),
        deleted_at: now,
    };
    write_note(&trash, &id, &note)?;
    rustix::fs::renameat_with(
        &from,
        name.as_str(),
        &holder,
        name.as_str(),
        RenameFlags::NOREPLACE,
    )?;
    rustix::fs::fsync(&from)?;
    rustix::fs::fsync(&holder)?;
    Ok(Trashed {
        id,
        name: note.name,
        from: note.from,
        deleted_at: now,
        is_dir: entry.is_dir,
        size: entry.size,
    })
}

fn write_note(trash: &std::os::fd::OwnedFd, id: &str, note: &Note) -> Result<()> {
    let text = serde_json::to_vec(note).map_err(Error::other)?;
    let fd = rustix::fs::openat(
        trash,
        format!("{id}.json").as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )?;
    let mut f = std::fs::File::from(fd);
    std::io::Write::write_all(&mut f, &text)?;
    f.sync_all()
}

fn read_note(trash: &std::os::fd::OwnedFd, id: &str) -> Option<Note> {
    let fd = rustix::fs::openat(
        trash,
        format!("{id}.json").as_str(),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut std::fs::File::from(fd), &mut text).ok()?;
    serde_json::from_slice(&text).ok()
}

/// What the corbeille holds, most recently deleted first.
pub fn list(space: &Space<'_>) -> Result<Vec<Trashed>> {
    let trash = trash_fd(space)?;
    let mut out = Vec::new();
    for e in rustix::fs::Dir::read_from(&trash)? {
        let e = e?;
        let Ok(id) = e.file_name().to_str() else {
            continue;
        };
        if !valid_id(id) {
            continue;
        }
        let Some(note) = read_note(&trash, id) else {
            continue;
        };
        let Ok(holder) = rustix::fs::openat(
            &trash,
            id,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            continue;
        };
        let Ok(name) = SafeName::parse(&note.name) else {
            continue;
        };
        let Ok(entry) = ops::list_one(&holder, &name) else {
            continue;
        };
        let size = if entry.is_dir {
            ops::usage(&space.root.join(TRASH).join(id))
        } else {
            entry.size
        };
        out.push(Trashed {
            id: id.to_owned(),
            name: note.name,
            from: note.from,
            deleted_at: note.deleted_at,
            is_dir: entry.is_dir,
            size,
        });
    }
    out.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// Puts an entry back where it was (or in the space itself if that folder is gone), under
/// its name or the first free one. Returns where it went.
pub fn restore(space: &Space<'_>, id: &str) -> Result<RelPath> {
    if !valid_id(id) {
        return Err(ErrorKind::NotFound.into());
    }
    let trash = trash_fd(space)?;
    let note = read_note(&trash, id).ok_or(ErrorKind::NotFound)?;
    let name = SafeName::parse(&note.name).map_err(|e| Error::new(ErrorKind::InvalidData, e))?;
    let holder = rustix::fs::openat(
        &trash,
        id,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let folder = RelPath::parse(&note.from).unwrap_or_default();
    let (folder, to) = match open_beneath(space.root, &folder, Want::Dir) {
        Ok(fd) => (folder, fd),
        Err(_) => (
            RelPath::default(),
            open_beneath(space.root, &RelPath::default(), Want::Dir)?,
        ),
    };
    let target = ops::free_name(&to, &name)?;
    rustix::fs::renameat_with(
        &holder,
        name.as_str(),
        &to,
        target.as_str(),
        RenameFlags::NOREPLACE,
    )?;
    rustix::fs::fsync(&to)?;
    forget(&trash, space.root, id)?;
    Ok(folder.join(target))
}

fn forget(trash: &std::os::fd::OwnedFd, root: &Path, id: &str) -> Result<()> {
    let _ = rustix::fs::unlinkat(trash, format!("{id}.json").as_str(), AtFlags::empty());
    // The holder is a folder of ours inside the vetoed corbeille; std's remove_dir_all does
    // not follow links inside it.
    match std::fs::remove_dir_all(root.join(TRASH).join(id)) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Destroys one entry for good.
pub fn destroy(space: &Space<'_>, id: &str) -> Result<()> {
    if !valid_id(id) {
        return Err(ErrorKind::NotFound.into());
    }
    let trash = trash_fd(space)?;
    forget(&trash, space.root, id)
}

/// Destroys what was deleted before `before` (unix seconds); returns how many entries.
pub fn purge(space: &Space<'_>, before: i64) -> Result<usize> {
    let mut n = 0;
    for t in list(space)? {
        if t.deleted_at < before {
            destroy(space, &t.id)?;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rel(s: &str) -> RelPath {
        RelPath::parse(s).unwrap_or_default()
    }
    fn name(s: &str) -> SafeName {
        SafeName::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_day_in_a_space() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path().join("perso");
        std::fs::create_dir(&root)?;
        let space = Space {
            root: &root,
            owner: None,
        };
        ops::make_dir(&space, &rel(""), &name("Histoire géo"))?;
        let mut up = ops::start_upload(&space, &rel("Histoire géo"), name("exposé.odt"))?;
        up.file
            .as_mut()
            .ok_or(ErrorKind::Other)?
            .write_all(b"volcans")?;
        assert_eq!(up.finish()?.as_str(), "exposé.odt");
        // The same name again gets a free one; an upload dropped half-way leaves nothing.
        let up = ops::start_upload(&space, &rel("Histoire géo"), name("exposé.odt"))?;
        assert_eq!(up.finish()?.as_str(), "exposé (2).odt");
        drop(ops::start_upload(
            &space,
            &rel("Histoire géo"),
            name("perdu.odt"),
        )?);
        let names: Vec<_> = ops::list(&space, &rel("Histoire géo"))?
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["exposé (2).odt", "exposé.odt"]);

        ops::rename(
            &space,
            &rel("Histoire géo/exposé (2).odt"),
            &name("brouillon.odt"),
        )?;
        ops::make_dir(&space, &rel(""), &name("Archives"))?;
        ops::move_to(&space, &rel("Histoire géo/brouillon.odt"), &rel("Archives"))?;
        assert!(root.join("Archives/brouillon.odt").is_file());
        assert!(ops::move_to(&space, &rel("Archives"), &rel("Archives")).is_err());
        assert_eq!(ops::usage(&root), 7);

        // Deleted, listed in the corbeille, put back; then deleted again and purged.
        let t = delete(&space, &rel("Histoire géo"), 1_000)?;
        assert!(!root.join("Histoire géo").exists());
        let listed = list(&space)?;
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].name.as_str(), listed[0].size),
            ("Histoire géo", 7)
        );
        assert_eq!(restore(&space, &t.id)?.as_string(), "Histoire géo");
        assert!(root.join("Histoire géo/exposé.odt").is_file());
        assert!(list(&space)?.is_empty());
        delete(&space, &rel("Archives/brouillon.odt"), 1_000)?;
        delete(&space, &rel("Histoire géo/exposé.odt"), 5_000)?;
        assert_eq!(purge(&space, 2_000)?, 1);
        assert_eq!(list(&space)?.len(), 1);
        // What is in the corbeille is out of sight.
        assert!(ops::list(&space, &rel(""))?.iter().all(|e| e.name != TRASH));
        Ok(())
    }

    #[test]
    fn links_planted_in_a_space_lead_nowhere() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path().join("perso");
        std::fs::create_dir(&root)?;
        let secret = tmp.path().join("autre");
        std::fs::create_dir(&secret)?;
        std::fs::write(secret.join("notes.txt"), "20/20")?;
        std::os::unix::fs::symlink(&secret, root.join("raccourci"))?;
        std::os::unix::fs::symlink(secret.join("notes.txt"), root.join("notes.txt"))?;
        let space = Space {
            root: &root,
            owner: None,
        };
        assert!(
            ops::list(&space, &rel(""))?.is_empty(),
            "links are not listed"
        );
        assert!(ops::list(&space, &rel("raccourci")).is_err());
        assert!(ops::open_file(&space, &rel("notes.txt")).is_err());
        assert!(ops::start_upload(&space, &rel("raccourci"), name("x.txt")).is_err());
        assert!(ops::make_dir(&space, &rel("raccourci"), &name("x")).is_err());
        assert!(delete(&space, &rel("raccourci"), 1).is_err());
        assert!(ops::rename(&space, &rel("notes.txt"), &name("n.txt")).is_err());
        assert!(ops::move_to(&space, &rel("notes.txt"), &rel("")).is_err());
        assert!(restore(&space, "../../autre").is_err());
        assert!(secret.join("notes.txt").is_file());
        Ok(())
    }
}

/// Every space root of the tree: each person's, each class's two parts, each group's, commun.
pub fn space_roots(tree: &super::tree::Tree) -> Vec<std::path::PathBuf> {
    let subdirs = |p: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = subdirs(&tree.perso_root());
    for class in subdirs(&tree.root().join("classes")) {
        out.push(class.join("donnees"));
        out.push(class.join("travail"));
    }
    out.extend(subdirs(&tree.root().join("groupes")));
    out.push(tree.commun());
    out
}

/// Destroys, in every space, what has been in the corbeille since before `before`.
pub fn purge_tree(tree: &super::tree::Tree, before: i64) -> usize {
    let mut n = 0;
    for root in space_roots(tree) {
        if !root.join(TRASH).is_dir() {
            continue;
        }
        let space = Space {
            root: &root,
            owner: None,
        };
        match purge(&space, before) {
            Ok(k) => n += k,
            Err(e) => tracing::warn!(space = %root.display(), "corbeille : {e}"),
        }
    }
    n
}

#[cfg(test)]
mod purge_tests {
    use super::*;
    use crate::files::tree::Tree;

    #[test]
    fn old_entries_go_in_every_space() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let tree = Tree::new(tmp.path());
        let perso = tmp.path().join("perso/lea.martin");
        let travail = tmp.path().join("classes/6A/travail");
        for d in [&perso, &travail, &tmp.path().join("commun")] {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(perso.join("vieux.txt"), "x")?;
        std::fs::write(travail.join("recent.txt"), "y")?;
        let s = |root| Space { root, owner: None };
        delete(
            &s(&perso),
            &RelPath::parse("vieux.txt").unwrap_or_default(),
            100,
        )?;
        delete(
            &s(&travail),
            &RelPath::parse("recent.txt").unwrap_or_default(),
            10_000,
        )?;
        assert_eq!(purge_tree(&tree, 5_000), 1);
        assert!(list(&s(&perso))?.is_empty());
        assert_eq!(list(&s(&travail))?.len(), 1);
        Ok(())
    }
}
