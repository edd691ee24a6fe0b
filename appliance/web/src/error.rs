//! Errors of cartable-web. Request errors become a status and a French page in exactly one
//! place ([`WebError::error_response`]); the internal cause goes to the log with an incident
//! id that the page shows, so the RUPN can quote it to support.

use std::path::PathBuf;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;

use crate::messages;
use crate::state::AppState;
use crate::templates::{Chrome, ErrorPage};

/// Why the web host could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("certificat TLS ({}) : {message}", path.display())]
    Tls { path: PathBuf, message: String },
    #[error("impossible d'écouter sur {addr} : {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The form's CSRF token is missing or wrong (expired page, forged request).
    #[error("CSRF token mismatch")]
    Csrf,
    /// The page needs a signed-in person; they are sent to the sign-in page.
    #[error("sign-in required")]
    SignInRequired { next: String, had_cookie: bool },
    /// The password must be changed first (reset, first sign-in).
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A malformed form or query string.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Core(#[from] cartable_core::Error),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

impl WebError {
    fn user_message(&self) -> &'static str {
        match self {
            Self::Csrf => messages::CSRF_EXPIRED,
            Self::SignInRequired { .. } => messages::SESSION_EXPIRED,
            Self::PasswordChangeRequired => messages::PASSWORD_CHANGE_REQUIRED,
            Self::Forbidden => messages::FORBIDDEN,
            Self::NotFound => messages::NOT_FOUND,
            Self::BadRequest(_) => messages::BAD_REQUEST,
            Self::Core(cartable_core::Error::Busy) => messages::BUSY,
            Self::Core(cartable_core::Error::Directory(_)) => messages::ANNUAIRE_DOWN,
            Self::Core(_) | Self::Template(_) => messages::INTERNAL,
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignInRequired { .. } | Self::PasswordChangeRequired => StatusCode::SEE_OTHER,
            Self::Csrf | Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Core(
                cartable_core::Error::StoreClosed
                | cartable_core::Error::Busy
                | cartable_core::Error::Directory(_),
            ) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Core(_) | Self::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::PasswordChangeRequired = self {
            return HttpResponse::SeeOther()
                .insert_header(("Location", "/compte/mot-de-passe"))
                .finish();
        }
        if let Self::SignInRequired { next, had_cookie } = self {
            let mut url = format!("/login?next={}", crate::pages::encode_query(next));
            if *had_cookie {
                url.push_str("&expired=1");
            }
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, url))
                .cookie(crate::session::removal(crate::session::COOKIE))
                .finish();
        }
        let status = self.status_code();
        let incident = crate::session::token::short_id();
        if status.is_server_error() {
            let console = messages::page_failed(&incident, &self.to_string());
            tracing::error!(%incident, error = %self, %console, "request failed");
        } else {
            tracing::info!(%incident, error = %self, "request refused");
        }
        // Rendered here without the banner; [`dress`] renders it again with the banner when
        // the request reached the application (it always does, but this must not fail).
        let shown = Shown {
            status,
            message: self.user_message(),
            incident,
        };
        let body = shown.render(&Chrome::anonymous());
        let mut res = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        let mut res = res.content_type("text/html; charset=utf-8").body(body);
        res.extensions_mut().insert(shown);
        res
    }
}

/// An error page as shown: kept on the response so that [`dress`] can render it again.
#[derive(Clone)]
struct Shown {
    status: StatusCode,
    message: &'static str,
    incident: String,
}

impl Shown {
    fn render(&self, chrome: &Chrome) -> String {
        ErrorPage {
            chrome,
            title: messages::error_title(self.status.as_u16()),
            message: self.message,
            incident: &self.incident,
        }
        .render()
        .unwrap_or_else(|_| messages::INTERNAL.to_owned())
    }
}

/// Middleware: an error page keeps the banner (the établissement, who is signed in, signing
/// out), like every other page.
pub async fn dress(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let Some(shown) = res.response().extensions().get::<Shown>().cloned() else {
        return Ok(res.map_into_boxed_body());
    };
    let Some(state) = res.request().app_data::<web::Data<AppState>>().cloned() else {
        return Ok(res.map_into_boxed_body());
    };
    let (req, res) = res.into_parts();
    let signed_in = crate::session::current(&req, &state).await.ok().flatten();
    let Ok(chrome) = crate::pages::chrome(&state, signed_in.as_ref()).await else {
        return Ok(ServiceResponse::new(req, res.map_into_boxed_body()));
    };
    let mut dressed = HttpResponse::build(res.status());
    for (name, value) in res.headers() {
        if name != actix_web::http::header::CONTENT_LENGTH {
            dressed.insert_header((name.clone(), value.clone()));
        }
    }
    Ok(ServiceResponse::new(
        req,
        dressed.body(shown.render(&chrome)).map_into_boxed_body(),
    ))
}
