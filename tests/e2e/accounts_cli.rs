//! `cartabled accounts ...` on the demo's data: list, show, set-password, disable, enable.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::directory::{AuthOutcome, DirectoryAuth, embedded::EmbeddedDirectory};
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::daemon::{binary, demo_data};

use crate::TestResult;

struct Cli {
    config: std::path::PathBuf,
}

impl Cli {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> std::io::Result<(bool, String, String)> {
        let mut child = Command::new(binary()?)
            .arg("accounts")
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes())?;
        }
        let out = child.wait_with_output()?;
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

async fn authenticate(
    data: &std::path::Path,
    login: &str,
    pw: &str,
) -> Result<AuthOutcome, Box<dyn std::error::Error + Send + Sync>> {
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = EmbeddedDirectory::new(store.clone(), Arc::new(SystemClock));
    let r = dir.authenticate(login, pw).await?;
    store.close();
    Ok(r)
}

#[tokio::test]
async fn accounts_commands_on_the_service_config() -> TestResult {
    let (tmp, data) = demo_data()?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, cartable_tests::daemon::base_config(&data))?;
    let cli = Cli { config };
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;

    let (ok, out, err) = cli.run(&["list", "--profile", "eleve", "--json"], None)?;
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out)?;
    let list = list.as_array().ok_or("not an array")?;
    assert_eq!(
        list.len(),
        demo.iter().filter(|a| a.profile == "eleve").count()
    );
    assert!(
        list.iter()
            .all(|p| p["profile"] == "eleve" && p["state"] == "active")
    );

    let (ok, out, err) = cli.run(&["show", &pupil.login, "--json"], None)?;
    assert!(ok, "{err}");
    let shown: serde_json::Value = serde_json::from_str(&out)?;
    assert_eq!(shown["state"], "active");
    assert_eq!(shown["classes"][0], pupil.classe.as_str());
    assert_eq!(shown["parents"][0]["level"], 1);
    // By jointure too.
    let jointure = shown["jointure"].as_str().ok_or("no jointure")?.to_owned();
    let (ok, out, _) = cli.run(&["show", &jointure], None)?;
    assert!(ok && out.contains(&pupil.login), "{out}");

    // A generated password is printed and works; the old one no longer does.
    let (ok, out, err) = cli.run(&["set-password", &pupil.login, "--must-change"], None)?;
    assert!(ok, "{err}");
    let new_pw = out
        .trim()
        .rsplit(' ')
        .next()
        .ok_or("no password printed")?
        .to_owned();
    assert_eq!(new_pw.len(), 10, "{out}");
    match authenticate(&data, &pupil.login, &new_pw).await? {
        AuthOutcome::Accepted(p) => assert!(p.must_change_password),
        other => return Err(format!("{other:?}").into()),
    }
    assert_eq!(
        authenticate(&data, &pupil.login, &pupil.password).await?,
        AuthOutcome::BadCredentials
    );
    // A weak password on stdin is refused with the policy's reason.
    let (ok, _, err) = cli.run(
        &["set-password", &pupil.login, "--password-stdin"],
        Some("court\n"),
    )?;
    assert!(!ok);
    assert!(err.contains("trop court"), "{err}");
    let (ok, _, err) = cli.run(
        &["set-password", &pupil.login, "--password-stdin"],
        Some("Tilleul-2026\n"),
    )?;
    assert!(ok, "{err}");

    // Disable, then enable.
    let (ok, out, _) = cli.run(&["disable", &pupil.login], None)?;
    assert!(ok && out.contains("compte désactivé"), "{out}");
    assert_eq!(
        authenticate(&data, &pupil.login, "Tilleul-2026").await?,
        AuthOutcome::Disabled
    );
    let (ok, out, _) = cli.run(&["enable", &pupil.login], None)?;
    assert!(ok && out.contains("compte réactivé"), "{out}");
    assert!(matches!(
        authenticate(&data, &pupil.login, "Tilleul-2026").await?,
        AuthOutcome::Accepted(_)
    ));
    // Every change is in the history, attributed to the command line.
    let (_, out, _) = cli.run(&["show", &pupil.login, "--json"], None)?;
    let shown: serde_json::Value = serde_json::from_str(&out)?;
    let actions: Vec<&str> = shown["history"]
        .as_array()
        .ok_or("no history")?
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "account.enabled",
            "account.disabled",
            "password.set",
            "password.set",
            // The demo seed, by the "demo" actor.
            "responsable.linked",
            "responsable.linked",
            "class.member_added",
            "account.created",
        ]
    );
    assert_eq!(shown["history"][7]["actor"], "demo");
    assert!(
        shown["history"][0]["actor"]
            .as_str()
            .unwrap_or("")
            .starts_with("cli:")
    );

    let (ok, _, err) = cli.run(&["show", "personne.inconnue"], None)?;
    assert!(!ok && err.contains("introuvable"), "{err}");
    Ok(())
}
