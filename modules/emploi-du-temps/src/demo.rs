//! The demo établissement's timetable, built from its annuaire: each class's teachers and
//! subjects laid out in a collège's week (no teacher in two places), the LV2 and Latin
//! groups, weeks A/B from the start of the school year, and this week's two changes.

use std::collections::HashSet;

use cartable_core::directory::{DirectoryRead, GroupKind, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::{Date, Duration, Month};

use crate::model::{Audience, Change, ChangeKind, NewCourse, Weeks, monday_of};
use crate::store;

/// Start times of the day's hours; Wednesday afternoon is free.
const HOURS: [u16; 7] = [480, 540, 615, 675, 810, 870, 930];

/// Hours a week by subject (a collège's usual load, rounded).
fn hours(subject: &str) -> u8 {
    match subject {
        "Français" | "Mathématiques" => 4,
        "Histoire-géographie" | "Anglais" | "EPS" => 3,
        "Physique-chimie" | "SVT" | "Technologie" => 1,
        _ => 1,
    }
}

fn room(subject: &str, class: &str) -> String {
    match subject {
        "SVT" | "Physique-chimie" => "Labo 1".into(),
        "EPS" => "Gymnase".into(),
        "Technologie" => "Salle info".into(),
        "Arts plastiques" => "Arts".into(),
        "Éducation musicale" => "Musique".into(),
        _ => format!(
            "S{}",
            class
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        ),
    }
}

/// Slot `k` of the week: (day, start).
fn slot(k: usize) -> Option<(u8, u16)> {
    let day = u8::try_from(k % 5 + 1).ok()?;
    let h = k / 5;
    let start = *HOURS.get(h)?;
    (day != 3 || start < 720).then_some((day, start))
}

/// The Monday of the first week of the school year holding `today` (September).
fn school_year_start(today: Date) -> Date {
    let year = if today.month() as u8 >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    let first = Date::from_calendar_date(year, Month::September, 1).unwrap_or(today);
    let m = monday_of(first);
    if m < first { m + Duration::weeks(1) } else { m }
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let existing = state.store.read(store::courses).await?;
    if !existing.is_empty() {
        return Ok(());
    }
    let teachers = state
        .accounts()
        .list(PersonQuery {
            profile: Some(Profile::Enseignant),
            ..PersonQuery::default()
        })
        .await?;
    let mut teaching = Vec::new();
    for t in &teachers {
        for k in state.directory.relations(&t.login).await?.teachings {
            for s in k.subjects {
                teaching.push((k.class.code.to_string(), s, t.login.to_string()));
            }
        }
    }
    teaching.sort();
    let mut busy_teacher: HashSet<(String, usize)> = HashSet::new();
    let mut busy_class: HashSet<(String, usize)> = HashSet::new();
    let mut courses = Vec::new();
    // Groups first (LV2 of a level share a slot so the classes can be split).
    let groups: Vec<_> = state
        .directory
        .groups()
        .await?
        .into_iter()
        .filter(|g| g.kind == GroupKind::Groupe)
        .collect();
    let mut k0 = 20;
    for g in &groups {
        let members = state
            .accounts()
            .list(PersonQuery {
                group: Some(g.code.clone()),
                ..PersonQuery::default()
            })
            .await?;
        let teacher: Vec<String> = members
            .iter()
            .filter(|p| p.profile == Profile::Enseignant)
            .map(|p| p.login.to_string())
            .take(1)
            .collect();
        let level: String = g.code.to_string().chars().take(1).collect();
        let n = if g.code.as_str().ends_with("LAT") {
            1
        } else {
            2
        };
        for i in 0..n {
            let k = k0 + i * 7;
            let Some((day, start)) = slot(k) else {
                continue;
            };
            for c in ["A", "B"] {
                busy_class.insert((format!("{level}{c}"), k));
            }
            for t in &teacher {
                busy_teacher.insert((t.clone(), k));
            }
            courses.push(NewCourse {
                day,
                start,
                end: start + 55,
                weeks: Weeks::Every,
                subject: g.label.clone(),
                teachers: teacher.clone(),
                audience: Audience::Group(g.code.to_string()),
                room: format!("S{}", g.code),
            });
        }
        k0 += 1;
    }
    for (class, subject, teacher) in &teaching {
        let mut placed = 0;
        // Spread a subject over the week: start on a different day per subject.
        let mut k = usize::from(subject.len() as u8 % 5);
        while placed < hours(subject) && k < 35 {
            if let Some((day, start)) = slot(k)
                && !busy_class.contains(&(class.clone(), k))
                && !busy_teacher.contains(&(teacher.clone(), k))
                && !courses.iter().any(|c: &NewCourse| {
                    c.day == day
                        && c.subject == *subject
                        && c.audience == Audience::Class(class.clone())
                })
            {
                busy_class.insert((class.clone(), k));
                busy_teacher.insert((teacher.clone(), k));
                courses.push(NewCourse {
                    day,
                    start,
                    end: start + 55,
                    weeks: Weeks::Every,
                    subject: subject.clone(),
                    teachers: vec![teacher.clone()],
                    audience: Audience::Class(class.clone()),
                    room: room(subject, class),
                });
                placed += 1;
            }
            k += 1;
        }
    }
    let now = state.clock.now();
    let today = cartable_core::dates::today_in_france(now);
    let reference = school_year_start(today);
    let at = now.unix_timestamp();
    state
        .store
        .write(move |w| {
            store::replace_all(w, &courses)?;
            store::set_reference_a(w, reference)?;
            // This week: 6A's first Tuesday course is cancelled, its Thursday one moves.
            let all = store::courses(w)?;
            let monday = monday_of(today);
            let first = |day: u8| {
                all.iter()
                    .filter(|c| c.day == day && c.audience == Audience::Class("6A".into()))
                    .min_by_key(|c| c.start)
            };
            if let Some(c) = first(2) {
                store::set_change(
                    w,
                    &Change {
                        course_id: c.id,
                        date: monday + Duration::days(1),
                        kind: ChangeKind::Cancelled,
                        note: "Sortie au musée".into(),
                    },
                    "demo",
                    at,
                )?;
            }
            if let Some(c) = first(4) {
                store::set_change(
                    w,
                    &Change {
                        course_id: c.id,
                        date: monday + Duration::days(3),
                        kind: ChangeKind::Room("B12".into()),
                        note: String::new(),
                    },
                    "demo",
                    at,
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
