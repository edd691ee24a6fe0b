//! POSIX ACLs, written as the kernel's `system.posix_acl_*` extended attributes.
//!
//! The ACL crates (exacl, posix-acl) link libacl and so need its development package on every
//! build machine; the attribute format is small and fixed (linux/posix_acl_xattr.h), so it is
//! written here directly. Setting the access ACL also sets the mode bits, as `setfacl` does.

use std::path::Path;

use rustix::fs::XattrFlags;

/// Read, write, search (the `rwx` of one entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perm(u16);

impl Perm {
    pub const NONE: Perm = Perm(0);
    /// Search only: go through a folder without listing it.
    pub const TRAVERSE: Perm = Perm(1);
    pub const READ: Perm = Perm(4 | 1);
    pub const WRITE: Perm = Perm(4 | 2 | 1);
}

/// An ACL: owner, owning group, others, plus named users and groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acl {
    pub owner: Perm,
    pub group: Perm,
    pub other: Perm,
    pub users: Vec<(u32, Perm)>,
    pub groups: Vec<(u32, Perm)>,
}

const VERSION: u32 = 2;
const USER_OBJ: u16 = 0x01;
const USER: u16 = 0x02;
const GROUP_OBJ: u16 = 0x04;
const GROUP: u16 = 0x08;
const MASK: u16 = 0x10;
const OTHER: u16 = 0x20;
const UNDEFINED_ID: u32 = u32::MAX;

impl Acl {
    /// Only the three classic entries: the same as a mode.
    pub fn mode(owner: Perm, group: Perm, other: Perm) -> Self {
        Self {
            owner,
            group,
            other,
            users: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// The attribute's bytes: entries sorted by tag then id, a mask when named entries exist
    /// (the union of the group-class permissions, so none is cut).
    pub fn encode(&self) -> Vec<u8> {
        let mut entries = vec![(USER_OBJ, self.owner, UNDEFINED_ID)];
        let mut users = self.users.clone();
        users.sort_by_key(|(id, _)| *id);
        users.dedup_by_key(|(id, _)| *id);
        entries.extend(users.iter().map(|(id, p)| (USER, *p, *id)));
        entries.push((GROUP_OBJ, self.group, UNDEFINED_ID));
        let mut groups = self.groups.clone();
        groups.sort_by_key(|(id, _)| *id);
        groups.dedup_by_key(|(id, _)| *id);
        entries.extend(groups.iter().map(|(id, p)| (GROUP, *p, *id)));
        if !users.is_empty() || !groups.is_empty() {
            let mask = users
                .iter()
                .chain(&groups)
                .fold(self.group.0, |m, (_, p)| m | p.0);
            entries.push((MASK, Perm(mask), UNDEFINED_ID));
        }
        entries.push((OTHER, self.other, UNDEFINED_ID));
        let mut out = VERSION.to_le_bytes().to_vec();
        for (tag, perm, id) in entries {
            out.extend(tag.to_le_bytes());
            out.extend(perm.0.to_le_bytes());
            out.extend(id.to_le_bytes());
        }
        out
    }
}

/// Sets the access ACL of `path` (not following a symbolic link) and, for a folder, the
/// default ACL its new entries inherit.
pub fn set(path: &Path, access: &Acl, default: Option<&Acl>) -> std::io::Result<()> {
    rustix::fs::lsetxattr(
        path,
        "system.posix_acl_access",
        &access.encode(),
        XattrFlags::empty(),
    )?;
    if let Some(d) = default {
        rustix::fs::lsetxattr(
            path,
            "system.posix_acl_default",
            &d.encode(),
            XattrFlags::empty(),
        )?;
    }
    Ok(())
}

impl Perm {
    fn bits(self) -> u32 {
        u32::from(self.0)
    }
}

/// Whether `path`'s access ACL (and default ACL, if given) are already as wanted. An access
/// ACL with no named entry is kept by the kernel as mode bits only.
pub fn matches(path: &Path, mode: u32, access: &Acl, default: Option<&Acl>) -> bool {
    let access_ok = if access.users.is_empty() && access.groups.is_empty() {
        let want = access.owner.bits() << 6 | access.group.bits() << 3 | access.other.bits();
        mode & 0o777 == want && get(path, "system.posix_acl_access").is_none()
    } else {
        get(path, "system.posix_acl_access").is_some_and(|a| a == access.encode())
    };
    access_ok
        && default
            .is_none_or(|d| get(path, "system.posix_acl_default").is_some_and(|a| a == d.encode()))
}

/// The access ACL's bytes as stored, to tell whether a folder is already as wanted.
pub fn get(path: &Path, which: &str) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    let n = rustix::fs::lgetxattr(path, which, &mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_takes_it_and_sets_the_mode() -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir()?;
        let d = tmp.path().join("donnees");
        std::fs::create_dir(&d)?;
        let acl = Acl {
            owner: Perm::WRITE,
            group: Perm::READ,
            other: Perm::NONE,
            users: vec![],
            groups: vec![(12_345, Perm::WRITE)],
        };
        match set(&d, &acl, Some(&acl)) {
            // A file system without ACLs (some tmpfs): nothing more to check here.
            Err(e) if e.raw_os_error() == Some(95) => return Ok(()),
            r => r?,
        }
        assert_eq!(get(&d, "system.posix_acl_access"), Some(acl.encode()));
        assert_eq!(get(&d, "system.posix_acl_default"), Some(acl.encode()));
        // The group class bits show the mask (rwx), others nothing.
        let mode = std::fs::metadata(&d)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o770);
        // A file created inside inherits the named group.
        std::fs::write(d.join("cours.txt"), "x")?;
        let inherited = get(&d.join("cours.txt"), "system.posix_acl_access").unwrap_or_default();
        assert!(
            inherited
                .get(4..)
                .unwrap_or_default()
                .chunks(8)
                .any(|e| e[0] == GROUP as u8 && e[4..8] == 12_345u32.to_le_bytes()),
            "{inherited:?}"
        );
        Ok(())
    }
}
