//! What établissements call: a message in (the outbox's POST, idempotent on its key).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use cartable_core::academie::exchange::KEY_HEADER;
use serde_json::json;

use super::Hub;
use crate::db::ingest::Received;
use crate::error::Error;
use crate::text;

/// Largest message accepted (a day's indicators are a few kilobytes).
pub const MAX_BODY: usize = 1024 * 1024;

/// A refusal the établissement's outbox logs as the reason.
pub fn refuse(status: StatusCode, reason: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "erreur": reason }))
}

pub async fn message(req: &HttpRequest, body: &[u8], hub: &Hub, uai: &str) -> HttpResponse {
    if body.len() > MAX_BODY {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, text::TOO_LARGE);
    }
    let key = req
        .headers()
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match hub.db.receive(uai, key, body, hub.clock.now()).await {
        Ok(r) => HttpResponse::Ok().json(json!({ "recu": true, "nouveau": r == Received::New })),
        Err(Error::Forbidden(m)) => {
            tracing::warn!(uai, cle = key, "message refusé : {m}");
            refuse(StatusCode::FORBIDDEN, &m)
        }
        Err(Error::Refused(m)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &m),
        Err(e) => {
            tracing::error!(uai, cle = key, "message non enregistré : {e}");
            refuse(StatusCode::SERVICE_UNAVAILABLE, text::SERVER_ERROR)
        }
    }
}

/// The files of the établissement's deliveries it may fetch now.
pub async fn flux_list(hub: &Hub, uai: &str) -> HttpResponse {
    let (root, u, now) = (hub.config.flux.clone(), uai.to_owned(), hub.clock.now());
    match tokio::task::spawn_blocking(move || crate::flux::offered(&root, &u, now)).await {
        Ok(Ok(files)) => HttpResponse::Ok().json(files),
        Ok(Err(e)) => {
            tracing::error!(uai, "dossier des flux illisible : {e}");
            refuse(StatusCode::SERVICE_UNAVAILABLE, text::FLUX_UNREADABLE)
        }
        Err(e) => {
            tracing::error!(uai, "dossier des flux : {e}");
            refuse(StatusCode::SERVICE_UNAVAILABLE, text::FLUX_UNREADABLE)
        }
    }
}

/// One file of its deliveries, streamed off the executor; noted as fetched.
pub async fn flux_file(req: &HttpRequest, hub: &Hub, uai: &str, name: &str) -> HttpResponse {
    if crate::flux::of_uai(name, uai).is_none() {
        return refuse(StatusCode::NOT_FOUND, text::FLUX_UNKNOWN);
    }
    let path = crate::flux::folder(&hub.config.flux, uai).join(name);
    let file = match actix_files::NamedFile::open_async(&path).await {
        Ok(f) => f,
        Err(_) => return refuse(StatusCode::NOT_FOUND, text::FLUX_UNKNOWN),
    };
    let bytes = file.metadata().len();
    if let Err(e) = hub.db.fetched(uai, name, bytes, hub.clock.now()).await {
        tracing::error!(uai, fichier = name, "retrait non noté : {e}");
        return refuse(StatusCode::SERVICE_UNAVAILABLE, text::SERVER_ERROR);
    }
    file.use_etag(false)
        .use_last_modified(false)
        .set_content_type(actix_files::file_extension_to_mime("xml"))
        .into_response(req)
}
