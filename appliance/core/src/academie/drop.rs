//! The drop folder where the académie deposits the AAF feed, possibly file by file over a
//! long transfer. A delivery (one UAI, kind and date) is ready when every part it should
//! have is there and nothing in it has changed for the settle time; before that it waits.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::feed::aaf::{FeedFileName, FeedKind};

/// Types every complet delivery carries; a delta carries what changed.
const COMPLET_TYPES: [&str; 4] = ["EtabEducNat", "Eleve", "PersEducNat", "PersRelEleve"];

/// A delivery seen in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `<UAI>_<Complet|Delta>_<AAAAMMJJ>`.
    pub key: String,
    pub kind: FeedKind,
    pub date: String,
    pub files: Vec<PathBuf>,
    /// Changes whenever a file is added, grows or is rewritten.
    pub fingerprint: u64,
    /// Parts it lacks (empty when complete).
    pub missing: Vec<String>,
}

/// A file of a delivery: its name understood, path, size, modification time.
type Part = (FeedFileName, PathBuf, u64, i128);

/// A delivery's name: `<UAI>_<Complet|Delta>_<AAAAMMJJ>` (the import report's `livraison`).
pub fn delivery_key(uai: &str, kind: FeedKind, date: &str) -> String {
    let kind = if kind == FeedKind::Complet {
        "Complet"
    } else {
        "Delta"
    };
    format!("{uai}_{kind}_{date}")
}

/// The AAF deliveries in `dir`, oldest first (a complet before the deltas of its day).
/// Other files are left alone.
pub fn scan(dir: &Path) -> std::io::Result<Vec<Seen>> {
    let mut groups: BTreeMap<(String, u8, String), Vec<Part>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(f) = FeedFileName::parse(name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let mtime = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        let order = u8::from(f.kind == FeedKind::Delta);
        groups
            .entry((f.date.clone(), order, f.uai.clone()))
            .or_default()
            .push((f, path, meta.len(), mtime));
    }
    let mut out = Vec::new();
    for ((date, _, uai), mut files) in groups {
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let kind = files[0].0.kind;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let mut parts: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (f, path, len, mtime) in &files {
            (path, len, mtime).hash(&mut hasher);
            parts.entry(&f.type_name).or_default().push(f.part);
        }
        let mut missing = Vec::new();
        if kind == FeedKind::Complet {
            for t in COMPLET_TYPES {
                if !parts.contains_key(t) {
                    missing.push(format!("{t}_0000"));
                }
            }
        }
        for (t, p) in &mut parts {
            p.sort_unstable();
            let last = p.last().copied().unwrap_or(0);
            for i in 0..=last {
                if p.binary_search(&i).is_err() {
                    missing.push(format!("{t}_{i:04}"));
                }
            }
        }
        out.push(Seen {
            key: delivery_key(&uai, kind, &date),
            kind,
            date,
            files: files.into_iter().map(|(_, p, _, _)| p).collect(),
            fingerprint: hasher.finish(),
            missing,
        });
    }
    Ok(out)
}

/// Tracks how long each delivery has been unchanged.
#[derive(Debug, Default)]
pub struct Settling {
    since: BTreeMap<String, (u64, std::time::Instant)>,
}

impl Settling {
    /// The deliveries of `seen` that are complete and unchanged for `settle` at `now`.
    pub fn ready(&mut self, seen: &[Seen], now: std::time::Instant, settle: Duration) -> Vec<Seen> {
        self.since.retain(|k, _| seen.iter().any(|s| &s.key == k));
        let mut out = Vec::new();
        for s in seen {
            let entry = self
                .since
                .entry(s.key.clone())
                .or_insert((s.fingerprint, now));
            if entry.0 != s.fingerprint {
                *entry = (s.fingerprint, now);
            }
            if s.missing.is_empty() && now.duration_since(entry.1) >= settle {
                out.push(s.clone());
            }
        }
        out
    }

    /// Forgets a delivery (taken away from the folder).
    pub fn forget(&mut self, key: &str) {
        self.since.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str, content: &str) -> std::io::Result<()> {
        std::fs::write(dir.join(name), content)
    }

    #[test]
    fn a_delivery_waits_for_its_parts_then_settles() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = tmp.path();
        let name = |t: &str, n: u32| format!("ENT_0171234K_Complet_20260828_{t}_{n:04}.xml");
        touch(d, &name("Eleve", 0), "a")?;
        touch(d, &name("Eleve", 2), "a")?;
        touch(d, "notes.txt", "ignored")?;
        let seen = scan(d)?;
        assert_eq!(seen.len(), 1);
        assert!(seen[0].missing.contains(&"Eleve_0001".to_owned()));
        assert!(seen[0].missing.contains(&"PersRelEleve_0000".to_owned()));

        for (t, n) in [
            ("Eleve", 1),
            ("EtabEducNat", 0),
            ("PersEducNat", 0),
            ("PersRelEleve", 0),
        ] {
            touch(d, &name(t, n), "a")?;
        }
        let mut s = Settling::default();
        let t0 = std::time::Instant::now();
        let settle = Duration::from_secs(60);
        assert!(s.ready(&scan(d)?, t0, settle).is_empty(), "just arrived");
        assert_eq!(s.ready(&scan(d)?, t0 + settle, settle).len(), 1);
        // A file rewritten starts the wait again.
        touch(d, &name("Eleve", 1), "ab")?;
        assert!(s.ready(&scan(d)?, t0 + settle, settle).is_empty());
        assert_eq!(s.ready(&scan(d)?, t0 + settle * 2, settle).len(), 1);
        Ok(())
    }

    #[test]
    fn deliveries_come_oldest_first_complet_before_delta() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = tmp.path();
        touch(d, "E_0171234K_Delta_20260902_Eleve_0000.xml", "")?;
        touch(d, "E_0171234K_Delta_20260901_Eleve_0000.xml", "")?;
        touch(d, "E_0171234K_Complet_20260901_Eleve_0000.xml", "")?;
        let keys: Vec<String> = scan(d)?.into_iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                "0171234K_Complet_20260901",
                "0171234K_Delta_20260901",
                "0171234K_Delta_20260902"
            ]
        );
        Ok(())
    }
}
