//! Whether Debian's package lists offer a newer cartable (`apt-cache policy cartable`, read
//! within 3 s), and what it changes: the entries of its changelog above the running version,
//! read from its package once apt has downloaded it (unattended-upgrades does, and so does
//! `apt-get --download-only upgrade`). Nothing is downloaded or installed here.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where apt keeps the packages it downloaded.
pub const ARCHIVES: &str = "/var/cache/apt/archives";
/// The changelog inside the package (`debian/rules`).
const CHANGELOG_IN_DEB: &str = "./usr/share/doc/cartable/changelog.gz";
/// The changelog's text read at most.
const CHANGELOG_MAX: usize = 256 * 1024;

/// One version's entry of the changelog: its number and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub version: String,
    pub items: Vec<String>,
}

/// The downloaded package of `version` in `archives`, if apt has it (an epoch's `:` is
/// written `%3a` in the file's name).
fn package_file(archives: &Path, version: &str) -> Option<PathBuf> {
    let prefix = format!("cartable_{}_", version.replace(':', "%3a"));
    std::fs::read_dir(archives)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".deb"))
        })
}

/// What `candidate` brings over `running`, when its package is in `archives`: its
/// changelog's entries above the running version, newest first (5 s at most).
pub async fn changes(archives: &Path, candidate: &str, running: &str) -> Option<Vec<Entry>> {
    let (dir, version) = (archives.to_owned(), candidate.to_owned());
    let deb = tokio::task::spawn_blocking(move || package_file(&dir, &version))
        .await
        .ok()??;
    let out = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::process::Command::new("sh")
            .arg("-c")
            .arg("dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" | gzip -dc")
            .arg("sh")
            .arg(&deb)
            .arg(CHANGELOG_IN_DEB)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .ok()?
    .ok()?;
    let end = out.stdout.len().min(CHANGELOG_MAX);
    let text = String::from_utf8_lossy(&out.stdout[..end]);
    Some(entries_above(&text, running)).filter(|e| !e.is_empty())
}

/// The entries of a Debian changelog before the running version's, newest first.
pub fn entries_above(changelog: &str, running: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in changelog.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            // « cartable (0.2.0) bookworm; urgency=medium »
            let Some(version) = line.split('(').nth(1).and_then(|r| r.split(')').next()) else {
                continue;
            };
            if version == running || version.split('-').next() == Some(running) {
                break;
            }
            out.push(Entry {
                version: version.to_owned(),
                items: Vec::new(),
            });
        } else if let Some(e) = out.last_mut() {
            let t = line.trim();
            if t.starts_with("-- ") || t.is_empty() {
                continue;
            }
            match (t.strip_prefix("* "), e.items.last_mut()) {
                (Some(item), _) => e.items.push(item.to_owned()),
                (None, Some(last)) => {
                    last.push(' ');
                    last.push_str(t);
                }
                (None, None) => e.items.push(t.to_owned()),
            }
        }
    }
    out
}

/// The candidate version apt would install, when it is not the one running.
pub async fn available(running: &str) -> Option<String> {
    let out = tokio::time::timeout(
        Duration::from_secs(3),
        tokio::process::Command::new("apt-cache")
            .args(["policy", "cartable"])
            .env("LC_ALL", "C")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .ok()?
    .ok()?;
    newer(&String::from_utf8_lossy(&out.stdout), running)
}

/// The `Candidate:` of `apt-cache policy` output, unless none or the running version.
pub fn newer(policy: &str, running: &str) -> Option<String> {
    let candidate = policy
        .lines()
        .find_map(|l| l.trim().strip_prefix("Candidate:"))?
        .trim();
    let installed = policy
        .lines()
        .find_map(|l| l.trim().strip_prefix("Installed:"))
        .map(str::trim);
    let same = |v: &str| v == running || v.split('-').next() == Some(running);
    (candidate != "(none)"
        && !candidate.is_empty()
        && !same(candidate)
        && installed != Some(candidate))
    .then(|| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{changes, entries_above, newer};

    const CHANGELOG: &str = "cartable (0.3.0) bookworm; urgency=medium

  * Page « Serveur » : les mises à jour disent ce qu'elles
    changent.
  * Usages par classe.

 -- Équipe cartable <equipe@cartable.example.org>  Mon, 01 Feb 2027 00:00:00 +0000

cartable (0.2.0) bookworm; urgency=medium

  * Bilan pour le conseil d'administration.

 -- Équipe cartable <equipe@cartable.example.org>  Mon, 04 Jan 2027 00:00:00 +0000

cartable (0.1.0) bookworm; urgency=medium

  * Première version.

 -- Équipe cartable <equipe@cartable.example.org>  Mon, 23 Nov 2026 00:00:00 +0000
";

    #[test]
    fn the_entries_above_the_running_version() {
        let e = entries_above(CHANGELOG, "0.1.0");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].version, "0.3.0");
        assert_eq!(
            e[0].items,
            vec![
                "Page « Serveur » : les mises à jour disent ce qu'elles changent.".to_owned(),
                "Usages par classe.".to_owned()
            ]
        );
        assert_eq!(
            e[1].items,
            vec!["Bilan pour le conseil d'administration.".to_owned()]
        );
        assert!(entries_above(CHANGELOG, "0.3.0").is_empty());
    }

    /// A real package, as apt would have downloaded it, read with dpkg-deb.
    #[tokio::test]
    async fn what_a_downloaded_package_changes() {
        use std::io::Write;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("paquet");
        let doc = root.join("usr/share/doc/cartable");
        std::fs::create_dir_all(&doc).unwrap();
        std::fs::create_dir_all(root.join("DEBIAN")).unwrap();
        std::fs::write(
            root.join("DEBIAN/control"),
            "Package: cartable\nVersion: 0.3.0\nArchitecture: all\nMaintainer: Équipe cartable <equipe@cartable.example.org>\nDescription: essai\n",
        )
        .unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(CHANGELOG.as_bytes()).unwrap();
        std::fs::write(doc.join("changelog.gz"), gz.finish().unwrap()).unwrap();
        let archives = tmp.path().join("archives");
        std::fs::create_dir_all(&archives).unwrap();
        let built = std::process::Command::new("dpkg-deb")
            .args(["--root-owner-group", "--build"])
            .arg(&root)
            .arg(archives.join("cartable_0.3.0_all.deb"))
            .output()
            .unwrap();
        assert!(built.status.success(), "{built:?}");
        let e = changes(&archives, "0.3.0", "0.1.0").await.unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].version, "0.2.0");
        assert!(
            changes(&archives, "0.4.0", "0.1.0").await.is_none(),
            "not downloaded"
        );
    }

    #[test]
    fn a_newer_candidate_is_told() {
        let policy = "cartable:\n  Installed: 0.1.0\n  Candidate: 0.2.0\n  Version table:\n";
        assert_eq!(newer(policy, "0.1.0"), Some("0.2.0".into()));
        let same = "cartable:\n  Installed: 0.1.0\n  Candidate: 0.1.0\n";
        assert_eq!(newer(same, "0.1.0"), None);
        let debian_revision = "cartable:\n  Installed: 0.1.0-1\n  Candidate: 0.1.0-1\n";
        assert_eq!(newer(debian_revision, "0.1.0"), None);
        assert_eq!(newer("", "0.1.0"), None);
        assert_eq!(
            newer(
                "cartable:\n  Installed: (none)\n  Candidate: (none)\n",
                "0.1.0"
            ),
            None
        );
    }
}
