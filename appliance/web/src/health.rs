//! `GET /healthz`: whether the store and the directory answer, as JSON.

use actix_web::{HttpResponse, web};
use cartable_core::directory::DirectoryRead;
use serde::Serialize;

use crate::state::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    store: Check,
    directory: Check,
}

#[derive(Serialize)]
struct Check {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    backend: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn check(r: cartable_core::Result<()>, backend: Option<&'static str>) -> Check {
    match r {
        Ok(()) => Check {
            status: "ok",
            backend,
            error: None,
        },
        Err(e) => Check {
            status: "error",
            backend,
            error: Some(e.to_string()),
        },
    }
}

pub async fn endpoint(state: web::Data<AppState>) -> HttpResponse {
    let store = check(state.store.ping().await, None);
    let directory = check(
        state.directory.ping().await,
        Some(state.directory.backend_name()),
    );
    let ok = store.status == "ok" && directory.status == "ok";
    let body = Health {
        status: if ok { "ok" } else { "error" },
        version: env!("CARGO_PKG_VERSION"),
        store,
        directory,
    };
    let mut res = if ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    res.insert_header(("Cache-Control", "no-store")).json(body)
}
