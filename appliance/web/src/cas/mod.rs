//! The CAS server (protocol 2.0 and 3.0): `/cas/login` gives a registered service a ticket
//! for the signed-in person (or sends them to sign in first), the validate endpoints turn a
//! ticket into a login and the attributes the service may have, `/cas/logout` signs out
//! everywhere. Tickets are single-use, short-lived, 256 random bits; a service not in the
//! registry (`[[cas.service]]`) gets a French error page and no ticket.

pub mod attributes;
pub mod client;
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

async fn refused(
    state: &AppState,
    me: Option<&session::SignedIn>,
    message: &str,
) -> Result<HttpResponse, WebError> {
    let chrome = crate::pages::chrome(state, me).await?;
    let mut res = html(&ErrorPage {
        chrome: &chrome,
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
        return refused(&state, me.as_ref(), messages::CAS_UNKNOWN_SERVICE).await;
    };
    let renew = flag(&query.renew);
    let now = state.clock.now().unix_timestamp();
    if let Some(me) = &me
        && !registered.profiles.is_empty()
        && !registered.profiles.contains(&me.person.profile)
    {
        tracing::warn!(login = %me.person.login, %service, "CAS service not open to this profile");
        return refused(&state, Some(me), messages::CAS_NOT_FOR_PROFILE).await;
    }
    match me {
        Some(me) if me.person.must_change_password => Ok(see_other("/compte/mot-de-passe")),
        Some(me) if !renew || now - me.created_at <= RENEW_WINDOW_SECS => {
            let ticket = format!("ST-{}", session::token::new_token());
            let row = CasTicket {
                ticket: ticket.clone(),
                kind: "ST".into(),
                proxy: None,
                service: service.to_owned(),
                login: me.person.login.to_string(),
                session: me.session_hash().to_vec(),
                created_at: now,
                expires_at: now + state.config.cas.ticket_ttl.as_secs() as i64,
                renewed: now - me.created_at <= RENEW_WINDOW_SECS,
            };
            state
                .store
                .write_volatile(move |w| w.add_ticket(&row))
                .await?;
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
    let is_pt = ticket.starts_with("PT-");
    if is_pt && !proxy_endpoint {
        return fail(
            Failure::InvalidTicketSpec,
            "un ticket de proxy se valide par proxyValidate".into(),
        );
    }
    if !is_pt && !ticket.starts_with("ST-") {
        return fail(Failure::InvalidTicket, format!("ticket {ticket} inconnu"));
    }
    let now = state.clock.now().unix_timestamp();
    let t = ticket.to_owned();
    let Some(issued) = state
        .store
        .write_volatile(move |w| w.consume_ticket(&t, now))
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
    if (issued.kind == "PT") != is_pt {
        return fail(Failure::InvalidTicket, format!("ticket {ticket} inconnu"));
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
    let iou = match query.pgt_url.as_deref() {
        Some(callback) => grant_pgt(state, registered, &issued, callback).await?,
        None => None,
    };
    let proxies: Vec<String> = issued.proxy.iter().cloned().collect();
    tracing::info!(login = %person.login, %service, "CAS ticket validated");
    Ok(xml(response::success(
        person.login.as_str(),
        &released,
        iou.as_deref(),
        &proxies,
    )))
}

/// A proxy granting ticket for a service allowed to proxy, handed to its HTTPS callback
/// (within its registered address); its IOU goes in the validation answer. Anything else: no
/// ticket, and the validation still succeeds, as the protocol says.
async fn grant_pgt(
    state: &AppState,
    registered: &cartable_core::config::CasService,
    issued: &CasTicket,
    callback: &str,
) -> Result<Option<String>, WebError> {
    if !registered.proxy {
        tracing::info!(service = %registered.name, "proxy refused: service not allowed to proxy");
        return Ok(None);
    }
    if !registered.accepts_callback(callback) {
        tracing::warn!(service = %registered.name, %callback, "proxy callback outside the service");
        return Ok(None);
    }
    let Some(client) = client::get(state.config.cas.ca_file.as_deref()) else {
        return Ok(None);
    };
    let pgt = format!("PGT-{}", session::token::new_token());
    let iou = format!("PGTIOU-{}", session::token::new_token());
    let sep = if callback.contains('?') { '&' } else { '?' };
    let url = format!(
        "{callback}{sep}pgtIou={}&pgtId={}",
        encode_query(&iou),
        encode_query(&pgt)
    );
    match client.get(&url).send().await {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => {
            tracing::warn!(%callback, status = %r.status(), "proxy callback refused");
            return Ok(None);
        }
        Err(e) => {
            tracing::warn!(%callback, "proxy callback unreachable: {e}");
            return Ok(None);
        }
    }
    let now = state.clock.now().unix_timestamp();
    let row = CasTicket {
        ticket: pgt,
        kind: "PGT".into(),
        proxy: Some(callback.to_owned()),
        service: issued.service.clone(),
        login: issued.login.clone(),
        session: issued.session.clone(),
        created_at: now,
        expires_at: now + state.config.session.absolute.whole_seconds(),
        renewed: false,
    };
    state
        .store
        .write_volatile(move |w| w.add_ticket(&row))
        .await?;
    tracing::info!(service = %registered.name, "proxy granting ticket issued");
    Ok(Some(iou))
}

#[derive(Deserialize, Default)]
pub struct ProxyQuery {
    pgt: Option<String>,
    #[serde(rename = "targetService")]
    target_service: Option<String>,
}

/// `GET /cas/proxy`: a proxy ticket for a registered target service, from a live PGT.
pub async fn proxy(
    state: web::Data<AppState>,
    query: web::Query<ProxyQuery>,
) -> Result<HttpResponse, WebError> {
    let fail = |f: Failure, m: &str| Ok(xml(response::proxy_failure(f, m)));
    let (Some(pgt), Some(target)) = (
        query.pgt.as_deref().filter(|s| !s.is_empty()),
        query.target_service.as_deref().filter(|s| !s.is_empty()),
    ) else {
        return fail(
            Failure::InvalidRequest,
            "paramètres pgt et targetService requis",
        );
    };
    if state.config.cas.service_for(target).is_none() {
        return fail(Failure::UnauthorizedService, "service cible non autorisé");
    }
    let now = state.clock.now().unix_timestamp();
    let key = pgt.to_owned();
    let Some(granting) = state.store.read(move |r| r.pgt(&key, now)).await? else {
        return fail(Failure::InvalidTicket, "ticket PGT inconnu ou expiré");
    };
    let ticket = format!("PT-{}", session::token::new_token());
    let row = CasTicket {
        ticket: ticket.clone(),
        kind: "PT".into(),
        proxy: granting.proxy.clone(),
        service: target.to_owned(),
        login: granting.login.clone(),
        session: granting.session.clone(),
        created_at: now,
        expires_at: now + state.config.cas.ticket_ttl.as_secs() as i64,
        renewed: false,
    };
    state
        .store
        .write_volatile(move |w| w.add_ticket(&row))
        .await?;
    tracing::info!(target = %target, "CAS proxy ticket issued");
    Ok(xml(response::proxy_success(&ticket)))
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

/// `GET /cas/logout`: a service sends the browser here to sign out. Any site could link here,
/// so the ENT's own session is ended only once the person confirms (a form with the session's
/// CSRF token); without a session, straight back to the service.
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LogoutQuery>,
) -> Result<HttpResponse, WebError> {
    let back = query
        .service
        .as_deref()
        .or(query.url.as_deref())
        .filter(|s| state.config.cas.service_for(s).is_some());
    let Some(me) = session::current(&req, &state).await? else {
        return Ok(see_other(back.unwrap_or("/login?bye=1")));
    };
    let chrome = crate::pages::chrome(&state, Some(&me)).await?;
    let name = back
        .and_then(|b| state.config.cas.service_for(b))
        .map(|s| s.name.as_str());
    crate::pages::html(&crate::templates::CasLogoutPage {
        chrome: &chrome,
        service: name,
        back: back.unwrap_or_default(),
    })
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    service: String,
}

/// `POST /cas/logout`: confirmed; ends the session and tells every service it used, then back
/// to the registered service that asked, else to the sign-in page.
pub async fn logout_confirmed(
    me: session::SignedIn,
    state: web::Data<AppState>,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, WebError> {
    session::csrf::check(&me.csrf, &form.csrf)?;
    slo::notify(&state, me.session_hash().to_vec()).await;
    me.end(&state).await?;
    tracing::info!(login = %me.person.login, "signed out (CAS)");
    let to = Some(form.service.as_str())
        .filter(|s| state.config.cas.service_for(s).is_some())
        .unwrap_or("/login?bye=1");
    let mut res = see_other(to);
    let _ = res.add_removal_cookie(&session::removal(session::COOKIE));
    Ok(res)
}
