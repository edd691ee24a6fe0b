//! Who a person is to the actualités, and who an audience is, from the annuaire.

use std::collections::BTreeMap;

use cartable_core::authz::{Actor, Target};
use cartable_core::directory::{
    AccountState, ClassCode, DirectoryRead, Person, PersonQuery, Profile, Relations,
};
use cartable_core::notify::Recipient;
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{Audience, Viewer};
use crate::{publish_everywhere, store};
use cartable_core::directory::level::{level_label, level_of};

pub async fn viewer(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Viewer, WebError> {
    let actor = Actor {
        person,
        relations: rel,
    };
    let login = person.login.to_string();
    let roles = {
        let login = login.clone();
        state
            .store
            .read(move |r| store::roles_of(r, &login))
            .await?
    };
    Ok(Viewer {
        login,
        profile: Some(person.profile),
        classes: rel
            .classes
            .iter()
            .map(|c| c.code.to_string())
            .chain(rel.teachings.iter().map(|t| t.class.code.to_string()))
            .collect(),
        children_classes: rel
            .children
            .iter()
            .filter_map(|c| c.class.as_ref().map(|k| k.code.to_string()))
            .collect(),
        publishes_everywhere: state.policy.allowed(
            &actor,
            publish_everywhere(),
            &Target::Etablissement,
        ),
        roles,
    })
}

/// The établissement's classes: (code, label), in the annuaire's order.
pub async fn classes(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect())
}

/// The levels of those classes: (level, « 6e »).
pub fn levels(classes: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = classes
        .iter()
        .map(|(c, _)| {
            let l = level_of(c);
            let label = level_label(&l);
            (l, label)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// « Parents de 6e A, Niveau 5e »…
pub fn audience_label(audiences: &[Audience], classes: &[(String, String)]) -> String {
    let label = |c: &str| {
        classes
            .iter()
            .find(|(k, _)| k == c)
            .map_or_else(|| c.to_owned(), |(_, l)| l.clone())
    };
    audiences
        .iter()
        .map(|a| match a {
            Audience::Everyone => "Tout l'établissement".to_owned(),
            Audience::Staff => "Personnels".to_owned(),
            Audience::Pupils => "Élèves".to_owned(),
            Audience::Parents => "Parents".to_owned(),
            Audience::Level(l) => format!("Niveau {}", level_label(l)),
            Audience::Class(c) => format!("Classe {}", label(c)),
            Audience::ParentsOf(c) => {
                format!("Parents {}", cartable_core::messages::de(&label(c)))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn everyone_with(
    state: &AppState,
    profile: Option<Profile>,
    class: Option<ClassCode>,
) -> Result<Vec<Person>, WebError> {
    let mut out = Vec::new();
    let mut page = 0;
    loop {
        let found = state
            .directory
            .search(&PersonQuery {
                profile,
                class: class.clone(),
                state: Some(AccountState::Active),
                page,
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            })
            .await?;
        let n = found.people.len();
        out.extend(found.people);
        if n < PersonQuery::MAX_PAGE || out.len() >= found.total {
            return Ok(out);
        }
        page += 1;
    }
}

/// The active accounts an audience is, each once, with his profile.
pub async fn members(
    state: &AppState,
    audiences: &[Audience],
) -> Result<BTreeMap<String, (Profile, Recipient)>, WebError> {
    let classes = classes(state).await?;
    let mut out: BTreeMap<String, (Profile, Recipient)> = BTreeMap::new();
    let add = |people: Vec<Person>, out: &mut BTreeMap<String, (Profile, Recipient)>| {
        for p in people {
            out.entry(p.login.to_string())
                .or_insert_with(|| (p.profile, Recipient::of(&p)));
        }
    };
    let staff = [
        Profile::Enseignant,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
    ];
    for a in audiences {
        match a {
            Audience::Everyone => add(everyone_with(state, None, None).await?, &mut out),
            Audience::Staff => {
                for p in staff {
                    add(everyone_with(state, Some(p), None).await?, &mut out);
                }
            }
            Audience::Pupils => add(
                everyone_with(state, Some(Profile::Eleve), None).await?,
                &mut out,
            ),
            Audience::Parents => add(
                everyone_with(state, Some(Profile::Responsable), None).await?,
                &mut out,
            ),
            Audience::Level(l) => {
                for (c, _) in classes.iter().filter(|(c, _)| level_of(c) == *l) {
                    if let Ok(code) = ClassCode::parse(c) {
                        add(everyone_with(state, None, Some(code)).await?, &mut out);
                    }
                }
            }
            Audience::Class(c) => {
                if let Ok(code) = ClassCode::parse(c) {
                    add(everyone_with(state, None, Some(code)).await?, &mut out);
                }
            }
            Audience::ParentsOf(c) => {
                if let Ok(code) = ClassCode::parse(c) {
                    let parents = cartable_core::notify::audience::pupils_and_parents(
                        &state.directory,
                        Some(code),
                        None,
                        true,
                    )
                    .await?;
                    for r in parents {
                        if out.contains_key(&r.login) {
                            continue;
                        }
                        let Ok(login) = cartable_core::directory::Login::parse(&r.login) else {
                            continue;
                        };
                        if let Some(p) = state.directory.person(&login).await?
                            && p.profile == Profile::Responsable
                        {
                            out.insert(r.login.clone(), (p.profile, r));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}
