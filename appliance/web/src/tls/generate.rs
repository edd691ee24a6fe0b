//! First-start generation of a local CA and a server certificate signed by it.

use std::io::Write;
use std::net::IpAddr;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

use super::{TlsMaterial, tls_path};
use crate::error::StartError;

pub const CA_FILE: &str = "ca.pem";
pub const CERT_FILE: &str = "server.pem";
pub const KEY_FILE: &str = "server.key";
const CA_KEY_FILE: &str = "ca.key";

/// Returns the generated material, creating it if absent.
pub(super) fn ensure(
    dir: &Path,
    extra_names: &[String],
    listen_ip: IpAddr,
    now: OffsetDateTime,
) -> Result<TlsMaterial, StartError> {
    let material = TlsMaterial {
        cert: tls_path(dir, CERT_FILE),
        key: tls_path(dir, KEY_FILE),
        ca: Some(tls_path(dir, CA_FILE)),
    };
    if material.cert.exists() && material.key.exists() {
        return Ok(material);
    }
    let err = |message: String| StartError::Tls {
        path: dir.to_owned(),
        message,
    };
    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    let host = hostname();

    let ca_key = KeyPair::generate().map_err(|e| err(e.to_string()))?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name = dn(&format!("Autorité locale cartable ({host})"));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - Duration::days(1);
    ca.not_after = now + Duration::days(3650);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| err(e.to_string()))?;
    let issuer = Issuer::new(ca, &ca_key);

    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !host.is_empty() {
        names.push(host.clone());
    }
    if !listen_ip.is_unspecified() && !listen_ip.is_loopback() {
        names.push(listen_ip.to_string());
    }
    names.extend(extra_names.iter().cloned());
    names.dedup();
    let server_key = KeyPair::generate().map_err(|e| err(e.to_string()))?;
    let mut server = CertificateParams::new(names).map_err(|e| err(e.to_string()))?;
    server.distinguished_name = dn(if host.is_empty() { "localhost" } else { &host });
    server.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = now - Duration::days(1);
    // Browsers refuse server certificates valid for more than 398 days.
    server.not_after = now + Duration::days(397);
    let server_cert = server
        .signed_by(&server_key, &issuer)
        .map_err(|e| err(e.to_string()))?;

    // Keys first, certificate last: the certificate's presence marks a complete set.
    write_private(&tls_path(dir, CA_KEY_FILE), &ca_key.serialize_pem())?;
    write_private(&material.key, &server_key.serialize_pem())?;
    write_public(&tls_path(dir, CA_FILE), &ca_cert.pem())?;
    write_public(
        &material.cert,
        &format!("{}{}", server_cert.pem(), ca_cert.pem()),
    )?;
    tracing::info!(dir = %dir.display(), "generated a local CA and server certificate");
    Ok(material)
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "cartable");
    dn.push(DnType::CommonName, cn);
    dn
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

fn write_private(path: &Path, text: &str) -> Result<(), StartError> {
    write(path, text, 0o600)
}

fn write_public(path: &Path, text: &str) -> Result<(), StartError> {
    write(path, text, 0o644)
}

fn write(path: &Path, text: &str, mode: u32) -> Result<(), StartError> {
    let err = |e: std::io::Error| StartError::Tls {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, mode);
    let mut f = opts.open(&tmp).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}
