//! The imports' reports the console lists: `data_dir/imports/<date>-<source>-<n>/`, each
//! with `rapport.csv` (one line per change) written before the import was applied.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A report's lines read at most (a cité scolaire's first import is about 8,300).
const LINES_MAX: usize = 200_000;
pub const REPORT: &str = "rapport.csv";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The folder's name (`2026-09-01-AAF-Complet-001`).
    pub name: String,
    /// Unix seconds, when the report was written.
    pub at: i64,
    pub created: usize,
    pub updated: usize,
    pub reactivated: usize,
    pub disabled: usize,
    /// The report went past [`LINES_MAX`]: the counts are those of the lines read.
    pub cut: bool,
}

pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("imports")
}

/// The `n` newest reports, newest first (blocking).
pub fn latest(data_dir: &Path, n: usize) -> Vec<ImportReport> {
    let Ok(rd) = std::fs::read_dir(folder(data_dir)) else {
        return Vec::new();
    };
    let mut found: Vec<(i64, PathBuf)> = rd
        .flatten()
        .filter_map(|e| Some((modified(&e.path().join(REPORT))?, e.path())))
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
        .into_iter()
        .take(n)
        .filter_map(|(at, dir)| {
            let mut r = counts(&dir.join(REPORT)).ok()?;
            r.name = dir.file_name()?.to_string_lossy().into_owned();
            r.at = at;
            Some(r)
        })
        .collect()
}

/// Counts a report's lines by action.
fn counts(path: &Path) -> std::io::Result<ImportReport> {
    let f = std::fs::File::open(path)?;
    let mut out = ImportReport::default();
    let mut lines = BufReader::new(f.take(64 * 1024 * 1024)).lines().skip(1);
    for n in 0.. {
        let Some(line) = lines.next() else { break };
        if n >= LINES_MAX {
            out.cut = true;
            break;
        }
        let line = line?;
        match line.split(';').next().unwrap_or_default() {
            "création" => out.created += 1,
            "mise à jour" => out.updated += 1,
            "réactivation" => out.reactivated += 1,
            "désactivation" => out.disabled += 1,
            _ => {}
        }
    }
    Ok(out)
}

/// A delivery of the académie's feed the import refused: nothing of it was applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused {
    /// The delivery's folder as set aside (`ENT2026_0861234A_Complet_20260901-001`).
    pub name: String,
    /// Unix seconds, when it was set aside.
    pub at: i64,
    /// Why, as the import said it (file, line, field).
    pub reason: String,
}

fn modified(path: &Path) -> Option<i64> {
    Some(
        std::fs::metadata(path)
            .ok()?
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs() as i64,
    )
}

/// The `n` newest deliveries refused (`data_dir/academie/refusees/`), newest first
/// (blocking).
pub fn refused(data_dir: &Path, n: usize) -> Vec<Refused> {
    let Ok(rd) = std::fs::read_dir(data_dir.join("academie").join("refusees")) else {
        return Vec::new();
    };
    let mut out: Vec<Refused> = rd
        .flatten()
        .filter_map(|e| {
            let why = e.path().join("erreur.txt");
            let at = modified(&why).or_else(|| modified(&e.path()))?;
            let mut reason = String::new();
            if let Ok(f) = std::fs::File::open(&why) {
                // The reason's first 2 KB: a whole feed's worth of errors stays in the file.
                let _ = f.take(2048).read_to_string(&mut reason);
            }
            Some(Refused {
                name: e.file_name().to_string_lossy().into_owned(),
                at,
                reason: reason.trim().to_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.name.cmp(&b.name)));
    out.truncate(n);
    out
}

/// The report of the import `name`, if it is one of them (no path in the name).
pub fn report_path(data_dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let path = folder(data_dir).join(name).join(REPORT);
    (plain && path.is_file()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_counted_newest_first_and_named_safely() {
        let tmp = tempfile::tempdir().unwrap();
        let base = folder(tmp.path());
        for (name, body) in [
            (
                "2026-09-01-AAF-001",
                "action;jointure;login;detail\ncréation;1;a;eleve\ncréation;2;b;eleve\n",
            ),
            (
                "2026-09-08-AAF-001",
                "action;jointure;login;detail\nmise à jour;1;a;\ndésactivation;3;c;\nréactivation;4;d;\n",
            ),
        ] {
            std::fs::create_dir_all(base.join(name)).unwrap();
            std::fs::write(base.join(name).join(REPORT), body).unwrap();
        }
        // The second written last: newest.
        let old = std::fs::File::options()
            .write(true)
            .open(base.join("2026-09-01-AAF-001").join(REPORT))
            .unwrap();
        old.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_756_000_000))
            .unwrap();
        let l = latest(tmp.path(), 10);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].name, "2026-09-08-AAF-001");
        assert_eq!((l[0].updated, l[0].disabled, l[0].reactivated), (1, 1, 1));
        assert_eq!(l[1].created, 2);
        assert!(report_path(tmp.path(), "2026-09-01-AAF-001").is_some());
        for bad in ["..", "../imports/2026-09-01-AAF-001", "", ".cache", "x/y"] {
            assert!(report_path(tmp.path(), bad).is_none(), "{bad}");
        }
    }
}
