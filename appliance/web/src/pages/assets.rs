//! Static assets compiled into the binary (no inline styles or scripts: the CSP forbids them).

use actix_web::{HttpResponse, web};

use crate::error::WebError;

const STYLESHEET: &str = include_str!("../../static/cartable.css");

/// Service icons, by name.
const ICONS: &[(&str, &str)] = &[
    (
        "actualites",
        include_str!("../../static/icons/actualites.svg"),
    ),
    ("admin", include_str!("../../static/icons/admin.svg")),
    ("agenda", include_str!("../../static/icons/agenda.svg")),
    ("annuaire", include_str!("../../static/icons/annuaire.svg")),
    ("blogs", include_str!("../../static/icons/blogs.svg")),
    (
        "cahier-de-textes",
        include_str!("../../static/icons/cahier-de-textes.svg"),
    ),
    ("compte", include_str!("../../static/icons/compte.svg")),
    ("devoirs", include_str!("../../static/icons/devoirs.svg")),
    (
        "emploi-du-temps",
        include_str!("../../static/icons/emploi-du-temps.svg"),
    ),
    ("fichiers", include_str!("../../static/icons/fichiers.svg")),
    ("forums", include_str!("../../static/icons/forums.svg")),
    ("lien", include_str!("../../static/icons/lien.svg")),
    (
        "mediacentre",
        include_str!("../../static/icons/mediacentre.svg"),
    ),
    (
        "messagerie",
        include_str!("../../static/icons/messagerie.svg"),
    ),
    ("notes", include_str!("../../static/icons/notes.svg")),
    (
        "reservations",
        include_str!("../../static/icons/reservations.svg"),
    ),
    (
        "mot-de-passe",
        include_str!("../../static/icons/mot-de-passe.svg"),
    ),
    (
        "vie-scolaire",
        include_str!("../../static/icons/vie-scolaire.svg"),
    ),
    ("usages", include_str!("../../static/icons/usages.svg")),
];

const FAVICON: &str = include_str!("../../static/favicon.svg");

pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(FAVICON)
}

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
