//! Quotas: a person's personal space may hold up to their profile's default (pupils 1 Gio,
//! staff 10 Gio) or what the RUPN set for them. Checked before an upload is written and while
//! it streams; shown to the person and in the console.

use super::ops;
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

/// A person's quota and current use of their personal space (corbeille included).
pub async fn of(store: &Store, config: &FilesConfig, person: &Person) -> Result<Quota> {
    let login = person.login.as_str().to_owned();
    let own = store.read(move |t| t.file_quota(&login)).await?;
    let root = Tree::new(config.root.clone()).perso(&person.login);
    let used = crate::error::blocking(move || Ok(ops::usage(&root))).await?;
    Ok(Quota {
        used,
        limit: own.unwrap_or_else(|| default_limit(config, person.profile)),
        own: own.is_some(),
    })
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
