//! Process lifecycle under systemd: READY and WATCHDOG notifications, SIGTERM that lets
//! in-flight requests finish, and a unit file that `systemd-analyze verify` accepts.

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, binary, demo_data, signal};
use cartable_tests::http::{client, csrf_in};

use crate::TestResult;

fn receive_until(sock: &UnixDatagram, wanted: &str, within: Duration) -> Result<String, String> {
    let started = Instant::now();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < within {
        if let Ok(n) = sock.recv(&mut buf) {
            let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
            seen.push_str(&msg);
            seen.push('|');
            if msg.lines().any(|l| l == wanted) {
                return Ok(seen);
            }
        }
    }
    Err(format!("no {wanted} within {within:?}; received: {seen}"))
}

#[test]
fn notifies_systemd_ready_watchdog_and_stopping() -> TestResult {
    let (tmp, data) = demo_data()?;
    let path = tmp.path().join("notify.sock");
    let sock = UnixDatagram::bind(&path)?;
    sock.set_read_timeout(Some(Duration::from_millis(200)))?;
    let p = path.to_string_lossy().into_owned();
    let mut daemon = Daemon::demo_with(
        &data,
        &[],
        &[
            ("NOTIFY_SOCKET", &p),
            ("WATCHDOG_USEC", "400000"),
            ("WATCHDOG_PID", "self"),
        ],
    )?;
    receive_until(&sock, "READY=1", Duration::from_secs(10))?;
    receive_until(&sock, "WATCHDOG=1", Duration::from_secs(5))?;
    let pid = daemon.pid().ok_or("no pid")?;
    signal(pid, "TERM")?;
    receive_until(&sock, "STOPPING=1", Duration::from_secs(10))?;
    let status = daemon.terminate()?;
    assert!(status.success(), "exit status {status}");
    Ok(())
}

#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish_then_exits_cleanly() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let mut daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil")?;
    let http = client(&daemon.ca())?;
    let page = http
        .get(format!("{}/login", daemon.url))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&page).ok_or("no csrf")?;
    let body = format!(
        "login={}&password={}&csrf={csrf}",
        pupil.login, pupil.password
    );
    let (first, rest) = body.split_at(10);

    // A sign-in whose body is only half sent when SIGTERM arrives.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    tx.send(Ok(first.as_bytes().to_vec())).await?;
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let request = http
        .post(format!("{}/login", daemon.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", body.len().to_string())
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let request = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(500)).await;
    signal(daemon.pid().ok_or("no pid")?, "TERM")?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    tx.send(Ok(rest.as_bytes().to_vec())).await?;
    drop(tx);

    let res = request.await??;
    assert_eq!(res.status(), 303, "the in-flight sign-in was not completed");
    let status = tokio::task::spawn_blocking(move || daemon.terminate()).await??;
    assert!(status.success(), "exit status {status}");
    Ok(())
}

#[test]
fn systemd_unit_verifies() -> TestResult {
    let Ok(analyze) = which("systemd-analyze") else {
        return Err("systemd-analyze not installed (apt-get install systemd)".into());
    };
    let unit = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../packaging/systemd/cartabled.service"),
    )?;
    assert!(unit.contains("Type=notify"));
    assert!(unit.contains("WatchdogSec="));
    // Verify against the binary just built (the installed path does not exist here).
    let tmp = tempfile::tempdir()?;
    let bin = binary()?;
    let local = unit.replace("/usr/bin/cartabled", &bin.to_string_lossy());
    let path = tmp.path().join("cartabled.service");
    std::fs::write(&path, local)?;
    let out = std::process::Command::new(analyze)
        .args(["verify", "--man=no"])
        .arg(&path)
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("cartabled.service"))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "systemd-analyze verify: {err}"
    );
    Ok(())
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.exists())
        })
        .ok_or(())
}
