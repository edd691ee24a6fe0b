//! The établissement as the portal shows it: the name people know it by (the annuaire's by
//! default) and its logo, set by the RUPN in the console. Both live in the store, so a backup
//! keeps them. A logo is a PNG or JPEG of at most 256 KiB, recognised by its content.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cartable_core::directory::DirectoryRead;
use cartable_core::store::ReadTxn;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::login::see_other;
use super::{chrome, html};
use crate::error::WebError;
use crate::messages;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::EtablissementPage;

const NAME_KEY: &str = cartable_core::letters::ETABLISSEMENT_NAME_KEY;
const LOGO_KEY: &str = "etablissement.logo";
const MAX_LOGO: usize = 256 * 1024;
/// Parts read from the form at most (csrf, nom, logo, supprimer-logo).
const MAX_PARTS: usize = 8;
const MAX_NAME: usize = 120;

/// The kind of image, from its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else {
        None
    }
}

/// The name set by the RUPN, if any, and whether a logo is set: one read per page.
pub async fn shown(state: &AppState) -> Result<(Option<String>, bool), WebError> {
    if let Some(v) = state.shown.get() {
        return Ok(v);
    }
    let v = state.store.read(shown_in).await?;
    state.shown.set(v.clone());
    Ok(v)
}

/// The établissement's name and whether it has a logo, kept [`SHOWN_FOR`]: every page for
/// someone not signed in (the sign-in form first) shows them. Forgotten at once when changed
/// here; a change by another process (a restore) is seen within that time.
#[derive(Default)]
pub struct Shown(Mutex<Option<(Instant, Option<String>, bool)>>);

const SHOWN_FOR: Duration = Duration::from_secs(5);

impl Shown {
    fn get(&self) -> Option<(Option<String>, bool)> {
        let kept = self.0.lock().ok()?.clone()?;
        (kept.0.elapsed() < SHOWN_FOR).then_some((kept.1, kept.2))
    }

    fn set(&self, (name, logo): (Option<String>, bool)) {
        if let Ok(mut k) = self.0.lock() {
            *k = Some((Instant::now(), name, logo));
        }
    }

    fn forget(&self) {
        if let Ok(mut k) = self.0.lock() {
            *k = None;
        }
    }
}

/// [`shown`] inside a read the caller makes anyway.
pub fn shown_in(r: &ReadTxn<'_>) -> cartable_core::Result<(Option<String>, bool)> {
    Ok((r.meta(NAME_KEY)?, r.has_meta(LOGO_KEY)?))
}

/// `GET /etablissement/logo`, for everyone (the sign-in page shows it too).
pub async fn logo(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let stored = state
        .store
        .read(|r| r.meta(LOGO_KEY))
        .await?
        .ok_or(WebError::NotFound)?;
    let bytes = STANDARD
        .decode(stored.as_bytes())
        .map_err(|_| WebError::NotFound)?;
    let kind = image_type(&bytes).ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(bytes))
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    error: Option<&str>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let annuaire = state
        .directory
        .structure()
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let chrome = chrome(state, Some(me)).await?;
    let mut res = html(&EtablissementPage {
        nom: &chrome.etablissement,
        annuaire: &annuaire,
        logo: chrome.logo,
        chrome: &chrome,
        error,
        notice,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

#[derive(serde::Deserialize)]
pub struct Saved {
    ok: Option<String>,
}

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let notice = q.ok.as_ref().map(|_| messages::ETABLISSEMENT_SAVED);
    render(&state, &me, None, notice, StatusCode::OK).await
}

/// `POST /admin/etablissement` (multipart): name, logo, or removing the logo.
pub async fn save(
    me: SignedIn,
    state: web::Data<AppState>,
    mut form: Multipart,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let read = super::read_multipart(&mut form, MAX_LOGO, MAX_PARTS).await?;
    let token = read.text("csrf");
    let name = read.bytes("nom").map(|_| read.text("nom"));
    let remove = read.bytes("supprimer-logo").is_some();
    let too_big = read.too_big;
    let logo = read
        .bytes("logo")
        .filter(|b| !b.is_empty() || too_big)
        .map(<[u8]>::to_vec);
    csrf::check(&me.csrf, &token)?;
    let bad = |m: &'static str| render(&state, &me, Some(m), None, StatusCode::BAD_REQUEST);
    if too_big {
        return bad(messages::LOGO_TOO_BIG).await;
    }
    if let Some(n) = &name
        && n.chars().count() > MAX_NAME
    {
        return bad(messages::NAME_TOO_LONG).await;
    }
    let logo = match logo {
        Some(bytes) => match image_type(&bytes) {
            Some(_) => Some(STANDARD.encode(&bytes)),
            None => return bad(messages::LOGO_NOT_AN_IMAGE).await,
        },
        None => None,
    };
    let actor = me.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| {
            if let Some(n) = name {
                if n.is_empty() {
                    w.delete_meta(NAME_KEY)?;
                } else {
                    w.set_meta(NAME_KEY, &n)?;
                }
            }
            if remove {
                w.delete_meta(LOGO_KEY)?;
            }
            if let Some(l) = logo {
                w.set_meta(LOGO_KEY, &l)?;
            }
            w.append_audit(&cartable_core::store::AuditEntry {
                at,
                actor,
                action: "etablissement.modifier".into(),
                target: "etablissement".into(),
                detail: String::new(),
            })
        })
        .await?;
    state.shown.forget();
    Ok(see_other("/admin/etablissement?ok=1"))
}
