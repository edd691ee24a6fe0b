//! Signing in and out of the dashboard. The session cookie is `__Host-` (HTTPS only, this
//! host only, not readable by scripts, not sent cross-site); the sign-in form, before any
//! session, is protected by a double-submit token in its own cookie.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

use super::Hub;
use super::templates::{Banner, SignInPage, render};
use crate::db::accounts::SESSION;
use crate::error::Result;
use crate::text;

const SESSION_COOKIE: &str = "__Host-academie";
const FORM_COOKIE: &str = "__Host-academie-csrf";

/// The staff member signed in.
#[derive(Debug, Clone)]
pub struct Staff {
    pub login: String,
    pub nom: String,
    pub csrf: String,
    token: String,
}

fn cookie(name: &'static str, value: String, max_age: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(max_age))
        .finish()
}

fn same(a: &str, b: &str) -> bool {
    // Constant time over the expected length.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn current(req: &HttpRequest, hub: &Hub) -> Result<Option<Staff>> {
    let Some(c) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let token = c.value().to_owned();
    if token.len() != 64 {
        return Ok(None);
    }
    Ok(hub
        .db
        .session(&token, hub.clock.now())
        .await?
        .map(|s| Staff {
            login: s.login,
            nom: s.nom,
            csrf: s.csrf,
            token,
        }))
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

/// Whether a posted form carries the session's token.
pub fn form_token_matches(staff: &Staff, body: &[u8]) -> bool {
    serde_urlencoded::from_bytes::<TokenOnly>(body).is_ok_and(|f| same(&staff.csrf, &f.csrf))
}

fn new_form_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Only a path of this site to go back to after signing in.
fn local(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// The sign-in form; `error` and the login typed when it was refused.
pub fn form(req: &HttpRequest, hub: &Hub, error: Option<&str>, login: &str) -> HttpResponse {
    let existing = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64);
    let token = existing.clone().unwrap_or_else(new_form_token);
    let next = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|q| q.into_iter().find(|(k, _)| k == "suite").map(|(_, v)| v))
        .unwrap_or_else(|| "/".into());
    let page = SignInPage {
        banner: Banner::anonymous(&hub.config.nom),
        csrf: &token,
        suite: local(&next),
        login,
        notice: req
            .query_string()
            .contains("deconnecte=1")
            .then_some("Vous êtes déconnecté."),
        error,
    };
    let mut res = render(
        if error.is_some() {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            actix_web::http::StatusCode::OK
        },
        &page,
    );
    if existing.is_none() {
        let _ = res.add_cookie(&cookie(FORM_COOKIE, token, 12 * 3600));
    }
    res
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    suite: String,
}

pub async fn sign_in(req: &HttpRequest, body: &[u8], hub: &Hub) -> Result<HttpResponse> {
    let Ok(f) = serde_urlencoded::from_bytes::<SignInForm>(body) else {
        return Ok(form(req, hub, Some(text::BAD_SIGN_IN), ""));
    };
    let expected = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned());
    if !expected.is_some_and(|e| e.len() == 64 && same(&e, &f.csrf)) {
        return Ok(super::pages::forbidden(text::CSRF));
    }
    let login = f.login.trim().chars().take(64).collect::<String>();
    if f.mot_de_passe.len() > 1024 {
        return Ok(form(req, hub, Some(text::BAD_SIGN_IN), &login));
    }
    match hub
        .db
        .sign_in(&login, &f.mot_de_passe, hub.clock.now())
        .await?
    {
        Some(token) => {
            let mut res = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, local(&f.suite)))
                .finish();
            let _ = res.add_cookie(&cookie(SESSION_COOKIE, token, SESSION.whole_seconds()));
            let _ = res.add_removal_cookie(&cookie(FORM_COOKIE, String::new(), 0));
            tracing::info!(login, "connexion au tableau de bord");
            Ok(res)
        }
        None => Ok(form(req, hub, Some(text::BAD_SIGN_IN), &login)),
    }
}

pub async fn sign_out(_req: &HttpRequest, hub: &Hub, staff: &Staff) -> Result<HttpResponse> {
    hub.db.sign_out(&staff.token).await?;
    let mut res = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/connexion?deconnecte=1"))
        .finish();
    let _ = res.add_removal_cookie(&cookie(SESSION_COOKIE, String::new(), 0));
    Ok(res)
}
