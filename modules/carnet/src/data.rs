//! What the carnet keeps about a person (« Télécharger mes données »): his card; a departed
//! person's card goes.

use cartable_core::directory::Person;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::store;

pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let card = state.store.read(move |r| store::card(r, &login)).await?;
    Ok(match card {
        Some(c) => serde_json::json!({
            "montrer_email": c.show_email,
            "telephone": c.phone,
            "montrer_telephone": c.show_phone,
        }),
        None => serde_json::json!({}),
    })
}

pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    cartable_web::module::forget_departed(state, store::people, store::forget).await
}
