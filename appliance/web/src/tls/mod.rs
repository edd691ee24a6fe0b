//! HTTPS material: the administrator's certificate, or a local CA and a server certificate
//! generated on first start and kept under `data_dir/tls` (so browsers that trust the CA once
//! keep trusting the server across restarts).

mod generate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartable_core::config::{Config, TlsConfig};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use time::OffsetDateTime;

pub use generate::{CA_FILE, CERT_FILE, KEY_FILE};

use crate::error::StartError;

/// Where the server's certificate came from.
#[derive(Debug, Clone)]
pub struct TlsMaterial {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The local CA to trust, when generated.
    pub ca: Option<PathBuf>,
}

/// TLS sessions remembered for resumption (a few hundred bytes each).
const SESSION_CACHE: usize = 8192;

/// Loads (or generates) the certificate and builds the rustls configuration.
pub fn server_config(
    config: &Config,
    now: OffsetDateTime,
) -> Result<(Arc<ServerConfig>, TlsMaterial), StartError> {
    let material = match &config.tls {
        TlsConfig::Files { cert, key } => TlsMaterial {
            cert: cert.clone(),
            key: key.clone(),
            ca: None,
        },
        TlsConfig::Generated { hostnames } => {
            generate::ensure(&config.tls_dir(), hostnames, config.listen.ip(), now)?
        }
    };
    let chain = CertificateDer::pem_file_iter(&material.cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| StartError::Tls {
            path: material.cert.clone(),
            message: e.to_string(),
        })?;
    if chain.is_empty() {
        return Err(StartError::Tls {
            path: material.cert.clone(),
            message: "aucun certificat PEM dans ce fichier".into(),
        });
    }
    let key = PrivateKeyDer::from_pem_file(&material.key).map_err(|e| StartError::Tls {
        path: material.key.clone(),
        message: e.to_string(),
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|e| StartError::Tls {
            path: material.cert.clone(),
            message: e.to_string(),
        })?;
    // A browser coming back (the next page, the portal after the sign-in form) resumes its
    // TLS session instead of a full handshake: stateless tickets (keys rotated by rustls), and
    // a cache for clients without tickets, sized for a school's devices.
    server.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new().map_err(|e| StartError::Tls {
        path: material.cert.clone(),
        message: e.to_string(),
    })?;
    server.session_storage = rustls::server::ServerSessionMemoryCache::new(SESSION_CACHE);
    Ok((Arc::new(server), material))
}

pub(crate) fn tls_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}
