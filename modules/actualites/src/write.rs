//! Writing an actualité (or the week's menu), a publisher's decision, deleting, « j'ai lu ».
//! A refused form comes back with everything typed.

use actix_web::{HttpResponse, web};
use cartable_core::dates::{day_name, long_date, monday_of, parse_iso};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html_kept, see_other_with};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::list::{Context, context, now};
use crate::model::{Audience, Item, Kind, Status};
use crate::people::levels;
use crate::templates::{Typed, WritePage};
use crate::{ID, announce, messages, store, window};
use cartable_core::directory::level::level_of;
use cartable_web::rich_text;

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

/// Every audience one may choose, with the ones `typed` checked.
fn audience_choices(cx: &Context, checked: &[String]) -> Vec<(String, String, bool)> {
    let mut out: Vec<(Audience, String)> = vec![
        (Audience::Everyone, "Tout l'établissement".into()),
        (Audience::Staff, "Les personnels".into()),
        (Audience::Pupils, "Tous les élèves".into()),
        (Audience::Parents, "Tous les parents".into()),
    ];
    for (l, label) in levels(&cx.classes) {
        out.push((
            Audience::Level(l),
            format!("Le niveau {label} (élèves et enseignants)"),
        ));
    }
    for (c, label) in &cx.classes {
        out.push((Audience::Class(c.clone()), format!("La classe {label}")));
        out.push((
            Audience::ParentsOf(c.clone()),
            format!("Les parents {}", cartable_core::messages::de(label)),
        ));
    }
    out.into_iter()
        .map(|(a, label)| {
            let k = a.key();
            let on = checked.contains(&k);
            (k, label, on)
        })
        .collect()
}

/// The channels one writes in: (id, name, publishes there).
fn writable(cx: &Context) -> Vec<(i64, String, bool)> {
    cx.channels
        .iter()
        .filter(|(id, _)| cx.viewer.role_in(*id).is_some())
        .map(|(id, n)| (*id, n.clone(), cx.viewer.publishes_in(*id)))
        .collect()
}

const WEEKDAYS: [u8; 5] = [1, 2, 3, 4, 5];

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn empty_days() -> Vec<(String, String)> {
    WEEKDAYS
        .iter()
        .map(|d| (capitalised(day_name(*d)), String::new()))
        .collect()
}

async fn form_page(
    state: &AppState,
    m: &InModule,
    cx: &Context,
    menu: bool,
    f: Typed,
    err: Option<String>,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(&m.me)).await?;
    let images = crate::images::own_images(state, &m.me.person.login)
        .await
        .into_iter()
        .map(|p| {
            let on = p == f.image;
            (p, on)
        })
        .collect();
    let page = WritePage {
        images,
        chrome: &chrome,
        ok: None,
        err,
        csrf: m.me.csrf.clone(),
        menu,
        audiences: audience_choices(cx, &f.audiences),
        channels: writable(cx),
        publishes_all: writable(cx).iter().all(|c| c.2),
        f,
    };
    // The same page, with what was typed in it, and a status that says so.
    let refused = page.err.is_some();
    html_kept(&page, refused)
}

#[derive(Debug, Deserialize)]
pub struct WriteQuery {
    id: Option<i64>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `GET /actualites/ecrire` (`?type=menu`, `?id=` to edit one's own or, as a publisher, any
/// of the channel's).
pub async fn form(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<WriteQuery>,
) -> Result<HttpResponse, WebError> {
    let cx = context(&state, &m.me.person).await?;
    if writable(&cx).is_empty() {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::NO_CHANNEL.into()),
        ));
    }
    let (menu, typed) = match q.id {
        Some(id) => {
            let it = state
                .store
                .read(move |r| store::one(r, id))
                .await?
                .ok_or(WebError::NotFound)?;
            if !may_edit(&cx, &it) {
                return Err(WebError::NotFound);
            }
            (it.kind == Kind::Menu, typed_of(&it))
        }
        None => {
            let menu = q.kind.as_deref() == Some("menu");
            let today = cartable_core::dates::today_in_france(state.clock.now());
            (
                menu,
                Typed {
                    channel: writable(&cx).first().map_or(0, |c| c.0),
                    week: cartable_core::dates::iso(monday_of(today) + time::Duration::weeks(1)),
                    days: empty_days(),
                    ..Typed::default()
                },
            )
        }
    };
    form_page(&state, &m, &cx, menu, typed, None).await
}

fn may_edit(cx: &Context, it: &Item) -> bool {
    cx.viewer.publishes_in(it.channel)
        || (it.author == cx.viewer.login && it.status != Status::Published)
}

fn typed_of(it: &Item) -> Typed {
    let (from_day, from_time) = window::fields(it.from);
    let (until_day, until_time) = it.until.map(window::fields).unwrap_or_default();
    let days = if it.kind == Kind::Menu {
        let parsed = crate::list::menu_days(&it.body);
        empty_days()
            .into_iter()
            .map(|(d, _)| {
                let dishes = parsed
                    .iter()
                    .find(|(k, _)| *k == d)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (d, dishes)
            })
            .collect()
    } else {
        empty_days()
    };
    Typed {
        id: it.id,
        channel: it.channel,
        title: it.title.clone(),
        body: it.body.clone(),
        audiences: it.audiences.iter().map(Audience::key).collect(),
        from_day,
        from_time,
        until_day,
        until_time,
        pinned: it.pinned,
        headline: it.headline,
        important: it.important,
        image: String::new(),
        week: if it.kind == Kind::Menu {
            // Shown from the Friday before its week.
            cartable_core::dates::iso(monday_of(window::day_of(it.from) + time::Duration::days(3)))
        } else {
            String::new()
        },
        days,
    }
}

fn typed_from(f: &[(String, String)]) -> Typed {
    Typed {
        id: field(f, "id").parse().unwrap_or(0),
        channel: field(f, "rubrique").parse().unwrap_or(0),
        title: field(f, "titre").chars().take(200).collect(),
        body: field(f, "texte").to_owned(),
        audiences: f
            .iter()
            .filter(|(k, _)| k == "pour")
            .map(|(_, v)| v.clone())
            .take(200)
            .collect(),
        from_day: field(f, "du-jour").to_owned(),
        from_time: field(f, "du-heure").to_owned(),
        until_day: field(f, "au-jour").to_owned(),
        until_time: field(f, "au-heure").to_owned(),
        pinned: field(f, "epingle") == "1",
        headline: field(f, "une") == "1",
        important: field(f, "important") == "1",
        image: field(f, "image").to_owned(),
        week: field(f, "semaine").to_owned(),
        days: empty_days()
            .into_iter()
            .enumerate()
            .map(|(i, (d, _))| {
                let dishes: String = field(f, &format!("jour-{}", i + 1))
                    .chars()
                    .take(1000)
                    .collect();
                (d, dishes)
            })
            .collect(),
    }
}

/// `POST /actualites/ecrire`: a publisher's item is published (or scheduled); a
/// contributor's waits for validation.
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let cx = context(&state, &m.me.person).await?;
    if !cx.viewer.writes() {
        return Err(WebError::Forbidden);
    }
    let menu = field(&f, "type") == "menu";
    let t = typed_from(&f);
    let now = now(&state);
    let earlier = if t.id != 0 {
        let id = t.id;
        let it = state
            .store
            .read(move |r| store::one(r, id))
            .await?
            .ok_or(WebError::NotFound)?;
        if !may_edit(&cx, &it) {
            return Err(WebError::NotFound);
        }
        Some(it)
    } else {
        None
    };
    let mut t = t;
    if !t.image.is_empty() && !menu {
        match crate::images::copy(&state, &m.me.person.login, &t.image).await {
            Ok(markdown) => {
                t.body = format!("{}\n\n{markdown}", t.body.trim_end());
                t.image.clear();
            }
            Err(why) => return form_page(&state, &m, &cx, menu, t, Some(why)).await,
        }
    }
    let item = match checked(&cx, &mut t, menu, now, earlier.as_ref()) {
        Ok(item) => item,
        Err(why) => return form_page(&state, &m, &cx, menu, t, Some(why.to_owned())).await,
    };
    let publishes = item.status == Status::Published;
    let saved = item.clone();
    let id = state.store.write(move |w| store::save(w, &saved)).await?;
    tracing::info!(by = %m.me.person.login, actualite = id, publiee = publishes, "actualité enregistrée");
    let said = if publishes {
        announce::now_due(&state).await;
        if item.from > now {
            messages::SCHEDULED
        } else {
            messages::PUBLISHED
        }
    } else {
        announce::to_publishers(&state, id, &item).await;
        messages::SUBMITTED
    };
    Ok(see_other_with(&format!("/{ID}/{id}"), Ok(said.into())))
}

/// The item a form makes, or why it is refused (`t` keeps what was typed, a menu's text
/// made of its days).
fn checked(
    cx: &Context,
    t: &mut Typed,
    menu: bool,
    now: i64,
    earlier: Option<&Item>,
) -> Result<Item, &'static str> {
    let Some(role) = cx.viewer.role_in(t.channel) else {
        return Err(messages::UNKNOWN_CHANNEL);
    };
    if menu {
        let Some(monday) = parse_iso(&t.week).map(monday_of) else {
            return Err(messages::BAD_FROM);
        };
        t.title = messages::menu_title(&long_date(monday));
        t.body = t
            .days
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(day, dishes)| {
                format!(
                    "{day} : {}",
                    dishes.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        // A menu is shown from the Friday before its week, to its Saturday.
        if t.from_day.is_empty() {
            t.from_day = cartable_core::dates::iso(monday - time::Duration::days(3));
        }
        if t.until_day.is_empty() {
            t.until_day = cartable_core::dates::iso(monday + time::Duration::days(4));
        }
    }
    if t.title.trim().is_empty() {
        return Err(messages::NEED_TITLE);
    }
    if t.body.trim().is_empty() {
        return Err(messages::NEED_BODY);
    }
    if t.body.chars().count() > rich_text::MAX_BODY {
        return Err(messages::BODY_TOO_LONG);
    }
    let mut audiences = Vec::new();
    for key in &t.audiences {
        match Audience::parse(key) {
            Some(a) => audiences.push(a),
            None => return Err(messages::NEED_AUDIENCE),
        }
    }
    audiences.sort();
    audiences.dedup();
    if audiences.is_empty() {
        return Err(messages::NEED_AUDIENCE);
    }
    let known = |c: &str| cx.classes.iter().any(|(k, _)| k == c);
    if audiences.iter().any(|a| match a {
        Audience::Class(c) | Audience::ParentsOf(c) => !known(c),
        Audience::Level(l) => !cx.classes.iter().any(|(c, _)| level_of(c) == *l),
        _ => false,
    }) {
        return Err(messages::UNKNOWN_CLASS);
    }
    let Some(from) = window::from(&t.from_day, &t.from_time, now) else {
        return Err(messages::BAD_FROM);
    };
    let until = match window::until(&t.until_day, &t.until_time) {
        Some(u) if u.is_none_or(|u| u > from) => u,
        _ => return Err(messages::BAD_UNTIL),
    };
    let publishes = role == crate::model::ChannelRole::Publisher;
    Ok(Item {
        id: t.id,
        channel: t.channel,
        kind: if menu { Kind::Menu } else { Kind::News },
        title: t.title.trim().to_owned(),
        body: t.body.clone(),
        audiences,
        from,
        until,
        pinned: t.pinned,
        headline: t.headline,
        important: t.important,
        status: if publishes {
            Status::Published
        } else {
            Status::Pending
        },
        refusal: String::new(),
        author: earlier.map_or_else(|| cx.viewer.login.clone(), |e| e.author.clone()),
        publisher: publishes.then(|| cx.viewer.login.clone()),
        created: earlier.map_or(now, |e| e.created),
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
    let it = state
        .store
        .read(move |r| store::one(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let cx = context(&state, &m.me.person).await?;
    if !cx.viewer.sees(&it, now(&state)) {
        return Err(WebError::NotFound);
    }
    if !cx.viewer.publishes_in(it.channel) {
        return Err(WebError::Forbidden);
    }
    let reason: String = f
        .motif
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(500)
        .collect();
    if !accept && reason.is_empty() {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::NEED_REASON.into()),
        ));
    }
    let by = cx.viewer.login.clone();
    let why = reason.clone();
    let done = state
        .store
        .write(move |w| store::decide(w, id, &by, accept, &why))
        .await?;
    if !done {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::ALREADY_DECIDED.into()),
        ));
    }
    announce::decided(&state, &it, accept, &reason).await;
    if accept {
        announce::now_due(&state).await;
    }
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(if accept {
            messages::ACCEPTED
        } else {
            messages::REFUSED
        }
        .into()),
    ))
}

/// `POST /actualites/{id}/valider`.
pub async fn accept(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    decide(m, state, *id, f.into_inner(), true).await
}

/// `POST /actualites/{id}/refuser` (with a reason for the author).
pub async fn refuse(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    decide(m, state, *id, f.into_inner(), false).await
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /actualites/{id}/supprimer`: a publisher of its channel, or its author while it is
/// not published.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = *id;
    let it = state
        .store
        .read(move |r| store::one(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let cx = context(&state, &m.me.person).await?;
    if !cx.viewer.sees(&it, now(&state)) {
        return Err(WebError::NotFound);
    }
    if !may_edit(&cx, &it) {
        return Err(WebError::Forbidden);
    }
    state.store.write(move |w| store::delete(w, id)).await?;
    tracing::info!(by = %m.me.person.login, actualite = id, "actualité supprimée");
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::DELETED.into()),
    ))
}

/// `POST /actualites/{id}/lu`: « j'ai lu » on an important item that is for me.
pub async fn mark_read(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = *id;
    let it = state
        .store
        .read(move |r| store::one(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let cx = context(&state, &m.me.person).await?;
    let now = now(&state);
    if !(it.live(now) && cx.viewer.is_for(&it.audiences)) {
        return Err(WebError::NotFound);
    }
    let login = cx.viewer.login.clone();
    state
        .store
        .write(move |w| store::read_by(w, id, &login, now))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/{id}"),
        Ok(messages::MARKED_READ.into()),
    ))
}
