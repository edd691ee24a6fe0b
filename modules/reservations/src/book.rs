//! « Réserver »: the form and one's bookings to come; a booking checked and written in one
//! transaction, all its occurrences or none; cancelling.

use actix_web::{HttpResponse, web};
use cartable_core::dates::{
    day_and_date, hhmm, instant_in_france, iso, parse_iso, parse_time, today_in_france,
};
use cartable_core::directory::{DirectoryRead, Person};
use cartable_core::store::ReadTxn;
use cartable_web::error::WebError;
use cartable_web::module::{InModule, feed};
use cartable_web::pages::{chrome, html_kept, see_other_with, shown_err, shown_ok};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;
use time::{Date, Duration};

use crate::model::{
    Booking, Conflict, Repeat, Resource, ResourceType, RoomCourse, Status, conflict, instants,
    occurrences,
};
use crate::templates::{BookingView, HomePage, Typed};
use crate::{ID, manage, messages, notices, store};

/// Longest reason kept.
const MAX_REASON: usize = 200;

pub(crate) fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

pub(crate) fn is_manager(
    state: &AppState,
    person: &Person,
    rel: &cartable_core::directory::Relations,
) -> bool {
    state.policy.allowed(
        &cartable_core::authz::Actor {
            person,
            relations: rel,
        },
        manage(),
        &cartable_core::authz::Target::Etablissement,
    )
}

/// The resources `person` may book, with their types.
pub(crate) async fn bookable(
    state: &AppState,
    person: &Person,
) -> Result<Vec<(Resource, ResourceType)>, WebError> {
    let (types, resources) = state
        .store
        .read(|r| Ok((store::types(r)?, store::resources(r)?)))
        .await?;
    Ok(resources
        .into_iter()
        .filter_map(|res| {
            let t = types.iter().find(|t| t.id == res.kind)?;
            t.profiles
                .contains(&person.profile)
                .then(|| (res, t.clone()))
        })
        .collect())
}

/// « lundi 7 décembre, 08h00 – 09h00 ».
pub(crate) fn when(start: i64, end: i64) -> String {
    let at = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .map(cartable_core::dates::in_france)
            .ok()
    };
    match (at(start), at(end)) {
        (Some(s), Some(e)) => format!(
            "{}, {} – {}",
            day_and_date(s.date()),
            hhmm(u16::from(s.hour()) * 60 + u16::from(s.minute())),
            hhmm(u16::from(e.hour()) * 60 + u16::from(e.minute()))
        ),
        _ => String::new(),
    }
}

/// The timetable's slots (distinct start and end of its courses): « 08h00 – 08h55 ».
async fn slots(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let monday = cartable_core::dates::monday_of(today_in_france(state.clock.now()));
    let mut all: Vec<(u16, u16)> = state
        .store
        .read(move |r| {
            let mut out = Vec::new();
            // This week's and next week's courses: weeks A and B both.
            for date in (0..14).map(|d| monday + Duration::days(d)) {
                out.extend(r.courses_on(date)?.iter().map(|c| (c.start, c.end)));
            }
            Ok(out)
        })
        .await?;
    all.sort_unstable();
    all.dedup();
    Ok(all
        .into_iter()
        .map(|(s, e)| (format!("{s}-{e}"), format!("{} – {}", hhmm(s), hhmm(e))))
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

async fn home_page(
    state: &AppState,
    m: &InModule,
    flash: (Option<String>, Option<String>),
    typed: Typed,
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let login = m.me.person.login.to_string();
    let from = now(state);
    let (mine, resources, waiting) = state
        .store
        .read(move |r| {
            Ok((
                store::of(r, &login, from)?,
                store::resources(r)?,
                store::waiting(r)?.len(),
            ))
        })
        .await?;
    let rel = state.directory.relations(&m.me.person.login).await?;
    let manager = is_manager(state, &m.me.person, &rel);
    let bookable = bookable(state, &m.me.person).await?;
    let name = |id: i64| {
        resources
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    let has_feed = feed::exists(state, ID, &m.me.person.login).await?;
    let chrome = chrome(state, Some(&m.me)).await?;
    html_kept(
        &HomePage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            mine: mine
                .iter()
                .map(|b| BookingView {
                    id: b.id,
                    resource: name(b.resource),
                    when: when(b.start, b.end),
                    quantity: b.quantity,
                    who: String::new(),
                    reason: b.reason.clone(),
                    state: match b.status {
                        Status::Waiting => "En attente de validation",
                        Status::Validated => "",
                        Status::Refused => "Refusée",
                    },
                    refusal: b.refusal.clone(),
                    series: b.series.is_some(),
                })
                .collect(),
            resources: bookable
                .iter()
                .map(|(r, t)| {
                    let label = if r.room.is_empty() {
                        format!("{} ({} : {} en tout)", r.name, t.name, r.quantity)
                    } else {
                        format!("{} ({})", r.name, t.name)
                    };
                    (r.id, label, typed.resource == r.id)
                })
                .collect(),
            // The weeks one may look at: what one may book, everything for a manager.
            all_resources: resources
                .iter()
                .filter(|r| manager || bookable.iter().any(|(b, _)| b.id == r.id))
                .map(|r| (r.id, r.name.clone()))
                .collect(),
            slots: slots(state)
                .await?
                .into_iter()
                .map(|(k, l)| {
                    let on = typed.slot == k;
                    (k, l, on)
                })
                .collect(),
            f: typed,
            manager,
            waiting: (manager && waiting > 0).then(|| messages::waiting(waiting)),
            has_feed,
            nothing: messages::NOTHING,
            no_resource: messages::NO_RESOURCE,
        },
        refused,
    )
}

/// `GET /reservations`.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let typed = Typed {
        day: iso(today_in_france(state.clock.now())),
        quantity: "1".into(),
        ..Typed::default()
    };
    home_page(
        &state,
        &m,
        (shown_ok(&q.ok), shown_err(&q.err)),
        typed,
        false,
    )
    .await
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

fn typed_from(f: &[(String, String)]) -> Typed {
    Typed {
        resource: field(f, "ressource").parse().unwrap_or(0),
        day: field(f, "jour").to_owned(),
        slot: field(f, "creneau").to_owned(),
        from: field(f, "debut").to_owned(),
        to: field(f, "fin").to_owned(),
        quantity: field(f, "quantite").to_owned(),
        reason: field(f, "motif").chars().take(MAX_REASON).collect(),
        repeat: field(f, "repetition").to_owned(),
        until: field(f, "jusqu-au").to_owned(),
    }
}

/// What a form asks, checked against everything but the other bookings.
struct Asked {
    resource: Resource,
    kind: ResourceType,
    days: Vec<Date>,
    start: u16,
    end: u16,
    quantity: i64,
}

fn asked(
    t: &Typed,
    bookable: &[(Resource, ResourceType)],
    today: Date,
    calendar: &cartable_core::calendar::SchoolCalendar,
    week_kind: impl Fn(Date) -> Option<&'static str>,
) -> Result<Asked, String> {
    let Some((resource, kind)) = bookable.iter().find(|(r, _)| r.id == t.resource) else {
        return Err(messages::UNKNOWN_RESOURCE.into());
    };
    let first = parse_iso(&t.day).ok_or(messages::BAD_DATE)?;
    let (start, end) = match t.slot.split_once('-') {
        Some((s, e)) => (s.parse().ok(), e.parse().ok()),
        None => (parse_time(&t.from), parse_time(&t.to)),
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(messages::BAD_TIMES.into());
    };
    if end <= start || end > 24 * 60 {
        return Err(messages::BAD_TIMES.into());
    }
    // A room is one; equipment's quantity left empty is one too.
    let quantity: i64 = if resource.room.is_empty() && !t.quantity.is_empty() {
        t.quantity.parse().map_err(|_| messages::BAD_QUANTITY)?
    } else {
        1
    };
    if quantity < 1 || quantity > resource.quantity {
        return Err(messages::BAD_QUANTITY.into());
    }
    let repeat = Repeat::parse(&t.repeat).ok_or(messages::BAD_REPEAT)?;
    let until = match repeat {
        Repeat::Once => first,
        _ => parse_iso(&t.until)
            .filter(|u| *u > first)
            .ok_or(messages::BAD_UNTIL)?,
    };
    if first < today {
        return Err(messages::IN_THE_PAST.into());
    }
    let last_allowed = today + Duration::days(kind.days_ahead);
    if until > last_allowed {
        return Err(messages::too_far(kind.days_ahead));
    }
    if let Some(why) = calendar.closed(first) {
        return Err(messages::day_off(&day_and_date(first), &why));
    }
    let days = occurrences(first, repeat, until, calendar, week_kind);
    if days.is_empty() {
        return Err(messages::NO_DAY.into());
    }
    Ok(Asked {
        resource: resource.clone(),
        kind: kind.clone(),
        days,
        start,
        end,
        quantity,
    })
}

/// The timetable's courses in `room` on `day`, as instants.
fn room_courses(r: &ReadTxn<'_>, room: &str, day: Date) -> cartable_core::Result<Vec<RoomCourse>> {
    if room.is_empty() {
        return Ok(Vec::new());
    }
    Ok(r.courses_on(day)?
        .into_iter()
        .filter(|c| c.room == room)
        .filter_map(|c| {
            Some(RoomCourse {
                start: instant_in_france(day, c.start)?.unix_timestamp(),
                end: instant_in_france(day, c.end)?.unix_timestamp(),
                subject: c.subject,
                audience: c.audience,
            })
        })
        .collect())
}

/// `POST /reservations`: every occurrence fits and is written, or none is and the form
/// comes back with each conflict's day and reason.
pub async fn book(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let t = typed_from(&f);
    let bookable = bookable(&state, &m.me.person).await?;
    if bookable.is_empty() {
        return Err(WebError::Forbidden);
    }
    let today = today_in_france(state.clock.now());
    let (calendar, reference) = state
        .store
        .read(|r| {
            Ok((
                r.school_calendar()?,
                r.meta(cartable_core::store::WEEK_A_KEY)?,
            ))
        })
        .await?;
    let reference = reference.and_then(|s| parse_iso(&s));
    let week_kind = move |d: Date| {
        reference.map(|r| {
            let weeks = (cartable_core::dates::monday_of(d) - cartable_core::dates::monday_of(r))
                .whole_days()
                .div_euclid(7);
            if weeks.rem_euclid(2) == 0 { "A" } else { "B" }
        })
    };
    let a = match asked(&t, &bookable, today, &calendar, week_kind) {
        Ok(a) => a,
        Err(why) => return home_page(&state, &m, (None, Some(why)), t, true).await,
    };
    let at = now(&state);
    let status = if a.kind.validation {
        Status::Waiting
    } else {
        Status::Validated
    };
    let mut wanted = Vec::new();
    for (day, start, end) in instants(&a.days, a.start, a.end) {
        wanted.push((
            day,
            Booking {
                id: 0,
                resource: a.resource.id,
                login: m.me.person.login.to_string(),
                start,
                end,
                quantity: a.quantity,
                status,
                reason: t.reason.clone(),
                series: None,
                refusal: String::new(),
            },
        ));
    }
    if wanted.first().is_some_and(|(_, b)| b.end <= at) {
        return home_page(
            &state,
            &m,
            (None, Some(messages::IN_THE_PAST.into())),
            t,
            true,
        )
        .await;
    }
    let resource = a.resource.clone();
    // Checked and written by the writer in one transaction: nobody books between the two.
    let outcome = state
        .store
        .write(move |w| {
            let mut reasons = Vec::new();
            for (day, b) in &wanted {
                let others = store::between(w, resource.id, b.start, b.end)?;
                let courses = room_courses(w, &resource.room, *day)?;
                let label = day_and_date(*day);
                match conflict(&resource, b.start, b.end, b.quantity, &others, &courses) {
                    None => {}
                    Some(Conflict::Taken { free }) => reasons.push(messages::taken(&label, free)),
                    Some(Conflict::Course { subject, audience }) => {
                        reasons.push(messages::course(&label, &subject, &audience));
                    }
                }
            }
            if !reasons.is_empty() {
                return Ok(Err(reasons));
            }
            let all: Vec<Booking> = wanted.into_iter().map(|(_, b)| b).collect();
            Ok(Ok(store::add_bookings(w, &all, at)?))
        })
        .await?;
    match outcome {
        Err(reasons) => {
            let why = messages::refused(&reasons);
            home_page(&state, &m, (None, Some(why)), t, true).await
        }
        Ok(ids) => {
            tracing::info!(by = %m.me.person.login, ressource = a.resource.id, n = ids.len(), "réservation");
            if status == Status::Waiting {
                notices::to_managers(&state, &a.resource, ids.first().copied().unwrap_or(0)).await;
            }
            let said = match (status, ids.len()) {
                (Status::Waiting, _) => messages::SUBMITTED.to_owned(),
                (_, 1) => messages::BOOKED.to_owned(),
                (_, n) => messages::booked_series(n),
            };
            Ok(see_other_with(&format!("/{ID}"), Ok(said)))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    csrf: String,
    suite: Option<String>,
}

/// `POST /reservations/{id}/annuler`: one's own (or any, for a manager); with `suite=1` the
/// later occurrences of its series too.
pub async fn cancel(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CancelForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = *id;
    let b = state
        .store
        .read(move |r| store::booking(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let mine = b.login == m.me.person.login.as_str();
    if !mine {
        let rel = state.directory.relations(&m.me.person.login).await?;
        if !is_manager(&state, &m.me.person, &rel) {
            return Err(WebError::NotFound);
        }
    }
    let later = f.suite.as_deref() == Some("1");
    let n = state
        .store
        .write(move |w| store::cancel(w, &b, later))
        .await?;
    tracing::info!(by = %m.me.person.login, reservation = id, n, "réservation annulée");
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::CANCELLED.into()),
    ))
}
