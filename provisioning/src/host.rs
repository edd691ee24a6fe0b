//! Facts about the machine, read beneath the root (`/` for real, a test folder otherwise), so
//! the audit reads the same files either way.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Host {
    pub debian_version: Option<String>,
    pub pretty_name: Option<String>,
    pub cpus: usize,
    pub memory_mib: u64,
    pub hostname: Option<String>,
    /// Free space (MiB) of the file system holding `/srv`.
    pub free_srv_mib: Option<u64>,
    pub time_synchronized: bool,
    /// TCP ports someone listens on.
    pub listening: Vec<u16>,
    pub slapd_present: bool,
    pub samba_present: bool,
}

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .map(|v| v.trim_matches('"').to_owned())
}

/// Listening TCP ports from `/proc/net/tcp{,6}` (state 0A).
fn listening(root: &Path) -> Vec<u16> {
    let mut out = Vec::new();
    for f in ["proc/net/tcp", "proc/net/tcp6"] {
        for l in read(root, f).unwrap_or_default().lines().skip(1) {
            let cols: Vec<&str> = l.split_whitespace().collect();
            if cols.get(3) == Some(&"0A")
                && let Some(port) = cols
                    .get(1)
                    .and_then(|a| a.rsplit(':').next())
                    .and_then(|p| u16::from_str_radix(p, 16).ok())
            {
                out.push(port);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Host {
    pub fn read(root: &Path) -> Self {
        let os = read(root, "etc/os-release").unwrap_or_default();
        let srv: PathBuf = [root.join("srv"), root.to_owned()]
            .into_iter()
            .find(|p| p.exists())
            .unwrap_or_else(|| root.to_owned());
        Host {
            debian_version: field(&os, "VERSION_ID"),
            pretty_name: field(&os, "PRETTY_NAME"),
            cpus: read(root, "proc/cpuinfo")
                .unwrap_or_default()
                .lines()
                .filter(|l| l.starts_with("processor"))
                .count(),
            memory_mib: read(root, "proc/meminfo")
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kb| kb / 1024)
                .unwrap_or(0),
            hostname: read(root, "etc/hostname").map(|h| h.trim().to_owned()),
            free_srv_mib: rustix::fs::statvfs(&srv)
                .ok()
                .map(|s| s.f_bavail * s.f_frsize / (1024 * 1024)),
            time_synchronized: root.join("run/systemd/timesync/synchronized").exists(),
            listening: listening(root),
            slapd_present: root.join("etc/ldap/slapd.d").exists(),
            samba_present: root.join("etc/samba/smb.conf").exists(),
        }
    }
}
