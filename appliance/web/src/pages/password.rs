//! `GET/POST /compte/mot-de-passe`: change my password, the policy shown beside the field.
//! After a reset or at first sign-in, every page leads here until it is done.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::accounts::PasswordPolicy;
use cartable_core::directory::{AuthOutcome, DirectoryAuth};
use serde::Deserialize;

use super::login::see_other;
use super::{chrome, html};
use crate::error::WebError;
use crate::messages;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::PasswordPage;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    actuel: String,
    #[serde(default)]
    nouveau: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn show(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    render(&me, &state, None, StatusCode::OK).await
}

async fn render(
    me: &SignedIn,
    state: &AppState,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(me)).await?;
    let policy = PasswordPolicy::for_profile(me.person.profile).describe();
    let mut res = html(&PasswordPage {
        chrome: &chrome,
        forced: me.person.must_change_password,
        policy: &policy,
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn submit(
    req: actix_web::HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    // The current password is checked like a sign-in: throttled the same way.
    let ip = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    let login = me.person.login.as_str().to_owned();
    let now = state.clock.now().unix_timestamp();
    if let Err(wait) = state.throttle.check(ip, &login, now) {
        let m = messages::too_many_attempts(wait);
        return render(&me, &state, Some(&m), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let problem = match check(&me, &state, &form).await? {
        Ok(()) => return Ok(see_other("/?mot-de-passe=1")),
        Err(p) => p,
    };
    if problem == messages::PASSWORD_CURRENT_WRONG {
        let _ = state.throttle.failure(ip, &login, now);
    }
    render(&me, &state, Some(&problem), StatusCode::BAD_REQUEST).await
}

/// Changes the password, or says in French what is wrong with the form.
async fn check(
    me: &SignedIn,
    state: &AppState,
    form: &PasswordForm,
) -> Result<Result<(), String>, WebError> {
    if form.nouveau != form.confirmation {
        return Ok(Err(messages::PASSWORD_MISMATCH.to_owned()));
    }
    if form.nouveau == form.actuel {
        return Ok(Err(messages::PASSWORD_SAME.to_owned()));
    }
    match state
        .directory
        .authenticate(me.person.login.as_str(), &form.actuel)
        .await?
    {
        AuthOutcome::Accepted(_) => {}
        _ => return Ok(Err(messages::PASSWORD_CURRENT_WRONG.to_owned())),
    }
    match state
        .accounts()
        .set_password_keeping(
            me.person.login.as_str(),
            &me.person.login,
            Some(form.nouveau.clone()),
            false,
            Some(me.session_hash().to_vec()),
        )
        .await
    {
        Ok(_) => {
            tracing::info!(login = %me.person.login, "password changed");
            Ok(Ok(()))
        }
        Err(cartable_core::Error::Policy(reason)) => Ok(Err(reason)),
        Err(e) => Err(e.into()),
    }
}
