//! Whether Debian's package lists offer a newer cartable (`apt-cache policy cartable`, read
//! within 3 s; nothing is downloaded or installed).

use std::time::Duration;

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
    use super::newer;

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
