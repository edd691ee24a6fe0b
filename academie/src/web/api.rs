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
