//! `/notifications`: what a person was told, newest first, read or not, with the state of the
//! e-mail that carried it; and `/compte/notifications`: how he wants each kind, his quiet
//! hours and the address mails go to (checked by a link).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::dates::french_date_time;
use cartable_core::notify::{self, Delivery, QuietHours, Recipient};
use serde::Deserialize;

use super::{CsrfForm, Outcome, chrome, html, see_other_with};
use crate::error::WebError;
use crate::messages;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{KindChoice, NotificationItem, NotificationsPage, Pager, PrefsPage};

const PER_PAGE: usize = 30;
const PREFS: &str = "/compte/notifications";

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: usize,
    #[serde(flatten)]
    outcome: Outcome,
}

/// `GET /notifications`.
pub async fn list(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let page = q.page.min(10_000);
    let login = me.person.login.to_string();
    let (rows, total) = state
        .notifier
        .list(&login, (page * PER_PAGE) as i64, PER_PAGE as i64)
        .await?;
    let now = state.clock.now().unix_timestamp();
    let items: Vec<NotificationItem> = rows
        .into_iter()
        .map(|(n, mail)| NotificationItem {
            id: n.id,
            title: n.title,
            body: n.body,
            when: french_date_time(n.created_at),
            unread: n.read_at.is_none(),
            has_link: n.link.is_some(),
            mail: mail.map(|m| notify::mail_state(&m, now)),
        })
        .collect();
    let unread = items.iter().any(|i| i.unread);
    let pager = Pager::new(page, total as usize, PER_PAGE, |p| {
        format!("/notifications?page={p}")
    });
    let chrome = chrome(&state, Some(&me)).await?;
    html(&NotificationsPage {
        chrome: &chrome,
        csrf: &me.csrf,
        items: &items,
        unread,
        pager,
        notice: q.outcome.notice(),
        error: q.outcome.error(),
    })
}

/// `GET /notifications/{id}`: marks it read and goes to what it is about (an ENT page only).
pub async fn open(
    me: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let login = me.person.login.to_string();
    let link = state
        .notifier
        .open(&login, id.into_inner())
        .await?
        .ok_or(WebError::NotFound)?;
    let to = link
        .filter(|l| l.starts_with('/') && !l.starts_with("//") && !l.contains('\\'))
        .unwrap_or_else(|| "/notifications".to_owned());
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .finish())
}

/// `POST /notifications/tout-lu`.
pub async fn all_read(
    me: SignedIn,
    state: web::Data<AppState>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &f.csrf)?;
    let n = state
        .notifier
        .mark_all_read(me.person.login.as_str())
        .await?;
    Ok(see_other_with(
        "/notifications",
        Ok(messages::marked_read(n)),
    ))
}

/// The kinds a person can receive: the host's and those of the modules open to him.
fn kinds_for(state: &AppState, me: &SignedIn) -> Vec<&'static notify::Kind> {
    let mut out: Vec<&'static notify::Kind> = crate::notify::HOST_KINDS.to_vec();
    for m in state.modules.modules() {
        if state.modules.open_to(m.id(), me.person.profile) {
            out.extend(m.spec().notifications.iter().copied());
        }
    }
    out.retain(|k| k.profiles.contains(&me.person.profile));
    out
}

async fn render_prefs(
    state: &AppState,
    me: &SignedIn,
    typed_address: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let login = me.person.login.to_string();
    let (chosen, quiet) = state.notifier.prefs(&login).await?;
    let kinds: Vec<KindChoice> = kinds_for(state, me)
        .into_iter()
        .map(|k| {
            let current = chosen
                .iter()
                .find(|(id, _)| id == k.id)
                .map(|(_, d)| *d)
                .unwrap_or(k.default);
            KindChoice {
                id: k.id,
                label: k.label,
                urgent: k.urgent,
                current: current.as_str(),
            }
        })
        .collect();
    let given = state.notifier.address(&login).await?;
    let mail_on = state.config.mail.is_some();
    let chrome = chrome(state, Some(me)).await?;
    let mut res = html(&PrefsPage {
        chrome: &chrome,
        csrf: &me.csrf,
        kinds: &kinds,
        choices: Delivery::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect(),
        quiet_start: quiet.start,
        quiet_end: quiet.end,
        annuaire_address: me.person.email.clone(),
        given_address: given.as_ref().map(|a| a.address.clone()),
        given_checked: given
            .as_ref()
            .and_then(|a| a.verified_at)
            .map(french_date_time),
        typed_address: typed_address.unwrap_or_default(),
        mail_on,
        notice,
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /compte/notifications`.
pub async fn prefs(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    render_prefs(&state, &me, None, q.notice(), q.error(), StatusCode::OK).await
}

/// `POST /compte/notifications`: one choice per kind (`type.<id>`), quiet hours.
pub async fn save_prefs(
    me: SignedIn,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let field = |name: &str| {
        f.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    csrf::check(&me.csrf, field("csrf"))?;
    let hour = |name: &str| field(name).parse::<u8>().ok().filter(|h| *h < 24);
    let (Some(start), Some(end)) = (hour("calme_debut"), hour("calme_fin")) else {
        return render_prefs(
            &state,
            &me,
            None,
            None,
            Some(messages::BAD_QUIET_HOURS.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let mut chosen = Vec::new();
    for k in kinds_for(&state, &me) {
        if let Some(d) = Delivery::parse(field(&format!("type.{}", k.id))) {
            chosen.push((k.id.to_owned(), d));
        }
    }
    let quiet = QuietHours::new(start, end).unwrap_or_default();
    state
        .notifier
        .set_prefs(me.person.login.as_str(), chosen, quiet)
        .await?;
    Ok(see_other_with(PREFS, Ok(messages::PREFS_SAVED.to_owned())))
}

#[derive(Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    courriel: String,
}

/// `POST /compte/courriel`: keeps the address, unchecked, and mails the link that checks it.
pub async fn set_address(
    me: SignedIn,
    state: web::Data<AppState>,
    f: web::Form<AddressForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &f.csrf)?;
    let typed: String = f.courriel.trim().chars().take(254).collect();
    if state.config.mail.is_none() {
        return Err(WebError::NotFound);
    }
    if !notify::plausible_address(&typed) {
        return render_prefs(
            &state,
            &me,
            Some(typed),
            None,
            Some(messages::BAD_ADDRESS_FIELD.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    state
        .notifier
        .request_address(&Recipient::of(&me.person), &typed)
        .await?;
    Ok(see_other_with(PREFS, Ok(messages::check_link_sent(&typed))))
}

/// `POST /compte/courriel/supprimer`: back to the annuaire's address.
pub async fn remove_address(
    me: SignedIn,
    state: web::Data<AppState>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &f.csrf)?;
    state
        .notifier
        .remove_address(me.person.login.as_str())
        .await?;
    Ok(see_other_with(
        PREFS,
        Ok(messages::ADDRESS_REMOVED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    jeton: String,
}

/// `GET /compte/courriel/verifier?jeton=…`: the link of the check mail, opened signed in.
pub async fn check_address(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<CheckQuery>,
) -> Result<HttpResponse, WebError> {
    let token: String = q.jeton.chars().take(100).collect();
    let ok = state
        .notifier
        .verify_address(me.person.login.as_str(), &token)
        .await?;
    Ok(see_other_with(
        PREFS,
        if ok {
            Ok(messages::ADDRESS_CHECKED.to_owned())
        } else {
            Err(messages::CHECK_LINK_BAD.to_owned())
        },
    ))
}
