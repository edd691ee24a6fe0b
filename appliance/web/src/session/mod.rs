//! Server-side sessions in a `__Host-` cookie (Secure, HttpOnly, SameSite=Lax), and the
//! [`SignedIn`] extractor every page behind sign-in takes. Each session carries its own CSRF
//! token, checked on every form it posts.

pub mod csrf;
pub mod token;

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time as cookie_time};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use cartable_core::directory::{AccountState, DirectoryRead, Login, Person};
use cartable_core::store::SessionRow;

use crate::error::WebError;
use crate::state::AppState;

/// Name of the session cookie. The `__Host-` prefix makes browsers insist on Secure, Path=/
/// and no Domain, so no sibling host can set or read it.
pub const COOKIE: &str = "__Host-cartable";

/// What a person who must change their password can still reach.
const ALLOWED_BEFORE_CHANGE: [&str; 3] = ["/compte/mot-de-passe", "/logout", "/logout/partout"];

/// Sessions unused for less than this are not re-written on each request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A signed-in person, for handlers behind sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub person: Person,
    /// The session's CSRF token, to put in forms.
    pub csrf: String,
    /// When the person typed their password for this session (unix seconds).
    pub created_at: i64,
    token_hash: Vec<u8>,
    /// What every page's header shows, read with the session (one trip to the store less).
    pub(crate) header: Header,
    /// The annuaire did not answer: `person` is who the session began as (the RUPN's
    /// fallback, see [`current`]); relations are not known.
    pub annuaire_down: bool,
}

/// The établissement's name and whether it has a logo, and the person's unread count, as
/// read with the session.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    pub name: Option<String>,
    pub logo: bool,
    pub unread: i64,
}

impl SignedIn {
    /// What identifies this session in the store (CAS tickets point to it).
    pub fn session_hash(&self) -> &[u8] {
        &self.token_hash
    }

    /// Ends this session.
    pub async fn end(&self, state: &AppState) -> Result<(), WebError> {
        let h = self.token_hash.clone();
        state
            .store
            .write_volatile(move |w| w.delete_session(&h))
            .await?;
        Ok(())
    }
}

/// Opens a session for a person who just signed in; returns the cookie to set.
pub async fn start(state: &AppState, person: &Person) -> Result<Cookie<'static>, WebError> {
    let token = token::new_token();
    let now = state.clock.now().unix_timestamp();
    let row = SessionRow {
        login: person.login.as_str().to_owned(),
        csrf_token: token::new_token(),
        created_at: now,
        last_seen_at: now,
        profile: Some(person.profile.as_str().to_owned()),
        given_name: Some(person.given_name.clone()),
        family_name: Some(person.family_name.clone()),
    };
    let hash = token::hash(&token);
    state
        .store
        .write_volatile(move |w| w.create_session(&hash, &row))
        .await?;
    Ok(cookie(COOKIE, token, None))
}

/// A `__Host-` cookie; `max_age` None makes it last as long as the browser.
pub fn cookie(name: &'static str, value: String, max_age: Option<i64>) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    if let Some(secs) = max_age {
        c.set_max_age(cookie_time::Duration::seconds(secs));
    }
    c
}

/// A cookie that removes `name` from the browser.
pub fn removal(name: &'static str) -> Cookie<'static> {
    cookie(name, String::new(), Some(0))
}

/// Who a RUPN's session began as, for when the annuaire does not answer: only the RUPN's
/// profile is taken this way (the console's server page says what is wrong); everyone else
/// gets the error page, as the annuaire is what says who they are.
fn as_signed_in(row: &SessionRow, login: Login) -> Option<Person> {
    let profile = cartable_core::directory::Profile::parse(row.profile.as_deref()?)?;
    (profile == cartable_core::directory::Profile::Admin).then(|| Person {
        login,
        jointure: None,
        profile,
        given_name: row.given_name.clone().unwrap_or_default(),
        family_name: row.family_name.clone().unwrap_or_default(),
        email: None,
        state: AccountState::Active,
        state_since: row.created_at,
        must_change_password: false,
        birth_date: None,
        last_login: None,
    })
}

/// The session of a request, if it has a live one.
pub async fn current(req: &HttpRequest, state: &AppState) -> Result<Option<SignedIn>, WebError> {
    let Some(token) = req.cookie(COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    if !token::well_formed(&token) {
        return Ok(None);
    }
    let hash = token::hash(&token);
    let lookup = hash.clone();
    let read = state
        .store
        .read(move |r| {
            let Some(row) = r.session(&lookup)? else {
                return Ok(None);
            };
            let (name, logo) = crate::pages::etablissement::shown_in(r)?;
            let unread = r.notifications_unread(&row.login)?;
            Ok(Some((row, Header { name, logo, unread })))
        })
        .await?;
    let Some((row, header)) = read else {
        return Ok(None);
    };
    let now = state.clock.now().unix_timestamp();
    let limits = state.config.session;
    let expired = now - row.last_seen_at > limits.idle.whole_seconds()
        || now - row.created_at > limits.absolute.whole_seconds();
    let mut annuaire_down = false;
    let person = match Login::parse(&row.login) {
        Ok(login) if !expired => match state.directory.person(&login).await {
            Ok(p) => p,
            Err(e) => match as_signed_in(&row, login) {
                // The RUPN must still reach the server page that says what is wrong.
                Some(p) => {
                    tracing::warn!("annuaire injoignable, session de {} gardée : {e}", p.login);
                    annuaire_down = true;
                    Some(p)
                }
                None => return Err(e.into()),
            },
        },
        _ => None,
    };
    // Pupils sign in on shared PCs: their sessions end sooner when left alone.
    let idle_for = |p: &Person| match p.profile {
        cartable_core::directory::Profile::Eleve => limits.idle_eleve,
        _ => limits.idle,
    };
    let person = person.filter(|p| {
        p.state == AccountState::Active && now - row.last_seen_at <= idle_for(p).whole_seconds()
    });
    let Some(person) = person else {
        let h = hash.clone();
        state
            .store
            .write_volatile(move |w| w.delete_session(&h))
            .await?;
        return Ok(None);
    };
    if now - row.last_seen_at >= TOUCH_EVERY_SECS {
        let h = hash.clone();
        state
            .store
            .write_volatile(move |w| w.touch_session(&h, now))
            .await?;
    }
    Ok(Some(SignedIn {
        person,
        csrf: row.csrf_token,
        created_at: row.created_at,
        token_hash: hash,
        header,
        annuaire_down,
    }))
}

impl FromRequest for SignedIn {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or(WebError::NotFound)?;
            match current(&req, &state).await? {
                // Until a reset or initial password is replaced, only the change page (and
                // signing out) can be reached.
                Some(s)
                    if s.person.must_change_password
                        && !ALLOWED_BEFORE_CHANGE.contains(&req.path()) =>
                {
                    Err(WebError::PasswordChangeRequired)
                }
                Some(s) => Ok(s),
                None => Err(WebError::SignInRequired {
                    next: req
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_else(|| "/".to_owned()),
                    had_cookie: req.cookie(COOKIE).is_some(),
                }),
            }
        })
    }
}

/// Deletes expired sessions (run periodically by the daemon).
pub async fn purge_expired(state: &AppState) -> Result<usize, WebError> {
    let now = state.clock.now().unix_timestamp();
    let limits = state.config.session;
    let idle_before = now - limits.idle.whole_seconds();
    let created_before = now - limits.absolute.whole_seconds();
    Ok(state
        .store
        .write_volatile(move |w| w.purge_sessions(idle_before, created_before))
        .await?)
}
