//! A path inside a space, relative, every component a [`SafeName`]; and opening it beneath the
//! space's root one component at a time without following symbolic links (`openat` with
//! `O_NOFOLLOW`), so a link planted in the tree — over SMB, say — cannot lead outside, even if
//! it appears between a check and the use.

use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

use super::name::{NameError, SafeName};

/// A relative path of safe names (`""` is the space itself).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelPath(Vec<SafeName>);

impl RelPath {
    /// `a/b/c`; empty segments are ignored, `..` and absolute paths refused.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        if s.starts_with('/') || s.starts_with('\\') {
            return Err(NameError::Forbidden {
                name: s.to_owned(),
                what: "un chemin absolu".to_owned(),
            });
        }
        s.split('/')
            .filter(|c| !c.is_empty())
            .map(SafeName::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// A path a person sends from the web: no hidden component at any depth, so the
    /// corbeille, uploads in progress and other dot-names the service keeps cannot be reached
    /// as folders.
    pub fn parse_visible(s: &str) -> Result<Self, NameError> {
        let p = Self::parse(s)?;
        if let Some(c) = p.0.iter().find(|c| c.as_str().starts_with('.')) {
            return Err(NameError::Hidden(c.as_str().to_owned()));
        }
        Ok(p)
    }

    pub fn components(&self) -> &[SafeName] {
        &self.0
    }

    pub fn join(&self, name: SafeName) -> Self {
        let mut v = self.0.clone();
        v.push(name);
        Self(v)
    }

    pub fn parent(&self) -> Option<(Self, &SafeName)> {
        let (last, rest) = self.0.split_last()?;
        Some((Self(rest.to_vec()), last))
    }

    pub fn as_string(&self) -> String {
        self.0
            .iter()
            .map(SafeName::as_str)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// What to open at the end of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Dir,
    /// A regular file, for reading.
    File,
}

/// Opens `rel` beneath `root`, refusing any symbolic link on the way (ELOOP) and anything
/// that is not of the wanted kind.
pub fn open_beneath(root: &Path, rel: &RelPath, want: Want) -> std::io::Result<OwnedFd> {
    let base = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
    let mut dir = rustix::fs::open(root, base | OFlags::DIRECTORY, Mode::empty())?;
    let n = rel.components().len();
    for (i, c) in rel.components().iter().enumerate() {
        let last = i + 1 == n;
        let flags = if last && want == Want::File {
            base
        } else {
            base | OFlags::DIRECTORY
        };
        dir = rustix::fs::openat(&dir, c.as_str(), flags, Mode::empty())?;
    }
    if want == Want::File {
        let st = rustix::fs::fstat(&dir)?;
        if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::RegularFile {
            return Err(std::io::Error::other("pas un fichier ordinaire"));
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_clean() {
        assert_eq!(
            RelPath::parse("a//b/").map(|p| p.as_string()),
            Ok("a/b".to_owned())
        );
        assert!(RelPath::parse("/etc/passwd").is_err());
        assert!(RelPath::parse("a/../../etc").is_err());
        assert!(RelPath::parse("..").is_err());
        for p in [
            ".corbeille",
            ".corbeille/3/x.txt",
            "cours/.corbeille",
            "a/.envoi-1",
        ] {
            assert!(RelPath::parse_visible(p).is_err(), "{p}");
        }
        assert!(RelPath::parse_visible("cours/exo.txt").is_ok());
        assert_eq!(RelPath::parse("").map(|p| p.components().len()), Ok(0));
    }

    #[test]
    fn a_symlink_never_leads_out() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path().join("perso");
        std::fs::create_dir_all(root.join("cours"))?;
        std::fs::write(root.join("cours/exo.txt"), "2+2")?;
        let outside = tmp.path().join("secret");
        std::fs::create_dir_all(&outside)?;
        std::fs::write(outside.join("notes.txt"), "20/20")?;
        std::os::unix::fs::symlink(&outside, root.join("raccourci"))?;
        std::os::unix::fs::symlink(outside.join("notes.txt"), root.join("lien.txt"))?;

        let ok = RelPath::parse("cours/exo.txt").map_err(std::io::Error::other)?;
        assert!(open_beneath(&root, &ok, Want::File).is_ok());
        for bad in ["raccourci/notes.txt", "lien.txt"] {
            let p = RelPath::parse(bad).map_err(std::io::Error::other)?;
            assert!(
                open_beneath(&root, &p, Want::File).is_err(),
                "{bad} followed"
            );
        }
        let d = RelPath::parse("raccourci").map_err(std::io::Error::other)?;
        assert!(open_beneath(&root, &d, Want::Dir).is_err());
        let f = RelPath::parse("cours").map_err(std::io::Error::other)?;
        assert!(
            open_beneath(&root, &f, Want::File).is_err(),
            "a folder is not a file"
        );
        Ok(())
    }
}
