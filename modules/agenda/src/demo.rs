//! The demo établissement's agenda: a conseil de classe for the staff, a réunion
//! parents-professeurs for the parents of the 6e, a sortie for 6A and its parents, the
//! journée portes ouvertes for everyone — in the coming days.

use cartable_core::dates::today_in_france;
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::Duration;

use crate::model::{Audience, Event};
use crate::store;

/// A school day: a Sunday moves to the Monday after (Saturday mornings are school time for
/// portes ouvertes).
fn weekday(d: time::Date) -> time::Date {
    if d.weekday() == time::Weekday::Sunday {
        d + Duration::days(1)
    } else {
        d
    }
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let now = state.clock.now();
    let today = today_in_france(now);
    let existing = state
        .store
        .read(move |r| store::between(r, today - Duration::days(365), today + Duration::days(365)))
        .await?;
    if !existing.is_empty() {
        return Ok(());
    }
    let event = |days: i64,
                 times: Option<(u16, u16)>,
                 title: &str,
                 place: &str,
                 audiences: Vec<Audience>| Event {
        id: 0,
        owner: None,
        title: title.into(),
        place: place.into(),
        description: String::new(),
        day: weekday(today + Duration::days(days)),
        times,
        author: "demo".into(),
        audiences,
    };
    let events = vec![
        event(
            3,
            Some((1050, 1170)),
            "Conseil de classe de 6e A",
            "Salle des professeurs",
            vec![Audience::Staff],
        ),
        event(
            8,
            Some((1080, 1230)),
            "Réunion parents-professeurs des 6e",
            "Réfectoire",
            vec![
                Audience::Parents("6A".into()),
                Audience::Parents("6B".into()),
            ],
        ),
        event(
            10,
            None,
            "Sortie au musée des Beaux-Arts",
            "Départ devant le collège à 8h30",
            vec![Audience::Class("6A".into()), Audience::Parents("6A".into())],
        ),
        event(
            20,
            Some((540, 720)),
            "Journée portes ouvertes",
            "Tout le collège",
            vec![Audience::Everyone],
        ),
    ];
    let at = now.unix_timestamp();
    state
        .store
        .write(move |w| {
            for e in &events {
                store::add(w, e, at)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
