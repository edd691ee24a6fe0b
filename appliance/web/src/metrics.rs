//! Prometheus metrics: requests by route and status, latency, sign-ins, build info. Served
//! on `/metrics` to loopback clients only.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::state::AppState;

/// Outcome label of a sign-in attempt.
#[derive(Debug, Clone, Copy)]
pub enum LoginResult {
    Ok,
    Failed,
    Disabled,
    /// Refused by throttling before the password was checked.
    Throttled,
    /// Refused because every password worker was busy and the queue full.
    Busy,
}

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    logins: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("cartable".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )?;
        let logins = IntCounterVec::new(
            Opts::new("logins_total", "Sign-in attempts by result"),
            &["result"],
        )?;
        let build = IntGauge::with_opts(
            Opts::new("build_info", "Version of cartable running")
                .const_label("version", env!("CARGO_PKG_VERSION")),
        )?;
        build.set(1);
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(logins.clone()))?;
        registry.register(Box::new(build))?;
        for r in ["ok", "failed", "disabled", "throttled", "busy"] {
            logins.with_label_values(&[r]);
        }
        Ok(Self {
            registry,
            requests,
            latency,
            logins,
        })
    }

    pub fn login(&self, result: LoginResult) {
        let label = match result {
            LoginResult::Ok => "ok",
            LoginResult::Failed => "failed",
            LoginResult::Disabled => "disabled",
            LoginResult::Throttled => "throttled",
            LoginResult::Busy => "busy",
        };
        self.logins.with_label_values(&[label]).inc();
    }

    fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// Middleware recording each request under its route pattern (not its raw path, so ids in
/// URLs do not explode the label space).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let method = method_label(req.method());
    let res = next.call(req).await?;
    if let Some(m) = metrics {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        m.requests
            .with_label_values(&[&route, method, res.status().as_str()])
            .inc();
        m.latency
            .with_label_values(&[&route])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// The method as a label from a fixed set: a client may send any token as a method, and a
/// label per token would grow `/metrics` without bound.
fn method_label(m: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// `GET /metrics`, for loopback scrapers.
pub async fn endpoint(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let local = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    if !local {
        return HttpResponse::Forbidden().finish();
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
