//! The demo's vie scolaire: a school morning at 10:00 — the appels of the first hours taken
//! (a few absents and retards, their families told), some of 9:00 still to take, and a
//! parent's justification waiting for the CPE. Seeded once per day, on the last school day.

use cartable_core::dates::{day_and_date, hhmm, iso, today_in_france};
use cartable_core::directory::DirectoryRead;
use cartable_core::notify::{Notice, audience};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::{Date, Duration};

use crate::model::{Half, Mark, MarkKind};
use crate::{ABSENCE_KIND, ID, messages, store};

/// The demo's morning: appels starting before this are taken, those of the last hour partly.
const TEN: u16 = 10 * 60;
const NINE: u16 = 9 * 60;

async fn school_day(state: &AppState) -> Result<Date, WebError> {
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    let mut day = today_in_france(state.clock.now());
    for _ in 0..30 {
        if calendar.closed(day).is_none() {
            return Ok(day);
        }
        day -= Duration::days(1);
    }
    Ok(day)
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let day = school_day(state).await?;
    let courses = state.store.read(move |r| r.courses_on(day)).await?;
    let all = courses.clone();
    state
        .store
        .write(move |w| store::ensure_day(w, day, &all, None))
        .await?;
    let appels = state
        .store
        .read(move |r| store::appels_of_day(r, day))
        .await?;
    if appels.iter().any(|a| a.version > 0) {
        return Ok(());
    }
    let mut justified = false;
    for (n, a) in appels.iter().filter(|a| a.start < TEN).enumerate() {
        // The 9:00 appels of every other class are still to take.
        if a.start >= NINE && n % 2 == 1 {
            continue;
        }
        let pupils = crate::pages::pupils_of(state, a).await?;
        let mut marks = Vec::new();
        // One absent in most classes (the same pupil all morning), a retard now and then.
        if !pupils.is_empty() && n % 3 != 2 {
            let p = &pupils[(a.audience.len() * 7) % pupils.len()];
            marks.push(Mark {
                pupil: p.login.to_string(),
                kind: MarkKind::Absent,
                minutes: None,
                note: String::new(),
            });
        }
        if pupils.len() > 3 && n % 4 == 1 {
            let p = &pupils[(a.audience.len() * 3 + 1) % pupils.len()];
            if !marks.iter().any(|m| m.pupil == p.login.as_str()) {
                marks.push(Mark {
                    pupil: p.login.to_string(),
                    kind: MarkKind::Retard,
                    minutes: Some(5 + (n as u16 % 3) * 5),
                    note: String::new(),
                });
            }
        }
        let (id, teacher, listed, written) = (a.id, a.teacher.clone(), pupils.len(), marks.clone());
        let at = cartable_core::dates::instant_in_france(day, a.start + 7)
            .map(|t| t.unix_timestamp())
            .unwrap_or_default();
        state
            .store
            .write(move |w| store::take(w, id, &teacher, at, listed, &written))
            .await?;
        for mk in &marks {
            let Some(p) = pupils.iter().find(|p| p.login.as_str() == mk.pupil) else {
                continue;
            };
            let half = Half::of(a.start);
            let when = format!("{}, {}", day_and_date(day), half.label());
            let (key, title) = match mk.kind {
                MarkKind::Absent => (
                    format!("vs:absence:{}:{}:{}", p.login, iso(day), half.as_str()),
                    messages::absence_title(&p.display_name(), &when),
                ),
                _ => (
                    format!("vs:retard:{}:{}:{}", p.login, iso(day), half.as_str()),
                    messages::retard_title(&p.display_name(), mk.minutes.unwrap_or(5), &when),
                ),
            };
            let to = audience::pupil_and_parents(&state.directory, p).await?;
            state
                .notifier
                .send(
                    to,
                    Notice {
                        kind: &ABSENCE_KIND,
                        key,
                        title,
                        body: messages::mark_body(&a.subject, &hhmm(a.start)),
                        link: Some(format!("/{ID}/eleve/{}", p.login)),
                    },
                )
                .await?;
            // The first absent pupil's parent has already sent the reason.
            if mk.kind == MarkKind::Absent && !justified {
                let parents = state.directory.relations(&p.login).await?.parents;
                if let Some(parent) = parents.first() {
                    let (pupil, by) = (p.login.to_string(), parent.login.to_string());
                    state
                        .store
                        .write(move |w| {
                            store::justify(
                                w,
                                &store::NewJustification {
                                    pupil: &pupil,
                                    day,
                                    half,
                                    motif: "rendez-vous-medical",
                                    message: messages::DEMO_JUSTIFICATION,
                                    piece: None,
                                    by: &by,
                                    at,
                                },
                            )
                        })
                        .await?;
                    justified = true;
                }
            }
        }
    }
    seed_presence(state, day, &courses).await
}

/// A class out on a sortie that afternoon, and a pupil dispensed from EPS for three weeks.
async fn seed_presence(
    state: &AppState,
    day: Date,
    courses: &[cartable_core::store::CourseRow],
) -> Result<(), WebError> {
    let mut classes = state.directory.classes().await?;
    classes.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
    let by = state
        .directory
        .search(&cartable_core::directory::PersonQuery {
            profile: Some(cartable_core::directory::Profile::VieScolaire),
            ..Default::default()
        })
        .await?
        .people
        .into_iter()
        .next()
        .map(|p| p.login.to_string())
        .unwrap_or_default();
    let at = cartable_core::dates::instant_in_france(day, 8 * 60)
        .map(|t| t.unix_timestamp())
        .unwrap_or_default();
    if let Some(c) = classes.last() {
        let pupils: Vec<String> = class_pupils(state, &c.code).await?;
        let audience = c.code.to_string();
        let by = by.clone();
        state
            .store
            .write(move |w| {
                crate::presence::add_sortie(
                    w,
                    &crate::presence::NewSortie {
                        label: messages::DEMO_SORTIE,
                        audience: &audience,
                        is_group: false,
                        from: (day, 13 * 60 + 30),
                        to: (day, 17 * 60),
                        pupils: &pupils,
                        by: &by,
                        at,
                    },
                )
            })
            .await?;
    }
    // A pupil of a class with EPS in the timetable.
    let eps = courses.iter().find(|c| c.subject == "EPS" && !c.group);
    if let Some(course) = eps
        && let Ok(code) = cartable_core::directory::ClassCode::parse(&course.audience)
        && let Some(pupil) = class_pupils(state, &code).await?.into_iter().nth(1)
    {
        state
            .store
            .write(move |w| {
                crate::presence::add_dispense(
                    w,
                    &crate::presence::NewDispense {
                        pupil: &pupil,
                        subject: "EPS",
                        from: day - Duration::days(7),
                        to: day + Duration::days(14),
                        attendance: false,
                        note: messages::DEMO_DISPENSE,
                        by: &by,
                        at,
                    },
                )
            })
            .await?;
    }
    Ok(())
}

async fn class_pupils(
    state: &AppState,
    code: &cartable_core::directory::ClassCode,
) -> Result<Vec<String>, WebError> {
    Ok(cartable_web::people::pupils_in(state, code.as_str(), false)
        .await?
        .into_iter()
        .map(|p| p.login.to_string())
        .collect())
}
