//! Harness of the end-to-end tests: starts the real `cartabled` binary, Chromium (through
//! chromedriver) and, later, slapd and smbd, on free loopback ports in temporary
//! directories, keeps their logs there, and stops them on drop.

// The harness polls external processes from test threads, outside any executor, so a short
// sleep is the right way to wait here.
#![allow(clippy::disallowed_methods)]

pub mod academie;
pub mod accounts;
pub mod apache;
pub mod bench;
pub mod browser;
pub mod calendar;
pub mod daemon;
pub mod http;
pub mod hub;
pub mod import_load;
pub mod load;
pub mod postgres;
pub mod provision;
pub mod samba;
pub mod samba_ad;
pub mod slapd;
pub mod smtp;
pub mod smtp_tls;

/// A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is possible
/// but harmless in practice since the port is used at once).
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Recursive copy of a directory tree (the demo template into a test's own directory).
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Waits until a server child listens on `port` on loopback; its `log` explains a failure.
pub fn wait_listening(
    name: &str,
    port: u16,
    child: &mut std::process::Child,
    timeout: std::time::Duration,
    log: impl Fn() -> String,
) -> std::io::Result<()> {
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait()? {
            return Err(std::io::Error::other(format!(
                "{name} exited ({status}):\n{}",
                log()
            )));
        }
        if start.elapsed() > timeout {
            return Err(std::io::Error::other(format!(
                "{name} did not start:\n{}",
                log()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Ok(())
}

/// Stops a server child: SIGTERM, five seconds to finish, then SIGKILL.
pub fn stop(mut child: std::process::Child) {
    let _ = daemon::signal(child.id(), "TERM");
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(5) {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A CA made for one test and a server certificate it signed for 127.0.0.1 and localhost.
pub struct TestPki {
    pub ca_pem: String,
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
    pub key_pem: String,
    pub key_der: Vec<u8>,
}

pub fn test_pki() -> std::io::Result<TestPki> {
    pki_with(rcgen::KeyPair::generate)
}

fn pki_with(
    server_key: impl Fn() -> Result<rcgen::KeyPair, rcgen::Error>,
) -> std::io::Result<TestPki> {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let err = |e: rcgen::Error| std::io::Error::other(e.to_string());
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca, &ca_key);
    let key = server_key().map_err(err)?;
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .map_err(err)?
        .signed_by(&key, &issuer)
        .map_err(err)?;
    Ok(TestPki {
        ca_pem: ca_cert.pem(),
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        key_pem: key.serialize_pem(),
        key_der: key.serialize_der(),
    })
}
