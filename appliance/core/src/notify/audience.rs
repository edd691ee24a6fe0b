//! Whom to tell about a class or a group: its pupils and their responsables — the legal ones,
//! and the other people in charge when the établissement gave them accounts
//! (`import.personnes_en_charge`).

use crate::Result;
use crate::directory::{
    AccountState, ClassCode, DirectoryRead, GroupCode, Login, PersonQuery, Profile,
};

use super::Recipient;

/// A pupil and his responsables.
pub async fn pupil_and_parents<D: DirectoryRead>(
    dir: &D,
    pupil: &crate::directory::Person,
) -> Result<Vec<Recipient>> {
    let mut out = vec![Recipient::of(pupil)];
    out.extend(parents_of(dir, &pupil.login).await?);
    Ok(out)
}

/// The responsables of a pupil who have an account.
pub async fn parents_of<D: DirectoryRead>(dir: &D, pupil: &Login) -> Result<Vec<Recipient>> {
    let mut out = Vec::new();
    for p in dir.relations(pupil).await?.parents {
        if let Some(person) = dir.person(&p.login).await? {
            out.push(Recipient::of(&person));
        }
    }
    Ok(out)
}

/// The pupils of a class or group, then (if asked) their responsables; active accounts only.
pub async fn pupils_and_parents<D: DirectoryRead>(
    dir: &D,
    class: Option<ClassCode>,
    group: Option<GroupCode>,
    with_parents: bool,
) -> Result<Vec<Recipient>> {
    let page = dir
        .search(&PersonQuery {
            profile: Some(Profile::Eleve),
            class,
            group,
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        })
        .await?;
    let mut out = Vec::new();
    for pupil in page
        .people
        .iter()
        .filter(|p| p.state == AccountState::Active)
    {
        out.push(Recipient::of(pupil));
        if with_parents {
            out.extend(parents_of(dir, &pupil.login).await?);
        }
    }
    Ok(out)
}
