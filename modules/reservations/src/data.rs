//! The portal's tile, what the module keeps about a person, and what it lets go: bookings a
//! year after their date, a departed person's.

use cartable_core::directory::{Person, Relations};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

use crate::book::{is_manager, when};
use crate::{ID, messages, store};

pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let manager = is_manager(state, person, rel);
    let login = person.login.to_string();
    let now = state.clock.now().unix_timestamp();
    let (next, waiting) = state
        .store
        .read(move |r| {
            Ok((
                store::of(r, &login, now)?.into_iter().next(),
                store::waiting(r)?.len(),
            ))
        })
        .await?;
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: match (manager && waiting > 0, next) {
            (true, _) => messages::waiting(waiting),
            (false, Some(b)) => format!("Prochaine : {}", when(b.start, b.end)),
            (false, None) => messages::TILE.into(),
        },
        href: if manager && waiting > 0 {
            format!("/{ID}/a-valider")
        } else {
            format!("/{ID}")
        },
        icon: "reservations",
    }])
}

pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let mine = state.store.read(move |r| store::of(r, &login, 0)).await?;
    Ok(serde_json::json!({
        "reservations": mine
            .iter()
            .map(|b| serde_json::json!({"quand": when(b.start, b.end), "motif": b.reason}))
            .collect::<Vec<_>>(),
        "abonnement_ical": cartable_web::module::feed::exists(state, ID, &person.login).await?,
    }))
}

pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let before = state.clock.now().unix_timestamp() - 365 * 86_400;
    let mut gone = state
        .store
        .write(move |w| store::delete_before(w, before))
        .await?;
    gone += cartable_web::module::forget_departed(state, store::people, store::forget).await?;
    Ok(gone)
}
