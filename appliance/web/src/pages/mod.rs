//! The pages: sign-in, portal, account, sign-out, static assets.

pub mod account;
pub mod admin;
pub mod annuaire;
pub mod assets;
pub mod calendrier;
pub mod classes;
pub mod devoirs;
pub mod etablissement;
pub mod files;
pub mod login;
pub mod logout;
pub mod modules;
pub mod notifications;
pub mod password;
pub mod people;
pub mod portal;
pub mod server;
pub mod usages;

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

/// The kind of device a request comes from, for the usage figures (nothing else is kept).
pub fn device_of(req: &actix_web::HttpRequest) -> cartable_core::usage::Device {
    cartable_core::usage::Device::of_user_agent(
        req.headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    )
}

/// The header's content for a page.
pub async fn chrome(
    state: &AppState,
    signed_in: Option<&crate::session::SignedIn>,
) -> Result<Chrome, WebError> {
    // The établissement's name and logo and the unread count: read with the session.
    let (name, logo, unread) = match signed_in {
        Some(s) => (s.header.name.clone(), s.header.logo, s.header.unread),
        None => {
            let (name, logo) = etablissement::shown(state).await?;
            (name, logo, 0)
        }
    };
    // The header never fails a page: without the annuaire, the ENT's own name.
    let etablissement = match name {
        Some(n) => n,
        None => state
            .directory
            .structure()
            .await
            .ok()
            .flatten()
            .map(|s| s.name)
            .unwrap_or_else(|| crate::messages::ENT.to_owned()),
    };
    Ok(Chrome {
        etablissement,
        logo,
        csrf: signed_in.map(|s| s.csrf.clone()),
        person_name: signed_in.map(|s| s.person.display_name()),
        unread,
    })
}

/// `?ok=` / `?err=` after a form: what happened, or why it was refused (sealed: see
/// [`see_other_with`]; an address typed by hand shows nothing).
#[derive(serde::Deserialize, Default, Debug)]
pub struct Outcome {
    pub ok: Option<String>,
    pub err: Option<String>,
}

impl Outcome {
    pub fn notice(&self) -> Option<String> {
        shown_ok(&self.ok)
    }

    pub fn error(&self) -> Option<String> {
        shown_err(&self.err)
    }
}

/// A multipart form as read: its fields in order, and whether one went past the size limit.
pub struct MultipartFields {
    pub fields: Vec<(String, Vec<u8>)>,
    /// A field was larger than allowed: reading stopped there (that field is kept, cut).
    pub too_big: bool,
}

impl MultipartFields {
    /// A text field, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.bytes(name)
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default()
    }

    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

/// Reads a multipart form, each field up to `max_bytes`, `max_parts` parts at most (beyond:
/// 400). Bounded work per request, whatever is sent.
pub async fn read_multipart(
    form: &mut actix_multipart::Multipart,
    max_bytes: usize,
    max_parts: usize,
) -> Result<MultipartFields, WebError> {
    use futures_util::StreamExt;
    let mut out = MultipartFields {
        fields: Vec::new(),
        too_big: false,
    };
    while let Some(field) = form.next().await {
        if out.fields.len() >= max_parts {
            return Err(WebError::BadRequest("trop de parties".into()));
        }
        let mut field = field.map_err(|e| WebError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_owned();
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| WebError::BadRequest(e.to_string()))?;
            if data.len() + chunk.len() > max_bytes {
                out.too_big = true;
                break;
            }
            data.extend_from_slice(&chunk);
        }
        out.fields.push((name, data));
        if out.too_big {
            break;
        }
    }
    Ok(out)
}

/// A form with nothing but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// What a confirmation page says and where it posts.
pub struct ConfirmSpec<'a> {
    pub title: &'a str,
    /// What will happen, to whom.
    pub what: &'a str,
    /// What the person will get or should do next.
    pub after: &'a str,
    pub button: &'a str,
    /// Where the form posts (the action itself).
    pub action: &'a str,
    /// The form's own fields, carried over.
    pub fields: Vec<(&'a str, &'a str)>,
    /// Where « Annuler » leads.
    pub back: &'a str,
}

/// Asks before what cannot be undone: the form again, with `confirme=1`, and a way back.
pub async fn confirm(
    state: &AppState,
    me: &crate::session::SignedIn,
    spec: ConfirmSpec<'_>,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(me)).await?;
    html(&crate::templates::ConfirmPage {
        chrome: &chrome,
        spec,
    })
}

/// A form's page sent back: 422 when it was refused (the page shows what was typed and why).
pub fn refused_if(mut res: HttpResponse, refused: bool) -> HttpResponse {
    if refused {
        *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// [`html`], then [`refused_if`].
pub fn html_kept(t: &impl Template, refused: bool) -> Result<HttpResponse, WebError> {
    Ok(refused_if(html(t)?, refused))
}

/// `JJ/MM/AAAA HH:MM`, French legal time, of a unix time.
pub fn when(at: i64) -> String {
    cartable_core::dates::french_date_time(at)
}

/// Back to a page after a form, with the outcome it shows (`ok=` or `err=` in the query).
/// The message is sealed with a key of this process: a page shows only what the server said,
/// never a text someone put in a link (« Votre compte est suspendu, appelez le… »).
pub fn see_other_with(to: &str, outcome: Result<String, String>) -> HttpResponse {
    let (k, v) = match outcome {
        Ok(m) => ("ok", m),
        Err(m) => ("err", m),
    };
    let sep = if to.contains('?') { '&' } else { '?' };
    let sealed = format!("{}.{v}", seal(k, &v));
    HttpResponse::SeeOther()
        .insert_header((
            "Location",
            format!("{to}{sep}{k}={}", encode_query(&sealed)),
        ))
        .finish()
}

/// The process's key for outcome messages.
fn outcome_key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use rand::RngCore;
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        k
    })
}

fn seal(kind: &str, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(outcome_key()) else {
        return String::new();
    };
    mac.update(kind.as_bytes());
    mac.update(b"\0");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The success message of a `?ok=` the server sealed; nothing for any other text.
pub fn shown_ok(v: &Option<String>) -> Option<String> {
    unseal("ok", v.as_deref()?)
}

/// The error message of an `?err=` the server sealed; nothing for any other text.
pub fn shown_err(v: &Option<String>) -> Option<String> {
    unseal("err", v.as_deref()?)
}

fn unseal(kind: &str, v: &str) -> Option<String> {
    let (sig, message) = v.split_once('.')?;
    let want = seal(kind, message);
    // Compared whole; the key is random per process, so timing tells nothing usable.
    (!want.is_empty() && sig == want).then(|| message.to_owned())
}

/// A file downloaded under its name: an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn download_as(name: &str) -> actix_web::http::header::ContentDisposition {
    use actix_web::http::header::{
        Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
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
    fn only_sealed_messages_are_shown() {
        let res = see_other_with("/x?a=1", Err("« a.txt » refusé".to_owned()));
        let to = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let sealed = to.split("err=").nth(1).unwrap_or_default();
        let sealed = percent_decode(sealed);
        assert_eq!(
            shown_err(&Some(sealed.clone())).as_deref(),
            Some("« a.txt » refusé")
        );
        assert_eq!(shown_ok(&Some(sealed)), None, "an error is not a success");
        for forged in ["Votre compte est suspendu", "0.Votre compte", ""] {
            assert_eq!(shown_err(&Some(forged.to_owned())), None);
        }
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%'
                && i + 3 <= b.len()
                && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn query_encoding() {
        assert_eq!(encode_query("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
