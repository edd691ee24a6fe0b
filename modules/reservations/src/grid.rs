//! A resource's week: each day's bookings and, for a room, the timetable's courses in it.

use actix_web::{HttpResponse, web};
use cartable_core::dates::{
    day_and_date, hhmm, instant_in_france, iso, long_date, monday_of, parse_iso, today_in_france,
};
use cartable_core::directory::{DirectoryRead, Login};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html};
use cartable_web::state::AppState;
use serde::Deserialize;
use time::Duration;

use crate::book::{bookable, is_manager};
use crate::model::Status;
use crate::templates::{DayView, GridPage};
use crate::{ID, store};

#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    semaine: Option<String>,
}

fn hm(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .map(cartable_core::dates::in_france)
        .map(|t| hhmm(u16::from(t.hour()) * 60 + u16::from(t.minute())))
        .unwrap_or_default()
}

/// `GET /reservations/ressource/{id}?semaine=YYYY-MM-DD`: for those who may book it and the
/// managers.
pub async fn week(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, WebError> {
    let id = *id;
    let rel = state.directory.relations(&m.me.person.login).await?;
    let manager = is_manager(&state, &m.me.person, &rel);
    let resource = if manager {
        state.store.read(move |r| store::resource(r, id)).await?
    } else {
        bookable(&state, &m.me.person)
            .await?
            .into_iter()
            .map(|(r, _)| r)
            .find(|r| r.id == id)
    }
    .ok_or(WebError::NotFound)?;
    let monday = match q.semaine.as_deref() {
        None | Some("") => monday_of(today_in_france(state.clock.now())),
        Some(d) => {
            monday_of(parse_iso(d).ok_or_else(|| WebError::BadRequest(format!("semaine={d}")))?)
        }
    };
    let from = instant_in_france(monday, 0).map_or(0, |t| t.unix_timestamp());
    let to = instant_in_france(monday + Duration::days(7), 0).map_or(0, |t| t.unix_timestamp());
    let room = resource.room.clone();
    let (bookings, courses) = state
        .store
        .read(move |r| {
            let mut courses = Vec::new();
            for d in 0..5 {
                let day = monday + Duration::days(d);
                if !room.is_empty() {
                    for c in r.courses_on(day)?.into_iter().filter(|c| c.room == room) {
                        courses.push((day, c));
                    }
                }
            }
            Ok((store::between(r, id, from, to)?, courses))
        })
        .await?;
    let mut names = std::collections::BTreeMap::new();
    for b in &bookings {
        if !names.contains_key(&b.login)
            && let Ok(l) = Login::parse(&b.login)
        {
            let n = state
                .directory
                .person(&l)
                .await?
                .map_or_else(String::new, |p| p.display_name());
            names.insert(b.login.clone(), n);
        }
    }
    let me = m.me.person.login.to_string();
    let days = (0..5)
        .map(|d| {
            let day = monday + Duration::days(d);
            let start = instant_in_france(day, 0).map_or(0, |t| t.unix_timestamp());
            let end =
                instant_in_france(day + Duration::days(1), 0).map_or(0, |t| t.unix_timestamp());
            let mut entries: Vec<(i64, String, String, Option<i64>)> = courses
                .iter()
                .filter(|(cd, _)| *cd == day)
                .map(|(_, c)| {
                    let s = instant_in_france(day, c.start).map_or(0, |t| t.unix_timestamp());
                    (
                        s,
                        format!("{} – {}", hhmm(c.start), hhmm(c.end)),
                        format!("Cours : {} ({})", c.subject, c.audience),
                        None,
                    )
                })
                .chain(
                    bookings
                        .iter()
                        .filter(|b| b.status != Status::Refused && b.start < end && start < b.end)
                        .map(|b| {
                            let who = names.get(&b.login).cloned().unwrap_or_default();
                            let what = match (b.status, resource.room.is_empty()) {
                                (Status::Waiting, _) => format!("{who} (en attente)"),
                                (_, true) => format!("{who} : {}", b.quantity),
                                _ => who,
                            };
                            let cancel = (manager || b.login == me).then_some(b.id);
                            (
                                b.start,
                                format!("{} – {}", hm(b.start), hm(b.end)),
                                what,
                                cancel,
                            )
                        }),
                )
                .collect();
            entries.sort_by_key(|e| e.0);
            DayView {
                label: day_and_date(day),
                entries: entries.into_iter().map(|(_, t, w, c)| (t, w, c)).collect(),
            }
        })
        .collect();
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&GridPage {
        chrome: &chrome,
        csrf: m.me.csrf.clone(),
        name: resource.name.clone(),
        period: format!("semaine du {}", long_date(monday)),
        prev: format!(
            "/{ID}/ressource/{id}?semaine={}",
            iso(monday - Duration::weeks(1))
        ),
        next: format!(
            "/{ID}/ressource/{id}?semaine={}",
            iso(monday + Duration::weeks(1))
        ),
        days,
    })
}
