//! The demo's notes: for every teacher's class and subject, five évaluations in the last
//! finished period and five in the current one (coefficients 1, 2 and 0,5, a quiz on /10
//! brought back to /20, a formative exercise, a bonus), marked for every pupil, a few absent;
//! the finished period's appréciations, conseils de classe and published bulletins. Seeded
//! once.

use cartable_core::dates::today_in_france;
use cartable_core::directory::{AccountState, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use rust_decimal::Decimal;
use time::{Date, Duration};

use std::collections::BTreeMap;

use crate::average::{Average, Counting, Mark};
use crate::model::Evaluation;
use crate::periods::current;
use crate::results::ClassResults;
use crate::skills::composante_of_subject;
use crate::store;
use crate::store::conseil::Conseil;

/// (title, place in the period in sixths, coefficient in tenths, out of, to /20, counting).
const PLAN: &[(&str, i64, i64, u16, bool, Counting)] = &[
    (
        "Évaluation de début de période",
        1,
        10,
        20,
        true,
        Counting::Always,
    ),
    ("Interrogation écrite", 2, 5, 10, true, Counting::Always),
    (
        "Exercice d'entraînement",
        3,
        10,
        20,
        true,
        Counting::Formative,
    ),
    ("Devoir surveillé", 4, 20, 20, true, Counting::Always),
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

/// The school day on or before `d`, not before `first`.
fn school_day(calendar: &cartable_core::calendar::SchoolCalendar, d: Date, first: Date) -> Date {
    let mut day = d;
    for _ in 0..30 {
        if calendar.closed(day).is_none() {
            return day;
        }
        if day <= first {
            break;
        }
        day -= Duration::days(1);
    }
    d
}

fn appreciation(a: Average) -> &'static str {
    match a {
        Average::Value(v) if v >= Decimal::from(15) => {
            "Excellents résultats, un travail sérieux et régulier. Bravo."
        }
        Average::Value(v) if v >= Decimal::from(12) => "Bon ensemble, continuez ainsi.",
        Average::Value(v) if v >= Decimal::from(9) => {
            "Des résultats corrects ; un travail plus régulier permettrait de progresser."
        }
        Average::Value(_) => "Période difficile : il faut reprendre les bases avec méthode.",
        Average::NotGraded => "",
    }
}

fn avis(a: Average) -> &'static str {
    match a {
        Average::Value(v) if v >= Decimal::from(16) => "Félicitations",
        Average::Value(v) if v >= Decimal::from(14) => "Compliments",
        Average::Value(v) if v >= Decimal::from(12) => "Encouragements",
        _ => "",
    }
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let any = state.store.read(store::pupils).await?;
    if !any.is_empty() {
        return Ok(());
    }
    let today = today_in_france(state.clock.now());
    let periods = state
        .store
        .read(move |r| store::periods::periods(r, today))
        .await?;
    let Some(current) = current(&periods, today).cloned() else {
        return Ok(());
    };
    let previous = periods
        .iter()
        .rev()
        .find(|p| p.last_day < current.first_day)
        .cloned();
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
    let mut principals: BTreeMap<String, String> = BTreeMap::new();
    for t in teachers {
        let rel = state.directory.relations(&t.login).await?;
        for teaching in rel.teachings {
            if teaching.principal {
                principals.insert(teaching.class.code.to_string(), t.login.to_string());
            }
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
    // Five évaluations spread over each period: the finished one, and the current one up to
    // yesterday.
    let mut spans = Vec::new();
    if let Some(p) = &previous {
        spans.push((p.first_day, p.last_day));
    }
    let yesterday = today - Duration::days(1);
    if yesterday >= current.first_day {
        spans.push((current.first_day, yesterday));
    }
    let mut days: Vec<Date> = Vec::new();
    for (first, last) in &spans {
        let length = (*last - *first).whole_days();
        for p in PLAN {
            let d = *first + Duration::days(length * p.1 / 6);
            days.push(school_day(&calendar, d, *first));
        }
    }
    let at = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| {
            for (teacher, class, subject, pupils) in &work {
                for (i, day) in days.iter().enumerate() {
                    let (title, _, coef, out_of, to_twenty, counting) = PLAN[i % PLAN.len()];
                    let e = Evaluation {
                        id: 0,
                        teacher: teacher.clone(),
                        class: class.clone(),
                        is_group: false,
                        subject: subject.clone(),
                        title: title.to_owned(),
                        day: *day,
                        coefficient: Decimal::new(coef, 1),
                        out_of,
                        to_twenty,
                        counting,
                        visible_from: *day,
                        marked: true,
                    };
                    let id = store::create(w, &e, at)?;
                    let grid: Vec<(String, Option<Mark>)> = pupils
                        .iter()
                        .map(|p| (p.clone(), Some(mark_for(p, id, out_of))))
                        .collect();
                    store::save_marks(w, id, &grid, teacher, at)?;
                    // The interrogation assesses the subject's composante, the devoir
                    // surveillé the methods too: levels follow the marks.
                    let skills: Vec<String> = match i % PLAN.len() {
                        1 => vec![composante_of_subject(subject).to_owned()],
                        3 => vec![
                            composante_of_subject(subject).to_owned(),
                            "MET_APP".to_owned(),
                        ],
                        _ => Vec::new(),
                    };
                    if !skills.is_empty() {
                        store::skills::set_skills(w, id, &skills)?;
                        let mut levels = Vec::new();
                        for (p, mark) in &grid {
                            let Some(Mark::Value(v)) = mark else { continue };
                            let on20 = *v * Decimal::from(20) / Decimal::from(out_of);
                            let level = if on20 < Decimal::from(8) {
                                1
                            } else if on20 < Decimal::from(12) {
                                2
                            } else if on20 < Decimal::from(16) {
                                3
                            } else {
                                4
                            };
                            for code in &skills {
                                levels.push((p.clone(), code.clone(), Some(level)));
                            }
                        }
                        store::skills::save_levels(w, id, &levels, teacher, at)?;
                    }
                }
            }
            // The demo's families are not told of a whole term at once.
            store::mark_all_told(w)
        })
        .await?;
    // The last finished period's conseils and bulletins (the current one's if it is the first).
    let period = previous.unwrap_or(current);
    let etablissement = cartable_web::pages::chrome(state, None)
        .await?
        .etablissement;
    for class in state.directory.classes().await? {
        let code = class.code.to_string();
        let (c, from, to) = (code.clone(), period.first_day, period.last_day);
        let evaluations = state
            .store
            .read(move |r| store::of_class(r, &c, from, to, None))
            .await?;
        let results = ClassResults::of(&evaluations);
        let teacher_of: BTreeMap<String, String> = evaluations
            .iter()
            .map(|(e, _)| (e.subject.clone(), e.teacher.clone()))
            .collect();
        let pp = principals
            .get(&code)
            .cloned()
            .unwrap_or_else(|| "direction".to_owned());
        let pos = period.position;
        state
            .store
            .write(move |w| {
                let mut conseils = Vec::new();
                for (pupil, subjects) in &results.by_pupil {
                    for (subject, a) in subjects {
                        let text = appreciation(*a);
                        if let (false, Some(t)) = (text.is_empty(), teacher_of.get(subject)) {
                            store::conseil::set_appreciations(
                                w,
                                pos,
                                subject,
                                &[(pupil.clone(), text.to_owned())],
                                t,
                                at,
                            )?;
                        }
                    }
                    let general = results.general(pupil);
                    conseils.push((
                        pupil.clone(),
                        Conseil {
                            synthese: appreciation(general).to_owned(),
                            cpe: String::new(),
                            avis: avis(general).to_owned(),
                        },
                    ));
                }
                store::conseil::set_conseils(w, pos, &conseils, &pp, at)?;
                Ok(())
            })
            .await?;
        crate::bulletins::generate(state, &class, &period, &etablissement, "direction").await?;
        let publish_from = (period.last_day + Duration::days(7)).min(today);
        state
            .store
            .write(move |w| store::bulletins::publish(w, pos, &code, publish_from, "direction"))
            .await?;
    }
    Ok(())
}
