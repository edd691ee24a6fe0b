//! `POST /logout`: ends the session; `POST /logout/partout` all of them (the form carries the session's CSRF token, so another
//! site cannot sign a person out).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::login::see_other;
use crate::error::WebError;
use crate::session::{self, SignedIn, csrf};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub async fn submit(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    crate::cas::slo::notify(&state, me.session_hash().to_vec()).await;
    me.end(&state).await?;
    tracing::info!(login = %me.person.login, "signed out");
    let mut res = see_other("/login?bye=1");
    let _ = res.add_removal_cookie(&session::removal(session::COOKIE));
    Ok(res)
}

/// `POST /logout/partout`: ends every session of mine, on every device.
pub async fn everywhere(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    crate::cas::slo::notify_all(&state, me.person.login.as_str()).await;
    let login = me.person.login.as_str().to_owned();
    let ended = state
        .store
        .write(move |w| w.delete_sessions_of(&login))
        .await?;
    tracing::info!(login = %me.person.login, ended, "signed out everywhere");
    let mut res = see_other("/login?bye=1");
    let _ = res.add_removal_cookie(&session::removal(session::COOKIE));
    Ok(res)
}
