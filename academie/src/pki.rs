//! The académie's certificates: one authority signs the hub's HTTPS certificate and each
//! établissement's client certificate, whose subject CN is its UAI. An établissement is known
//! by that certificate alone: the hub takes the UAI from it, never from what is sent.

use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result, file_error};

/// A certificate and its key, PEM.
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
}

fn err(e: rcgen::Error) -> Error {
    Error::Certificate(e.to_string())
}

fn dn(org: &str, cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, org);
    dn.push(DnType::CommonName, cn);
    dn
}

/// A new authority for `academie` (ten years).
pub fn new_authority(academie: &str, now: OffsetDateTime) -> Result<Issued> {
    let key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name = dn(academie, &format!("Autorité cartable — {academie}"));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - Duration::days(1);
    ca.not_after = now + Duration::days(3650);
    let cert = ca.self_signed(&key).map_err(err)?;
    Ok(Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

fn issuer(ca: &Issued) -> Result<Issuer<'static, KeyPair>> {
    let key = KeyPair::from_pem(&ca.key_pem).map_err(err)?;
    Issuer::from_ca_cert_pem(&ca.cert_pem, key).map_err(err)
}

/// The hub's HTTPS certificate for `names` (host names or addresses), 397 days.
pub fn server(ca: &Issued, names: &[String], now: OffsetDateTime) -> Result<Issued> {
    let key = KeyPair::generate().map_err(err)?;
    let mut p = CertificateParams::new(names.to_vec()).map_err(err)?;
    p.distinguished_name = dn(
        "cartable",
        names.first().map_or("cartable-academie", String::as_str),
    );
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(397);
    let cert = p.signed_by(&key, &issuer(ca)?).map_err(err)?;
    Ok(Issued {
        cert_pem: format!("{}{}", cert.pem(), ca.cert_pem),
        key_pem: key.serialize_pem(),
    })
}

/// Whether `uai` looks like one: seven digits and a letter.
pub fn valid_uai(uai: &str) -> bool {
    uai.len() == 8
        && uai[..7].bytes().all(|b| b.is_ascii_digit())
        && uai.as_bytes()[7].is_ascii_uppercase()
}

/// An établissement's client certificate (three years), its CN the UAI.
pub fn etablissement(ca: &Issued, uai: &str, nom: &str, now: OffsetDateTime) -> Result<Issued> {
    if !valid_uai(uai) {
        return Err(Error::Refused(format!(
            "« {uai} » n'est pas un UAI (sept chiffres et une lettre majuscule)"
        )));
    }
    let key = KeyPair::generate().map_err(err)?;
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(nom, uai);
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(3 * 365);
    let cert = p.signed_by(&key, &issuer(ca)?).map_err(err)?;
    Ok(Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

/// The UAI a verified client certificate names (its subject's CN), if it names one.
pub fn uai_of(cert_der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(cert_der).ok()?;
    let cn = cert
        .subject()
        .iter_common_name()
        .next()?
        .as_str()
        .ok()?
        .to_owned();
    valid_uai(&cn).then_some(cn)
}

/// Reads the authority from its two files.
pub fn load_authority(cert: &Path, key: &Path) -> Result<Issued> {
    Ok(Issued {
        cert_pem: std::fs::read_to_string(cert).map_err(|e| file_error(cert, e))?,
        key_pem: std::fs::read_to_string(key).map_err(|e| file_error(key, e))?,
    })
}

/// Writes a key (mode 600) then its certificate; refuses to overwrite either.
pub fn write(issued: &Issued, cert: &Path, key: &Path) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    for (path, text, mode) in [
        (key, &issued.key_pem, 0o600),
        (cert, &issued.cert_pem, 0o644),
    ] {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(path)
            .map_err(|e| file_error(path, e))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| file_error(path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    #[test]
    fn an_etablissement_is_known_by_its_certificate() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let ca = new_authority("Académie de Poitiers", now).unwrap();
        let cert = etablissement(&ca, "0860001A", "Collège Jean Moulin", now).unwrap();
        let der = CertificateDer::from_pem_slice(cert.cert_pem.as_bytes()).unwrap();
        assert_eq!(uai_of(&der).as_deref(), Some("0860001A"));
        assert!(etablissement(&ca, "86001", "x", now).is_err());
        let server = server(&ca, &["localhost".into()], now).unwrap();
        let der = CertificateDer::from_pem_slice(server.cert_pem.as_bytes()).unwrap();
        assert_eq!(uai_of(&der), None, "the hub's own certificate names no UAI");
    }
}
