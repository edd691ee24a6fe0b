//! What the médiacentre keeps about a person (« Télécharger mes données ») and what it lets
//! go: a departed person's signets and favourites.

use cartable_core::dates::french_date_time;
use cartable_core::directory::Person;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::store;

pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let (signets, favorites, resources) = state
        .store
        .read(move |r| {
            Ok((
                store::signets(r, &login, &[])?,
                store::favorites(r, &login)?,
                store::resources(r)?,
            ))
        })
        .await?;
    Ok(serde_json::json!({
        "signets": signets
            .iter()
            .map(|s| serde_json::json!({
                "titre": s.title, "adresse": s.url, "classe": s.class,
                "le": french_date_time(s.created)
            }))
            .collect::<Vec<_>>(),
        "favoris": resources
            .iter()
            .filter(|r| favorites.contains(&r.id))
            .map(|r| serde_json::json!({ "titre": r.title, "adresse": r.url }))
            .collect::<Vec<_>>(),
    }))
}

pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    cartable_web::module::forget_departed(state, store::people, store::forget).await
}
