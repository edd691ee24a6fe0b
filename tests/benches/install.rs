//! On-demand benchmark of the install window (not run in CI):
//!
//!     cargo build --release -p cartabled -p cartable-provision
//!     cargo bench -p cartable-tests --bench install
//!
//! Times, on this machine, each stage after the Debian packages are in place: the install
//! (`cartable-provision install`, on a test root with a simulated machine for packages and
//! units), its directory configuration applied to a slapd as Debian leaves it (cn=config over
//! ldapi), the first import of the académie's sample feed through the tool, the service's
//! first start (tree, owners, ACLs, NSS files) and `verify` (annuaire, portal, CAS, SMB, a
//! backup). `BENCH_RUNS` runs (default 3); the median of each stage is printed.

use std::time::{Duration, Instant};

use cartable_tests::daemon::{Daemon, binary, built};
use cartable_tests::provision::{
    SITE, host, move_installed_config, provision_real, replay_directory_commands,
    samba_schema_under,
};
use cartable_tests::slapd::Slapd;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const STAGES: [&str; 6] = [
    "install (fichiers, secret, plan)",
    "annuaire (cn=config réel)",
    "import du flux AAF d'exemple",
    "premier démarrage du service",
    "verify (5 contrôles)",
    "total",
];

fn check((code, text): (i32, String), what: &str) -> Result<(), BoxError> {
    if code == 0 {
        Ok(())
    } else {
        Err(format!("{what} : code {code}\n{text}").into())
    }
}

fn one_run() -> Result<Vec<Duration>, BoxError> {
    let tmp = tempfile::tempdir()?;
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )?;
    let t = tmp.path();
    let root = t.join("machine");
    let site = t.join("site.toml");
    std::fs::write(&site, SITE)?;
    host(&root, 8_000_000)?;
    samba_schema_under(&root)?;
    let site_arg = site.display().to_string();
    let slapd = Slapd::start_fresh_debian()?;
    let mut times = Vec::new();

    let mut at = Instant::now();
    check(
        provision_real(
            &root,
            &["--machine", "simulee", "install", "--site", &site_arg],
            &[],
        )?,
        "install",
    )?;
    times.push(at.elapsed());

    at = Instant::now();
    let db = t.join("ldap-cartable");
    std::fs::create_dir_all(&db)?;
    replay_directory_commands(&root, &slapd, &db)?;
    times.push(at.elapsed());

    let installed = move_installed_config(&root, t, &slapd.url)?;
    at = Instant::now();
    check(installed.import_sample(&root, &site)?, "import")?;
    times.push(at.elapsed());
    let pupil = installed.pupil_with_password("Bench-Tilleuls-26")?;

    at = Instant::now();
    let daemon = Daemon::serve(&installed.config, t)?;
    times.push(at.elapsed());

    let smbd = installed.smbd()?;
    at = Instant::now();
    check(
        installed.verify(
            &root,
            &site,
            &pupil,
            "Bench-Tilleuls-26",
            &daemon.url,
            smbd.port,
        )?,
        "verify",
    )?;
    times.push(at.elapsed());
    // The password setting and smbd's start are the bench's own, not the install's.
    times.push(times.iter().sum());
    drop(daemon);
    Ok(times)
}

fn main() -> Result<(), BoxError> {
    // Fails early with a clear message when the binaries are missing.
    built("cartable-provision")?;
    binary()?;
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut all: Vec<Vec<Duration>> = vec![Vec::new(); STAGES.len()];
    for i in 0..runs {
        let times = one_run()?;
        println!(
            "essai {} : total {:.2} s",
            i + 1,
            times[STAGES.len() - 1].as_secs_f64()
        );
        for (k, d) in times.into_iter().enumerate() {
            all[k].push(d);
        }
    }
    println!(
        "\nmédiane sur {runs} essai(s), flux d'exemple : 48 élèves, 90 responsables, 28 personnels"
    );
    for (name, mut ds) in STAGES.iter().zip(all) {
        ds.sort();
        let med = ds[ds.len() / 2];
        println!("{name:<36} {:>8.2} s", med.as_secs_f64());
    }
    Ok(())
}
