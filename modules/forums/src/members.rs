//! Who a person is to the forums, from the annuaire; the names shown; the moderators to tell.

use std::collections::BTreeMap;

use cartable_core::authz::{Actor, Target};
use cartable_core::directory::{
    ClassCode, DirectoryRead, GroupCode, Person, PersonQuery, Profile, Relations,
};
use cartable_core::notify::Recipient;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{Forum, Member};
use crate::{messages, moderate_all};

pub fn member(state: &AppState, person: &Person, rel: &Relations) -> Member {
    let actor = Actor {
        person,
        relations: rel,
    };
    Member {
        login: person.login.to_string(),
        profile: Some(person.profile),
        classes: rel.classes.iter().map(|c| c.code.to_string()).collect(),
        teaches: rel
            .teachings
            .iter()
            .map(|t| t.class.code.to_string())
            .collect(),
        groups: rel.groups.iter().map(|g| g.code.to_string()).collect(),
        moderates_all: state
            .policy
            .allowed(&actor, moderate_all(), &Target::Etablissement),
    }
}

pub async fn me(state: &AppState, person: &Person) -> Result<Member, WebError> {
    let rel = state.directory.relations(&person.login).await?;
    Ok(member(state, person, &rel))
}

/// Each forum's name: « 6e A », « Latin 4e ».
pub async fn labels(state: &AppState) -> Result<BTreeMap<String, String>, WebError> {
    let mut out = BTreeMap::new();
    for c in state.directory.classes().await? {
        out.insert(Forum::Class(c.code.to_string()).key(), c.label);
    }
    for g in state.directory.groups().await? {
        out.insert(Forum::Group(g.code.to_string()).key(), g.label);
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

/// Who moderates a forum and is told of a report: its teachers (a class's) or staff members
/// (a group's), and the vie scolaire.
pub async fn moderators(state: &AppState, forum: &Forum) -> Result<Vec<Recipient>, WebError> {
    let query = match forum {
        Forum::Class(c) => PersonQuery {
            class: ClassCode::parse(c).ok(),
            profile: Some(Profile::Enseignant),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        },
        Forum::Group(g) => PersonQuery {
            group: GroupCode::parse(g).ok(),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        },
    };
    let mut out: Vec<Recipient> = state
        .directory
        .search(&query)
        .await?
        .people
        .iter()
        .filter(|p| !matches!(p.profile, Profile::Eleve | Profile::Responsable))
        .map(Recipient::of)
        .collect();
    out.extend(
        state
            .directory
            .search(&PersonQuery {
                profile: Some(Profile::VieScolaire),
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            })
            .await?
            .people
            .iter()
            .map(Recipient::of),
    );
    Ok(out)
}
