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
