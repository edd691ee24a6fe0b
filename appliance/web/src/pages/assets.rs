//! Static assets compiled into the binary (no inline styles or scripts: the CSP forbids them).

use actix_web::HttpResponse;

const STYLESHEET: &str = include_str!("../../static/cartable.css");

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLESHEET)
}
