//! The CAS server (protocol 2.0 and 3.0): `/cas/login` gives a registered service a ticket
//! for the signed-in person (or sends them to sign in first), the validate endpoints turn a
//! ticket into a login and the attributes the service may have, `/cas/logout` signs out
//! everywhere. Tickets are single-use, short-lived, 256 random bits; a service not in the
//! registry (`[[cas.service]]`) gets a French error page and no ticket.

pub mod attributes;
pub mod response;
pub mod slo;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::directory::{DirectoryRead, Login};
use cartable_core::store::CasTicket;
use serde::Deserialize;

use self::response::Failure;
use crate::error::WebError;
use crate::messages;
use crate::pages::login::see_other;
use crate::pages::{encode_query, html};
use crate::session;
use crate::state::AppState;
use crate::templates::ErrorPage;

/// How fresh a sign-in must be to count as "typed just now" for `renew`.
const RENEW_WINDOW_SECS: i64 = 120;

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    service: Option<String>,
    renew: Option<String>,
    gateway: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ValidateQuery {
    service: Option<String>,
    ticket: Option<String>,
    renew: Option<String>,
    #[serde(rename = "pgtUrl")]
    pgt_url: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LogoutQuery {
    service: Option<String>,
    url: Option<String>,
}

fn flag(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| v != "false" && v != "0")
}

fn refused(message: &str) -> Result<HttpResponse, WebError> {
    let mut res = html(&ErrorPage {
        title: messages::CAS_REFUSED_TITLE,
        message,
        incident: "",
    })?;
    *res.status_mut() = StatusCode::FORBIDDEN;
    Ok(res)
}

/// `service` with the ticket added to its query string.
fn with_ticket(service: &str, ticket: &str) -> String {
    let (base, fragment) = match service.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (service, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{sep}ticket={ticket}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    let me = session::current(&req, &state).await?;
    let Some(service) = query.service.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(see_other(if me.is_some() { "/" } else { "/login" }));
    };
    let Some(registered) = state.config.cas.service_for(service) else {
        tracing::warn!(%service, "CAS login for an unregistered service");
        return refused(messages::CAS_UNKNOWN_SERVICE);
    };
    let renew = flag(&query.renew);
    let now = state.clock.now().unix_timestamp();
    if let Some(me) = &me
        && !registered.profiles.is_empty()
        && !registered.profiles.contains(&me.person.profile)
    {
        tracing::warn!(login = %me.person.login, %service, "CAS service not open to this profile");
        return refused(messages::CAS_NOT_FOR_PROFILE);
    }
    match me {
        Some(me) if me.person.must_change_password => Ok(see_other("/compte/mot-de-passe")),
        Some(me) if !renew || now - me.created_at <= RENEW_WINDOW_SECS => {
            let ticket = format!("ST-{}", session::token::new_token());
            let row = CasTicket {
                ticket: ticket.clone(),
                service: service.to_owned(),
                login: me.person.login.to_string(),
                session: me.session_hash().to_vec(),
                created_at: now,
                expires_at: now + state.config.cas.ticket_ttl.as_secs() as i64,
                renewed: now - me.created_at <= RENEW_WINDOW_SECS,
            };
            state.store.write(move |w| w.add_ticket(&row)).await?;
            tracing::info!(login = %me.person.login, %service, "CAS ticket issued");
            Ok(see_other(&with_ticket(service, &ticket)))
        }
        None if flag(&query.gateway) && !renew => Ok(see_other(service)),
        signed_in => {
            let back = format!(
                "/cas/login?service={}{}",
                encode_query(service),
                if renew { "&renew=true" } else { "" }
            );
            let mut to = format!("/login?next={}", encode_query(&back));
            if signed_in.is_some() {
                to.push_str("&renouveler=1");
            }
            Ok(see_other(&to))
        }
    }
}

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// `serviceValidate` / `proxyValidate`, in CAS 2 (`p3` false) or 3 (attributes) form.
async fn validate(
    state: &AppState,
    query: &ValidateQuery,
    p3: bool,
    proxy_endpoint: bool,
) -> Result<HttpResponse, WebError> {
    let fail = |f: Failure, m: String| Ok(xml(response::failure(f, &m)));
    let (Some(service), Some(ticket)) = (
        query.service.as_deref().filter(|s| !s.is_empty()),
        query.ticket.as_deref().filter(|s| !s.is_empty()),
    ) else {
        return fail(
            Failure::InvalidRequest,
            "paramètres service et ticket requis".into(),
        );
    };
    if ticket.starts_with("PT-") {
        // Proxy tickets are never issued (no proxy granting tickets either).
        return if proxy_endpoint {
            fail(Failure::InvalidTicket, format!("ticket {ticket} inconnu"))
        } else {
            fail(
                Failure::InvalidTicketSpec,
                "un ticket de proxy ne se valide pas ici".into(),
            )
        };
    }
    if !ticket.starts_with("ST-") {
        return fail(Failure::InvalidTicket, format!("ticket {ticket} inconnu"));
    }
    let now = state.clock.now().unix_timestamp();
    let t = ticket.to_owned();
    let Some(issued) = state
        .store
        .write(move |w| w.consume_ticket(&t, now))
        .await?
    else {
        tracing::warn!(%service, "CAS ticket refused: unknown, used or expired");
        return fail(
            Failure::InvalidTicket,
            format!("ticket {ticket} inconnu, déjà utilisé ou expiré"),
        );
    };
    if issued.service != service {
        tracing::warn!(%service, issued_for = %issued.service, "CAS ticket for another service");
        return fail(
            Failure::InvalidService,
            format!("ticket délivré pour un autre service que {service}"),
        );
    }
    if flag(&query.renew) && !issued.renewed {
        return fail(
            Failure::InvalidTicket,
            "ticket délivré sans saisie du mot de passe (renew)".into(),
        );
    }
    let Some(registered) = state.config.cas.service_for(service) else {
        return fail(
            Failure::InvalidService,
            format!("service {service} non autorisé"),
        );
    };
    if query.pgt_url.is_some() && !registered.proxy {
        tracing::info!(%service, "proxy granting ticket refused: service not allowed to proxy");
    }
    let login = Login::parse(&issued.login).map_err(WebError::Core)?;
    let Some(person) = state.directory.person(&login).await? else {
        return fail(Failure::InvalidTicket, "compte supprimé".into());
    };
    if !registered.profiles.is_empty() && !registered.profiles.contains(&person.profile) {
        return fail(
            Failure::InvalidService,
            format!(
                "service {service} non ouvert au profil {}",
                person.profile.as_str()
            ),
        );
    }
    if person.state != cartable_core::directory::AccountState::Active {
        return fail(Failure::InvalidTicket, "compte désactivé".into());
    }
    let released = if p3 {
        let relations = state.directory.relations(&login).await?;
        let structure = state.directory.structure().await?;
        attributes::release(
            &registered.attributes,
            &person,
            &relations,
            structure.as_ref(),
        )
    } else {
        Vec::new()
    };
    tracing::info!(login = %person.login, %service, "CAS ticket validated");
    Ok(xml(response::success(person.login.as_str(), &released)))
}

pub async fn service_validate(
    state: web::Data<AppState>,
    query: web::Query<ValidateQuery>,
) -> Result<HttpResponse, WebError> {
    validate(&state, &query, false, false).await
}

pub async fn proxy_validate(
    state: web::Data<AppState>,
    query: web::Query<ValidateQuery>,
) -> Result<HttpResponse, WebError> {
    validate(&state, &query, false, true).await
}

pub async fn p3_service_validate(
    state: web::Data<AppState>,
    query: web::Query<ValidateQuery>,
) -> Result<HttpResponse, WebError> {
    validate(&state, &query, true, false).await
}

pub async fn p3_proxy_validate(
    state: web::Data<AppState>,
    query: web::Query<ValidateQuery>,
) -> Result<HttpResponse, WebError> {
    validate(&state, &query, true, true).await
}

/// `GET /cas/logout`: ends the session and tells every service it used; then back to a
/// registered service if one is named, else to the sign-in page.
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LogoutQuery>,
) -> Result<HttpResponse, WebError> {
    if let Some(me) = session::current(&req, &state).await? {
        slo::notify(&state, me.session_hash().to_vec()).await;
        me.end(&state).await?;
        tracing::info!(login = %me.person.login, "signed out (CAS)");
    }
    let to = query
        .service
        .as_deref()
        .or(query.url.as_deref())
        .filter(|s| state.config.cas.service_for(s).is_some())
        .unwrap_or("/login?bye=1");
    let mut res = see_other(to);
    let _ = res.add_removal_cookie(&session::removal(session::COOKIE));
    Ok(res)
}
