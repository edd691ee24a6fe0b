//! The médiacentre as its readers see it: the resources offered to them (searched), their
//! favourites, the links shared with their class, their signets; opening a resource; adding
//! and removing a signet, sharing one with a class. A refused form comes back as typed.

use actix_web::{HttpResponse, web};
use cartable_core::dates::{in_france, long_date};
use cartable_core::directory::{Person, Relations};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html_kept, see_other_with, shown_err, shown_ok};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;

use crate::model::{Kind, MAX_TITLE, Resource, Signet, Viewer, check_url, matches};
use crate::people::{class_labels, me, viewer};
use crate::templates::{HomePage, ResourceView, SignetView};
use crate::{ID, messages, store};

/// Longest search kept.
const MAX_QUERY: usize = 100;

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    q: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// What was typed in the signet form: (title, address, class).
#[derive(Default)]
struct Typed {
    title: String,
    url: String,
    class: String,
}

/// « 3 décembre 2026 », in France, of a unix time.
fn day(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| long_date(in_france(t).date()))
        .unwrap_or_default()
}

/// The resources offered to `who`, by title.
async fn offered(state: &AppState, who: &Viewer) -> Result<Vec<Resource>, WebError> {
    let all = state.store.read(store::resources).await?;
    Ok(all.into_iter().filter(|r| who.sees(r)).collect())
}

fn resource_view(r: &Resource, favorite: bool) -> ResourceView {
    ResourceView {
        id: r.id,
        title: r.title.clone(),
        editor: r.editor.clone(),
        description: r.description.clone(),
        kind: r.kind.label(),
        favorite,
    }
}

async fn home_page(
    state: &AppState,
    m: &InModule,
    q: &str,
    flash: (Option<String>, Option<String>),
    typed: Typed,
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let who = me(state, &m.me.person).await?;
    let resources = offered(state, &who).await?;
    let login = who.login.clone();
    let favorites = state
        .store
        .read(move |r| store::favorites(r, &login))
        .await?;
    let (login, classes) = (
        who.login.clone(),
        who.classes
            .iter()
            .chain(&who.teaches)
            .cloned()
            .collect::<Vec<_>>(),
    );
    let signets = state
        .store
        .read(move |r| store::signets(r, &login, &classes))
        .await?;
    let labels = class_labels(state).await?;
    // One gone from the annuaire is not named (« le 3 décembre » alone).
    let owners =
        cartable_web::people::names_of(state, signets.iter().map(|s| s.owner.as_str()), Some(""))
            .await?;
    let label = |c: &str| labels.get(c).cloned().unwrap_or_else(|| c.to_owned());
    let signet_view = |s: &Signet| SignetView {
        id: s.id,
        title: s.title.clone(),
        url: s.url.clone(),
        class: s.class.as_deref().map(label),
        by: owners.get(&s.owner).cloned().unwrap_or_default(),
        when: day(s.created),
    };
    let (mine, shared): (Vec<&Signet>, Vec<&Signet>) =
        signets.iter().partition(|s| s.owner == who.login);
    let mut class_choices: Vec<(String, String, bool)> = who
        .teaches
        .iter()
        .map(|c| (c.clone(), label(c), *c == typed.class))
        .collect();
    class_choices.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
    class_choices.dedup_by(|a, b| a.0 == b.0);
    let found: Vec<ResourceView> = resources
        .iter()
        .filter(|r| matches(r, q))
        .map(|r| resource_view(r, favorites.contains(&r.id)))
        .collect();
    let chrome = chrome(state, Some(&m.me)).await?;
    html_kept(
        &HomePage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            q: q.to_owned(),
            favorites: resources
                .iter()
                .filter(|r| favorites.contains(&r.id))
                .map(|r| resource_view(r, true))
                .collect(),
            nothing: if resources.is_empty() {
                messages::NO_RESOURCE
            } else {
                messages::NO_MATCH
            },
            resources: found,
            shared: shared.into_iter().map(signet_view).collect(),
            signets: mine.into_iter().map(signet_view).collect(),
            class_choices,
            is_pupil: !who.classes.is_empty(),
            manages: who.manages,
            typed_title: typed.title,
            typed_url: typed.url,
            no_favorite: messages::NO_FAVORITE,
            no_signet: messages::NO_SIGNET,
            no_class_signet: messages::NO_CLASS_SIGNET,
        },
        refused,
    )
}

/// `GET /mediacentre`, `?q=` to search.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, WebError> {
    let search: String =
        q.q.as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(MAX_QUERY)
            .collect();
    home_page(
        &state,
        &m,
        &search,
        (shown_ok(&q.ok), shown_err(&q.err)),
        Typed::default(),
        false,
    )
    .await
}

/// `GET /mediacentre/ouvrir/{id}`: to the resource, if it is offered to this person.
pub async fn open(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let id = *id;
    let r = state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .filter(|r| who.sees(r))
        .ok_or(WebError::NotFound)?;
    tracing::info!(login = %who.login, resource = r.id, "ressource ouverte");
    // A service of the ENT is reached through its CAS: the person arrives signed in.
    let to = match r.kind {
        Kind::Ent => format!(
            "/cas/login?service={}",
            cartable_web::pages::encode_query(&r.url)
        ),
        Kind::Link | Kind::Bouquet => r.url,
    };
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .finish())
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /mediacentre/favori/{id}`: marks or unmarks a favourite.
pub async fn favorite(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfOnly>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let id = *id;
    state
        .store
        .read(move |r| store::resource(r, id))
        .await?
        .filter(|r| who.sees(r))
        .ok_or(WebError::NotFound)?;
    let login = who.login.clone();
    let now_favorite = state
        .store
        .write(move |w| store::toggle_favorite(w, &login, id))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(if now_favorite {
            messages::FAVORITE_ADDED
        } else {
            messages::FAVORITE_REMOVED
        }
        .into()),
    ))
}

/// `POST /mediacentre/signets`: a signet of one's own, or (a teacher) shared with a class
/// he teaches.
pub async fn add_signet(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let typed = Typed {
        title: field(&f, "titre").chars().take(MAX_TITLE + 1).collect(),
        url: field(&f, "adresse")
            .chars()
            .take(crate::model::MAX_URL + 1)
            .collect(),
        class: field(&f, "classe").to_owned(),
    };
    let class = (!typed.class.is_empty()).then(|| typed.class.clone());
    let checked = match (&class, typed.title.as_str()) {
        (Some(c), _) if !who.shares_with(c) => Err(messages::NEED_CLASS),
        (_, "") => Err(messages::NEED_TITLE),
        (_, t) if t.chars().count() > MAX_TITLE => Err(messages::TITLE_TOO_LONG),
        _ => check_url(&typed.url),
    };
    let url = match checked {
        Ok(url) => url,
        Err(why) => {
            return home_page(&state, &m, "", (None, Some(why.into())), typed, true).await;
        }
    };
    let signet = Signet {
        id: 0,
        owner: who.login.clone(),
        class: class.clone(),
        title: typed.title.clone(),
        url,
        created: state.clock.now().unix_timestamp(),
    };
    let added = state
        .store
        .write(move |w| store::add_signet(w, &signet))
        .await?;
    if added.is_none() {
        return home_page(
            &state,
            &m,
            "",
            (None, Some(messages::TOO_MANY_SIGNETS.into())),
            typed,
            true,
        )
        .await;
    }
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(if class.is_some() {
            messages::SHARED
        } else {
            messages::SIGNET_ADDED
        }
        .into()),
    ))
}

/// `POST /mediacentre/signet/{id}/supprimer`: one's own signet (a shared one leaves the
/// class's médiacentre too).
pub async fn delete_signet(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfOnly>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let id = *id;
    let s = state
        .store
        .read(move |r| store::signet(r, id))
        .await?
        .filter(|s| who.reads(s))
        .ok_or(WebError::NotFound)?;
    if s.owner != who.login {
        return Err(WebError::Forbidden);
    }
    state
        .store
        .write(move |w| store::delete_signet(w, id))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::SIGNET_DELETED.into()),
    ))
}

/// The portal's tile: how many resources, the favourites by name.
pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let who = viewer(state, person, rel);
    let resources = offered(state, &who).await?;
    let login = who.login.clone();
    let favorites = state
        .store
        .read(move |r| store::favorites(r, &login))
        .await?;
    let names: Vec<String> = resources
        .iter()
        .filter(|r| favorites.contains(&r.id))
        .take(3)
        .map(|r| r.title.clone())
        .collect();
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: if resources.is_empty() {
            messages::TILE.into()
        } else {
            messages::tile_count(resources.len(), &names)
        },
        href: format!("/{ID}"),
        icon: "mediacentre",
    }])
}
