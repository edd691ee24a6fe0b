//! The HTTPS client cartable uses to call services back: proxy callbacks and single logout.
//! It trusts the system's CAs and those of `cas.ca_file`; it follows no redirect.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

fn build(ca_file: Option<&Path>) -> Option<reqwest::Client> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(ca) = ca_file {
        match CertificateDer::pem_file_iter(ca) {
            Ok(certs) => {
                for c in certs.flatten() {
                    if let Err(e) = roots.add(c) {
                        tracing::warn!("cas.ca_file {}: {e}", ca.display());
                    }
                }
            }
            Err(e) => tracing::warn!("cas.ca_file {}: {e}", ca.display()),
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .ok()
}

/// The client, built once for the process.
pub fn get(ca_file: Option<&Path>) -> Option<&'static reqwest::Client> {
    static CLIENT: OnceLock<Option<reqwest::Client>> = OnceLock::new();
    CLIENT.get_or_init(|| build(ca_file)).as_ref()
}
