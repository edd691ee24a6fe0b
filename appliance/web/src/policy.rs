//! Handlers' side of authorization: who the signed-in person is towards a target, asked of
//! `cartable_core::authz` — the one policy. A person the actor may not even see is "not
//! found", so a changed id in a URL reveals nothing.

use cartable_core::authz::{self, Action, Actor, Target};
use cartable_core::directory::{ClassCode, DirectoryRead, Login, Person, Relations};

use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;

/// The signed-in person with their relations, as the policy needs them.
pub struct Me {
    pub person: Person,
    pub relations: Relations,
    policy: std::sync::Arc<authz::Policy>,
}

impl Me {
    pub async fn of(state: &AppState, me: &SignedIn) -> Result<Self, WebError> {
        // Without the annuaire, no relation: only what the profile itself allows.
        let relations = if me.annuaire_down {
            Relations::default()
        } else {
            state.directory.relations(&me.person.login).await?
        };
        Ok(Self {
            relations,
            person: me.person.clone(),
            policy: state.policy.clone(),
        })
    }

    pub fn actor(&self) -> Actor<'_> {
        Actor {
            person: &self.person,
            relations: &self.relations,
        }
    }

    pub fn may(&self, action: Action, target: &Target<'_>) -> bool {
        self.policy.allowed(&self.actor(), action, target)
    }

    pub fn require(&self, action: Action, target: &Target<'_>) -> Result<(), WebError> {
        if self.may(action, target) {
            Ok(())
        } else {
            tracing::warn!(login = %self.person.login, ?action, "refused by the policy");
            Err(WebError::Forbidden)
        }
    }
}

/// The RUPN's pages (console, calendar, établissement): refused to anyone else.
pub async fn require_rupn(state: &AppState, me: &SignedIn) -> Result<(), WebError> {
    Me::of(state, me)
        .await?
        .require(Action::Administer, &Target::Etablissement)
}

/// A person the actor may see, with their relations; otherwise not found.
pub async fn visible_person(
    state: &AppState,
    me: &Me,
    login: &str,
) -> Result<(Person, Relations), WebError> {
    let login = Login::parse(login).map_err(|_| WebError::NotFound)?;
    let person = state
        .directory
        .person(&login)
        .await?
        .ok_or(WebError::NotFound)?;
    let relations = state.directory.relations(&login).await?;
    if !me.may(Action::ViewPerson, &Target::Person(&person, &relations)) {
        return Err(WebError::NotFound);
    }
    Ok((person, relations))
}

/// Which of these people's pages and classes the actor may open: the keys (logins, class
/// codes) a page may show as links; the others are shown as plain text.
pub async fn openable(
    state: &AppState,
    me: &Me,
    people: impl IntoIterator<Item = &Login>,
    classes: impl IntoIterator<Item = &ClassCode>,
) -> Result<std::collections::BTreeSet<String>, WebError> {
    let mut out = std::collections::BTreeSet::new();
    for login in people {
        if let Some(person) = state.directory.person(login).await? {
            let relations = state.directory.relations(login).await?;
            if me.may(Action::ViewPerson, &Target::Person(&person, &relations)) {
                out.insert(login.to_string());
            }
        }
    }
    for class in classes {
        if me.may(Action::ViewClass, &Target::Class(class)) {
            out.insert(class.as_str().to_owned());
        }
    }
    Ok(out)
}

/// A class that exists, by code; otherwise not found.
pub async fn existing_class(
    state: &AppState,
    code: &str,
) -> Result<cartable_core::directory::ClassRef, WebError> {
    let code = ClassCode::parse(code).map_err(|_| WebError::NotFound)?;
    state
        .directory
        .classes()
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(WebError::NotFound)
}
