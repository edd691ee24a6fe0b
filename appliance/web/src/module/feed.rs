//! Secret calendar addresses (iCal subscriptions) for the modules: a calendar application
//! sends no cookie, so the address is the credential — 32 random characters, only their
//! SHA-256 kept, one per module and person, shown once, replaced or revoked at will. A feed
//! answers only while the owner's account is active and the module open to their profile.

use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::directory::{AccountState, DirectoryRead, Login, Person};
use rand::Rng;
use sha2::{Digest, Sha256};

use super::InModule;
use crate::error::WebError;
use crate::messages;
use crate::pages::{chrome, html, public_url, see_other_with};
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::FeedAddressPage;

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new address for the person; the previous one stops working. Returns the secret.
pub async fn create(
    state: &AppState,
    module: &'static str,
    login: &Login,
) -> Result<String, WebError> {
    let token: String = {
        let mut rng = rand::rng();
        (0..32)
            .map(|_| {
                let i = rng.random_range(0..62u8);
                char::from(match i {
                    0..=9 => b'0' + i,
                    10..=35 => b'a' + i - 10,
                    _ => b'A' + i - 36,
                })
            })
            .collect()
    };
    let (login, hash, at) = (
        login.to_string(),
        sha256_hex(&token),
        state.clock.now().unix_timestamp(),
    );
    state
        .store
        .write(move |w| w.set_feed(module, &login, &hash, at))
        .await?;
    Ok(token)
}

/// Whether the person has an address for the module.
pub async fn exists(
    state: &AppState,
    module: &'static str,
    login: &Login,
) -> Result<bool, WebError> {
    let login = login.to_string();
    Ok(state
        .store
        .read(move |r| r.has_feed(module, &login))
        .await?)
}

/// Revokes the person's address; whether there was one.
pub async fn revoke(
    state: &AppState,
    module: &'static str,
    login: &Login,
) -> Result<bool, WebError> {
    let login = login.to_string();
    Ok(state
        .store
        .write(move |w| w.delete_feed(module, &login))
        .await?)
}

/// The owner of an address (`…/ical/<secret>.ics`): an active account whose profile the
/// module is open to; anything else is "not found".
pub async fn owner(
    state: &AppState,
    module: &'static str,
    token: &str,
) -> Result<Person, WebError> {
    let token = token.trim_end_matches(".ics");
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(WebError::NotFound);
    }
    let hash = sha256_hex(token);
    let login = state
        .store
        .read(move |r| r.feed_owner(module, &hash))
        .await?
        .ok_or(WebError::NotFound)?;
    let login = Login::parse(&login).map_err(|_| WebError::NotFound)?;
    let person = state
        .directory
        .person(&login)
        .await?
        .filter(|p| p.state == AccountState::Active)
        .ok_or(WebError::NotFound)?;
    if !state.modules.open_to(module, person.profile) {
        return Err(WebError::NotFound);
    }
    Ok(person)
}

/// The page that shows a new address, once.
pub async fn shown(
    state: &AppState,
    me: &SignedIn,
    url: String,
    back: String,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(me)).await?;
    html(&FeedAddressPage {
        chrome: &chrome,
        url,
        back,
    })
}

/// An iCalendar body.
pub fn calendar(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(body)
}

#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /<module>/abonnement`: a new secret address for the module the route belongs to,
/// shown once; the previous one stops working.
pub async fn subscribe(
    req: HttpRequest,
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let token = create(&state, m.module, &m.me.person.login).await?;
    let url = format!("{}/{}/ical/{token}.ics", public_url(&req, &state), m.module);
    shown(&state, &m.me, url, format!("/{}", m.module)).await
}

/// `POST /<module>/abonnement/supprimer`.
pub async fn unsubscribe(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let gone = revoke(&state, m.module, &m.me.person.login).await?;
    Ok(see_other_with(
        &format!("/{}", m.module),
        Ok(if gone {
            messages::FEED_REVOKED
        } else {
            messages::FEED_NONE
        }
        .into()),
    ))
}
