//! The tree under the files root, and keeping its folders, owners and ACLs in step with the
//! directory:
//!
//! ```text
//! perso/<login>            the person's own space (the SMB home share); owner only
//! classes/<classe>/donnees read for the class's pupils, write for its équipe pédagogique
//! classes/<classe>/travail read and write for both
//! groupes/<groupe>         read and write for its members
//! commun                   read for everyone, write for staff
//! devoirs                  the service's own: exams distributed but not yet released
//! ```
//!
//! Nothing is ever deleted here: the space of someone who left, or of a class that is gone,
//! stays until the RUPN purges it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::acl::{self, Acl, Perm};
use crate::directory::{ClassCode, GroupCode, GroupRef, Login, Posix, Profile, equipe_of};

/// Where the spaces are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    root: PathBuf,
}

/// A class's two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClassPart {
    Donnees,
    Travail,
}

impl ClassPart {
    pub fn dir(self) -> &'static str {
        match self {
            Self::Donnees => "donnees",
            Self::Travail => "travail",
        }
    }
}

impl Tree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn perso_root(&self) -> PathBuf {
        self.root.join("perso")
    }
    pub fn perso(&self, login: &Login) -> PathBuf {
        self.perso_root().join(login.as_str())
    }
    pub fn class(&self, code: &ClassCode) -> PathBuf {
        self.root.join("classes").join(dir_name(code.as_str()))
    }
    pub fn class_part(&self, code: &ClassCode, part: ClassPart) -> PathBuf {
        self.class(code).join(part.dir())
    }
    pub fn group(&self, code: &GroupCode) -> PathBuf {
        self.root.join("groupes").join(dir_name(code.as_str()))
    }
    pub fn commun(&self) -> PathBuf {
        self.root.join("commun")
    }
    pub fn devoirs(&self) -> PathBuf {
        self.root.join("devoirs")
    }
}

/// A class or group code as a folder name Windows and Linux accept.
pub fn dir_name(code: &str) -> String {
    let s: String = code
        .chars()
        .map(|c| if "<>:\"/\\|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = s.trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        "_".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Who has spaces: every account with its profile, the classes and groups.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub people: Vec<(Login, Profile)>,
    pub classes: Vec<ClassCode>,
    pub groups: Vec<GroupRef>,
    pub posix: Posix,
}

/// Whether a profile gets a personal space: parents do not.
pub fn has_space(p: Profile) -> bool {
    p != Profile::Responsable
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub created: usize,
    pub adjusted: usize,
}

/// One folder as it should be.
struct Want {
    path: PathBuf,
    /// New entries take the folder's group, not their creator's primary group (which every
    /// account shares and which would otherwise decide who reads them).
    shared: bool,
    owner: Option<(u32, u32)>,
    access: Acl,
    default: Option<Acl>,
}

/// Brings the tree in line with the roster. Without unix identities (embedded directory),
/// folders belong to the service alone and only the web reaches them.
pub fn sync(tree: &Tree, roster: &Roster) -> std::io::Result<SyncReport> {
    let posix = &roster.posix;
    let with_ids = !posix.accounts.is_empty();
    let private = Acl::mode(Perm::WRITE, Perm::NONE, Perm::NONE);
    let traverse = Acl::mode(Perm::WRITE, Perm::NONE, Perm::TRAVERSE);
    let readable = Acl::mode(Perm::WRITE, Perm::READ, Perm::READ);
    let mut wants = vec![
        want(tree.root(), None, readable.clone(), None),
        want(&tree.perso_root(), None, traverse, None),
        // Listed by all: smbd's `hide unreadable` shows each only his own classes.
        want(&tree.root.join("classes"), None, readable.clone(), None),
        want(&tree.root.join("groupes"), None, readable.clone(), None),
        want(&tree.devoirs(), None, private.clone(), None),
    ];
    for (login, profile) in &roster.people {
        if !has_space(*profile) {
            continue;
        }
        let owner = posix.account(login).map(|a| (a.uid, a.gid));
        let p = private.clone();
        let mut w = want(&tree.perso(login), owner, p.clone(), Some(p));
        w.shared = false;
        wants.push(w);
    }
    for code in &roster.classes {
        let class_gid = posix.class(code).map(|g| g.gid);
        let equipe_gid = posix
            .group(
                &equipe_of(&crate::directory::ClassRef {
                    code: code.clone(),
                    label: String::new(),
                })
                .code,
            )
            .map(|g| g.gid);
        let acl = |pupils: Perm, teachers: Perm| Acl {
            owner: Perm::WRITE,
            group: if with_ids { pupils } else { Perm::NONE },
            other: Perm::NONE,
            users: vec![],
            groups: equipe_gid.map(|g| vec![(g, teachers)]).unwrap_or_default(),
        };
        let owner = class_gid.map(|g| (0, g));
        wants.push(want(
            &tree.class(code),
            owner,
            acl(Perm::READ, Perm::READ),
            None,
        ));
        for (part, pupils) in [
            (ClassPart::Donnees, Perm::READ),
            (ClassPart::Travail, Perm::WRITE),
        ] {
            let a = acl(pupils, Perm::WRITE);
            wants.push(want(
                &tree.class_part(code, part),
                owner,
                a.clone(),
                Some(a),
            ));
        }
    }
    for g in &roster.groups {
        let gid = posix.group(&g.code).map(|p| p.gid);
        let a = Acl {
            owner: Perm::WRITE,
            group: if gid.is_some() {
                Perm::WRITE
            } else {
                Perm::NONE
            },
            other: Perm::NONE,
            users: vec![],
            groups: vec![],
        };
        wants.push(want(
            &tree.group(&g.code),
            gid.map(|g| (0, g)),
            a.clone(),
            Some(a),
        ));
    }
    let staff: Vec<(u32, Perm)> = roster
        .people
        .iter()
        .filter(|(_, p)| p.is_staff())
        .filter_map(|(l, _)| posix.account(l).map(|a| (a.uid, Perm::WRITE)))
        .collect();
    let commun = Acl {
        owner: Perm::WRITE,
        group: Perm::NONE,
        other: if with_ids { Perm::READ } else { Perm::NONE },
        users: staff,
        groups: vec![],
    };
    wants.push(want(&tree.commun(), None, commun.clone(), Some(commun)));

    let mut report = SyncReport::default();
    for w in &wants {
        apply(w, with_ids, &mut report)?;
    }
    Ok(report)
}

const SETGID: u32 = 0o2000;

fn want(path: &Path, owner: Option<(u32, u32)>, access: Acl, default: Option<Acl>) -> Want {
    Want {
        path: path.to_owned(),
        shared: default.is_some(),
        owner,
        access,
        default,
    }
}

fn apply(w: &Want, with_ids: bool, report: &mut SyncReport) -> std::io::Result<()> {
    let meta = match std::fs::symlink_metadata(&w.path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let Some(meta) = meta else {
        std::fs::create_dir_all(&w.path)?;
        report.created += 1;
        return settle(w, with_ids);
    };
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} n'est pas un dossier",
            w.path.display()
        )));
    }
    let owner_ok = w
        .owner
        .is_none_or(|(u, g)| meta.uid() == u && meta.gid() == g);
    let acl_ok = if with_ids {
        let mode = meta.permissions().mode();
        (mode & SETGID != 0) == w.shared
            && acl::matches(&w.path, mode, &w.access, w.default.as_ref())
    } else {
        meta.permissions().mode() & 0o777 == 0o700 || w.path.ends_with("commun")
    };
    if !owner_ok || !acl_ok {
        report.adjusted += 1;
        settle(w, with_ids)?;
    }
    Ok(())
}

fn settle(w: &Want, with_ids: bool) -> std::io::Result<()> {
    if let Some((u, g)) = w.owner {
        std::os::unix::fs::lchown(&w.path, Some(u), Some(g))?;
    }
    if with_ids {
        let mode = if w.shared { 0o2700 } else { 0o700 };
        std::fs::set_permissions(&w.path, std::fs::Permissions::from_mode(mode))?;
        acl::set(&w.path, &w.access, w.default.as_ref())
    } else {
        std::fs::set_permissions(&w.path, std::fs::Permissions::from_mode(0o700))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(dir_name("3/1"), "3_1");
        assert_eq!(dir_name("6A."), "6A");
        assert_eq!(dir_name("..."), "_");
        assert_eq!(dir_name("4-ESP"), "4-ESP");
    }

    #[test]
    fn a_second_sync_changes_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let tree = Tree::new(tmp.path().join("fichiers"));
        let roster = Roster {
            people: vec![
                (Login::parse("lea.martin")?, Profile::Eleve),
                (Login::parse("m.martin")?, Profile::Responsable),
            ],
            classes: vec![ClassCode::parse("6A")?],
            groups: vec![],
            posix: Posix::default(),
        };
        let first = sync(&tree, &roster)?;
        assert!(tree.perso(&Login::parse("lea.martin")?).is_dir());
        assert!(
            !tree.perso(&Login::parse("m.martin")?).exists(),
            "no space for parents"
        );
        assert!(
            tree.class_part(&ClassCode::parse("6A")?, ClassPart::Donnees)
                .is_dir()
        );
        assert!(first.created >= 8, "{first:?}");
        assert_eq!(sync(&tree, &roster)?, SyncReport::default());
        Ok(())
    }
}
