//! CSRF protection. Signed-in forms carry the session's token. The sign-in form, which has no
//! session yet, uses a double-submit token: a random value in a `__Host-` cookie that the
//! form must repeat. Either way a cross-site page cannot know the value to post.

use actix_web::HttpRequest;
use actix_web::cookie::Cookie;

use super::{cookie, token};
use crate::error::WebError;

/// Cookie of the sign-in form's token.
pub const LOGIN_COOKIE: &str = "__Host-cartable-csrf";

/// The sign-in form's token: the existing cookie's, or a new one with the cookie to set.
pub fn login_token(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    match req.cookie(LOGIN_COOKIE) {
        Some(c) if token::well_formed(c.value()) => (c.value().to_owned(), None),
        _ => {
            let t = token::new_token();
            (t.clone(), Some(cookie(LOGIN_COOKIE, t, Some(3600 * 12))))
        }
    }
}

/// Checks the sign-in form's token against its cookie.
pub fn check_login(req: &HttpRequest, submitted: &str) -> Result<(), WebError> {
    match req.cookie(LOGIN_COOKIE) {
        Some(c) if token::well_formed(c.value()) && token::same(c.value(), submitted) => Ok(()),
        _ => Err(WebError::Csrf),
    }
}

/// Checks a signed-in form's token against the session's.
pub fn check(expected: &str, submitted: &str) -> Result<(), WebError> {
    if token::same(expected, submitted) {
        Ok(())
    } else {
        Err(WebError::Csrf)
    }
}
