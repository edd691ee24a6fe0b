//! `cartabled serve` on a configuration file: a minimal file runs on the embedded defaults;
//! bad keys and values are refused with their key and line.

use std::process::Command;

use cartable_tests::daemon::{Daemon, binary};
use cartable_tests::http::{client, get_json};

use crate::TestResult;

#[tokio::test]
async fn minimal_config_serves_on_embedded_defaults() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("var");
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, cartable_tests::daemon::base_config(&data))?;
    let daemon = Daemon::serve(&config, tmp.path())?;
    let http = client(&data.join("tls/ca.pem"))?;
    let health = get_json(&http, &format!("{}/healthz", daemon.url)).await?;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["directory"]["backend"], "embedded");
    assert!(data.join("cartable.sqlite").exists());
    // No demo data outside demo mode.
    let page = http
        .get(format!("{}/login", daemon.url))
        .send()
        .await?
        .text()
        .await?;
    assert!(!page.contains("Les Tilleuls"));
    Ok(())
}

#[test]
fn bad_configuration_is_refused_naming_key_and_line() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        "data_dir = \"/var/lib/cartable\"\nlisten = \"0.0.0.0:99999\"\n\n[session]\nidle_minutes = -5\n",
    )?;
    let out = Command::new(binary()?)
        .args(["serve", "--config"])
        .arg(&config)
        .output()?;
    assert_eq!(out.status.code(), Some(2), "exit status");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 problèmes"), "{err}");
    assert!(err.contains("ligne 2, clé `listen`"), "{err}");
    assert!(err.contains("ligne 5, clé `session.idle_minutes`"), "{err}");

    std::fs::write(&config, "listen = \"127.0.0.1:8443\"\nlisen = \"x\"\n")?;
    let out = Command::new(binary()?)
        .args(["check-config", "--config"])
        .arg(&config)
        .output()?;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ligne 2, clé `lisen` : clé inconnue"), "{err}");

    // A module this build does not have, or a profile that does not exist.
    std::fs::write(
        &config,
        "[modules]\nenabled = [\"emploi-du-temps\", \"cantine\"]\n",
    )?;
    let out = Command::new(binary()?)
        .args(["check-config", "--config"])
        .arg(&config)
        .output()?;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("modules.enabled : « cantine » : module inconnu"),
        "{err}"
    );
    std::fs::write(&config, "[modules.profils]\nagenda = [\"eleves\"]\n")?;
    let out = Command::new(binary()?)
        .args(["check-config", "--config"])
        .arg(&config)
        .output()?;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("modules.profils.agenda"), "{err}");

    let out = Command::new(binary()?)
        .args(["serve", "--config"])
        .arg(tmp.path().join("absent.toml"))
        .output()?;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.toml"));
    Ok(())
}
