//! `/classes/{code}`: a class with its pupils and teachers, for its teachers, vie scolaire,
//! direction and RUPN; resetting the whole class prints one letter per pupil (and per
//! responsable when asked).

use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{AccountState, DirectoryRead, Person, PersonQuery, Profile};
use cartable_core::letters;
use serde::Deserialize;

use super::people::letter;
use super::{chrome, html, pdf_response, public_url};
use crate::error::WebError;
use crate::messages;
use crate::policy::{self, Me};
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::ClassPage;

#[derive(Deserialize)]
pub struct LettersForm {
    #[serde(default)]
    csrf: String,
    /// Also the pupils' responsables.
    responsables: Option<String>,
    /// Set by the confirmation page.
    confirme: Option<String>,
}

async fn members(
    state: &AppState,
    class: &cartable_core::directory::ClassCode,
    profile: Profile,
) -> Result<Vec<Person>, WebError> {
    Ok(state
        .directory
        .search(&PersonQuery {
            class: Some(class.clone()),
            profile: Some(profile),
            state: Some(AccountState::Active),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        })
        .await?
        .people)
}

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let class = policy::existing_class(&state, &code).await?;
    let target = Target::Class(&class.code);
    ctx.require(Action::ViewClass, &target)?;
    let pupils = members(&state, &class.code, Profile::Eleve).await?;
    let teachers = members(&state, &class.code, Profile::Enseignant).await?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ClassPage {
        chrome: &chrome,
        class: &class,
        pupils: &pupils,
        teachers: &teachers,
        can_reset: ctx.may(Action::ResetClass, &target),
    })
}

pub async fn letters(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<LettersForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(&state, &me).await?;
    let class = policy::existing_class(&state, &code).await?;
    ctx.require(Action::ResetClass, &Target::Class(&class.code))?;
    if form.confirme.as_deref() != Some("1") {
        let pupils = members(&state, &class.code, Profile::Eleve).await?.len();
        let what = messages::confirm_reset_class(&class.label, pupils, form.responsables.is_some());
        let mut fields = Vec::new();
        if form.responsables.is_some() {
            fields.push(("responsables", "1"));
        }
        return super::confirm(
            &state,
            &me,
            super::ConfirmSpec {
                title: messages::CONFIRM_RESET_CLASS_TITLE,
                what: &what,
                after: messages::CONFIRM_RESET_AFTER,
                button: messages::CONFIRM_RESET_CLASS_BUTTON,
                action: &format!("/classes/{}/courriers", class.code),
                fields,
                back: &format!("/classes/{}", class.code),
            },
        )
        .await;
    }
    let url = public_url(&req, &state);
    let actor = me.person.login.as_str();
    let mut out = Vec::new();
    let mut parents_done = std::collections::BTreeSet::new();
    for pupil in members(&state, &class.code, Profile::Eleve).await? {
        let rel = state.directory.relations(&pupil.login).await?;
        out.push(letter(&state, &url, actor, &pupil, &rel).await?);
        if form.responsables.is_some() {
            for p in &rel.parents {
                if !parents_done.insert(p.login.clone()) {
                    continue;
                }
                let Some(parent) = state.directory.person(&p.login).await? else {
                    continue;
                };
                let prel = state.directory.relations(&p.login).await?;
                out.push(letter(&state, &url, actor, &parent, &prel).await?);
            }
        }
    }
    tracing::info!(by = %me.person.login, class = %class.code, letters = out.len(), "class reset");
    Ok(pdf_response(
        &format!("courriers-{}.pdf", class.code),
        letters::pdf(&out),
    ))
}
