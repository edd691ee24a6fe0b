//! Calls cartable makes to other servers: the académie's endpoint (outbox) and CAS services
//! (proxy callbacks, single logout). One HTTPS client recipe: the system's CAs plus an optional
//! CA file, no redirect followed.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use cartable_core::academie::exchange;
use cartable_core::academie::outbox::Transport;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// An HTTPS client trusting the system's CAs and those of `ca_file`; a French reason when the
/// CA file cannot be used.
pub fn client(ca_file: Option<&Path>, timeout: Duration) -> Result<reqwest::Client, String> {
    client_with(ca_file, None, timeout)
}

/// [`client`], presenting a client certificate when `identity` (certificate, key) is given.
pub fn client_with(
    ca_file: Option<&Path>,
    identity: Option<(&Path, &Path)>,
    timeout: Duration,
) -> Result<reqwest::Client, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(ca) = ca_file {
        let certs = CertificateDer::pem_file_iter(ca)
            .map_err(|e| format!("{} : illisible ({e})", ca.display()))?;
        for c in certs {
            let c = c.map_err(|e| format!("{} : PEM illisible ({e})", ca.display()))?;
            roots
                .add(c)
                .map_err(|e| format!("{} : certificat refusé ({e})", ca.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS : {e}"))?
        .with_root_certificates(roots);
    let tls = match identity {
        None => tls.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("{} : illisible ({e})", cert.display()))?;
            let k = rustls::pki_types::PrivateKeyDer::from_pem_file(key)
                .map_err(|e| format!("{} : illisible ({e})", key.display()))?;
            tls.with_client_auth_cert(chain, k)
                .map_err(|e| format!("{} : certificat refusé ({e})", cert.display()))?
        }
    };
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(timeout)
        // Let go of an idle connection before the other side does (the hub keeps one 30 s):
        // reusing one the server is closing fails the request.
        .pool_idle_timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("cartable/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("client HTTPS : {e}"))
}

/// The outbox's way to the académie: a JSON POST, the idempotency key in a header.
pub struct HttpsTransport {
    client: reqwest::Client,
    url: String,
}

impl HttpsTransport {
    pub fn new(url: &str, ca_file: Option<&Path>) -> Result<Self, String> {
        Self::with_identity(url, ca_file, None)
    }

    /// Presenting the établissement's certificate (the académie's hub requires it).
    pub fn with_identity(
        url: &str,
        ca_file: Option<&Path>,
        identity: Option<(&Path, &Path)>,
    ) -> Result<Self, String> {
        Ok(Self {
            client: client_with(ca_file, identity, Duration::from_secs(30))?,
            url: url.to_owned(),
        })
    }
}

impl Transport for HttpsTransport {
    fn post<'a>(
        &'a self,
        key: &'a str,
        kind: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let r = self
                .client
                .post(&self.url)
                .header(exchange::KEY_HEADER, key)
                .header(exchange::KIND_HEADER, kind)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_owned())
                .send()
                .await
                .map_err(|e| format!("académie injoignable : {e}"))?;
            if r.status().is_success() {
                Ok(())
            } else {
                let status = r.status();
                // The hub says why in `{"erreur": …}`; keep it short in the log.
                let reason = r
                    .json::<serde_json::Value>()
                    .await
                    .ok()
                    .and_then(|v| v.get("erreur").and_then(|e| e.as_str()).map(str::to_owned))
                    .map(|e| format!(" : {}", e.chars().take(200).collect::<String>()))
                    .unwrap_or_default();
                Err(format!("l'académie répond {status}{reason}"))
            }
        })
    }
}

/// A delivery file the académie's hub offers (its `GET /api/flux`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Offered {
    pub nom: String,
    pub octets: u64,
    pub depose_le: i64,
    pub livraison: String,
}

/// Fetches this établissement's deliveries from the hub, with its certificate.
pub struct FluxClient {
    client: reqwest::Client,
    url: String,
}

impl FluxClient {
    pub fn new(
        url: &str,
        ca_file: Option<&Path>,
        identity: (&Path, &Path),
    ) -> Result<Self, String> {
        Ok(Self {
            // A delivery can be tens of megabytes: more time than a message.
            client: client_with(ca_file, Some(identity), Duration::from_secs(600))?,
            url: url.trim_end_matches('/').to_owned(),
        })
    }

    /// What the hub offers now.
    pub async fn list(&self) -> Result<Vec<Offered>, String> {
        let r = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| format!("académie injoignable : {e}"))?;
        if !r.status().is_success() {
            return Err(format!("l'académie répond {}", r.status()));
        }
        r.json()
            .await
            .map_err(|e| format!("liste des flux illisible : {e}"))
    }

    /// Streams one file into `to` (created, synced); its size must be the one offered.
    pub async fn fetch(&self, f: &Offered, to: &Path) -> Result<(), String> {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        // AAF file names are letters, digits, `_` and `.`: nothing to encode, nothing else taken.
        if f.nom.is_empty()
            || f.nom.starts_with('.')
            || !f
                .nom
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        {
            return Err(format!("{} : nom de fichier refusé", f.nom));
        }
        let name = &f.nom;
        let r = self
            .client
            .get(format!("{}/{name}", self.url))
            .send()
            .await
            .map_err(|e| format!("académie injoignable : {e}"))?;
        if !r.status().is_success() {
            return Err(format!("{} : l'académie répond {}", f.nom, r.status()));
        }
        let mut out = tokio::fs::File::create(to)
            .await
            .map_err(|e| format!("{} : {e}", to.display()))?;
        let mut written = 0u64;
        let mut body = r.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| format!("{} : transfert interrompu ({e})", f.nom))?;
            written += chunk.len() as u64;
            if written > f.octets {
                return Err(format!("{} : plus long qu'annoncé", f.nom));
            }
            out.write_all(&chunk)
                .await
                .map_err(|e| format!("{} : {e}", to.display()))?;
        }
        if written != f.octets {
            return Err(format!(
                "{} : {written} octets reçus sur {} annoncés",
                f.nom, f.octets
            ));
        }
        out.sync_all()
            .await
            .map_err(|e| format!("{} : {e}", to.display()))?;
        Ok(())
    }
}
