//! Where entries live in the tree and what they are called. SDET attribute names stay in this
//! backend.

use ldap3::dn_escape;

use crate::directory::{ClassCode, GroupCode, Login, Profile, Uai};

/// DNs of the annuaire below the configured base.
#[derive(Debug, Clone)]
pub(super) struct Tree {
    pub base: String,
}

impl Tree {
    pub fn people(&self) -> String {
        format!("ou=people,{}", self.base)
    }
    pub fn structures(&self) -> String {
        format!("ou=structures,{}", self.base)
    }
    pub fn counters(&self) -> String {
        format!("cn=cartable,{}", self.base)
    }
    pub fn person(&self, login: &Login) -> String {
        format!("uid={},{}", dn_escape(login.as_str()), self.people())
    }
    pub fn structure(&self, uai: &Uai) -> String {
        format!(
            "ENTStructureUAI={},{}",
            dn_escape(uai.as_str()),
            self.structures()
        )
    }
    pub fn classes(&self, uai: &Uai) -> String {
        format!("ou=classes,{}", self.structure(uai))
    }
    pub fn groups(&self, uai: &Uai) -> String {
        format!("ou=groups,{}", self.structure(uai))
    }
    pub fn class(&self, uai: &Uai, code: &ClassCode) -> String {
        format!("cn={},{}", dn_escape(code.as_str()), self.classes(uai))
    }
    pub fn group(&self, uai: &Uai, code: &GroupCode) -> String {
        format!("cn={},{}", dn_escape(code.as_str()), self.groups(uai))
    }
}

/// The SDET object class that carries a profile's attributes.
pub(super) fn profile_class(p: Profile) -> &'static str {
    match p {
        Profile::Eleve => "ENTEleve",
        Profile::Responsable => "ENTAuxPersRelEleve",
        Profile::Enseignant => "ENTAuxEnseignant",
        Profile::Direction
        | Profile::VieScolaire
        | Profile::Documentaliste
        | Profile::Administratif
        | Profile::Admin => "ENTAuxNonEnsEtab",
    }
}

/// Attributes read for a person.
pub(super) const PERSON_ATTRS: &[&str] = &[
    "uid",
    "ENTPersonDateNaissance",
    "cartableLastLogin",
    "givenName",
    "sn",
    "mail",
    "employeeType",
    "ENTPersonProfils",
    "ENTPersonJointure",
    "cartableAccountState",
    "cartableMustChangePassword",
    "cartableStateSince",
    "ENTEleveClasses",
    "ENTEleveGroupes",
    "ENTElevePersRelEleve",
    "ENTEleveAutoriteParentale",
    "cartableContactPrincipal",
    "ENTAuxPersRelEleveEleve",
    "ENTAuxEnsClassesMatieres",
    "ENTAuxEnsClassesPrincipal",
];

/// First uidNumber/gidNumber given out.
pub(super) const FIRST_ID: i64 = 10_000;
/// Primary group of every account (`users`); per-profile groups come with the file server.
pub(super) const USERS_GID: &str = "100";
