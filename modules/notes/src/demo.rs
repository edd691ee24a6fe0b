//! The demo's notes: for every teacher's class and subject, five évaluations over the last six
//! weeks (coefficients 1, 2 and 0,5, a quiz on /10 brought back to /20, a formative exercise),
//! marked for every pupil, a few absent. Seeded once.

use cartable_core::dates::today_in_france;
use cartable_core::directory::{AccountState, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use rust_decimal::Decimal;
use time::Duration;

use crate::average::{Counting, Mark};
use crate::model::Evaluation;
use crate::store;

/// (title, days ago, coefficient in tenths, out of, to /20, counting).
const PLAN: &[(&str, i64, i64, u16, bool, Counting)] = &[
    (
        "Évaluation de début de période",
        40,
        10,
        20,
        true,
        Counting::Always,
    ),
    ("Interrogation écrite", 30, 5, 10, true, Counting::Always),
    (
        "Exercice d'entraînement",
        20,
        10,
        20,
        true,
        Counting::Formative,
    ),
    ("Devoir surveillé", 12, 20, 20, true, Counting::Always),
    ("Exposé (bonus)", 5, 10, 20, true, Counting::IfItRaises),
];

/// A steady pseudo-random mark in half points for a pupil and an évaluation.
fn mark_for(login: &str, eval: i64, out_of: u16) -> Mark {
    let h = login.bytes().fold(eval as u64 * 2_654_435_761, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    });
    if h % 23 == 0 {
        return Mark::Absent;
    }
    // Each pupil has a level (8 to 17 on /20), each mark wanders around it.
    let level = 8 + login.bytes().map(u64::from).sum::<u64>() % 10;
    let spread = (h >> 8) % 9;
    let on20 = (level + spread).saturating_sub(4).min(20);
    let halves = on20 * 2 * u64::from(out_of) / 20;
    Mark::Value(Decimal::new(halves as i64 * 5, 1))
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let any = state.store.read(store::pupils).await?;
    if !any.is_empty() {
        return Ok(());
    }
    let today = today_in_france(state.clock.now());
    let teachers = state
        .directory
        .search(&PersonQuery {
            profile: Some(Profile::Enseignant),
            state: Some(AccountState::Active),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        })
        .await?
        .people;
    let mut work = Vec::new();
    for t in teachers {
        let rel = state.directory.relations(&t.login).await?;
        for teaching in rel.teachings {
            let pupils =
                cartable_web::people::pupils_in(state, teaching.class.code.as_str(), false).await?;
            let logins: Vec<String> = pupils.iter().map(|p| p.login.to_string()).collect();
            for subject in teaching.subjects {
                work.push((
                    t.login.to_string(),
                    teaching.class.code.to_string(),
                    subject,
                    logins.clone(),
                ));
            }
        }
    }
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    // Each évaluation on a school day, the closest one before its place in the plan.
    let days: Vec<time::Date> = PLAN
        .iter()
        .map(|p| {
            let mut d = today - Duration::days(p.1);
            for _ in 0..30 {
                if calendar.closed(d).is_none() {
                    break;
                }
                d -= Duration::days(1);
            }
            d
        })
        .collect();
    let at = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| {
            for (teacher, class, subject, pupils) in &work {
                for ((title, _, coef, out_of, to_twenty, counting), day) in PLAN.iter().zip(&days) {
                    let day = *day;
                    let e = Evaluation {
                        id: 0,
                        teacher: teacher.clone(),
                        class: class.clone(),
                        subject: subject.clone(),
                        title: (*title).to_owned(),
                        day,
                        coefficient: Decimal::new(*coef, 1),
                        out_of: *out_of,
                        to_twenty: *to_twenty,
                        counting: *counting,
                        visible_from: day,
                    };
                    let id = store::create(w, &e, at)?;
                    let grid: Vec<(String, Option<Mark>)> = pupils
                        .iter()
                        .map(|p| (p.clone(), Some(mark_for(p, id, *out_of))))
                        .collect();
                    store::save_marks(w, id, &grid, teacher, at)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(())
}
