//! The managers' side (direction, RUPN): the bookings waiting for validation, and the types
//! and resources that can be booked.

use actix_web::{HttpResponse, web};
use cartable_core::directory::{DirectoryRead, Login, Profile};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::book::when;
use crate::model::{Resource, ResourceType, Status};
use crate::templates::{BookingView, ManagePage, QueuePage, TypeView};
use crate::{ID, manage, messages, notices, store};

async fn require(state: &AppState, m: &InModule) -> Result<(), WebError> {
    Me::of(state, &m.me)
        .await?
        .require(manage(), &cartable_core::authz::Target::Etablissement)
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /reservations/a-valider`.
pub async fn queue(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    require(&state, &m).await?;
    let (waiting, resources) = state
        .store
        .read(|r| Ok((store::waiting(r)?, store::resources(r)?)))
        .await?;
    let mut views = Vec::new();
    for b in &waiting {
        let who = match Login::parse(&b.login) {
            Ok(l) => state
                .directory
                .person(&l)
                .await?
                .map_or_else(String::new, |p| p.display_name()),
            Err(_) => String::new(),
        };
        views.push(BookingView {
            id: b.id,
            resource: resources
                .iter()
                .find(|r| r.id == b.resource)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            when: when(b.start, b.end),
            quantity: b.quantity,
            who,
            reason: b.reason.clone(),
            state: "",
            refusal: String::new(),
            series: b.series.is_some(),
        });
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&QueuePage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        waiting: views,
        nothing: messages::NOTHING_WAITING,
    })
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    motif: Option<String>,
}

async fn decide(
    m: InModule,
    state: web::Data<AppState>,
    id: i64,
    f: DecisionForm,
    accept: bool,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let b = state
        .store
        .read(move |r| store::booking(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let reason: String = f
        .motif
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(300)
        .collect();
    let back = format!("/{ID}/a-valider");
    if !accept && reason.is_empty() {
        return Ok(see_other_with(&back, Err(messages::NEED_REASON.into())));
    }
    let (by, why) = (m.me.person.login.to_string(), reason.clone());
    let done = state
        .store
        .write(move |w| store::decide(w, id, &by, accept, &why))
        .await?;
    if !done || b.status != Status::Waiting {
        return Ok(see_other_with(&back, Err(messages::ALREADY_DECIDED.into())));
    }
    let rid = b.resource;
    let name = state
        .store
        .read(move |r| store::resource(r, rid))
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let told = crate::model::Booking {
        refusal: reason,
        ..b
    };
    notices::decided(&state, &told, &name, accept).await;
    Ok(see_other_with(
        &back,
        Ok(if accept {
            messages::ACCEPTED
        } else {
            messages::REFUSED
        }
        .into()),
    ))
}

/// `POST /reservations/{id}/valider` (the rest of its series still waiting with it).
pub async fn accept(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    decide(m, state, *id, f.into_inner(), true).await
}

/// `POST /reservations/{id}/refuser` (with a reason for its author).
pub async fn refuse(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    decide(m, state, *id, f.into_inner(), false).await
}

const PROFILES: [(Profile, &str); 6] = [
    (Profile::Enseignant, "Enseignants"),
    (Profile::VieScolaire, "Vie scolaire"),
    (Profile::Direction, "Direction"),
    (Profile::Documentaliste, "Documentalistes"),
    (Profile::Administratif, "Personnels administratifs"),
    (Profile::Eleve, "Élèves"),
];

/// `GET /reservations/gestion`.
pub async fn page(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    require(&state, &m).await?;
    let (types, resources) = state
        .store
        .read(|r| Ok((store::types(r)?, store::resources(r)?)))
        .await?;
    let label = |p: &Profile| {
        PROFILES
            .iter()
            .find(|(q, _)| q == p)
            .map_or("", |(_, l)| *l)
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ManagePage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        types: types
            .iter()
            .map(|t| TypeView {
                id: t.id,
                name: t.name.clone(),
                profiles: t.profiles.iter().map(label).collect::<Vec<_>>().join(", "),
                choices: PROFILES
                    .iter()
                    .map(|(p, l)| (p.as_str(), *l, t.profiles.contains(p)))
                    .collect(),
                days_ahead: t.days_ahead,
                validation: t.validation,
                resources: resources
                    .iter()
                    .filter(|r| r.kind == t.id)
                    .map(|r| (r.id, r.name.clone(), r.quantity, r.room.clone()))
                    .collect(),
            })
            .collect(),
        type_choices: types.iter().map(|t| (t.id, t.name.clone())).collect(),
        profiles: PROFILES.iter().map(|(p, l)| (p.as_str(), *l)).collect(),
    })
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

/// A type as its form says it, or why not.
fn type_of(f: &[(String, String)], id: i64) -> Result<ResourceType, &'static str> {
    let name: String = field(f, "nom").chars().take(80).collect();
    let profiles: Vec<Profile> = f
        .iter()
        .filter(|(k, _)| k == "profil")
        .filter_map(|(_, v)| Profile::parse(v))
        .collect();
    let days_ahead: Option<i64> = field(f, "delai")
        .parse()
        .ok()
        .filter(|d| (1..=366).contains(d));
    if name.is_empty() {
        return Err(messages::NEED_NAME);
    }
    if profiles.is_empty() {
        return Err(messages::NEED_PROFILE);
    }
    let days_ahead = days_ahead.ok_or(messages::BAD_DAYS_AHEAD)?;
    Ok(ResourceType {
        id,
        name,
        profiles,
        days_ahead,
        validation: field(f, "validation") == "1",
    })
}

/// A resource as its form says it, or why not.
fn resource_of(f: &[(String, String)], id: i64, kind: i64) -> Result<Resource, &'static str> {
    let name: String = field(f, "nom").chars().take(80).collect();
    let room: String = field(f, "salle").chars().take(40).collect();
    if name.is_empty() {
        return Err(messages::NEED_NAME);
    }
    let quantity = if room.is_empty() {
        field(f, "quantite")
            .parse()
            .ok()
            .filter(|q| (1..=10_000).contains(q))
            .ok_or(messages::BAD_QUANTITY)?
    } else {
        1
    };
    Ok(Resource {
        id,
        kind,
        name,
        quantity,
        room,
    })
}

async fn type_exists(state: &AppState, id: i64) -> Result<(), WebError> {
    if state
        .store
        .read(move |r| Ok(store::types(r)?.iter().any(|t| t.id == id)))
        .await?
    {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// `POST /reservations/gestion/type/{id}`: edits a type.
pub async fn edit_type(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let id = *id;
    type_exists(&state, id).await?;
    let t = match type_of(&f, id) {
        Ok(t) => t,
        Err(why) => return Ok(see_other_with(&back, Err(why.into()))),
    };
    let saved = state
        .store
        .write(move |w| store::update_type(w, &t))
        .await?;
    Ok(saved_or_taken(&back, saved, messages::TYPE_SAVED))
}

/// Back to the management page: saved, or the name is another's.
fn saved_or_taken(back: &str, saved: bool, said: &str) -> HttpResponse {
    see_other_with(
        back,
        if saved {
            Ok(said.into())
        } else {
            Err(messages::EXISTS.into())
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    csrf: String,
    confirmer: Option<String>,
}

/// `POST /reservations/gestion/type/{id}/supprimer`: with its resources, unless bookings are
/// still to come.
pub async fn delete_type(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let id = *id;
    type_exists(&state, id).await?;
    delete_confirmed(
        &state,
        &f,
        &back,
        id,
        store::delete_type,
        messages::TYPE_DELETED,
    )
    .await
}

/// A deletion once the box is ticked, refused while bookings are still to come; back to
/// `back` saying which.
async fn delete_confirmed(
    state: &AppState,
    f: &ConfirmForm,
    back: &str,
    id: i64,
    delete: fn(
        &cartable_core::store::WriteTxn<'_>,
        i64,
        i64,
    ) -> cartable_core::Result<Result<(), i64>>,
    said: &str,
) -> Result<HttpResponse, WebError> {
    if f.confirmer.as_deref() != Some("1") {
        return Ok(see_other_with(back, Err(messages::CONFIRM.into())));
    }
    let now = state.clock.now().unix_timestamp();
    let done = state.store.write(move |w| delete(w, id, now)).await?;
    Ok(see_other_with(
        back,
        match done {
            Ok(()) => Ok(said.into()),
            Err(n) => Err(messages::still_booked(n)),
        },
    ))
}

/// `POST /reservations/gestion/ressource/{id}`: edits a resource (its type stays).
pub async fn edit_resource(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let id = *id;
    let old = state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let res = match resource_of(&f, id, old.kind) {
        Ok(r) => r,
        Err(why) => return Ok(see_other_with(&back, Err(why.into()))),
    };
    let saved = state
        .store
        .write(move |w| store::update_resource(w, &res))
        .await?;
    Ok(saved_or_taken(&back, saved, messages::RESOURCE_SAVED))
}

/// `POST /reservations/gestion/ressource/{id}/supprimer`: unless bookings are still to come.
pub async fn delete_resource(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let id = *id;
    state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    delete_confirmed(
        &state,
        &f,
        &back,
        id,
        store::delete_resource,
        messages::RESOURCE_DELETED,
    )
    .await
}

/// `POST /reservations/gestion/type`.
pub async fn add_type(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let t = match type_of(&f, 0) {
        Ok(t) => t,
        Err(why) => return Ok(see_other_with(&back, Err(why.into()))),
    };
    let added = state.store.write(move |w| store::add_type(w, &t)).await?;
    Ok(see_other_with(
        &back,
        match added {
            Some(_) => Ok(messages::TYPE_ADDED.into()),
            None => Err(messages::EXISTS.into()),
        },
    ))
}

/// `POST /reservations/gestion/ressource`.
pub async fn add_resource(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    require(&state, &m).await?;
    let back = format!("/{ID}/gestion");
    let kind: i64 = field(&f, "type").parse().unwrap_or(0);
    let types = state.store.read(store::types).await?;
    if !types.iter().any(|t| t.id == kind) {
        return Ok(see_other_with(&back, Err(messages::UNKNOWN_TYPE.into())));
    }
    let res = match resource_of(&f, 0, kind) {
        Ok(r) => r,
        Err(why) => return Ok(see_other_with(&back, Err(why.into()))),
    };
    let added = state
        .store
        .write(move |w| store::add_resource(w, &res))
        .await?;
    Ok(see_other_with(
        &back,
        match added {
            Some(_) => Ok(messages::RESOURCE_ADDED.into()),
            None => Err(messages::EXISTS.into()),
        },
    ))
}
