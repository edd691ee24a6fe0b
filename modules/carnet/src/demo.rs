//! The demo's carnet: the vie scolaire, the direction, the CDI and the secrétariat show how to
//! reach them; a parent of 6A shows his phone, and so does a pupil of 6A (other pupils still
//! see nothing of either).

use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::Card;
use crate::store;

async fn first(
    state: &AppState,
    profile: Profile,
    class: Option<&str>,
) -> Result<Option<String>, WebError> {
    Ok(state
        .directory
        .search(&PersonQuery {
            profile: Some(profile),
            class: class.and_then(|c| ClassCode::parse(c).ok()),
            per_page: 1,
            ..PersonQuery::default()
        })
        .await?
        .people
        .first()
        .map(|p| p.login.to_string()))
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    if !state.store.read(store::people).await?.is_empty() {
        return Ok(());
    }
    let parent_6a = match first(state, Profile::Eleve, Some("6A")).await? {
        Some(pupil) => {
            let login = cartable_core::directory::Login::parse(&pupil).ok();
            match login {
                Some(l) => state
                    .directory
                    .relations(&l)
                    .await?
                    .parents
                    .first()
                    .map(|p| p.login.to_string()),
                None => None,
            }
        }
        None => None,
    };
    let choices = [
        (
            first(state, Profile::VieScolaire, None).await?,
            true,
            "05 49 00 00 12",
        ),
        (first(state, Profile::Direction, None).await?, true, ""),
        (
            first(state, Profile::Documentaliste, None).await?,
            true,
            "05 49 00 00 15",
        ),
        (
            first(state, Profile::Administratif, None).await?,
            true,
            "05 49 00 00 10",
        ),
        (parent_6a, false, "06 12 34 56 78"),
        (
            first(state, Profile::Eleve, Some("6A")).await?,
            false,
            "06 98 76 54 32",
        ),
    ];
    let now = state.clock.now().unix_timestamp();
    let cards: Vec<Card> = choices
        .into_iter()
        .filter_map(|(login, show_email, phone)| {
            login.map(|login| Card {
                login,
                show_email,
                phone: phone.to_owned(),
                show_phone: !phone.is_empty(),
            })
        })
        .collect();
    state
        .store
        .write(move |w| {
            for c in &cards {
                store::save_card(w, c, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
