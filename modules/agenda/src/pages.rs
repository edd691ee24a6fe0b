//! The agenda page (what I see: the établissement's events published to me, and my own),
//! adding and removing events, and the secret iCal address.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Actor, Target};
use cartable_core::dates::{
    day_and_date, hhmm, instant_in_france, iso, long_date, parse_iso, parse_time, today_in_france,
};
use cartable_core::directory::{DirectoryRead, Person, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{InModule, feed};
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use icalendar::{Calendar, Component, EventLike};
use serde::Deserialize;
use time::{Date, Duration};

use crate::model::{Audience, Event, Viewer};
use crate::templates::{AgendaPage, DayView, EventView};
use crate::{ID, messages, publish, store};

fn today(state: &AppState) -> Date {
    today_in_france(state.clock.now())
}

/// The viewer a person is: his classes (as a pupil or a teacher), his children's, and
/// whether he publishes the établissement's agenda.
fn viewer(state: &AppState, person: &Person, rel: &Relations) -> Viewer {
    let actor = Actor {
        person,
        relations: rel,
    };
    Viewer {
        login: person.login.to_string(),
        profile: Some(person.profile),
        classes: rel
            .classes
            .iter()
            .map(|c| c.code.to_string())
            .chain(rel.teachings.iter().map(|t| t.class.code.to_string()))
            .collect(),
        children_classes: rel
            .children
            .iter()
            .filter_map(|c| c.class.as_ref().map(|k| k.code.to_string()))
            .collect(),
        publisher: state
            .policy
            .allowed(&actor, publish(), &Target::Etablissement),
    }
}

async fn class_labels(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect())
}

fn audience_label(e: &Event, classes: &[(String, String)]) -> String {
    if e.owner.is_some() {
        return "Agenda personnel".into();
    }
    let label = |c: &str| {
        classes
            .iter()
            .find(|(k, _)| k == c)
            .map_or_else(|| c.to_owned(), |(_, l)| l.clone())
    };
    e.audiences
        .iter()
        .map(|a| match a {
            Audience::Everyone => "Tout l'établissement".to_owned(),
            Audience::Staff => "Personnels".to_owned(),
            Audience::Class(c) => label(c),
            Audience::Parents(c) => format!("Parents {}", cartable_core::messages::de(&label(c))),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn when(e: &Event) -> String {
    match e.times {
        Some((s, f)) => format!("{} – {}", hhmm(s), hhmm(f)),
        None => "Toute la journée".into(),
    }
}

async fn visible(
    state: &AppState,
    v: &Viewer,
    from: Date,
    to: Date,
) -> Result<Vec<Event>, WebError> {
    Ok(state
        .store
        .read(move |r| store::between(r, from, to))
        .await?
        .into_iter()
        .filter(|e| v.sees(e))
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct AgendaQuery {
    depuis: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /agenda`: eight weeks from `depuis` (default today).
pub async fn agenda(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<AgendaQuery>,
) -> Result<HttpResponse, WebError> {
    let rel = state.directory.relations(&m.me.person.login).await?;
    let v = viewer(&state, &m.me.person, &rel);
    let today = today(&state);
    let from = match q.depuis.as_deref() {
        None | Some("") => today,
        Some(d) => parse_iso(d).ok_or_else(|| WebError::BadRequest(format!("depuis={d}")))?,
    };
    let to = from + Duration::weeks(8);
    let events = visible(&state, &v, from, to).await?;
    let classes = class_labels(&state).await?;
    let mut by_day: BTreeMap<Date, Vec<EventView>> = BTreeMap::new();
    for e in &events {
        let mine = e.owner.as_deref() == Some(v.login.as_str());
        by_day.entry(e.day).or_default().push(EventView {
            id: e.id,
            when: when(e),
            title: e.title.clone(),
            place: e.place.clone(),
            description: e.description.clone(),
            audience: audience_label(e, &classes),
            mine,
            can_delete: mine || (e.owner.is_none() && v.publisher),
        });
    }
    let has_feed = feed::exists(&state, ID, &m.me.person.login).await?;
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&AgendaPage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        period: format!("du {} au {}", long_date(from), long_date(to)),
        prev: format!("/{ID}?depuis={}", iso(from - Duration::weeks(8))),
        next: format!("/{ID}?depuis={}", iso(to)),
        days: by_day
            .into_iter()
            .map(|(d, events)| DayView {
                date: iso(d),
                label: day_and_date(d),
                events,
            })
            .collect(),
        nothing: messages::NOTHING,
        csrf: m.me.csrf.clone(),
        today: iso(today),
        publisher: v.publisher,
        classes,
        has_feed,
    })
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

/// `POST /agenda/evenement`: my own event, or — with audiences, for those who publish — one
/// of the établissement's.
pub async fn add(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let back = format!("/{ID}");
    let refuse = |msg: &str| Ok(see_other_with(&back, Err(msg.to_owned())));
    let title: String = field(&f, "titre").chars().take(200).collect();
    if title.is_empty() {
        return refuse(messages::NEED_TITLE);
    }
    let Some(day) = parse_iso(field(&f, "jour")) else {
        return refuse(messages::BAD_DATE);
    };
    let times = match (field(&f, "debut"), field(&f, "fin")) {
        ("", "") => None,
        (s, e) => match (parse_time(s), parse_time(e)) {
            (Some(s), Some(e)) if e > s => Some((s, e)),
            _ => return refuse(messages::BAD_TIMES),
        },
    };
    let mut audiences = Vec::new();
    for (k, v) in f.iter() {
        if k == "pour" {
            match Audience::parse(v) {
                Some(a) => audiences.push(a),
                None => return Err(WebError::BadRequest("pour".into())),
            }
        }
    }
    audiences.sort();
    audiences.dedup();
    let rel = state.directory.relations(&m.me.person.login).await?;
    let v = viewer(&state, &m.me.person, &rel);
    if !audiences.is_empty() {
        if !v.publisher {
            return Err(WebError::Forbidden);
        }
        let known = class_labels(&state).await?;
        let exists = |c: &str| known.iter().any(|(k, _)| k == c);
        if audiences.iter().any(|a| match a {
            Audience::Class(c) | Audience::Parents(c) => !exists(c),
            _ => false,
        }) {
            return refuse(messages::UNKNOWN_CLASS);
        }
    }
    let event = Event {
        id: 0,
        owner: audiences.is_empty().then(|| v.login.clone()),
        title,
        place: field(&f, "lieu").chars().take(200).collect(),
        description: field(&f, "description").chars().take(2000).collect(),
        day,
        times,
        author: v.login.clone(),
        audiences,
    };
    let published = event.owner.is_none();
    let at = state.clock.now().unix_timestamp();
    let id = state
        .store
        .write(move |w| store::add(w, &event, at))
        .await?;
    tracing::info!(by = %m.me.person.login, event = id, published, "événement ajouté");
    Ok(see_other_with(
        &format!("/{ID}?depuis={}", iso(day.min(today(&state)))),
        Ok(if published {
            messages::PUBLISHED
        } else {
            messages::ADDED
        }
        .into()),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /agenda/evenement/{id}/supprimer`: my own, or the établissement's if I publish.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = *id;
    let e = state
        .store
        .read(move |r| store::one(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let rel = state.directory.relations(&m.me.person.login).await?;
    let v = viewer(&state, &m.me.person, &rel);
    let allowed = match &e.owner {
        Some(o) => *o == v.login,
        None => v.publisher,
    };
    if !allowed {
        // Another's own event does not exist for me.
        return Err(if e.owner.is_some() || !v.sees(&e) {
            WebError::NotFound
        } else {
            WebError::Forbidden
        });
    }
    state.store.write(move |w| store::delete(w, id)).await?;
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::DELETED.into()),
    ))
}

/// `GET /agenda/ical/{token}.ics`: what the owner sees, from a month ago to a year ahead.
pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let person = feed::owner(&state, ID, &token).await?;
    let rel = state.directory.relations(&person.login).await?;
    let v = viewer(&state, &person, &rel);
    let today = today(&state);
    let events = visible(
        &state,
        &v,
        today - Duration::days(30),
        today + Duration::days(365),
    )
    .await?;
    let mut cal = Calendar::new();
    cal.name(&format!("Agenda — {}", person.display_name()));
    for e in &events {
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("agenda-{}@cartable", e.id))
            .summary(&e.title)
            .location(&e.place)
            .description(&e.description);
        match e.times {
            Some((s, f)) => {
                let at = |m| {
                    instant_in_france(e.day, m)
                        .and_then(|t| chrono::DateTime::from_timestamp(t.unix_timestamp(), 0))
                };
                let (Some(start), Some(end)) = (at(s), at(f)) else {
                    continue;
                };
                ev.starts(start).ends(end);
            }
            None => {
                let Some(d) = chrono::NaiveDate::from_ymd_opt(
                    e.day.year(),
                    u32::from(e.day.month() as u8),
                    u32::from(e.day.day()),
                ) else {
                    continue;
                };
                ev.all_day(d);
            }
        }
        cal.push(ev.done());
    }
    Ok(feed::calendar(cal.done().to_string()))
}

/// The portal tile: the next event I see.
pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let v = viewer(state, person, rel);
    let today = today(state);
    let next = visible(state, &v, today, today + Duration::days(30))
        .await?
        .into_iter()
        .next();
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: match next {
            Some(e) => messages::next(&e.title, &day_and_date(e.day)),
            None => messages::TILE.into(),
        },
        href: format!("/{ID}"),
        icon: "agenda",
    }])
}

/// What the module holds about a person: their own events.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let own = state
        .store
        .read(move |r| store::owned_by(r, &login))
        .await?;
    Ok(serde_json::json!({
        "evenements_personnels": own
            .iter()
            .map(|(day, title)| serde_json::json!({"jour": day, "titre": title}))
            .collect::<Vec<_>>(),
        "abonnement_ical": feed::exists(state, ID, &person.login).await?,
    }))
}

/// A year after their day, events go; so do the own events of people no longer in the
/// annuaire.
pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let before = today(state) - Duration::days(365);
    let mut gone = state
        .store
        .write(move |w| store::delete_before(w, before))
        .await?;
    for owner in state.store.read(store::owners).await? {
        let present = match cartable_core::directory::Login::parse(&owner) {
            Ok(l) => state.directory.person(&l).await?.is_some(),
            Err(_) => false,
        };
        if !present {
            gone += state
                .store
                .write(move |w| store::delete_owned_by(w, &owner))
                .await?;
        }
    }
    Ok(gone)
}
