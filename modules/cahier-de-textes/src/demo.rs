//! The demo établissement's cahier, as in mid-term: for every class, the séances of the last
//! three weeks in its main subjects, work due in the days to come, and one séance prepared for
//! tomorrow. A class that already has séances is left alone.

use cartable_core::calendar::SchoolCalendar;
use cartable_core::dates::today_in_france;
use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::{Date, Duration};

use crate::model::{Audience, Draft, Travail};
use crate::store::{self, Filter};

/// A chapter: title, what was done, and the work set after it (text, minutes).
type Lesson = (&'static str, &'static str, Option<(&'static str, u16)>);

/// Per subject, its chapters in order.
const LESSONS: &[(&str, &[Lesson])] = &[
    (
        "Mathématiques",
        &[
            (
                "Les fractions",
                "Comparer des fractions de même dénominateur ; exercices 1 à 4 corrigés en classe.",
                Some(("Exercices 5 et 6 page 48.", 30)),
            ),
            (
                "Les fractions (suite)",
                "Additionner des fractions de même dénominateur.",
                None,
            ),
            (
                "Géométrie : le cercle",
                "Vocabulaire du cercle ; tracés au compas.",
                Some(("Construire la figure de l'exercice 12 page 112.", 20)),
            ),
            (
                "Proportionnalité",
                "Reconnaître un tableau de proportionnalité.",
                Some(("Apprendre la leçon ; exercices 3 et 4 page 71.", 30)),
            ),
        ],
    ),
    (
        "Français",
        &[
            (
                "La lecture du conte",
                "Lecture à voix haute, repérage des étapes du schéma narratif.",
                Some(("Relire le conte et noter les trois épreuves du héros.", 45)),
            ),
            (
                "Grammaire : le sujet",
                "Identifier le sujet du verbe ; sujet inversé.",
                Some(("Exercices 2 à 5 page 156.", 20)),
            ),
            (
                "Écriture",
                "Rédaction d'un début de récit au brouillon.",
                Some(("Recopier le récit au propre (15 lignes).", 40)),
            ),
            ("Vocabulaire", "Les mots de la même famille.", None),
        ],
    ),
    (
        "Histoire-géographie",
        &[
            (
                "Habiter une métropole",
                "Étude de cas : Paris ; croquis de synthèse commencé.",
                Some(("Terminer le croquis (légende et titre).", 30)),
            ),
            (
                "Les premiers États",
                "Frise chronologique ; lecture de documents.",
                Some(("Apprendre les dates de la frise.", 20)),
            ),
            ("Contrôle", "Évaluation sur le chapitre précédent.", None),
        ],
    ),
    (
        "Anglais",
        &[
            (
                "My family",
                "Vocabulaire de la famille ; présentation orale.",
                Some(("Learn the vocabulary list p. 24.", 15)),
            ),
            (
                "Present simple",
                "Règle de formation, exercices à l'oral.",
                Some(("Workbook p. 18, ex. 1 and 2.", 20)),
            ),
            (
                "Listening",
                "Compréhension orale : « At the market ».",
                None,
            ),
        ],
    ),
    (
        "SVT",
        &[
            (
                "Le vivant et son environnement",
                "Sortie dans la cour : relevé des êtres vivants.",
                Some(("Compléter le tableau du relevé.", 20)),
            ),
            (
                "La cellule",
                "Observation au microscope de cellules d'oignon.",
                None,
            ),
        ],
    ),
    (
        "Technologie",
        &[(
            "Les objets techniques",
            "Fonction d'usage et fonction technique.",
            Some(("Finir la fiche d'analyse de l'objet.", 20)),
        )],
    ),
];

/// The last `n` school days before `today` (no week-end, holiday or public holiday),
/// oldest first.
fn last_school_days(cal: &SchoolCalendar, today: Date, n: usize) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = today - Duration::days(1);
    // Bounded: a school year has fewer than 200 school days in 365.
    for _ in 0..400 {
        if out.len() >= n {
            break;
        }
        if cal.closed(d).is_none() {
            out.push(d);
        }
        d -= Duration::days(1);
    }
    out.reverse();
    out
}

/// The next school day after `from`.
fn next_school_day(cal: &SchoolCalendar, from: Date) -> Date {
    let mut d = from + Duration::days(1);
    for _ in 0..60 {
        if cal.closed(d).is_none() {
            break;
        }
        d += Duration::days(1);
    }
    d
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let now = state.clock.now();
    let today = today_in_france(now);
    let at = now.unix_timestamp();
    let cal = state.store.read(|r| r.school_calendar()).await?;
    let days = last_school_days(&cal, today, 15);
    for class in state.directory.classes().await? {
        seed_class(state, &cal, &class.code, &days, today, at).await?;
    }
    Ok(())
}

async fn seed_class(
    state: &AppState,
    cal: &SchoolCalendar,
    class: &ClassCode,
    days: &[Date],
    today: Date,
    at: i64,
) -> Result<(), WebError> {
    let code = class.to_string();
    let filter = Filter {
        audiences: vec![code.clone()],
        ..Filter::default()
    };
    if !state
        .store
        .read(move |r| store::seances(r, &filter))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let teachers = state
        .accounts()
        .list(PersonQuery {
            class: Some(class.clone()),
            profile: Some(Profile::Enseignant),
            ..PersonQuery::default()
        })
        .await?;
    let mut taught = Vec::new();
    for t in &teachers {
        for k in state.directory.relations(&t.login).await?.teachings {
            if &k.class.code == class {
                for s in k.subjects {
                    taught.push((t.login.to_string(), s));
                }
            }
        }
    }
    let mut drafts: Vec<(String, Draft)> = Vec::new();
    for (n, (subject, chapters)) in LESSONS.iter().enumerate() {
        let Some((teacher, _)) = taught.iter().find(|(_, s)| s == subject) else {
            continue;
        };
        // Each subject on its own days, one chapter after the other, the latest chapter in
        // the last days (counted back from yesterday).
        for (k, (title, content, work)) in chapters.iter().enumerate() {
            let back = (n + (chapters.len() - 1 - k) * 4) % days.len();
            let Some(&date) = days.get(days.len() - 1 - back) else {
                continue;
            };
            // Due a few school days after the séance: work set in the last days of the
            // fortnight is still to do, spread over the days to come.
            let due = next_school_day(cal, date + Duration::days(i64::from(n as u8 % 4) + 1));
            drafts.push((
                teacher.clone(),
                Draft {
                    audience: Audience::Class(code.clone()),
                    subject: (*subject).to_owned(),
                    date,
                    title: (*title).into(),
                    content: (*content).into(),
                    publish_on: date,
                    travail: work.map(|(text, minutes)| Travail {
                        // The next school day after the séance: past for most, due in the
                        // days to come for the latest.
                        due,
                        text: text.into(),
                        minutes: Some(minutes),
                    }),
                },
            ));
        }
    }
    // One séance prepared for tomorrow, not yet shown to pupils.
    if let Some((teacher, _)) = taught.iter().find(|(_, s)| s == "Mathématiques") {
        let tomorrow = next_school_day(cal, today);
        drafts.push((
            teacher.clone(),
            Draft {
                audience: Audience::Class(code.clone()),
                subject: "Mathématiques".into(),
                date: tomorrow,
                title: "Chapitre suivant".into(),
                content: "Additionner des fractions de dénominateurs différents.".into(),
                publish_on: tomorrow,
                travail: None,
            },
        ));
    }
    state
        .store
        .write(move |w| {
            for (teacher, d) in &drafts {
                store::save(w, None, teacher, d, at)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
