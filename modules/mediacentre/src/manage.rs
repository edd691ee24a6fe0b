//! « Gérer les ressources »: the documentaliste, the direction or the RUPN declares what the
//! médiacentre offers, to whom (profiles, classes, levels), edits and removes it.

use actix_web::{HttpResponse, web};
use cartable_core::directory::Profile;
use cartable_core::directory::level::{level_label, level_of};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html_kept, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::model::{Kind, MAX_DESCRIPTION, MAX_TITLE, Resource, check_url};
use crate::people::class_labels;
use crate::templates::{Choice, ManagePage, ResourceRow};
use crate::{ID, manage, messages, store};

/// Every handler here starts with it: the rule of the routes (`mediacentre.gerer`).
async fn require(state: &AppState, m: &InModule) -> Result<(), WebError> {
    Me::of(state, &m.me)
        .await?
        .require(manage(), &cartable_core::authz::Target::Etablissement)
}

fn values<'a>(f: &'a [(String, String)], k: &'a str) -> impl Iterator<Item = &'a str> {
    f.iter()
        .filter(move |(key, _)| key == k)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn field<'a>(f: &'a [(String, String)], k: &'a str) -> &'a str {
    values(f, k).next().unwrap_or("")
}

/// What the form holds, typed or from the resource being edited.
#[derive(Default)]
struct Typed {
    title: String,
    editor: String,
    description: String,
    url: String,
    kind: String,
    profiles: Vec<String>,
    classes: Vec<String>,
    levels: Vec<String>,
}

impl Typed {
    fn from_form(f: &[(String, String)]) -> Self {
        let owned = |k| values(f, k).map(str::to_owned).collect::<Vec<_>>();
        Typed {
            title: field(f, "titre").chars().take(MAX_TITLE + 1).collect(),
            editor: field(f, "editeur").chars().take(MAX_TITLE + 1).collect(),
            description: field(f, "description")
                .chars()
                .take(MAX_DESCRIPTION + 1)
                .collect(),
            url: field(f, "adresse")
                .chars()
                .take(crate::model::MAX_URL + 1)
                .collect(),
            kind: field(f, "type").to_owned(),
            profiles: owned("profil"),
            classes: owned("classe"),
            levels: owned("niveau"),
        }
    }

    fn from_resource(r: &Resource) -> Self {
        Typed {
            title: r.title.clone(),
            editor: r.editor.clone(),
            description: r.description.clone(),
            url: r.url.clone(),
            kind: r.kind.key().to_owned(),
            profiles: r.profiles.iter().map(|p| p.as_str().to_owned()).collect(),
            classes: r.classes.clone(),
            levels: r.levels.clone(),
        }
    }

    /// The resource it describes, against the établissement's classes; why not, if not.
    fn checked(
        &self,
        classes: &[(String, String)],
        signs_in: &dyn Fn(&str) -> bool,
        id: i64,
        by: &str,
        now: i64,
    ) -> Result<Resource, &'static str> {
        if self.title.is_empty() {
            return Err(messages::NEED_TITLE);
        }
        if self.title.chars().count() > MAX_TITLE || self.editor.chars().count() > MAX_TITLE {
            return Err(messages::TITLE_TOO_LONG);
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            return Err(messages::DESCRIPTION_TOO_LONG);
        }
        let url = check_url(&self.url)?;
        let kind = Kind::parse(&self.kind).ok_or(messages::NEED_KIND)?;
        // Opened through the ENT's CAS, which serves only the services it knows.
        if kind == Kind::Ent && !signs_in(&url) {
            return Err(messages::NOT_A_CAS_SERVICE);
        }
        let profiles: Vec<Profile> = self
            .profiles
            .iter()
            .filter_map(|p| Profile::parse(p))
            .collect();
        let known = |c: &String| classes.iter().any(|(k, _)| k == c);
        let classes_kept: Vec<String> = self.classes.iter().filter(|c| known(c)).cloned().collect();
        let levels: Vec<String> = self
            .levels
            .iter()
            .filter(|l| classes.iter().any(|(c, _)| level_of(c) == **l))
            .cloned()
            .collect();
        if profiles.is_empty() && classes_kept.is_empty() && levels.is_empty() {
            return Err(messages::NEED_AUDIENCE);
        }
        Ok(Resource {
            id,
            title: self.title.clone(),
            description: self.description.clone(),
            editor: self.editor.clone(),
            url,
            kind,
            profiles,
            classes: classes_kept,
            levels,
            created_by: by.to_owned(),
            updated: now,
        })
    }
}

/// « Enseignants, 6e A, niveau 5e ».
fn audience_parts(r: &Resource, classes: &[(String, String)]) -> Vec<String> {
    r.profiles
        .iter()
        .map(|p| p.label().to_owned())
        .chain(r.classes.iter().map(|c| {
            classes
                .iter()
                .find(|(k, _)| k == c)
                .map_or_else(|| c.clone(), |(_, l)| l.clone())
        }))
        .chain(
            r.levels
                .iter()
                .map(|l| format!("niveau {}", level_label(l))),
        )
        .collect()
}

async fn sorted_classes(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let mut classes: Vec<(String, String)> = class_labels(state).await?.into_iter().collect();
    classes.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
    Ok(classes)
}

/// The list and the form (empty, typed again, or the resource `editing`).
async fn page(
    state: &AppState,
    m: &InModule,
    flash: (Option<String>, Option<String>),
    typed: Typed,
    editing: Option<i64>,
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let classes = sorted_classes(state).await?;
    let resources = state.store.read(store::resources).await?;
    let mut levels: Vec<String> = classes.iter().map(|(c, _)| level_of(c)).collect();
    levels.sort();
    levels.dedup();
    let chrome = chrome(state, Some(&m.me)).await?;
    html_kept(
        &ManagePage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            rows: resources
                .iter()
                .map(|r| ResourceRow {
                    id: r.id,
                    title: r.title.clone(),
                    kind: r.kind.label(),
                    audience: audience_parts(r, &classes).join(", "),
                })
                .collect(),
            editing,
            title: typed.title,
            editor: typed.editor,
            description: typed.description,
            url: typed.url,
            kinds: Kind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.key().to_owned(),
                    label: k.label().to_owned(),
                    chosen: typed.kind == k.key(),
                })
                .collect(),
            profiles: Profile::ALL
                .iter()
                .filter(|p| **p != Profile::Admin)
                .map(|p| Choice {
                    value: p.as_str().to_owned(),
                    label: p.label().to_owned(),
                    chosen: typed.profiles.iter().any(|t| t == p.as_str()),
                })
                .collect(),
            classes: classes
                .iter()
                .map(|(c, l)| Choice {
                    value: c.clone(),
                    label: l.clone(),
                    chosen: typed.classes.contains(c),
                })
                .collect(),
            levels: levels
                .iter()
                .map(|l| Choice {
                    value: l.clone(),
                    label: level_label(l),
                    chosen: typed.levels.contains(l),
                })
                .collect(),
            classes_chosen: !typed.classes.is_empty(),
            nothing: messages::NO_RESOURCE_DECLARED,
        },
        refused,
    )
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /mediacentre/gestion`.
pub async fn list(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    require(&state, &m).await?;
    let typed = Typed {
        kind: Kind::Link.key().to_owned(),
        ..Typed::default()
    };
    page(
        &state,
        &m,
        (shown_ok(&q.ok), shown_err(&q.err)),
        typed,
        None,
        false,
    )
    .await
}

/// `GET /mediacentre/gestion/{id}`: the resource in the form.
pub async fn edit_form(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    require(&state, &m).await?;
    let id = *id;
    let r = state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    page(
        &state,
        &m,
        (shown_ok(&q.ok), shown_err(&q.err)),
        Typed::from_resource(&r),
        Some(id),
        false,
    )
    .await
}

async fn save(
    state: &AppState,
    m: &InModule,
    f: &[(String, String)],
    id: i64,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(f, "csrf"))?;
    require(state, m).await?;
    let typed = Typed::from_form(f);
    let classes = sorted_classes(state).await?;
    let now = state.clock.now().unix_timestamp();
    let by = m.me.person.login.to_string();
    let editing = (id != 0).then_some(id);
    let signs_in = |url: &str| state.config.cas.service_for(url).is_some();
    let resource = match typed.checked(&classes, &signs_in, id, &by, now) {
        Ok(r) => r,
        Err(why) => {
            return page(state, m, (None, Some(why.into())), typed, editing, true).await;
        }
    };
    let saved = state
        .store
        .write(move |w| {
            if id != 0 && store::resource(w, id)?.is_none() {
                return Ok(None);
            }
            store::save_resource(w, &resource).map(Some)
        })
        .await?
        .ok_or(WebError::NotFound)?;
    tracing::info!(by = %by, resource = saved, "ressource du médiacentre enregistrée");
    Ok(see_other_with(
        &format!("/{ID}/gestion"),
        Ok(messages::RESOURCE_SAVED.into()),
    ))
}

/// `POST /mediacentre/gestion`: a new resource.
pub async fn create(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    save(&state, &m, &f, 0).await
}

/// `POST /mediacentre/gestion/{id}`: the resource edited.
pub async fn edit(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = *id;
    if id <= 0 {
        return Err(WebError::NotFound);
    }
    save(&state, &m, &f, id).await
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    confirmer: Option<String>,
}

/// `POST /mediacentre/gestion/{id}/supprimer`: with the favourites naming it, once confirmed.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let id = *id;
    state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if f.confirmer.as_deref() != Some("1") {
        return Ok(see_other_with(
            &format!("/{ID}/gestion/{id}"),
            Err(messages::CONFIRM.into()),
        ));
    }
    state
        .store
        .write(move |w| store::delete_resource(w, id))
        .await?;
    tracing::info!(by = %m.me.person.login, resource = id, "ressource du médiacentre supprimée");
    Ok(see_other_with(
        &format!("/{ID}/gestion"),
        Ok(messages::RESOURCE_DELETED.into()),
    ))
}
