//! Feeds out: the académie deposits each établissement's AAF deliveries under
//! `flux/<UAI>/`, and each établissement fetches its own (its certificate names the folder).
//! A file still being written (changed in the last few seconds) is not offered yet; a name that
//! is not an AAF file of that UAI is never offered nor served.

use std::path::{Path, PathBuf};

use cartable_core::academie::drop::delivery_key;
use cartable_core::feed::aaf::FeedFileName;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A file is offered once unchanged this long.
pub const SETTLE: time::Duration = time::Duration::seconds(5);

/// One file offered to an établissement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    pub nom: String,
    pub octets: u64,
    /// Unix seconds of its last change: with the size, what tells a file rewritten.
    pub depose_le: i64,
    /// The delivery it belongs to (`<UAI>_<Complet|Delta>_<AAAAMMJJ>`).
    pub livraison: String,
}

/// The folder of `uai`'s deliveries.
pub fn folder(root: &Path, uai: &str) -> PathBuf {
    root.join(uai)
}

/// `name` if it is an AAF file of `uai`.
pub fn of_uai(name: &str, uai: &str) -> Option<FeedFileName> {
    FeedFileName::parse(name).filter(|f| f.uai == uai && !name.contains(['/', '\\']))
}

/// What `uai` may fetch now, by name. Blocking: run it off the executor.
pub fn offered(root: &Path, uai: &str, now: OffsetDateTime) -> std::io::Result<Vec<Offered>> {
    let dir = folder(root, uai);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(f) = of_uai(&name, uai) else {
            continue;
        };
        let meta = e.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let changed = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        if now.unix_timestamp() - changed < SETTLE.whole_seconds() {
            continue;
        }
        out.push(Offered {
            livraison: delivery_key(&f.uai, f.kind, &f.date),
            nom: name,
            octets: meta.len(),
            depose_le: changed,
        });
    }
    out.sort_by(|a, b| a.nom.cmp(&b.nom));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_settled_files_of_its_own_uai_are_offered() {
        let root = tempfile::tempdir().unwrap();
        let dir = folder(root.path(), "0171234K");
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "ENT2D_0171234K_Complet_20260828_Eleve_0000.xml",
            "ENT2D_0860001A_Complet_20260828_Eleve_0000.xml",
            "notes.txt",
        ] {
            std::fs::write(dir.join(name), "<x/>").unwrap();
        }
        let written = OffsetDateTime::from(
            std::fs::metadata(dir.join("notes.txt"))
                .unwrap()
                .modified()
                .unwrap(),
        );
        let later = written + time::Duration::minutes(1);
        let got = offered(root.path(), "0171234K", later).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].livraison, "0171234K_Complet_20260828");
        assert!(
            offered(root.path(), "0171234K", written)
                .unwrap()
                .is_empty(),
            "just written"
        );
        assert!(offered(root.path(), "0999999Z", later).unwrap().is_empty());
        assert!(of_uai("../0171234K_x.xml", "0171234K").is_none());
    }
}
