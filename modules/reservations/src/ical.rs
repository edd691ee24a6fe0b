//! One's bookings in a secret iCal address (the host's `feed`), from a month ago to a year
//! ahead; refused ones left out.

use actix_web::{HttpResponse, web};
use cartable_web::error::WebError;
use cartable_web::module::feed;
use cartable_web::state::AppState;
use icalendar::{Calendar, Component, EventLike};

use crate::model::Status;
use crate::{ID, store};

/// `GET /reservations/ical/{token}`.
pub async fn calendar(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let person = feed::owner(&state, ID, &token).await?;
    let login = person.login.to_string();
    let from = state.clock.now().unix_timestamp() - 30 * 86_400;
    let (mine, resources) = state
        .store
        .read(move |r| Ok((store::of(r, &login, from)?, store::resources(r)?)))
        .await?;
    let mut cal = Calendar::new();
    cal.name(&format!("Réservations — {}", person.display_name()));
    for b in mine.iter().filter(|b| b.status != Status::Refused) {
        let (Some(start), Some(end)) = (
            chrono::DateTime::from_timestamp(b.start, 0),
            chrono::DateTime::from_timestamp(b.end, 0),
        ) else {
            continue;
        };
        let name = resources
            .iter()
            .find(|r| r.id == b.resource)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("reservation-{}@cartable", b.id))
            .summary(&name)
            .description(&b.reason)
            .starts(start)
            .ends(end);
        if b.status == Status::Waiting {
            ev.add_property("STATUS", "TENTATIVE");
        }
        cal.push(ev.done());
    }
    Ok(feed::calendar(cal.done().to_string()))
}
