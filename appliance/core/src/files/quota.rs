//! Quotas: a person's personal space may hold up to their profile's default (pupils 1 Gio,
//! staff 10 Gio) or what the RUPN set for them. Checked before an upload is written and while
//! it streams; shown to the person and in the console.

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

/// A person's quota, current use of their personal space (corbeille included) and most
/// recent documents.
pub async fn of(
    store: &Store,
    config: &FilesConfig,
    person: &Person,
    summaries: &Arc<Summaries>,
) -> Result<(Quota, Summary)> {
    let (limit, own) = limit_of(store, config, person).await?;
    let root = Tree::new(config.root.clone()).perso(&person.login);
    let s = summaries.clone();
    let summary = crate::error::blocking(move || Ok(s.of(&root))).await?;
    Ok((
        Quota {
            used: summary.used,
            limit,
            own,
        },
        summary,
    ))
}

/// "1,5 Gio", "320 Kio": sizes as people read them.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["octets", "Kio", "Mio", "Gio", "Tio"];
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
        assert_eq!(super::human(1536), "1,5 Kio");
        assert_eq!(super::human(1024 * 1024 * 1024), "1,0 Gio");
        assert_eq!(super::human(250 * 1024 * 1024), "250 Mio");
    }
}
