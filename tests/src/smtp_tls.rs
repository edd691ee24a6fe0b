//! A mail relay that speaks TLS, for `[mail] security = "starttls"` and `"tls"`: aiosmtpd
//! (Debian's python3-aiosmtpd, `tests/tools/tls-relay.py`) on a free loopback port, AUTH
//! required, each recipient delivered to a Maildir as [`crate::smtp::MailServer`] does.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How the relay expects TLS.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    StartTls,
    Implicit,
}

pub struct TlsRelay {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
    /// The CA that signed its certificate (for `localhost`), for `[mail] ca_file`.
    pub ca_file: PathBuf,
}

/// Debian's interpreter, where python3-aiosmtpd is installed (not a pyenv or venv one).
const PYTHON: &str = "/usr/bin/python3";

impl TlsRelay {
    pub fn start(dir: &Path, mode: Mode, user: &str, password: &str) -> Result<Self> {
        let port = crate::free_port()?;
        std::fs::create_dir_all(dir.join("mail"))?;
        let pki = crate::test_pki()?;
        let ca_file = dir.join("ca.pem");
        std::fs::write(&ca_file, &pki.ca_pem)?;
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        std::fs::write(&cert, &pki.cert_pem)?;
        std::fs::write(&key, &pki.key_pem)?;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/tls-relay.py");
        let log = std::fs::File::create(dir.join("relay.log"))?;
        let mut child = Command::new(PYTHON)
            .arg(&script)
            .args(["--port", &port.to_string()])
            .args([
                "--mode",
                match mode {
                    Mode::StartTls => "starttls",
                    Mode::Implicit => "tls",
                },
            ])
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(&key)
            .args(["--user", user, "--password", password])
            .arg("--maildir")
            .arg(dir.join("mail"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| Error::other(format!("{PYTHON} (paquet python3-aiosmtpd) : {e}")))?;
        let log_path = dir.join("relay.log");
        crate::wait_listening(
            "tls-relay",
            port,
            &mut child,
            Duration::from_secs(20),
            || std::fs::read_to_string(&log_path).unwrap_or_default(),
        )?;
        Ok(Self {
            child,
            port,
            dir: dir.to_owned(),
            ca_file,
        })
    }

    /// What the relay said: each AUTH, each delivery and whether it came over TLS.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("relay.log")).unwrap_or_default()
    }

    pub fn wait_for(&self, address: &str, n: usize, timeout: Duration) -> Result<Vec<String>> {
        crate::smtp::wait_for(&self.dir.join("mail"), address, n, timeout, || self.log())
    }
}

impl Drop for TlsRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
