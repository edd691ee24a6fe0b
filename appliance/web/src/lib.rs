//! cartable-web: the HTTP host. HTTPS with rustls, server-side sessions, CSRF, the sign-in
//! page and the portal, health and metrics. ENT services will plug in here as modules.

pub mod cas;
pub mod error;
pub mod headers;
pub mod health;
pub mod messages;
pub mod metrics;
pub mod module;
pub mod notify;
pub mod outbound;
pub mod pages;
pub mod people;
pub mod policy;
pub mod redirect;
pub mod rich_text;
pub mod routes;
pub mod session;
pub mod state;
pub mod templates;
pub mod throttle;
pub mod tls;

use std::net::SocketAddr;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};

pub use error::{StartError, WebError};
pub use state::AppState;

use crate::tls::TlsMaterial;

/// Largest form body accepted (sign-in and other small forms).
const FORM_LIMIT: usize = 16 * 1024;

/// Mounts every route of the host (see [`routes::ROUTES`]).
pub fn routes(cfg: &mut web::ServiceConfig) {
    routes::mount(cfg);
}

/// The application with its middleware, as served (also used by in-process tests).
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let modules = state.modules.clone();
    App::new()
        .app_data(state)
        .app_data(
            web::FormConfig::default()
                .limit(FORM_LIMIT)
                .error_handler(|e, _| WebError::BadRequest(e.to_string()).into()),
        )
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| WebError::BadRequest(e.to_string()).into()),
        )
        .configure(routes)
        .configure(|cfg| module::mount(cfg, &modules))
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(WebError::NotFound)
        }))
        .wrap(from_fn(error::dress))
        .wrap(from_fn(metrics::record))
        .wrap(Compress::default())
        .wrap(headers::security_headers())
}

/// TLS handshakes a worker runs at once (actix's default is 256).
const MAX_HANDSHAKES: usize = 64;

/// The servers started by [`start`].
pub struct Running {
    pub https: Server,
    pub https_addr: SocketAddr,
    /// The plain-HTTP redirector, when configured.
    pub http: Option<(Server, SocketAddr)>,
    pub tls: TlsMaterial,
}

/// Binds the HTTPS listener (and the HTTP redirector) and returns the servers, not yet
/// awaited. Signals are left to the caller, which stops the servers gracefully.
pub fn start(state: web::Data<AppState>) -> Result<Running, StartError> {
    let config = state.config.clone();
    let (tls, material) = tls::server_config(&config, state.clock.now())?;
    let data = state.clone();
    let https = HttpServer::new(move || app(data.clone()))
        .disable_signals()
        .shutdown_timeout(30)
        // TLS handshakes in progress per worker: a thousand at once (the 8:00 storm) each hold
        // their buffers; past this, connections wait in the listen queue instead.
        .max_connection_rate(MAX_HANDSHAKES)
        // A response's last small TLS record is not held back waiting for the client's ACK
        // (Nagle against delayed ACK: a 40 ms stall on one request in three).
        .tcp_nodelay(true)
        .bind_rustls_0_23(config.listen, (*tls).clone())
        .map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
    let https_addr = https.addrs().first().copied().unwrap_or(config.listen);
    let https = https.run();

    let http = match config.http_listen {
        None => None,
        Some(addr) => {
            let target = web::Data::new(redirect::HttpsTarget {
                public_url: config.public_url.clone(),
                https_port: https_addr.port(),
            });
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(target.clone())
                    .default_service(web::to(redirect::to_https))
            })
            .disable_signals()
            .shutdown_timeout(5)
            .workers(1)
            .bind(addr)
            .map_err(|source| StartError::Bind { addr, source })?;
            let bound = server.addrs().first().copied().unwrap_or(addr);
            Some((server.run(), bound))
        }
    };
    Ok(Running {
        https,
        https_addr,
        http,
        tls: material,
    })
}
