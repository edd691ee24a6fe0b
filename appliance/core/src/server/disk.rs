//! Disk use as `df` reports it, and the store's own size.

use std::path::Path;

/// From this share of a file system used, the server page warns (the académie's hub too).
pub const WARNING_PERCENT: u8 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Bytes an unprivileged process may still write.
    pub free: u64,
    pub total: u64,
}

impl Usage {
    /// Percent used, rounded up: « 100 % » only when nothing is left.
    pub fn used_percent(&self) -> u8 {
        if self.total == 0 {
            return 0;
        }
        let used = self.total.saturating_sub(self.free);
        (used.saturating_mul(100).div_ceil(self.total)).min(100) as u8
    }

    pub fn warning(&self) -> bool {
        self.used_percent() >= WARNING_PERCENT
    }
}

/// The file system holding `path` (blocking: a `statvfs`).
pub fn of(path: &Path) -> Option<Usage> {
    let s = rustix::fs::statvfs(path).ok()?;
    Some(Usage {
        free: s.f_bavail.saturating_mul(s.f_frsize),
        total: s.f_blocks.saturating_mul(s.f_frsize),
    })
}

/// Whether two paths are on the same file system (then one line says it for both).
pub fn same_file_system(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// The store's bytes on disk: the database, its write-ahead log and shared memory.
pub fn store_bytes(db: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(Path::new(&p)).ok()
        })
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::Usage;

    #[test]
    fn percent_used_and_the_warning_threshold() {
        let u = |free, total| Usage { free, total };
        assert_eq!(u(0, 0).used_percent(), 0);
        assert_eq!(u(100, 100).used_percent(), 0);
        assert_eq!(u(0, 100).used_percent(), 100);
        // 89.01 % used shows as 90 %, and warns: rounding never hides a full disk.
        assert_eq!(u(1099, 10_000).used_percent(), 90);
        assert!(u(1099, 10_000).warning());
        assert!(!u(1100, 10_000).warning());
        assert_eq!(u(1100, 10_000).used_percent(), 89);
    }
}
