//! `GET/POST /admin/modules`: the RUPN opens each ENT module to the profiles he chooses; a
//! module closed to a profile disappears for it at once (tile, pages, iCal addresses).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::Profile;

use super::{chrome, html, see_other_with};
use crate::error::WebError;
use crate::messages;
use crate::policy::Me;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{ConsoleModulesPage, ModuleRow};

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<super::Outcome>,
) -> Result<HttpResponse, WebError> {
    Me::of(&state, &me)
        .await?
        .require(Action::Administer, &Target::Etablissement)?;
    let rows = state
        .modules
        .modules()
        .map(|m| {
            let open = state.modules.profiles(m.id());
            let retention = m.retention();
            ModuleRow {
                id: m.id(),
                title: m.title(),
                audience: m.audience_service(),
                keeps: retention.what,
                how_long: retention.how_long,
                profiles: Profile::ALL
                    .iter()
                    .map(|p| (p.as_str(), p.label(), open.contains(p)))
                    .collect(),
            }
        })
        .collect();
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ConsoleModulesPage {
        chrome: &chrome,
        rows,
        csrf: &me.csrf,
        ok: q.notice(),
        err: q.error(),
    })
}

/// The form: `csrf`, `module`, and one `p-<profil>` checkbox per profile it is open to.
pub async fn save(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, form.get("csrf").map_or("", String::as_str))?;
    Me::of(&state, &me)
        .await?
        .require(Action::Administer, &Target::Etablissement)?;
    let id = form.get("module").cloned().unwrap_or_default();
    let module = state.modules.get(&id).ok_or(WebError::NotFound)?;
    let profiles: Vec<Profile> = Profile::ALL
        .into_iter()
        .filter(|p| form.contains_key(&format!("p-{}", p.as_str())))
        .collect();
    state
        .modules
        .set(
            &state.store,
            &id,
            profiles,
            me.person.login.as_str(),
            state.clock.now().unix_timestamp(),
        )
        .await?;
    tracing::info!(by = %me.person.login, module = %id, "profils du module changés");
    Ok(see_other_with(
        "/admin/modules",
        Ok(messages::module_saved(module.title())),
    ))
}
