//! Static assets compiled into the binary (no inline styles or scripts: the CSP forbids them).

use actix_web::{HttpResponse, web};

use crate::error::WebError;

const STYLESHEET: &str = include_str!("../../static/cartable.css");

/// Service icons, by name.
const ICONS: &[(&str, &str)] = &[("compte", include_str!("../../static/icons/compte.svg"))];

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLESHEET)
}

pub async fn icon(name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let name = name.trim_end_matches(".svg");
    let svg = ICONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, svg)| *svg)
        .ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(svg))
}
