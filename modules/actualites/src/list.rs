//! The list of actualités one sees, one actualité's page, and the portal's « à la une ».

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use cartable_core::directory::{DirectoryRead, Person, Relations};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, shown_err, shown_ok};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;

use crate::model::{Item, Kind, Status, Viewer, Window};
use crate::people::{audience_label, classes, viewer};
use crate::templates::{ItemPage, ItemView, ListPage};
use crate::{ID, manage, messages, store, window};
use cartable_web::rich_text;

/// Items read for a list: an établissement publishes a few a week.
const LIST_LIMIT: usize = 300;
/// A list shows items whose window closed less than this long ago (to publishers).
const RECENT_DAYS: i64 = 60;

pub(crate) fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

fn state_of(it: &Item, now: i64) -> &'static str {
    match (it.status, it.window(now)) {
        (Status::Pending, _) => "En attente de validation",
        (Status::Refused, _) => "Refusée",
        (Status::Published, Window::Scheduled) => "Programmée",
        (Status::Published, Window::Expired) => "Expirée",
        (Status::Published, Window::Shown) => "",
    }
}

/// Display names of `logins`; one gone from the annuaire stands for itself.
pub(crate) async fn names(
    state: &AppState,
    logins: impl Iterator<Item = &str>,
) -> Result<BTreeMap<String, String>, WebError> {
    cartable_web::people::names_of(state, logins, None).await
}

pub(crate) struct Context {
    pub viewer: Viewer,
    /// The viewer's place in the annuaire, read once per page.
    pub relations: Relations,
    pub classes: Vec<(String, String)>,
    pub channels: Vec<(i64, String)>,
    pub read: Vec<i64>,
}

pub(crate) async fn context(state: &AppState, person: &Person) -> Result<Context, WebError> {
    let rel = state.directory.relations(&person.login).await?;
    let viewer = viewer(state, person, &rel).await?;
    let login = viewer.login.clone();
    let (channels, read) = state
        .store
        .read(move |r| Ok((store::channels(r)?, store::read_among(r, &login)?)))
        .await?;
    Ok(Context {
        viewer,
        relations: rel,
        classes: classes(state).await?,
        channels: channels.into_iter().map(|c| (c.id, c.name)).collect(),
        read,
    })
}

pub(crate) fn view(
    it: &Item,
    cx: &Context,
    names: &BTreeMap<String, String>,
    now: i64,
) -> ItemView {
    ItemView {
        id: it.id,
        title: it.title.clone(),
        channel: cx
            .channels
            .iter()
            .find(|(id, _)| *id == it.channel)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        when: window::said(it.from),
        summary: rich_text::summary(&it.body, 240),
        audience: audience_label(&it.audiences, &cx.classes),
        author: names
            .get(&it.author)
            .cloned()
            .unwrap_or_else(|| it.author.clone()),
        pinned: it.pinned,
        headline: it.headline,
        important: it.important,
        read: cx.read.contains(&it.id),
        state: state_of(it, now),
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    rubrique: Option<i64>,
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /actualites`: pinned first, then newest; a publisher's queue above; one's own
/// waiting or refused items.
pub async fn list(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let cx = context(&state, &m.me.person).await?;
    let now = now(&state);
    let since = window::after_days(now, -RECENT_DAYS);
    let all = state
        .store
        .read(move |r| store::recent(r, since, LIST_LIMIT))
        .await?;
    let seen: Vec<&Item> = all.iter().filter(|it| cx.viewer.sees(it, now)).collect();
    let names = names(&state, seen.iter().map(|it| it.author.as_str())).await?;
    let waiting = seen
        .iter()
        .filter(|it| it.status == Status::Pending && cx.viewer.publishes_in(it.channel))
        .map(|it| view(it, &cx, &names, now))
        .collect();
    let mine = seen
        .iter()
        .filter(|it| it.author == cx.viewer.login && it.status != Status::Published)
        .map(|it| view(it, &cx, &names, now))
        .collect();
    let mut shown: Vec<&&Item> = seen
        .iter()
        .filter(|it| it.status == Status::Published)
        .filter(|it| q.rubrique.is_none_or(|c| it.channel == c))
        .collect();
    // Pinned first (those live), then by publication, newest first.
    shown.sort_by_key(|it| (!(it.pinned && it.live(now)), std::cmp::Reverse(it.from)));
    let chrome = chrome(&state, Some(&m.me)).await?;
    let can_manage = state.policy.allowed(
        &cartable_core::authz::Actor {
            person: &m.me.person,
            relations: &cx.relations,
        },
        manage(),
        &cartable_core::authz::Target::Etablissement,
    );
    html(&ListPage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        items: shown
            .into_iter()
            .map(|it| view(it, &cx, &names, now))
            .collect(),
        channels: cx.channels.clone(),
        current: q.rubrique,
        waiting,
        mine,
        can_write: cx.viewer.writes() && !cx.channels.is_empty(),
        can_manage,
        nothing: messages::NOTHING,
    })
}

/// `GET /actualites/{id}`: for those who see it; anyone else finds nothing there.
pub async fn item(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let id = *id;
    let it = state
        .store
        .read(move |r| store::one(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let cx = context(&state, &m.me.person).await?;
    let now = now(&state);
    if !cx.viewer.sees(&it, now) {
        return Err(WebError::NotFound);
    }
    let names = names(&state, std::iter::once(it.author.as_str())).await?;
    let publisher = cx.viewer.publishes_in(it.channel);
    let author = it.author == cx.viewer.login;
    let readership = if it.important && (publisher || author) {
        Some(crate::announce::readership(&state, &it).await?)
    } else {
        None
    };
    let menu = if it.kind == Kind::Menu {
        menu_days(&it.body)
    } else {
        Vec::new()
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ItemPage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        body: rich_text::to_html_with_images(&it.body, crate::images::PREFIX),
        menu,
        show_audience: publisher || author,
        can_acknowledge: it.live(now) && cx.viewer.is_for(&it.audiences),
        readership,
        refusal: if it.status == Status::Refused {
            it.refusal.clone()
        } else {
            String::new()
        },
        can_edit: publisher || (author && it.status != Status::Published),
        can_delete: publisher || (author && it.status != Status::Published),
        item: view(&it, &cx, &names, now),
    })
}

/// A menu's body, one line per day (« Lundi : … »), as (day, dishes).
pub fn menu_days(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|l| l.split_once(" : "))
        .map(|(d, m)| (d.trim().to_owned(), m.trim().to_owned()))
        .filter(|(_, m)| !m.is_empty())
        .collect()
}

/// The portal tile: « à la une » for me, else how many wait for my validation.
pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let v = viewer(state, person, rel).await?;
    let now = now(state);
    let all = state.store.read(move |r| store::recent(r, now, 50)).await?;
    let waiting = all
        .iter()
        .filter(|it| it.status == Status::Pending && v.publishes_in(it.channel))
        .count();
    let headline = all
        .iter()
        .filter(|it| it.headline && it.live(now) && v.is_for(&it.audiences))
        .max_by_key(|it| it.from);
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: match (headline, waiting) {
            (_, n) if n > 0 => messages::waiting(n),
            (Some(it), _) => format!("À la une : {}", it.title),
            (None, _) => messages::TILE.into(),
        },
        href: match headline {
            Some(it) if waiting == 0 => format!("/{ID}/{}", it.id),
            _ => format!("/{ID}"),
        },
        icon: "actualites",
    }])
}
