//! Errors of cartable-web. Request errors become a status and a French page in exactly one
//! place ([`WebError::error_response`]); the internal cause goes to the log with an incident
//! id that the page shows, so the RUPN can quote it to support.

use std::path::PathBuf;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::messages;
use crate::templates::ErrorPage;

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
            Self::Core(cartable_core::Error::StoreClosed | cartable_core::Error::Busy) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
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
            tracing::error!(%incident, error = %self, "request failed");
        } else {
            tracing::info!(%incident, error = %self, "request refused");
        }
        let page = ErrorPage {
            title: status.canonical_reason().unwrap_or("Erreur"),
            message: self.user_message(),
            incident: &incident,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| messages::INTERNAL.to_owned());
        let mut res = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        res.content_type("text/html; charset=utf-8").body(body)
    }
}
