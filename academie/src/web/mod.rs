//! The hub's HTTPS server. One listener for both audiences: établissements present their
//! client certificate (verified against the académie's authority; the UAI is read from it
//! at connection time), the académie's staff sign in with a password. Every route is in one
//! table with its rule (`routes::ROUTES`), and `routes::authorize` is the only place a
//! request is let through.

mod api;
mod pages;
pub mod routes;
mod session;
mod templates;

use std::any::Any;
use std::sync::Arc;

use actix_web::dev::Extensions;
use actix_web::{App, HttpServer, web};
use cartable_core::clock::SharedClock;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::Config;
use crate::db::Db;
use crate::error::{Error, Result, file_error};

/// What every handler shares.
pub struct Hub {
    pub config: Config,
    pub db: Db,
    pub clock: SharedClock,
}

/// The UAI of the connection's verified client certificate (none for a browser).
#[derive(Debug, Clone)]
pub struct PeerUai(pub Option<Result<String, ()>>);

fn tls_config(config: &Config) -> Result<rustls::ServerConfig> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&config.certificat)
        .and_then(|it| it.collect())
        .map_err(|e| file_error(&config.certificat, e))?;
    let key = PrivateKeyDer::from_pem_file(&config.cle).map_err(|e| file_error(&config.cle, e))?;
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(&config.ca_etablissements)
        .map_err(|e| file_error(&config.ca_etablissements, e))?
    {
        let c = c.map_err(|e| file_error(&config.ca_etablissements, e))?;
        roots
            .add(c)
            .map_err(|e| file_error(&config.ca_etablissements, e))?;
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // Browsers have no certificate: the connection is accepted, and only the établissements'
    // routes require one.
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .allow_unauthenticated()
    .build()
    .map_err(|e| Error::Certificate(e.to_string()))?;
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Certificate(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| file_error(&config.certificat, e))?;
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// Reads the client certificate's UAI once per connection.
fn on_connect(conn: &dyn Any, ext: &mut Extensions) {
    use actix_tls::accept::rustls_0_23::TlsStream;
    let Some(tls) = conn.downcast_ref::<TlsStream<actix_web::rt::net::TcpStream>>() else {
        return;
    };
    let uai = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|c| c.first())
        .map(|c| crate::pki::uai_of(c).ok_or(()));
    ext.insert(PeerUai(uai));
}

/// Serves until stopped.
pub async fn serve(config: Config, db: Db, clock: SharedClock) -> Result<()> {
    let tls = tls_config(&config)?;
    let addr = config.ecoute;
    let hub = web::Data::new(Hub { config, db, clock });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(hub.clone())
            .app_data(web::PayloadConfig::new(api::MAX_BODY))
            .app_data(web::FormConfig::default().limit(16 * 1024))
            .wrap(pages::security_headers())
            .configure(routes::configure)
    })
    .on_connect(on_connect)
    // Longer than the établissements' client keeps an idle connection (20 s), so that the
    // client, not the server, closes it.
    .keep_alive(std::time::Duration::from_secs(30))
    .bind_rustls_0_23(addr, tls)
    .map_err(|e| Error::Config {
        file: "academie.toml".into(),
        key: "ecoute".into(),
        reason: format!("{addr} : {e}"),
    })?;
    tracing::info!(%addr, "cartable-academie à l'écoute");
    server
        .run()
        .await
        .map_err(|e| Error::Refused(e.to_string()))
}
