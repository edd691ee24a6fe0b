//! Who may do what: the one policy every handler asks. Roles come from the actor's profile
//! and from their relation to the target (themselves, a parent of the pupil, a teacher of
//! the class, the professeur principal); `allowed` answers from the rule table, nothing else
//! decides.

use crate::directory::{ClassCode, GroupCode, Login, Person, Profile, Relations};
use crate::files::ClassPart;

/// What can be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// See a person's page (identity, classes, family, state).
    ViewPerson,
    /// Give a person a new initial password (and a login letter).
    ResetPassword,
    /// Disable or re-enable an account.
    ChangeState,
    /// See a class and its members.
    ViewClass,
    /// Reset the passwords of a whole class and print its letters.
    ResetClass,
    /// The RUPN's console: search, journal, exports.
    Administer,
    /// Find pupils, parents and staff by name, open the classes' lists (the annuaire).
    SearchPeople,
    /// List and open the files of a space.
    ReadFiles,
    /// Add, rename, move and delete files in a space.
    WriteFiles,
    /// Hand work out to a class or group, collect it, return it.
    GiveWork,
    /// The établissement's usage figures and charts (no person in them).
    ViewUsage,
    /// An action an ENT module declares (`"edt.gerer"`…), granted by the rules it declares
    /// in the [`Policy`].
    Module(&'static str),
}

/// What an action is done to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Person(&'a Person, &'a Relations),
    Class(&'a ClassCode),
    Etablissement,
    Space(Space<'a>),
    Group(&'a GroupCode),
}

/// A file space, as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub enum Space<'a> {
    Perso(&'a Login),
    Classe(&'a ClassCode, ClassPart),
    Groupe(&'a GroupCode),
    Commun,
}

/// Roles an actor holds towards a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The target is the actor.
    Soi,
    /// The actor is a responsable of the target pupil.
    Responsable,
    /// The actor teaches the target class, or the target pupil's class (or a pupil of it, for
    /// a parent target).
    Enseignant,
    /// Professeur principal of the target class or of the target pupil's class.
    ProfesseurPrincipal,
    VieScolaire,
    Direction,
    /// Référent pour les usages numériques: runs the accounts.
    Rupn,
    /// The professeur documentaliste (CDI): the établissement's resources.
    Documentaliste,
    /// Reads a shared space: a class's pupils its `donnees`, pupils `commun`.
    Lecteur,
    /// Reads and writes a shared space: the class's teachers, its pupils in `travail`, a
    /// group's members, staff in `commun`.
    Contributeur,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Soi => "la personne elle-même",
            Role::Responsable => "responsable de l'élève",
            Role::Enseignant => "enseignant de la classe",
            Role::ProfesseurPrincipal => "professeur principal",
            Role::VieScolaire => "vie scolaire",
            Role::Direction => "direction",
            Role::Rupn => "RUPN",
            Role::Documentaliste => "professeur documentaliste",
            Role::Lecteur => "lecteur de l'espace",
            Role::Contributeur => "contributeur de l'espace",
        }
    }
}

/// The rule table: for each action, the roles that grant it.
pub const RULES: &[(Action, &[Role])] = &[
    (
        Action::ViewPerson,
        &[
            Role::Soi,
            Role::Responsable,
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
            Role::Rupn,
        ],
    ),
    (
        Action::ResetPassword,
        &[Role::Enseignant, Role::ProfesseurPrincipal, Role::Rupn],
    ),
    (Action::ChangeState, &[Role::Rupn]),
    (
        Action::ViewClass,
        &[
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
            Role::Rupn,
        ],
    ),
    (
        Action::ResetClass,
        &[Role::Enseignant, Role::ProfesseurPrincipal, Role::Rupn],
    ),
    (Action::Administer, &[Role::Rupn]),
    (Action::ViewUsage, &[Role::Direction, Role::Rupn]),
    // Vie scolaire finds pupils and families (the page offers only those), the direction
    // everyone.
    (
        Action::SearchPeople,
        &[Role::VieScolaire, Role::Direction, Role::Rupn],
    ),
    // The RUPN and the direction do not read people's files: no profile role here.
    (
        Action::ReadFiles,
        &[Role::Soi, Role::Lecteur, Role::Contributeur],
    ),
    (Action::WriteFiles, &[Role::Soi, Role::Contributeur]),
    (
        Action::GiveWork,
        &[Role::Enseignant, Role::ProfesseurPrincipal],
    ),
];

/// Who asks: the signed-in person and their place in the établissement.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub person: &'a Person,
    pub relations: &'a Relations,
}

impl Actor<'_> {
    fn teaches(&self, class: &ClassCode) -> Option<bool> {
        self.relations
            .teachings
            .iter()
            .find(|t| &t.class.code == class)
            .map(|t| t.principal)
    }

    /// Teaching roles towards any of these classes.
    fn teaching_roles(&self, classes: impl Iterator<Item = ClassCode>, out: &mut Vec<Role>) {
        for c in classes {
            if let Some(principal) = self.teaches(&c) {
                out.push(Role::Enseignant);
                if principal {
                    out.push(Role::ProfesseurPrincipal);
                }
            }
        }
    }
}

/// The roles `actor` holds towards `target`.
pub fn roles(actor: &Actor<'_>, target: &Target<'_>) -> Vec<Role> {
    let me = actor.person;
    let mut out = Vec::new();
    match me.profile {
        Profile::Admin => out.push(Role::Rupn),
        Profile::Direction => out.push(Role::Direction),
        Profile::VieScolaire => out.push(Role::VieScolaire),
        Profile::Documentaliste => out.push(Role::Documentaliste),
        _ => {}
    }
    match target {
        Target::Person(p, rel) => {
            if p.login == me.login {
                out.push(Role::Soi);
            }
            if rel.parents.iter().any(|r| r.login == me.login) {
                out.push(Role::Responsable);
            }
            match p.profile {
                Profile::Eleve => {
                    actor.teaching_roles(rel.classes.iter().map(|c| c.code.clone()), &mut out)
                }
                Profile::Responsable => actor.teaching_roles(
                    rel.children
                        .iter()
                        .filter_map(|c| c.class.as_ref().map(|c| c.code.clone())),
                    &mut out,
                ),
                _ => {}
            }
            // Vie scolaire sees pupils and families, not colleagues; the direction everyone.
            if !matches!(p.profile, Profile::Eleve | Profile::Responsable) {
                out.retain(|r| *r != Role::VieScolaire);
            }
            // Only a RUPN acts on a RUPN.
            if p.profile == Profile::Admin && me.profile != Profile::Admin {
                out.retain(|r| *r == Role::Soi);
            }
        }
        Target::Class(c) => actor.teaching_roles(std::iter::once((*c).clone()), &mut out),
        Target::Etablissement => {}
        Target::Space(space) => space_roles(actor, space, &mut out),
        // A teacher who is a member of a teaching group teaches it.
        Target::Group(code) => {
            if me.profile == Profile::Enseignant
                && actor.relations.groups.iter().any(|g| &g.code == *code)
            {
                out.push(Role::Enseignant);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn space_roles(actor: &Actor<'_>, space: &Space<'_>, out: &mut Vec<Role>) {
    let me = actor.person;
    match space {
        Space::Perso(login) => {
            if **login == me.login && crate::files::tree::has_space(me.profile) {
                out.push(Role::Soi);
            }
        }
        Space::Classe(code, part) => {
            if actor.teaches(code).is_some() {
                out.push(Role::Contributeur);
            }
            if me.profile == Profile::Eleve
                && actor.relations.classes.iter().any(|c| &c.code == *code)
            {
                out.push(match part {
                    ClassPart::Donnees => Role::Lecteur,
                    ClassPart::Travail => Role::Contributeur,
                });
            }
        }
        Space::Groupe(code) => {
            if actor.relations.groups.iter().any(|g| &g.code == *code) {
                out.push(Role::Contributeur);
            }
        }
        Space::Commun => match me.profile {
            Profile::Eleve => out.push(Role::Lecteur),
            Profile::Responsable => {}
            _ => out.push(Role::Contributeur),
        },
    }
}

/// The rule table of the host and of the modules mounted: what `allowed` answers from. The
/// host's rules are [`RULES`]; each module adds its own actions, never one of another's.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    modules: Vec<(&'static str, &'static [Role])>,
}

impl Policy {
    /// Adds a module's rules; an action declared twice is a programming error, refused.
    pub fn with_module_rules(
        mut self,
        rules: &'static [(&'static str, &'static [Role])],
    ) -> Result<Self, String> {
        for (name, roles) in rules {
            if self.modules.iter().any(|(n, _)| n == name) {
                return Err(format!("action « {name} » déclarée deux fois"));
            }
            self.modules.push((name, roles));
        }
        Ok(self)
    }

    /// The roles that grant `action`.
    pub fn granting(&self, action: Action) -> &'static [Role] {
        match action {
            Action::Module(name) => self
                .modules
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(&[][..], |(_, roles)| *roles),
            _ => RULES
                .iter()
                .find(|(a, _)| *a == action)
                .map_or(&[][..], |(_, roles)| *roles),
        }
    }

    /// Whether `actor` may do `action` to `target`.
    pub fn allowed(&self, actor: &Actor<'_>, action: Action, target: &Target<'_>) -> bool {
        allowed_by(self.granting(action), actor, action, target)
    }
}

/// Whether `actor` may do `action` (one of the host's) to `target`.
pub fn allowed(actor: &Actor<'_>, action: Action, target: &Target<'_>) -> bool {
    Policy::default().allowed(actor, action, target)
}

fn allowed_by(granted: &[Role], actor: &Actor<'_>, action: Action, target: &Target<'_>) -> bool {
    let held = roles(actor, target);
    // Nobody resets or disables their own account from these pages.
    if matches!(action, Action::ResetPassword | Action::ChangeState) && held.contains(&Role::Soi) {
        return false;
    }
    held.iter().any(|r| granted.contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{AccountState, ClassRef, Login, Relative, Teaching};

    fn person(login: &str, profile: Profile) -> Person {
        Person {
            login: Login::parse(login).unwrap_or_else(|_| unreachable!()),
            jointure: None,
            profile,
            given_name: login.into(),
            family_name: login.into(),
            email: None,
            state: AccountState::Active,
            state_since: 0,
            must_change_password: false,
            birth_date: None,
            last_login: None,
        }
    }

    fn class(code: &str) -> ClassRef {
        ClassRef {
            code: ClassCode::parse(code).unwrap_or_else(|_| unreachable!()),
            label: code.into(),
        }
    }

    #[test]
    fn every_action_has_a_rule() {
        for a in [
            Action::ViewPerson,
            Action::ResetPassword,
            Action::ChangeState,
            Action::ViewClass,
            Action::ResetClass,
            Action::Administer,
            Action::ViewUsage,
        ] {
            assert!(RULES.iter().any(|(x, _)| *x == a), "{a:?}");
        }
    }

    #[test]
    fn teachers_parents_and_pupils() {
        let pupil = person("eleve.a", Profile::Eleve);
        let pupil_rel = Relations {
            classes: vec![class("6A")],
            parents: vec![Relative {
                login: Login::parse("parent.a").unwrap_or_else(|_| unreachable!()),
                display_name: String::new(),
                class: None,
                level: 1,
            }],
            ..Relations::default()
        };
        let teacher = person("prof.a", Profile::Enseignant);
        let teacher_rel = Relations {
            teachings: vec![Teaching {
                class: class("6A"),
                subjects: vec!["Maths".into()],
                principal: false,
            }],
            ..Relations::default()
        };
        let other_teacher = person("prof.b", Profile::Enseignant);
        let empty = Relations::default();
        let parent = person("parent.a", Profile::Responsable);
        let other_parent = person("parent.b", Profile::Responsable);
        let t = Target::Person(&pupil, &pupil_rel);
        let a = |p, r| Actor {
            person: p,
            relations: r,
        };
        assert!(allowed(
            &a(&teacher, &teacher_rel),
            Action::ResetPassword,
            &t
        ));
        assert!(!allowed(
            &a(&other_teacher, &empty),
            Action::ResetPassword,
            &t
        ));
        assert!(!allowed(&a(&other_teacher, &empty), Action::ViewPerson, &t));
        assert!(allowed(&a(&parent, &empty), Action::ViewPerson, &t));
        assert!(!allowed(&a(&parent, &empty), Action::ResetPassword, &t));
        assert!(!allowed(&a(&other_parent, &empty), Action::ViewPerson, &t));
        assert!(allowed(&a(&pupil, &pupil_rel), Action::ViewPerson, &t));
        assert!(!allowed(&a(&pupil, &pupil_rel), Action::ResetPassword, &t));
        let c = ClassCode::parse("6A").unwrap_or_else(|_| unreachable!());
        assert!(allowed(
            &a(&teacher, &teacher_rel),
            Action::ResetClass,
            &Target::Class(&c)
        ));
        assert!(!allowed(
            &a(&other_teacher, &empty),
            Action::ViewClass,
            &Target::Class(&c)
        ));
        let rupn = person("rupn", Profile::Admin);
        assert!(allowed(&a(&rupn, &empty), Action::ChangeState, &t));
        assert!(!allowed(
            &a(&rupn, &empty),
            Action::ChangeState,
            &Target::Person(&rupn, &empty)
        ));
    }
}
