//! What the benches share: their settings from the environment, their percentiles.

use std::time::Duration;

/// A bench setting: `name` from the environment, else `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `p` percentile (0.99) of some latencies, in milliseconds.
pub fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort_unstable();
    let i = ((v.len() as f64 * p).ceil() as usize).saturating_sub(1);
    v.get(i).copied().unwrap_or_default().as_secs_f64() * 1e3
}

/// Peak resident memory of a process, in bytes (`VmHWM`), and its resident memory now
/// (`VmRSS`).
pub fn memory(pid: u32) -> Result<(u64, u64), Box<dyn std::error::Error + Send + Sync>> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .ok_or(format!("no {name}"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kb * 1024)
    };
    Ok((field("VmHWM:")?, field("VmRSS:")?))
}
