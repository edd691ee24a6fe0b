//! What the forums keep about a person (« Télécharger mes données ») and what they let go:
//! a subject a year after its last message; a departed person's words.

use cartable_core::dates::french_date_time;
use cartable_core::directory::Person;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::store;

/// A subject goes this long after its last message.
const KEPT_SECONDS: i64 = 365 * 24 * 3600;

pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let written = state
        .store
        .read(move |r| store::written_by(r, &login))
        .await?;
    Ok(serde_json::json!({
        "messages": written
            .iter()
            .map(|(subject, body, at)| serde_json::json!({
                "sujet": subject, "texte": body, "le": french_date_time(*at)
            }))
            .collect::<Vec<_>>(),
    }))
}

pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let before = state.clock.now().unix_timestamp() - KEPT_SECONDS;
    let mut gone = state
        .store
        .write(move |w| store::delete_before(w, before))
        .await?;
    gone += cartable_web::module::forget_departed(state, store::people, store::forget).await?;
    Ok(gone)
}
