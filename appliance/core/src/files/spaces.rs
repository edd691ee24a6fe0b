//! The spaces a person reaches, named as in URLs (`perso`, `classes/6A/donnees`,
//! `groupes/4-ESP`, `commun`), with where each lives in the tree and whether the policy lets
//! the person read or write it.

use std::path::PathBuf;

use super::tree::{ClassPart, Tree, has_space};
use crate::authz::{self, Action, Actor, Target};
use crate::directory::{ClassCode, GroupCode, Login, Person};

/// A space, relative to the person looking (`perso` is their own).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SpaceId {
    Perso,
    Classe(ClassCode, ClassPart),
    Groupe(GroupCode),
    Commun,
}

impl SpaceId {
    pub fn parse(s: &str) -> Option<Self> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            ["perso"] => Some(Self::Perso),
            ["commun"] => Some(Self::Commun),
            ["groupes", code] => GroupCode::parse(code).ok().map(Self::Groupe),
            ["classes", code, part] => {
                let part = match *part {
                    "donnees" => ClassPart::Donnees,
                    "travail" => ClassPart::Travail,
                    _ => return None,
                };
                ClassCode::parse(code).ok().map(|c| Self::Classe(c, part))
            }
            _ => None,
        }
    }

    /// The form `parse` reads.
    pub fn key(&self) -> String {
        match self {
            Self::Perso => "perso".to_owned(),
            Self::Commun => "commun".to_owned(),
            Self::Groupe(g) => format!("groupes/{g}"),
            Self::Classe(c, p) => format!("classes/{c}/{}", p.dir()),
        }
    }

    /// How the space is named to people: by the class's or group's label as the annuaire
    /// gives it in `rel` (« 6e A — documents », « Espagnol 4e »), its code when unknown.
    pub fn label(&self, rel: &crate::directory::Relations) -> String {
        let class = |c: &ClassCode| {
            rel.classes
                .iter()
                .chain(rel.teachings.iter().map(|t| &t.class))
                .find(|k| &k.code == c)
                .map_or_else(|| format!("Classe {c}"), |k| k.label.clone())
        };
        match self {
            Self::Perso => "Mes documents".to_owned(),
            Self::Commun => "Documents communs".to_owned(),
            Self::Groupe(g) => rel
                .groups
                .iter()
                .find(|k| &k.code == g)
                .map_or_else(|| format!("Groupe {g}"), |k| k.label.clone()),
            Self::Classe(c, ClassPart::Donnees) => format!("{} — documents", class(c)),
            Self::Classe(c, ClassPart::Travail) => format!("{} — travail", class(c)),
        }
    }

    /// Where it lives for `me`.
    pub fn path(&self, tree: &Tree, me: &Login) -> PathBuf {
        match self {
            Self::Perso => tree.perso(me),
            Self::Commun => tree.commun(),
            Self::Groupe(g) => tree.group(g),
            Self::Classe(c, p) => tree.class_part(c, *p),
        }
    }

    /// The policy's view of it.
    pub fn target<'a>(&'a self, me: &'a Login) -> Target<'a> {
        Target::Space(match self {
            Self::Perso => authz::Space::Perso(me),
            Self::Commun => authz::Space::Commun,
            Self::Groupe(g) => authz::Space::Groupe(g),
            Self::Classe(c, p) => authz::Space::Classe(c, *p),
        })
    }
}

/// A space the person may at least read, and whether they may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reachable {
    pub id: SpaceId,
    pub writable: bool,
}

/// Every space `actor` reaches, in the order the file manager shows them.
pub fn reachable(actor: &Actor<'_>) -> Vec<Reachable> {
    let me: &Person = actor.person;
    let mut candidates = Vec::new();
    if has_space(me.profile) {
        candidates.push(SpaceId::Perso);
    }
    let mut classes: Vec<ClassCode> = actor
        .relations
        .classes
        .iter()
        .map(|c| c.code.clone())
        .chain(
            actor
                .relations
                .teachings
                .iter()
                .map(|t| t.class.code.clone()),
        )
        .collect();
    classes.sort();
    classes.dedup();
    for c in classes {
        candidates.push(SpaceId::Classe(c.clone(), ClassPart::Donnees));
        candidates.push(SpaceId::Classe(c, ClassPart::Travail));
    }
    for g in &actor.relations.groups {
        candidates.push(SpaceId::Groupe(g.code.clone()));
    }
    candidates.push(SpaceId::Commun);
    candidates
        .into_iter()
        .filter_map(|id| {
            let target = id.target(&me.login);
            let read = authz::allowed(actor, Action::ReadFiles, &target);
            let writable = authz::allowed(actor, Action::WriteFiles, &target);
            read.then_some(Reachable { id, writable })
        })
        .collect()
}
