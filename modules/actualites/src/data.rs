//! What the module keeps about a person (« Télécharger mes données ») and what it lets go:
//! items two years after their window closed; the parts and reads of departed people.

use cartable_core::directory::Person;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::{store, window};

/// Days an item is kept after its window closed.
const KEPT_DAYS: i64 = 730;

pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let (written, roles, read) = state
        .store
        .read(move |r| {
            Ok((
                store::written_by(r, &login)?,
                store::roles_of(r, &login)?,
                store::read_among(r, &login)?,
            ))
        })
        .await?;
    Ok(serde_json::json!({
        "actualites_ecrites": written
            .iter()
            .map(|(title, at)| serde_json::json!({"titre": title, "le": window::said(*at)}))
            .collect::<Vec<_>>(),
        "roles_dans_les_rubriques": roles
            .iter()
            .map(|(c, r)| serde_json::json!({"rubrique": c, "role": r.as_str()}))
            .collect::<Vec<_>>(),
        "lectures_confirmees": read.len(),
    }))
}

pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let before = window::after_days(state.clock.now().unix_timestamp(), -KEPT_DAYS);
    let mut gone = state
        .store
        .write(move |w| store::delete_before(w, before))
        .await?;
    gone += cartable_web::module::forget_departed(state, store::people, store::forget).await?;
    Ok(gone)
}
