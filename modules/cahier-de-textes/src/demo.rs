//! The demo établissement's cahier: for 6A, the last school day's mathematics and French
//! séances, with work due tomorrow and next week, and one séance prepared for tomorrow.

use cartable_core::dates::today_in_france;
use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::Duration;

use crate::model::{Audience, Draft, Travail};
use crate::store::{self, Filter};

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let filter = Filter {
        audiences: vec!["6A".into()],
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
    let Ok(class) = ClassCode::parse("6A") else {
        return Ok(());
    };
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
            if k.class.code == class {
                for s in k.subjects {
                    taught.push((t.login.to_string(), s));
                }
            }
        }
    }
    let now = state.clock.now();
    let today = today_in_france(now);
    let at = now.unix_timestamp();
    // The last school day before today.
    let mut last = today - Duration::days(1);
    while matches!(
        last.weekday(),
        time::Weekday::Saturday | time::Weekday::Sunday
    ) {
        last -= Duration::days(1);
    }
    let lessons = [
        (
            "Mathématiques",
            "Chapitre 3 : les fractions",
            "Comparer des fractions de même dénominateur ; exercices 1 à 4 corrigés en classe.",
            Some(("Exercices 5 et 6 page 48.", 1, 30)),
        ),
        (
            "Français",
            "La lecture du conte",
            "Lecture à voix haute du « Petit Poucet », repérage des étapes du schéma narratif.",
            Some((
                "Relire le conte et noter les trois épreuves du héros.",
                7,
                45,
            )),
        ),
    ];
    let drafts: Vec<(String, Draft)> = lessons
        .into_iter()
        .filter_map(|(subject, title, content, work)| {
            let (teacher, _) = taught.iter().find(|(_, s)| s == subject)?;
            let date = last;
            Some((
                teacher.clone(),
                Draft {
                    audience: Audience::Class("6A".into()),
                    subject: subject.to_owned(),
                    date,
                    title: title.into(),
                    content: content.into(),
                    publish_on: date,
                    travail: work.map(|(text, days, minutes)| Travail {
                        due: today + Duration::days(days),
                        text: text.into(),
                        minutes: Some(minutes),
                    }),
                },
            ))
        })
        .collect();
    let prepared = drafts
        .first()
        .map(|(teacher, d)| (teacher, d.subject.clone()))
        .map(|(teacher, subject)| {
            (
                teacher.clone(),
                Draft {
                    audience: Audience::Class("6A".into()),
                    subject: subject.clone(),
                    date: today + Duration::days(1),
                    title: "Chapitre 3 (suite)".into(),
                    content: "Additionner des fractions de même dénominateur.".into(),
                    publish_on: today + Duration::days(1),
                    travail: None,
                },
            )
        });
    state
        .store
        .write(move |w| {
            for (teacher, d) in drafts.iter().chain(prepared.iter()) {
                store::save(w, None, teacher, d, at)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
