//! The channels (« Vie du collège », « Cantine »…) and who writes or publishes in each: the
//! direction's and the RUPN's page.

use actix_web::{HttpResponse, web};
use cartable_core::directory::{DirectoryRead, Login, Profile};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::model::ChannelRole;
use crate::templates::{ChannelView, ChannelsPage};
use crate::{ID, manage, messages, store};

/// The direction's and the RUPN's only (`actualites.gerer`).
async fn require(state: &AppState, m: &InModule) -> Result<(), WebError> {
    Me::of(state, &m.me)
        .await?
        .require(manage(), &cartable_core::authz::Target::Etablissement)
}

fn back() -> String {
    format!("/{ID}/rubriques")
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /actualites/rubriques`.
pub async fn page(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    require(&state, &m).await?;
    let channels = state.store.read(store::channels).await?;
    let mut views = Vec::new();
    for c in channels {
        let id = c.id;
        let members = state.store.read(move |r| store::members(r, id)).await?;
        let names = crate::list::names(&state, members.iter().map(|(l, _)| l.as_str())).await?;
        let mut members: Vec<(String, String, &'static str)> = members
            .into_iter()
            .map(|(l, r)| {
                let name = names.get(&l).cloned().unwrap_or_else(|| l.clone());
                let role = match r {
                    ChannelRole::Contributor => "contributeur",
                    ChannelRole::Publisher => "publieur",
                };
                (l, name, role)
            })
            .collect();
        members.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
        views.push(ChannelView {
            id: c.id,
            name: c.name,
            members,
        });
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ChannelsPage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        channels: views,
    })
}

#[derive(Debug, Deserialize)]
pub struct NewChannel {
    csrf: String,
    nom: String,
}

/// `POST /actualites/rubriques`.
pub async fn add(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<NewChannel>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let name: String = f.nom.trim().chars().take(80).collect();
    if name.is_empty() {
        return Ok(see_other_with(
            &back(),
            Err(messages::NEED_CHANNEL_NAME.into()),
        ));
    }
    let at = state.clock.now().unix_timestamp();
    let added = state
        .store
        .write(move |w| store::add_channel(w, &name, at))
        .await?;
    Ok(see_other_with(
        &back(),
        match added {
            Some(_) => Ok(messages::CHANNEL_ADDED.into()),
            None => Err(messages::CHANNEL_EXISTS.into()),
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    csrf: String,
    identifiant: String,
    role: String,
}

/// `POST /actualites/rubriques/{id}/role`: an adult of the établissement (staff, or a parent
/// for the parents' association) made contributor or publisher, or taken off (`retirer`).
pub async fn set_role(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<RoleForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let channel = *id;
    let exists = state
        .store
        .read(move |r| Ok(store::channels(r)?.iter().any(|c| c.id == channel)))
        .await?;
    if !exists {
        return Err(WebError::NotFound);
    }
    let role = match f.role.as_str() {
        "retirer" => None,
        r => Some(ChannelRole::parse(r).ok_or_else(|| WebError::BadRequest("role".into()))?),
    };
    let login = f.identifiant.trim().to_owned();
    if role.is_some() {
        let staff = match Login::parse(&login) {
            Ok(l) => state
                .directory
                .person(&l)
                .await?
                .is_some_and(|p| p.profile != Profile::Eleve),
            Err(_) => false,
        };
        if !staff {
            return Ok(see_other_with(
                &back(),
                Err(messages::UNKNOWN_PERSON.into()),
            ));
        }
    }
    let who = login.clone();
    state
        .store
        .write(move |w| store::set_role(w, channel, &who, role))
        .await?;
    tracing::info!(by = %m.me.person.login, rubrique = channel, personne = %login, "rôle de rubrique");
    Ok(see_other_with(
        &back(),
        Ok(if role.is_some() {
            messages::ROLE_SET
        } else {
            messages::ROLE_REMOVED
        }
        .into()),
    ))
}
