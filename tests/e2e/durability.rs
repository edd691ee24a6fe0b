//! Nothing acknowledged is lost: data survives SIGKILL, and a second start on the same
//! directory keeps the data and does not re-seed.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, sign_in};

use crate::TestResult;

/// One demo account of each of these is checked.
const PROFILES: [&str; 6] = [
    "eleve",
    "responsable",
    "enseignant",
    "vie-scolaire",
    "direction",
    "admin",
];

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let csv_before = std::fs::read_to_string(data.join("demo-accounts.csv"))?;
    let mut daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let teacher = accounts::first(&accounts, "enseignant").ok_or("no teacher")?;
    let http = client(&daemon.ca())?;

    // Signing in writes a session; the redirect is the acknowledgement.
    assert_eq!(
        sign_in(&http, &daemon.url, &teacher.login, &teacher.password).await?,
        303
    );
    daemon.kill9()?;

    let daemon = Daemon::demo(&data)?;
    let out = daemon.output();
    assert!(out.contains("Données existantes conservées"), "{out}");
    assert!(
        !out.contains("Comptes de démonstration créés"),
        "re-seeded:\n{out}"
    );
    assert_eq!(
        std::fs::read_to_string(data.join("demo-accounts.csv"))?,
        csv_before,
        "demo accounts changed"
    );
    // Same port is not guaranteed: point the same cookie jar at the new address by
    // re-using the client (cookies are per host, and the host is localhost).
    let res = http.get(format!("{}/", daemon.url)).send().await?;
    assert_eq!(
        res.status(),
        200,
        "the session written before kill -9 is gone"
    );
    assert!(res.text().await?.contains("Enseignant"));

    // Every demo account still signs in (sample of each profile).
    for profile in PROFILES {
        let a = accounts::first(&accounts, profile).ok_or(profile)?;
        let fresh = client(&daemon.ca())?;
        assert_eq!(
            sign_in(&fresh, &daemon.url, &a.login, &a.password).await?,
            303,
            "{profile} {} cannot sign in after restart",
            a.login
        );
    }
    Ok(())
}

#[test]
fn demo_accounts_file_lists_every_profile() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let accounts = accounts::read(&data)?;
    for profile in PROFILES {
        assert!(
            accounts.iter().any(|a| a.profile == profile),
            "no {profile} in demo-accounts.csv"
        );
    }
    // Every pupil has a class; every class has one professeur principal listed.
    assert!(
        accounts
            .iter()
            .filter(|a| a.profile == "eleve")
            .all(|a| !a.classe.is_empty())
    );
    let mut pp: Vec<&str> = accounts
        .iter()
        .filter(|a| a.profile == "enseignant" && !a.classe.is_empty())
        .map(|a| a.classe.as_str())
        .collect();
    pp.sort_unstable();
    assert_eq!(pp, ["3A", "3B", "4A", "4B", "5A", "5B", "6A", "6B"]);
    // The file holds passwords: owner-only.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(data.join("demo-accounts.csv"))?
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "demo-accounts.csv is readable by others");
    // No password in clear in the store.
    let store = std::fs::read(data.join("cartable.sqlite"))?;
    let first = &accounts[0].password;
    assert!(
        !store.windows(first.len()).any(|w| w == first.as_bytes()),
        "a password is stored in clear"
    );
    Ok(())
}
