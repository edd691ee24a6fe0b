//! Looking people up for a page, as every module needs: names for logins, the pupils of a
//! class or group.

use std::collections::HashMap;

use cartable_core::directory::{
    ClassCode, DirectoryRead, GroupCode, Login, Person, PersonQuery, Profile,
};

use crate::error::WebError;
use crate::state::AppState;

/// Display names by login; a login the annuaire no longer knows stands for itself.
pub async fn names(
    state: &AppState,
    logins: impl Iterator<Item = String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for l in logins {
        if out.contains_key(&l) {
            continue;
        }
        let name = match Login::parse(&l) {
            Ok(login) => state
                .directory
                .person(&login)
                .await
                .ok()
                .flatten()
                .map(|p| p.display_name()),
            Err(_) => None,
        };
        out.insert(l.clone(), name.unwrap_or(l));
    }
    out
}

/// Display names by login for a module's page, the annuaire's failures returned (a page is not
/// shown with wrong names); a login it no longer knows is shown as `gone` (« Ancien membre »),
/// or as itself without.
pub async fn names_of<'a>(
    state: &AppState,
    logins: impl Iterator<Item = &'a str>,
    gone: Option<&str>,
) -> Result<std::collections::BTreeMap<String, String>, WebError> {
    let mut out = std::collections::BTreeMap::new();
    for l in logins {
        if out.contains_key(l) {
            continue;
        }
        let found = match Login::parse(l) {
            Ok(login) => state.directory.person(&login).await?,
            Err(_) => None,
        };
        let name = found.map_or_else(|| gone.unwrap_or(l).to_owned(), |p| p.display_name());
        out.insert(l.to_owned(), name);
    }
    Ok(out)
}

/// The pupils of a class (`is_group` false) or a group, by its code; none for a code the
/// annuaire cannot hold. At most `PersonQuery::MAX_PAGE`.
pub async fn pupils_in(
    state: &AppState,
    code: &str,
    is_group: bool,
) -> Result<Vec<Person>, WebError> {
    let (class, group) = if is_group {
        (None, GroupCode::parse(code).ok())
    } else {
        (ClassCode::parse(code).ok(), None)
    };
    if class.is_none() && group.is_none() {
        return Ok(Vec::new());
    }
    Ok(state
        .directory
        .search(&PersonQuery {
            profile: Some(Profile::Eleve),
            class,
            group,
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        })
        .await?
        .people)
}
