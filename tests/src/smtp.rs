//! A real mail server for the tests: OpenSMTPD from Debian, on a free loopback port,
//! delivering every recipient to a Maildir of its own under a temporary folder. Plain SMTP:
//! Debian 12's OpenSMTPD 6.8 fails every TLS handshake under OpenSSL 3 (« no suitable
//! signature algorithm », « internal error », seen here with RSA and ECDSA keys). It runs in a private mount namespace (its spool and
//! control socket paths are fixed at build time), so tests can each have one and stop or
//! restart it (the relay down) without touching the host's.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct MailServer {
    child: Option<Child>,
    pub port: u16,
    /// `<dir>/mail/<address>/new/…`
    pub dir: PathBuf,
    /// The CA that signed its certificate (PEM file), for `[mail] ca_file`.
    pub ca_file: PathBuf,
}

fn smtpd() -> Result<PathBuf> {
    ["/usr/sbin/smtpd", "/usr/bin/smtpd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .ok_or_else(|| Error::other("OpenSMTPD (paquet opensmtpd) est introuvable"))
}

impl MailServer {
    pub fn start(dir: &Path) -> Result<Self> {
        let port = crate::free_port()?;
        std::fs::create_dir_all(dir.join("mail"))?;
        let pki = crate::test_pki()?;
        let ca_file = dir.join("ca.pem");
        std::fs::write(&ca_file, &pki.ca_pem)?;
        std::fs::write(dir.join("cert.pem"), &pki.cert_pem)?;
        let key = dir.join("key.pem");
        std::fs::write(&key, &pki.key_pem)?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
            // Delivery runs as nobody.
            std::fs::set_permissions(dir.join("mail"), std::fs::Permissions::from_mode(0o777))?;
        }
        std::fs::write(
            dir.join("smtpd.conf"),
            format!(
                "pki localhost cert \"{d}/cert.pem\"\n\
                 pki localhost key \"{d}/key.pem\"\n\
                 table vusers {{ \"@\" = \"nobody\" }}\n\
                 listen on 127.0.0.1 port {port} hostname localhost\n\
                 action \"boite\" maildir \"{d}/mail/%{{rcpt}}\" virtual <vusers>\n\
                 match from any for any action \"boite\"\n",
                d = dir.display()
            ),
        )?;
        let mut s = Self {
            child: None,
            port,
            dir: dir.to_owned(),
            ca_file,
        };
        s.resume()?;
        Ok(s)
    }

    /// Starts it again after [`MailServer::stop`] (same port, same mailboxes).
    pub fn resume(&mut self) -> Result<()> {
        let spool = self.dir.join("spool");
        std::fs::create_dir_all(&spool)?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&spool, std::fs::Permissions::from_mode(0o755))?;
        }
        let log = std::fs::File::create(self.dir.join("smtpd.log"))?;
        let script = format!(
            "mount --bind '{spool}' /var/spool && mount -t tmpfs tmpfs /run && exec '{bin}' -d -f '{conf}'",
            spool = spool.display(),
            bin = smtpd()?.display(),
            conf = self.dir.join("smtpd.conf").display()
        );
        use std::os::unix::process::CommandExt;
        let mut child = Command::new("unshare")
            .args(["-m", "sh", "-c", &script])
            // Its own process group: stopping it stops its privilege-separated children too.
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let log_path = self.dir.join("smtpd.log");
        crate::wait_listening(
            "smtpd",
            self.port,
            &mut child,
            Duration::from_secs(20),
            || std::fs::read_to_string(&log_path).unwrap_or_default(),
        )?;
        self.child = Some(child);
        Ok(())
    }

    /// The relay down.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let group = format!("-{}", c.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(5)
                && std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = c.wait();
        }
    }

    /// The mails delivered to `address`, as raw text, oldest first.
    pub fn mailbox(&self, address: &str) -> Vec<String> {
        mailbox(&self.dir.join("mail"), address)
    }

    /// Waits until `address` has `n` mails (or more), then returns them.
    pub fn wait_for(&self, address: &str, n: usize, timeout: Duration) -> Result<Vec<String>> {
        wait_for(&self.dir.join("mail"), address, n, timeout, || {
            std::fs::read_to_string(self.dir.join("smtpd.log")).unwrap_or_default()
        })
    }

    /// Every address that received mail.
    pub fn recipients(&self) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.dir.join("mail"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

/// The mails delivered to `address` under a root of Maildirs (`<root>/<address>/new/…`), as
/// raw text, oldest first.
pub fn mailbox(root: &Path, address: &str) -> Vec<String> {
    let dir = root.join(address).join("new");
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    let t = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .unwrap_or(std::time::UNIX_EPOCH);
                    (t, e.path())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|(_, p)| std::fs::read_to_string(p).ok())
        .collect()
}

/// Waits until `address` has `n` mails (or more) under `root`, then returns them; the
/// server's `log` says why not.
pub fn wait_for(
    root: &Path,
    address: &str,
    n: usize,
    timeout: Duration,
    log: impl Fn() -> String,
) -> Result<Vec<String>> {
    let start = Instant::now();
    loop {
        let mails = mailbox(root, address);
        if mails.len() >= n {
            return Ok(mails);
        }
        if start.elapsed() > timeout {
            return Err(Error::other(format!(
                "{address}: {} mail(s) after {timeout:?}, {n} expected; server:\n{}",
                mails.len(),
                log()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The body of a raw mail, with quoted-printable soft breaks and `=XX` escapes undone.
pub fn body_text(raw: &str) -> String {
    let body = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .map(|(_, b)| b)
        .unwrap_or(raw);
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
