//! `GET /login` shows the sign-in form; `POST /login` checks it and opens a session.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::directory::{AuthOutcome, DirectoryAuth};
use serde::Deserialize;

use super::{chrome, html, safe_next};
use crate::error::WebError;
use crate::messages;
use crate::metrics::LoginResult;
use crate::session::{self, csrf};
use crate::state::AppState;
use crate::templates::LoginPage;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    bye: Option<String>,
    /// A service asked for the password to be typed again (CAS `renew`).
    renouveler: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    let next = safe_next(query.next.as_deref());
    if query.renouveler.is_none() && session::current(&req, &state).await?.is_some() {
        return Ok(see_other(next));
    }
    let notice = if query.bye.is_some() {
        Some(messages::LOGGED_OUT)
    } else if query.expired.is_some() {
        Some(messages::SESSION_EXPIRED)
    } else {
        None
    };
    render(&req, &state, next, "", None, notice, StatusCode::OK).await
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check_login(&req, &form.csrf)?;
    let next = safe_next(form.next.as_deref());
    let login = form.login.trim().to_lowercase();
    if login.is_empty() || form.password.is_empty() {
        let msg = Some(messages::LOGIN_MISSING_FIELDS);
        return render(
            &req,
            &state,
            next,
            &login,
            msg,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let ip = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    let now = state.clock.now().unix_timestamp();
    if let Err(wait) = state.throttle.check(ip, &login, now) {
        state.metrics.login(LoginResult::Throttled);
        tracing::warn!(%login, %ip, "sign-in throttled");
        let msg = messages::too_many_attempts(wait);
        let status = StatusCode::TOO_MANY_REQUESTS;
        return render(&req, &state, next, &login, Some(msg.as_str()), None, status).await;
    }
    let refused = |msg: &'static str| (Some(msg), StatusCode::UNAUTHORIZED);
    let outcome = match state.directory.authenticate(&login, &form.password).await {
        Err(cartable_core::Error::Busy) => {
            // Every worker is busy and the queue is full: the form comes back as typed.
            state.metrics.login(LoginResult::Busy);
            tracing::warn!(login = %login, "sign-in refused: password workers busy");
            let status = StatusCode::SERVICE_UNAVAILABLE;
            let mut res = render(
                &req,
                &state,
                next,
                &login,
                Some(messages::BUSY),
                None,
                status,
            )
            .await?;
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            return Ok(res);
        }
        other => other?,
    };
    let (error, status) = match outcome {
        AuthOutcome::Accepted(person) => {
            state.throttle.success(ip, &login);
            state.metrics.login(LoginResult::Ok);
            tracing::info!(login = %person.login, "signed in");
            if let Some(domain) = &state.domain {
                // The domain may be owed this password (set while it was down).
                domain.signed_in(&state.directory, &person.login, &form.password);
            }
            // Signing in again (CAS `renew`) replaces the session in place.
            if let Some(old) = session::current(&req, &state).await? {
                old.end(&state).await?;
            }
            let cookie = session::start(&state, &person).await?;
            let mut res = see_other(next);
            res.add_cookie(&cookie).map_err(|_| WebError::NotFound)?;
            let _ = res.add_removal_cookie(&session::removal(csrf::LOGIN_COOKIE));
            return Ok(res);
        }
        AuthOutcome::BadCredentials => {
            let pause = state.throttle.failure(ip, &login, now);
            state.metrics.login(LoginResult::Failed);
            // An address that has failed a great deal (a spray) is answered slowly.
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            tracing::info!(%login, "sign-in refused");
            refused(cartable_core::messages::LOGIN_REFUSED)
        }
        AuthOutcome::Disabled => {
            state.metrics.login(LoginResult::Disabled);
            tracing::info!(%login, "sign-in of a disabled account");
            refused(cartable_core::messages::ACCOUNT_DISABLED)
        }
    };
    render(&req, &state, next, &login, error, None, status).await
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    next: &str,
    login: &str,
    error: Option<&str>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (token, new_cookie) = csrf::login_token(req);
    let chrome = chrome(state, None).await?;
    let page = LoginPage {
        chrome: &chrome,
        csrf: &token,
        next,
        login,
        error,
        notice,
    };
    let mut res = html(&page)?;
    *res.status_mut() = status;
    if let Some(c) = new_cookie {
        res.add_cookie(&c).map_err(|_| WebError::NotFound)?;
    }
    Ok(res)
}

pub(crate) fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .finish()
}
