//! The pages: sign-in, portal, account, sign-out, static assets.

pub mod account;
pub mod admin;
pub mod assets;
pub mod classes;
pub mod devoirs;
pub mod etablissement;
pub mod files;
pub mod login;
pub mod logout;
pub mod modules;
pub mod password;
pub mod people;
pub mod portal;

use actix_web::HttpResponse;
use askama::Template;
use cartable_core::directory::DirectoryRead;

use crate::error::WebError;
use crate::state::AppState;
use crate::templates::Chrome;

/// Renders a template as an HTML response.
pub fn html(t: &impl Template) -> Result<HttpResponse, WebError> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(t.render()?))
}

/// The header's content for a page.
pub async fn chrome(
    state: &AppState,
    signed_in: Option<&crate::session::SignedIn>,
) -> Result<Chrome, WebError> {
    let (name, logo) = etablissement::shown(state).await?;
    let etablissement = match name {
        Some(n) => n,
        None => state
            .directory
            .structure()
            .await?
            .map(|s| s.name)
            .unwrap_or_else(|| "Espace numérique de travail".to_owned()),
    };
    Ok(Chrome {
        etablissement,
        logo,
        csrf: signed_in.map(|s| s.csrf.clone()),
        person_name: signed_in.map(|s| s.person.display_name()),
    })
}

/// `JJ/MM/AAAA HH:MM` (UTC) of a unix time.
pub fn when(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .map(|t| {
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                t.day(),
                t.month() as u8,
                t.year(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// Back to a page after a form, with the outcome it shows (`ok=` or `err=` in the query).
pub fn see_other_with(to: &str, outcome: Result<String, String>) -> HttpResponse {
    let (k, v) = match outcome {
        Ok(m) => ("ok", m),
        Err(m) => ("err", m),
    };
    let sep = if to.contains('?') { '&' } else { '?' };
    HttpResponse::SeeOther()
        .insert_header(("Location", format!("{to}{sep}{k}={}", encode_query(&v))))
        .finish()
}

/// A PDF to download.
pub fn pdf_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes)
}

/// The ENT's address as people should type it: the configured one, else this request's.
pub fn public_url(req: &actix_web::HttpRequest, state: &AppState) -> String {
    match &state.config.public_url {
        Some(u) => u.clone(),
        None => format!("https://{}", req.connection_info().host()),
    }
}

/// Percent-encodes a value for a query string.
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where to go after sign-in: only a local path, never another site (open redirect).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/login")
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/compte")), "/compte");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/login?next=/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn query_encoding() {
        assert_eq!(encode_query("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
