//! The AAF feed (`ficAlimMENESR`): file names, parts, and records. Parsing is in `parse.rs`.
//!
//! A delivery is a folder of files named `<prefix>_<UAI>_<Complet|Delta>_<YYYYMMDD>_<Type>_<NNNN>.xml`,
//! each type split in numbered parts. Every part must be there, for one UAI, one kind and one
//! date, or the whole delivery is refused.

mod parse;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use parse::parse_bytes;

use super::FeedError;
use crate::directory::Uai;

/// Largest part accepted (a real part is a few megabytes).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// `Complet` (the whole annuaire) or `Delta` (changes since the last feed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Complet,
    Delta,
}

/// What a request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Add,
    /// `modifyRequest`: the attributes listed replace the current values.
    Modify,
    Delete,
}

/// The kind of entry a request is about (`categoriePersonne`, `categorieStructure`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    EtabEducNat,
    MatiereEducNat,
    MefEducNat,
    Eleve,
    PersRelEleve,
    PersEducNat,
}

impl Category {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "EtabEducNat" => Self::EtabEducNat,
            "MatiereEducNat" => Self::MatiereEducNat,
            "MefEducNat" => Self::MefEducNat,
            "Eleve" => Self::Eleve,
            "PersRelEleve" => Self::PersRelEleve,
            "PersEducNat" => Self::PersEducNat,
            _ => return None,
        })
    }

    /// The attribute that must repeat the request's identifier.
    pub fn jointure_attribute(self) -> &'static str {
        match self {
            Self::EtabEducNat => "ENTStructureJointure",
            Self::MatiereEducNat => "ENTMatJointure",
            Self::MefEducNat => "ENTMefJointure",
            Self::Eleve | Self::PersRelEleve | Self::PersEducNat => "ENTPersonJointure",
        }
    }
}

/// One request of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub operation: Operation,
    pub category: Category,
    /// `identifier/id`: the jointure.
    pub id: String,
    /// Attributes and their values (empty `<value/>` dropped); for a modify, the ones replaced.
    pub attrs: BTreeMap<String, Vec<String>>,
    /// Where it was read, for messages.
    pub file: PathBuf,
    pub line: usize,
}

impl Record {
    pub fn first(&self, name: &str) -> Option<&str> {
        self.attrs
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.attrs.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// A `$`-separated value split into its fields.
    pub fn fields(value: &str) -> Vec<&str> {
        value.split('$').collect()
    }
}

/// A file name of the feed, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFileName {
    pub uai: String,
    pub kind: FeedKind,
    pub date: String,
    pub type_name: String,
    pub part: u32,
}

impl FeedFileName {
    /// `ENT2D_0171234K_Complet_20260828_Eleve_0000.xml`; None for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        let stem = name.strip_suffix(".xml")?;
        let f: Vec<&str> = stem.split('_').collect();
        let n = f.len();
        if n < 6 {
            return None;
        }
        let (uai, kind, date, type_name, part) = (f[n - 5], f[n - 4], f[n - 3], f[n - 2], f[n - 1]);
        let kind = match kind {
            "Complet" => FeedKind::Complet,
            "Delta" => FeedKind::Delta,
            _ => return None,
        };
        let digits = |s: &str, len| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(date, 8) || !digits(part, 4) {
            return None;
        }
        Some(Self {
            uai: uai.to_owned(),
            kind,
            date: date.to_owned(),
            type_name: type_name.to_owned(),
            part: part.parse().ok()?,
        })
    }
}

/// A whole delivery, checked and parsed.
#[derive(Debug, Clone)]
pub struct Feed {
    pub uai: String,
    pub kind: FeedKind,
    pub date: String,
    pub files: Vec<PathBuf>,
    /// In a fixed order (structures, then pupils, responsables, staff) whatever the order of
    /// the files on disk.
    pub records: Vec<Record>,
}

/// Reads every part of the delivery in `dir`; nothing is returned unless all of it is sound.
pub fn read_dir(dir: &Path, expected_uai: Option<&Uai>) -> Result<Feed, FeedError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        FeedError::new(format!(
            "impossible de lire le dossier {} : {e}",
            dir.display()
        ))
    })?;
    let mut files: Vec<(FeedFileName, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| FeedError::new(format!("{}: {e}", dir.display())))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !name.ends_with(".xml") {
            continue; // manifests, checksums, notes from the académie
        }
        let parsed = FeedFileName::parse(&name).ok_or_else(|| {
            FeedError::in_file(
                &name,
                None,
                "nom de fichier inattendu (attendu <préfixe>_<UAI>_<Complet|Delta>_<AAAAMMJJ>_<Type>_<NNNN>.xml)",
            )
        })?;
        files.push((parsed, path));
    }
    let Some((first, _)) = files.first().cloned() else {
        return Err(FeedError::new(format!(
            "aucun fichier AAF dans {}",
            dir.display()
        )));
    };
    for (f, path) in &files {
        let name = path.file_name().map(PathBuf::from).unwrap_or_default();
        if f.uai != first.uai {
            return Err(FeedError::in_file(
                name,
                None,
                format!(
                    "UAI {} différent de {} dans la même livraison",
                    f.uai, first.uai
                ),
            ));
        }
        if f.kind != first.kind || f.date != first.date {
            return Err(FeedError::in_file(
                name,
                None,
                "livraison mélangée (complet et delta, ou dates différentes)",
            ));
        }
    }
    if let Some(expected) = expected_uai
        && first.uai != expected.as_str()
    {
        return Err(FeedError::new(format!(
            "ce flux est celui de l'établissement {}, pas de {expected}",
            first.uai
        )));
    }
    // Every type's parts numbered 0000..N without a gap.
    let mut by_type: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (f, _) in &files {
        by_type.entry(f.type_name.clone()).or_default().push(f.part);
    }
    for (type_name, parts) in &mut by_type {
        parts.sort_unstable();
        for (i, p) in parts.iter().enumerate() {
            if *p != i as u32 {
                return Err(FeedError::new(format!(
                    "livraison incomplète : partie {i:04} du type {type_name} manquante"
                )));
            }
        }
    }

    files.sort_by(|(a, _), (b, _)| (&a.type_name, a.part).cmp(&(&b.type_name, b.part)));
    let mut records = Vec::new();
    let mut paths = Vec::new();
    for (_, path) in &files {
        let name = path.file_name().map(PathBuf::from).unwrap_or_default();
        let size = std::fs::metadata(path)
            .map_err(|e| FeedError::in_file(&name, None, e.to_string()))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(FeedError::in_file(&name, None, "fichier trop volumineux"));
        }
        let bytes =
            std::fs::read(path).map_err(|e| FeedError::in_file(&name, None, e.to_string()))?;
        records.extend(parse_bytes(&name, &bytes)?);
        paths.push(path.clone());
    }
    records.sort_by_key(|r| r.category);
    Ok(Feed {
        uai: first.uai,
        kind: first.kind,
        date: first.date,
        files: paths,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(kind: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/aaf/sample")
            .join(kind)
    }

    #[test]
    fn reads_the_sample_complet() {
        let feed = read_dir(&sample("complet"), Some(&Uai::parse("0171234K").unwrap())).unwrap();
        assert_eq!(feed.kind, FeedKind::Complet);
        assert_eq!(feed.files.len(), 4);
        let count = |c| feed.records.iter().filter(|r| r.category == c).count();
        assert_eq!(count(Category::Eleve), 48);
        assert_eq!(count(Category::PersRelEleve), 90);
        assert_eq!(count(Category::PersEducNat), 28);
        assert_eq!(count(Category::EtabEducNat), 1);
        // ISO-8859-15 and UTF-8 files both decoded.
        let pupil = feed.records.iter().find(|r| r.id == "3000000").unwrap();
        assert_eq!(pupil.first("sn"), Some("LEFÈVRE"));
        assert_eq!(pupil.first("ENTEleveClasses"), Some("4242$6A"));
        assert!(
            pupil
                .attrs
                .get("ENTEleveGroupes")
                .is_none_or(|v| v.is_empty())
        );
        let parent = feed.records.iter().find(|r| r.id == "500001").unwrap();
        assert_eq!(parent.first("givenName"), Some("MAËLYS"));
        // Structures come first whatever the file order.
        assert_eq!(feed.records[0].category, Category::EtabEducNat);
    }

    #[test]
    fn reads_the_sample_delta() {
        let feed = read_dir(&sample("delta"), None).unwrap();
        assert_eq!(feed.kind, FeedKind::Delta);
        let ops: Vec<_> = feed
            .records
            .iter()
            .filter(|r| r.category == Category::Eleve)
            .map(|r| (r.operation, r.id.as_str()))
            .collect();
        assert_eq!(ops.len(), 10);
        assert_eq!(ops[0], (Operation::Delete, "3000010"));
        let moved = feed.records.iter().find(|r| r.id == "3000020").unwrap();
        assert_eq!(moved.operation, Operation::Modify);
        assert_eq!(moved.all("ENTEleveClasses"), ["4242$5F"]);
        let newcomer = feed.records.iter().find(|r| r.id == "3900000").unwrap();
        assert_eq!(newcomer.first("givenName"), Some("ÉLÈVE"));
    }

    #[test]
    fn refuses_another_school_and_missing_parts() {
        let e = read_dir(&sample("complet"), Some(&Uai::parse("0861234Z").unwrap())).unwrap_err();
        assert!(e.message.contains("0171234K"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        for f in std::fs::read_dir(sample("complet")).unwrap() {
            let f = f.unwrap().path();
            let name = f
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .replace("Eleve_0000", "Eleve_0001");
            std::fs::copy(&f, dir.path().join(name)).unwrap();
        }
        let e = read_dir(dir.path(), None).unwrap_err();
        assert!(
            e.message.contains("partie 0000 du type Eleve manquante"),
            "{e}"
        );
    }

    #[test]
    fn file_names() {
        let n = FeedFileName::parse("ENT2D_0171234K_Delta_20260915_PersRelEleve_0003.xml").unwrap();
        assert_eq!(
            (n.uai.as_str(), n.kind, n.part),
            ("0171234K", FeedKind::Delta, 3)
        );
        assert!(FeedFileName::parse("erreur.html.xml").is_none());
        assert!(FeedFileName::parse("ENT2D_0171234K_Complet_2026_Eleve_0000.xml").is_none());
    }
}
