//! The rules applied to the annuaire: a person's facts, whom a sender may find and write to,
//! the lists he may use and who is in them. Every check reads the annuaire afresh: a pupil
//! moved to another class reaches his new class at once, and no longer his old one.

use std::collections::{BTreeMap, BTreeSet};

use cartable_core::directory::{
    AccountState, ClassCode, ClassRef, DirectoryRead, Login, Person, PersonQuery, Profile,
    Relations,
};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::messages;
use crate::rules::{Facts, List, Matrix, Scope, is_staff};

/// At most this many people reached by one message (a whole collège with its parents).
pub const MAX_REACHED: usize = 5000;

pub fn facts_from(p: &Person, rel: &Relations) -> Facts {
    let mut f = Facts::new(p.login.as_str(), p.profile);
    match p.profile {
        Profile::Eleve => {
            f.classes = rel.classes.iter().map(|c| c.code.to_string()).collect();
            f.parents = rel.parents.iter().map(|r| r.login.to_string()).collect();
        }
        Profile::Responsable => {
            f.children = rel.children.iter().map(|r| r.login.to_string()).collect();
            f.classes = rel
                .children
                .iter()
                .filter_map(|r| r.class.as_ref().map(|c| c.code.to_string()))
                .collect();
        }
        Profile::Enseignant => {
            f.classes = rel
                .teachings
                .iter()
                .map(|t| t.class.code.to_string())
                .collect();
        }
        _ => {}
    }
    f
}

pub async fn facts(state: &AppState, p: &Person) -> Result<Facts, WebError> {
    let rel = state.directory.relations(&p.login).await?;
    Ok(facts_from(p, &rel))
}

/// Whether a scope can be decided on the recipient's profile alone.
fn by_profile(s: Scope) -> bool {
    matches!(
        s,
        Scope::Staff | Scope::AllTeachers | Scope::AllPupils | Scope::AllParents
    )
}

/// The scope through which `from` reaches `to` (an active account), reading `to`'s relations
/// only when his profile alone does not decide.
pub async fn reach(
    state: &AppState,
    m: &Matrix,
    from: &Facts,
    to: &Person,
) -> Result<Option<Scope>, WebError> {
    if to.state != AccountState::Active || to.login.as_str() == from.login {
        return Ok(None);
    }
    let bare = Facts::new(to.login.as_str(), to.profile);
    if let Some(s) = m.reach(from, &bare).filter(|s| by_profile(*s)) {
        return Ok(Some(s));
    }
    let personal = Scope::ALL
        .into_iter()
        .any(|s| !by_profile(s) && !s.is_list() && m.allows(from.profile, s));
    if !personal {
        return Ok(None);
    }
    let to_facts = facts(state, to).await?;
    Ok(m.reach(from, &to_facts))
}

/// Which of `candidates` `person` may write to, by the rules as the RUPN set them.
pub async fn reachable(
    state: &AppState,
    person: &Person,
    candidates: &[Person],
) -> Result<Vec<bool>, WebError> {
    let from = facts(state, person).await?;
    let (m, _) = state.store.read(crate::store::matrix).await?;
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        out.push(c.login != person.login && reach(state, &m, &from, c).await?.is_some());
    }
    Ok(out)
}

/// One page of the address book: the people matching `text` the sender may write to, in the
/// annuaire's order; and whether the annuaire has more pages.
pub async fn search(
    state: &AppState,
    m: &Matrix,
    from: &Facts,
    text: Option<&str>,
    page: usize,
    per_page: usize,
) -> Result<(Vec<Person>, bool), WebError> {
    let found = state
        .directory
        .search(&PersonQuery {
            text: text.map(str::to_owned),
            state: Some(AccountState::Active),
            page,
            per_page,
            ..PersonQuery::default()
        })
        .await?;
    let more = (page + 1) * per_page.max(1) < found.total;
    let mut out = Vec::new();
    for p in found.people {
        if reach(state, m, from, &p).await?.is_some() {
            out.push(p);
        }
    }
    Ok((out, more))
}

/// « Les parents de la 5e B », « Les parents des élèves de 6e », « Tous les parents ».
pub fn list_label(list: &List, classes: &BTreeMap<String, String>) -> String {
    let class = |c: &str| classes.get(c).cloned().unwrap_or_else(|| c.to_owned());
    match list {
        List::ClassPupils(c) => format!("{} {}", messages::LIST_CLASS_PUPILS, class(c)),
        List::ClassParents(c) => format!("{} {}", messages::LIST_CLASS_PARENTS, class(c)),
        List::ClassTeam(c) => format!("{} {}", messages::LIST_CLASS_TEAM, class(c)),
        List::LevelPupils(l) => format!("Les élèves de {}", messages::level_label(l)),
        List::LevelParents(l) => {
            format!("Les parents des élèves de {}", messages::level_label(l))
        }
        List::AllPupils => "Tous les élèves".to_owned(),
        List::AllParents => "Tous les parents".to_owned(),
        List::AllTeachers => "Tous les enseignants".to_owned(),
        List::AllStaff => "Tous les personnels".to_owned(),
    }
}

/// A list as its sender reads it: a parent's « Les enseignants de mon enfant (6e A) ».
pub fn list_label_for(list: &List, classes: &BTreeMap<String, String>, from: &Facts) -> String {
    match list {
        List::ClassTeam(c) if from.profile == Profile::Responsable && from.classes.contains(c) => {
            let class = classes.get(c).cloned().unwrap_or_else(|| c.clone());
            format!("{} ({class})", messages::LIST_MY_CHILD_TEACHERS)
        }
        _ => list_label(list, classes),
    }
}

/// The classes of the établissement: code → label.
pub async fn classes(state: &AppState) -> Result<BTreeMap<String, String>, WebError> {
    Ok(state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c: ClassRef| (c.code.to_string(), c.label))
        .collect())
}

/// The lists the sender may use, with their labels, in a stable order (his classes first).
pub fn lists_for(
    m: &Matrix,
    from: &Facts,
    classes: &BTreeMap<String, String>,
) -> Vec<(List, String)> {
    let mut candidates = Vec::new();
    let (own, others): (Vec<&String>, Vec<&String>) =
        classes.keys().partition(|c| from.classes.contains(*c));
    for c in own.into_iter().chain(others) {
        candidates.push(List::ClassTeam(c.clone()));
        candidates.push(List::ClassParents(c.clone()));
        candidates.push(List::ClassPupils(c.clone()));
    }
    let levels: BTreeSet<String> = classes
        .keys()
        .filter_map(|c| c.chars().next())
        .map(String::from)
        .collect();
    for l in &levels {
        candidates.push(List::LevelParents(l.clone()));
        candidates.push(List::LevelPupils(l.clone()));
    }
    candidates.extend([
        List::AllParents,
        List::AllPupils,
        List::AllTeachers,
        List::AllStaff,
    ]);
    candidates
        .into_iter()
        .filter(|l| m.may_use(from, l))
        .map(|l| {
            let label = list_label_for(&l, classes, from);
            (l, label)
        })
        .collect()
}

async fn people(
    state: &AppState,
    profile: Option<Profile>,
    class: Option<&str>,
) -> Result<Vec<Person>, WebError> {
    let class = match class {
        Some(c) => Some(ClassCode::parse(c).map_err(|_| WebError::NotFound)?),
        None => None,
    };
    let mut out = Vec::new();
    for page in 0.. {
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
        if n < PersonQuery::MAX_PAGE || out.len() > MAX_REACHED {
            break;
        }
    }
    Ok(out)
}

async fn parents_of(state: &AppState, pupils: &[Person]) -> Result<Vec<Person>, WebError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in pupils {
        for r in state.directory.relations(&p.login).await?.parents {
            if seen.insert(r.login.to_string())
                && let Some(person) = state.directory.person(&r.login).await?
                && person.state == AccountState::Active
            {
                out.push(person);
            }
        }
        if out.len() > MAX_REACHED {
            break;
        }
    }
    Ok(out)
}

/// The active members of a list.
pub async fn members(
    state: &AppState,
    list: &List,
    classes: &BTreeMap<String, String>,
) -> Result<Vec<Person>, WebError> {
    let of_level = |l: &str| -> Vec<String> {
        classes
            .keys()
            .filter(|c| c.starts_with(l))
            .cloned()
            .collect()
    };
    Ok(match list {
        List::ClassPupils(c) => people(state, Some(Profile::Eleve), Some(c)).await?,
        List::ClassTeam(c) => people(state, Some(Profile::Enseignant), Some(c)).await?,
        List::ClassParents(c) => {
            let pupils = people(state, Some(Profile::Eleve), Some(c)).await?;
            parents_of(state, &pupils).await?
        }
        List::LevelPupils(l) => {
            let mut out = Vec::new();
            for c in of_level(l) {
                out.extend(people(state, Some(Profile::Eleve), Some(&c)).await?);
            }
            out
        }
        List::LevelParents(l) => {
            let mut pupils = Vec::new();
            for c in of_level(l) {
                pupils.extend(people(state, Some(Profile::Eleve), Some(&c)).await?);
            }
            parents_of(state, &pupils).await?
        }
        List::AllPupils => people(state, Some(Profile::Eleve), None).await?,
        List::AllParents => people(state, Some(Profile::Responsable), None).await?,
        List::AllTeachers => people(state, Some(Profile::Enseignant), None).await?,
        List::AllStaff => {
            let mut out = Vec::new();
            for p in Profile::ALL.into_iter().filter(|p| is_staff(*p)) {
                out.extend(people(state, Some(p), None).await?);
            }
            out
        }
    })
}

/// A person by login, if his account is active.
pub async fn active(state: &AppState, login: &str) -> Result<Option<Person>, WebError> {
    let Ok(login) = Login::parse(login) else {
        return Ok(None);
    };
    Ok(state
        .directory
        .person(&login)
        .await?
        .filter(|p| p.state == AccountState::Active))
}
