//! Who a person is to the blogs, from the annuaire; names; the places' labels.

use std::collections::BTreeMap;

use cartable_core::authz::{Actor, Target};
use cartable_core::directory::{DirectoryRead, Person, Relations};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::messages;
use crate::model::{Place, Reader};

pub fn reader(state: &AppState, person: &Person, rel: &Relations) -> Reader {
    let actor = Actor {
        person,
        relations: rel,
    };
    Reader {
        login: person.login.to_string(),
        profile: Some(person.profile),
        classes: rel.classes.iter().map(|c| c.code.to_string()).collect(),
        teaches: rel
            .teachings
            .iter()
            .map(|t| t.class.code.to_string())
            .collect(),
        groups: rel.groups.iter().map(|g| g.code.to_string()).collect(),
        children_classes: rel
            .children
            .iter()
            .filter_map(|c| c.class.as_ref().map(|k| k.code.to_string()))
            .collect(),
        moderates_all: state
            .policy
            .allowed(&actor, crate::moderate_all(), &Target::Etablissement),
    }
}

pub async fn me(state: &AppState, person: &Person) -> Result<Reader, WebError> {
    let rel = state.directory.relations(&person.login).await?;
    Ok(reader(state, person, &rel))
}

/// « 6e A », « Latin 4e », by place key.
pub async fn labels(state: &AppState) -> Result<BTreeMap<String, String>, WebError> {
    let mut out = BTreeMap::new();
    for c in state.directory.classes().await? {
        out.insert(Place::Class(c.code.to_string()).key(), c.label);
    }
    for g in state.directory.groups().await? {
        out.insert(Place::Group(g.code.to_string()).key(), g.label);
    }
    Ok(out)
}

/// Display names of `logins`; one gone from the annuaire is « Ancien membre ».
pub async fn names(
    state: &AppState,
    logins: impl Iterator<Item = &str>,
) -> Result<BTreeMap<String, String>, WebError> {
    cartable_web::people::names_of(state, logins, Some(messages::FORMER_MEMBER)).await
}
