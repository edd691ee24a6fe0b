//! `/personnes/{login}`: a person's page, for those the policy lets see it (themselves, their
//! parents, their teachers, vie scolaire, direction, RUPN); a new password with its login
//! letter; disabling and re-enabling.

use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{AccountState, Person, Relations};
use cartable_core::letters::{self, Letter};
use serde::Deserialize;

use super::ConfirmSpec;
use super::{chrome, html, pdf_response, public_url};
use crate::error::WebError;
use crate::messages;
use crate::policy::{self, Me};
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{PersonPage, PersonQuota};

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
    /// Set by the confirmation page.
    confirme: Option<String>,
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    etat: String,
    /// Set by the confirmation page.
    confirme: Option<String>,
}

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    login: web::Path<String>,
    q: web::Query<super::Outcome>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let (person, relations) = policy::visible_person(&state, &ctx, &login).await?;
    let target = Target::Person(&person, &relations);
    let quota = if ctx.may(Action::Administer, &Target::Etablissement)
        && cartable_core::files::tree::has_space(person.profile)
    {
        let (q, _) = cartable_core::files::quota::of(
            &state.store,
            &state.config.files,
            &person,
            &state.summaries,
        )
        .await?;
        Some(PersonQuota {
            view: super::files::quota_view(&q),
            own: q.own,
            limit_mio: q.limit / cartable_core::config::MIB,
        })
    } else {
        None
    };
    let children_classes = relations.children.iter().filter_map(|c| c.class.as_ref());
    let opens = policy::openable(
        &state,
        &ctx,
        relations
            .parents
            .iter()
            .map(|p| &p.login)
            .chain(relations.children.iter().map(|c| &c.login)),
        relations
            .classes
            .iter()
            .chain(children_classes)
            .chain(relations.teachings.iter().map(|t| &t.class))
            .map(|c| &c.code),
    )
    .await?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&PersonPage {
        notice: q.notice(),
        error: q.error(),
        opens,
        quota,
        chrome: &chrome,
        person: &person,
        relations: &relations,
        can_reset: ctx.may(Action::ResetPassword, &target),
        can_change_state: ctx.may(Action::ChangeState, &target),
        active: person.state == AccountState::Active,
        last_login: person
            .last_login
            .map(super::when)
            .unwrap_or_else(|| "jamais".to_owned()),
    })
}

/// What a person's letter says they are.
pub async fn letter(
    state: &AppState,
    url: &str,
    actor: &str,
    person: &Person,
    relations: &Relations,
) -> Result<Letter, WebError> {
    let password = state
        .accounts()
        .set_password(actor, &person.login, None, true)
        .await?;
    Ok(Letter {
        etablissement: super::chrome(state, None).await?.etablissement,
        url: url.to_owned(),
        name: person.display_name(),
        role: letters::role_line(person, relations),
        login: person.login.to_string(),
        password,
    })
}

pub async fn reset(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    login: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(&state, &me).await?;
    let (person, relations) = policy::visible_person(&state, &ctx, &login).await?;
    ctx.require(Action::ResetPassword, &Target::Person(&person, &relations))?;
    if form.confirme.as_deref() != Some("1") {
        let what = messages::confirm_reset_person(&person.display_name());
        return super::confirm(
            &state,
            &me,
            ConfirmSpec {
                title: messages::CONFIRM_RESET_TITLE,
                what: &what,
                after: messages::CONFIRM_RESET_AFTER,
                button: messages::CONFIRM_RESET_BUTTON,
                action: &format!("/personnes/{}/mot-de-passe", person.login),
                fields: Vec::new(),
                back: &format!("/personnes/{}", person.login),
            },
        )
        .await;
    }
    let url = public_url(&req, &state);
    let l = letter(&state, &url, me.person.login.as_str(), &person, &relations).await?;
    tracing::info!(by = %me.person.login, login = %person.login, "password reset");
    Ok(pdf_response(
        &format!("courrier-{}.pdf", person.login),
        letters::pdf(&[l]),
    ))
}

#[derive(Deserialize)]
pub struct QuotaForm {
    #[serde(default)]
    csrf: String,
    /// Mo; empty for the profile's default.
    #[serde(default)]
    mio: String,
}

/// `POST /personnes/{login}/quota`: the RUPN sets one person's quota.
pub async fn set_quota(
    me: SignedIn,
    state: web::Data<AppState>,
    login: web::Path<String>,
    form: web::Form<QuotaForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(&state, &me).await?;
    let (person, _) = policy::visible_person(&state, &ctx, &login).await?;
    ctx.require(Action::Administer, &Target::Etablissement)?;
    let bytes = match form.mio.trim() {
        "" => None,
        n => match n.parse::<u64>() {
            Ok(m @ 1..=16_777_216) => Some(m * cartable_core::config::MIB),
            _ => {
                return Ok(super::see_other_with(
                    &format!("/personnes/{}", person.login),
                    Err(messages::QUOTA_BAD.to_owned()),
                ));
            }
        },
    };
    let (who, actor) = (person.login.to_string(), me.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| {
            w.set_file_quota(&who, bytes)?;
            w.append_audit(&cartable_core::store::AuditEntry {
                at,
                actor,
                action: "quota".to_owned(),
                target: who,
                detail: bytes
                    .map(cartable_core::files::quota::human)
                    .unwrap_or_else(|| "par défaut".to_owned()),
            })
        })
        .await?;
    // Over SMB at once: a lower quota already exceeded makes the home share read-only.
    cartable_core::files::quota::enforce(
        &state.store,
        &state.config.files,
        &state.config.data_dir,
        &person,
        &state.summaries,
    )
    .await?;
    Ok(super::see_other_with(
        &format!("/personnes/{}", person.login),
        Ok(messages::quota_set(
            &person.display_name(),
            bytes.map(cartable_core::files::quota::human).as_deref(),
        )),
    ))
}

pub async fn set_state(
    me: SignedIn,
    state: web::Data<AppState>,
    login: web::Path<String>,
    form: web::Form<StateForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(&state, &me).await?;
    let (person, relations) = policy::visible_person(&state, &ctx, &login).await?;
    ctx.require(Action::ChangeState, &Target::Person(&person, &relations))?;
    if form.etat == "desactiver" && form.confirme.as_deref() != Some("1") {
        let what = messages::confirm_disable(&person.display_name());
        return super::confirm(
            &state,
            &me,
            ConfirmSpec {
                title: messages::CONFIRM_DISABLE_TITLE,
                what: &what,
                after: messages::CONFIRM_DISABLE_AFTER,
                button: messages::CONFIRM_DISABLE_BUTTON,
                action: &format!("/personnes/{}/etat", person.login),
                fields: vec![("etat", "desactiver")],
                back: &format!("/personnes/{}", person.login),
            },
        )
        .await;
    }
    let accounts = state.accounts();
    let actor = me.person.login.as_str();
    let done = match form.etat.as_str() {
        "desactiver" => {
            accounts.disable(actor, &person.login).await?;
            messages::disabled(&person.display_name())
        }
        "activer" => {
            accounts.enable(actor, &person.login).await?;
            messages::enabled(&person.display_name())
        }
        other => return Err(WebError::BadRequest(format!("etat « {other} »"))),
    };
    Ok(super::see_other_with(
        &format!("/personnes/{}", person.login),
        Ok(done),
    ))
}
