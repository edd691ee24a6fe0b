//! Who a person is to the médiacentre, from the annuaire; the classes' labels.

use std::collections::BTreeMap;

use cartable_core::authz::{Actor, Target};
use cartable_core::directory::{DirectoryRead, Person, Relations};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::Viewer;

pub fn viewer(state: &AppState, person: &Person, rel: &Relations) -> Viewer {
    let actor = Actor {
        person,
        relations: rel,
    };
    Viewer {
        login: person.login.to_string(),
        profile: Some(person.profile),
        classes: rel.classes.iter().map(|c| c.code.to_string()).collect(),
        teaches: rel
            .teachings
            .iter()
            .map(|t| t.class.code.to_string())
            .collect(),
        manages: state
            .policy
            .allowed(&actor, crate::manage(), &Target::Etablissement),
    }
}

pub async fn me(state: &AppState, person: &Person) -> Result<Viewer, WebError> {
    let rel = state.directory.relations(&person.login).await?;
    Ok(viewer(state, person, &rel))
}

/// « 6e A » by class code, every class of the établissement.
pub async fn class_labels(state: &AppState) -> Result<BTreeMap<String, String>, WebError> {
    Ok(state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect())
}
