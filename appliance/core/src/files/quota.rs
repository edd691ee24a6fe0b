//! Quotas: what a person keeps — his personal space, and what he wrote in class, group and
//! common spaces (files he owns there) — may reach his profile's default (pupils 1 Go, staff
//! 10 Go) or what the RUPN set for him; and each shared space has a size of its own (a class
//! part 5 Go, a group 2 Go, the common documents 20 Go), so that a full disk is never one
//! pupil away. Checked before an upload is written and while it streams; shown to the person
//! and in the console; over SMB, a person over his quota finds his shares read-only.

use std::sync::Arc;

use super::summary::{Summaries, Summary};
use super::tree::Tree;
use crate::Result;
use crate::config::FilesConfig;
use crate::directory::{Person, Profile};
use crate::store::Store;

/// Use and limit, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub used: u64,
    pub limit: u64,
    /// Set for this person rather than by profile.
    pub own: bool,
}

impl Quota {
    pub fn free(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }
    pub fn percent(&self) -> u64 {
        (self.used.saturating_mul(100) / self.limit.max(1)).min(100)
    }
}

pub fn default_limit(config: &FilesConfig, profile: Profile) -> u64 {
    if profile == Profile::Eleve {
        config.quota_eleve
    } else {
        config.quota_personnel
    }
}

/// A person's limit: their own, or their profile's.
pub async fn limit_of(store: &Store, config: &FilesConfig, person: &Person) -> Result<(u64, bool)> {
    let login = person.login.as_str().to_owned();
    let own = store.read(move |t| t.file_quota(&login)).await?;
    Ok((
        own.unwrap_or_else(|| default_limit(config, person.profile)),
        own.is_some(),
    ))
}

/// The roots of the shared spaces, walked as a whole for what each owner wrote there.
fn shared_roots(tree: &Tree) -> [std::path::PathBuf; 3] {
    [
        tree.root().join("classes"),
        tree.root().join("groupes"),
        tree.commun(),
    ]
}

/// The Unix owner of a person's files: his personal folder's, when it is not the service's
/// (accounts with POSIX ids); `None` where everything belongs to the service.
fn owner_of(tree: &Tree, login: &crate::directory::Login) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let mine = std::fs::metadata(tree.perso(login)).ok()?.uid();
    let service = std::fs::metadata(tree.root()).ok()?.uid();
    (mine != service).then_some(mine)
}

/// A person's quota — his personal space (corbeille included) plus what he owns in the
/// shared spaces — and his most recent documents.
pub async fn of(
    store: &Store,
    config: &FilesConfig,
    person: &Person,
    summaries: &Arc<Summaries>,
) -> Result<(Quota, Summary)> {
    let (limit, own) = limit_of(store, config, person).await?;
    let tree = Tree::new(config.root.clone());
    let (s, login) = (summaries.clone(), person.login.clone());
    let (summary, shared) = crate::error::blocking(move || {
        let summary = s.of(&tree.perso(&login));
        let shared = match owner_of(&tree, &login) {
            Some(uid) => shared_roots(&tree)
                .iter()
                .map(|root| s.of(root).by_owner.get(&uid).copied().unwrap_or(0))
                .sum(),
            None => 0,
        };
        Ok((summary, shared))
    })
    .await?;
    Ok((
        Quota {
            used: summary.used + shared,
            limit,
            own,
        },
        summary,
    ))
}

/// The size of a shared space and what it holds; `None` for a personal space.
pub async fn of_space(
    config: &FilesConfig,
    summaries: &Arc<Summaries>,
    id: &super::spaces::SpaceId,
    root: std::path::PathBuf,
) -> Result<Option<Quota>> {
    use super::spaces::SpaceId;
    let limit = match id {
        SpaceId::Perso => return Ok(None),
        SpaceId::Classe(..) => config.quota_classe,
        SpaceId::Groupe(_) => config.quota_groupe,
        SpaceId::Commun => config.quota_commun,
    };
    let s = summaries.clone();
    let used = crate::error::blocking(move || Ok(s.of(&root).used)).await?;
    Ok(Some(Quota {
        used,
        limit,
        own: false,
    }))
}

/// "1,5 Go", "320 Ko": sizes as people read them.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["octets", "Ko", "Mo", "Go", "To"];
    if bytes < 1024 {
        return format!("{bytes} {}", if bytes == 1 { "octet" } else { "octets" });
    }
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    let text = if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    };
    format!("{} {}", text.replace('.', ","), UNITS[unit])
}

/// Applies a person's quota over SMB: over it, their home share is read-only at their next
/// connection; back under it, writable again. Returns the quota as it stands.
pub async fn enforce(
    store: &Store,
    config: &FilesConfig,
    data_dir: &std::path::Path,
    person: &Person,
    summaries: &Arc<Summaries>,
) -> Result<Quota> {
    let (q, _) = of(store, config, person, summaries).await?;
    let dir = super::samba::quota_dir(data_dir);
    let login = person.login.clone();
    let over = q.used > q.limit;
    let changed = crate::error::blocking(move || {
        super::samba::set_read_only(&dir, &login, over).map_err(|e| crate::Error::io(&dir, e))
    })
    .await?;
    if changed {
        tracing::info!(login = %person.login, over, "quota SMB appliqué");
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_in_french() {
        assert_eq!(super::human(0), "0 octets");
        assert_eq!(super::human(1536), "1,5 Ko");
        assert_eq!(super::human(1024 * 1024 * 1024), "1,0 Go");
        assert_eq!(super::human(250 * 1024 * 1024), "250 Mo");
    }
}
