//! Telling people: the managers of a booking to validate, its author of the decision.

use cartable_core::directory::{DirectoryRead, Login, PersonQuery, Profile};
use cartable_core::notify::{Notice, Recipient};
use cartable_web::state::AppState;

use crate::model::{Booking, Resource};
use crate::{DECIDED_KIND, ID, WAITING_KIND, book};

async fn send(state: &AppState, to: Vec<Recipient>, notice: Notice) {
    match state.notifier.send(to, notice).await {
        Ok(t) => tracing::info!(notifications = t.notifications, "notification envoyée"),
        Err(e) => tracing::warn!("notification : {e}"),
    }
}

/// The direction and the RUPN, who validate bookings.
pub async fn to_managers(state: &AppState, resource: &Resource, first: i64) {
    let mut to = Vec::new();
    for profile in [Profile::Direction, Profile::Admin] {
        if let Ok(page) = state
            .directory
            .search(&PersonQuery {
                profile: Some(profile),
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            })
            .await
        {
            to.extend(page.people.iter().map(Recipient::of));
        }
    }
    send(
        state,
        to,
        Notice {
            kind: &WAITING_KIND,
            key: format!("reservation-a-valider-{first}"),
            title: format!("{} : réservation à valider", resource.name),
            body: String::new(),
            link: Some(format!("/{ID}/a-valider")),
        },
    )
    .await;
}

/// Its author is told of the manager's decision.
pub async fn decided(state: &AppState, b: &Booking, resource: &str, accepted: bool) {
    let Ok(l) = Login::parse(&b.login) else {
        return;
    };
    let Ok(Some(p)) = state.directory.person(&l).await else {
        return;
    };
    let verdict = if accepted { "validée" } else { "refusée" };
    send(
        state,
        vec![Recipient::of(&p)],
        Notice {
            kind: &DECIDED_KIND,
            key: format!("reservation-decision-{}", b.id),
            title: format!(
                "Réservation {verdict} : {resource}, {}",
                book::when(b.start, b.end)
            ),
            body: if accepted {
                String::new()
            } else {
                format!("Motif : {}", b.refusal)
            },
            link: Some(format!("/{ID}")),
        },
    )
    .await;
}
