//! Who may write to whom. The rules are a matrix between the sender's profile and scopes of
//! recipients seen from the sender (« les enseignants de ses classes », « ses enfants »), kept
//! as data: the defaults below follow the ministry's 2024 guidance (strict necessary; only the
//! direction and the vie scolaire write to all pupils or all parents), the RUPN edits them.
//! Everything here is pure: the facts come from the annuaire (`reach.rs`).

use std::collections::BTreeSet;

use cartable_core::directory::Profile;

/// A scope of recipients, relative to the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// A parent's own children.
    OwnChildren,
    /// A pupil's own responsables.
    OwnParents,
    /// The pupils of the sender's classes (a pupil's class, a teacher's classes, a parent's
    /// children's classes).
    ClassPupils,
    /// The teachers of the sender's classes.
    ClassTeachers,
    /// The responsables of the pupils of the sender's classes.
    ClassParents,
    /// Direction, vie scolaire, documentalistes, administratifs, RUPN.
    Staff,
    /// Every teacher of the établissement.
    AllTeachers,
    /// Every pupil.
    AllPupils,
    /// Every responsable.
    AllParents,
    /// Lists of the sender's classes (« les parents de la 5e B »), always in hidden copy.
    ClassLists,
    /// Lists of any class, of a level, of the whole établissement.
    AllLists,
}

impl Scope {
    pub const ALL: [Scope; 11] = [
        Scope::OwnChildren,
        Scope::OwnParents,
        Scope::ClassPupils,
        Scope::ClassTeachers,
        Scope::ClassParents,
        Scope::Staff,
        Scope::AllTeachers,
        Scope::AllPupils,
        Scope::AllParents,
        Scope::ClassLists,
        Scope::AllLists,
    ];

    /// Stable name, kept in the store.
    pub fn code(self) -> &'static str {
        match self {
            Scope::OwnChildren => "ses-enfants",
            Scope::OwnParents => "ses-responsables",
            Scope::ClassPupils => "eleves-classes",
            Scope::ClassTeachers => "enseignants-classes",
            Scope::ClassParents => "parents-classes",
            Scope::Staff => "personnels",
            Scope::AllTeachers => "enseignants",
            Scope::AllPupils => "eleves",
            Scope::AllParents => "parents",
            Scope::ClassLists => "listes-classes",
            Scope::AllLists => "listes-etablissement",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Who it is, from the sender's point of view (« les enseignants de ses classes »).
    pub fn label(self) -> &'static str {
        crate::messages::scope_label(self)
    }

    /// Scopes of lists, not of people.
    pub fn is_list(self) -> bool {
        matches!(self, Scope::ClassLists | Scope::AllLists)
    }
}

/// A profile that is part of the établissement's staff.
pub fn is_staff(p: Profile) -> bool {
    matches!(
        p,
        Profile::Direction
            | Profile::VieScolaire
            | Profile::Documentaliste
            | Profile::Administratif
            | Profile::Admin
    )
}

/// What the annuaire says of a person, as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub login: String,
    pub profile: Profile,
    /// A pupil's classes; the classes a teacher teaches; a parent's children's classes.
    pub classes: BTreeSet<String>,
    /// A parent's children.
    pub children: BTreeSet<String>,
    /// A pupil's responsables.
    pub parents: BTreeSet<String>,
}

impl Facts {
    pub fn new(login: &str, profile: Profile) -> Self {
        Self {
            login: login.to_owned(),
            profile,
            classes: BTreeSet::new(),
            children: BTreeSet::new(),
            parents: BTreeSet::new(),
        }
    }
}

/// Whether `to` is in the scope `s` of `from`.
fn in_scope(s: Scope, from: &Facts, to: &Facts) -> bool {
    let shares = || from.classes.iter().any(|c| to.classes.contains(c));
    match s {
        Scope::OwnChildren => from.children.contains(&to.login),
        Scope::OwnParents => from.parents.contains(&to.login),
        Scope::ClassPupils => to.profile == Profile::Eleve && shares(),
        Scope::ClassTeachers => to.profile == Profile::Enseignant && shares(),
        Scope::ClassParents => to.profile == Profile::Responsable && shares(),
        Scope::Staff => is_staff(to.profile),
        Scope::AllTeachers => to.profile == Profile::Enseignant,
        Scope::AllPupils => to.profile == Profile::Eleve,
        Scope::AllParents => to.profile == Profile::Responsable,
        Scope::ClassLists | Scope::AllLists => false,
    }
}

/// A list of recipients, always sent in hidden copy (no reply-all to a whole class).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    ClassPupils(String),
    ClassParents(String),
    /// The teachers of a class (l'équipe pédagogique).
    ClassTeam(String),
    /// The responsables of a level's pupils (« 6 » for the 6e).
    LevelParents(String),
    LevelPupils(String),
    AllPupils,
    AllParents,
    AllTeachers,
    AllStaff,
}

impl List {
    /// Token in forms and in the store: `eleves:5B`, `parents-niveau:6`, `parents`.
    pub fn token(&self) -> String {
        match self {
            List::ClassPupils(c) => format!("eleves:{c}"),
            List::ClassParents(c) => format!("parents:{c}"),
            List::ClassTeam(c) => format!("equipe:{c}"),
            List::LevelParents(l) => format!("parents-niveau:{l}"),
            List::LevelPupils(l) => format!("eleves-niveau:{l}"),
            List::AllPupils => "eleves".to_owned(),
            List::AllParents => "parents".to_owned(),
            List::AllTeachers => "enseignants".to_owned(),
            List::AllStaff => "personnels".to_owned(),
        }
    }

    pub fn parse(s: &str) -> Option<List> {
        let code = |c: &str| {
            (!c.is_empty() && c.len() <= 32 && c.chars().all(|x| x.is_ascii_alphanumeric()))
                .then(|| c.to_owned())
        };
        Some(match s.split_once(':') {
            Some(("eleves", c)) => List::ClassPupils(code(c)?),
            Some(("parents", c)) => List::ClassParents(code(c)?),
            Some(("equipe", c)) => List::ClassTeam(code(c)?),
            Some(("parents-niveau", l)) => List::LevelParents(code(l)?),
            Some(("eleves-niveau", l)) => List::LevelPupils(code(l)?),
            Some(_) => return None,
            None => match s {
                "eleves" => List::AllPupils,
                "parents" => List::AllParents,
                "enseignants" => List::AllTeachers,
                "personnels" => List::AllStaff,
                _ => return None,
            },
        })
    }

    /// The class a list is about, if one.
    pub fn class(&self) -> Option<&str> {
        match self {
            List::ClassPupils(c) | List::ClassParents(c) | List::ClassTeam(c) => Some(c),
            _ => None,
        }
    }

    /// The scope of people its members are in, for the sender of a class list (or of a
    /// list of the établissement).
    fn members_scope(&self, own_class: bool) -> Scope {
        match (self, own_class) {
            (List::ClassPupils(_), true) => Scope::ClassPupils,
            (List::ClassParents(_), true) => Scope::ClassParents,
            (List::ClassTeam(_), true) => Scope::ClassTeachers,
            (List::ClassPupils(_) | List::LevelPupils(_) | List::AllPupils, _) => Scope::AllPupils,
            (List::ClassParents(_) | List::LevelParents(_) | List::AllParents, _) => {
                Scope::AllParents
            }
            (List::ClassTeam(_) | List::AllTeachers, _) => Scope::AllTeachers,
            (List::AllStaff, _) => Scope::Staff,
        }
    }
}

/// The matrix: which scopes each profile may write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    allowed: BTreeSet<(Profile, Scope)>,
}

impl Matrix {
    /// The rules a new établissement starts with (see the module's doc).
    pub fn defaults() -> Self {
        use Scope::*;
        let individuals = [
            ClassPupils,
            ClassTeachers,
            ClassParents,
            Staff,
            AllTeachers,
            AllPupils,
            AllParents,
        ];
        let mut allowed = BTreeSet::new();
        let mut allow = |p: Profile, scopes: &[Scope]| {
            for s in scopes {
                allowed.insert((p, *s));
            }
        };
        allow(
            Profile::Eleve,
            &[OwnParents, ClassPupils, ClassTeachers, Staff],
        );
        allow(
            Profile::Responsable,
            &[OwnChildren, ClassTeachers, Staff, ClassLists],
        );
        allow(Profile::Enseignant, &individuals);
        allow(Profile::Enseignant, &[ClassLists]);
        for p in [Profile::Direction, Profile::VieScolaire] {
            allow(p, &individuals);
            allow(p, &[ClassLists, AllLists]);
        }
        for p in [
            Profile::Documentaliste,
            Profile::Administratif,
            Profile::Admin,
        ] {
            allow(p, &individuals);
        }
        Self { allowed }
    }

    pub fn from_pairs(pairs: impl IntoIterator<Item = (Profile, Scope)>) -> Self {
        Self {
            allowed: pairs.into_iter().collect(),
        }
    }

    pub fn pairs(&self) -> impl Iterator<Item = (Profile, Scope)> + '_ {
        self.allowed.iter().copied()
    }

    pub fn allows(&self, p: Profile, s: Scope) -> bool {
        self.allowed.contains(&(p, s))
    }

    /// The scope through which `from` may write to `to`, if any (never to oneself).
    pub fn reach(&self, from: &Facts, to: &Facts) -> Option<Scope> {
        if from.login == to.login {
            return None;
        }
        Scope::ALL
            .into_iter()
            .find(|s| self.allows(from.profile, *s) && in_scope(*s, from, to))
    }

    pub fn may_write(&self, from: &Facts, to: &Facts) -> bool {
        self.reach(from, to).is_some()
    }

    /// Whether `from` may send to a list: its kind of list is allowed to him, and its members
    /// are people he may write to one by one.
    pub fn may_use(&self, from: &Facts, list: &List) -> bool {
        let p = from.profile;
        let own = list.class().is_some_and(|c| from.classes.contains(c));
        (own && self.allows(p, Scope::ClassLists) && self.allows(p, list.members_scope(true)))
            || (self.allows(p, Scope::AllLists) && self.allows(p, list.members_scope(false)))
    }

    /// The scopes a profile may write to, in the matrix's order.
    pub fn scopes_of(&self, p: Profile) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| self.allows(p, *s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(login: &str, profile: Profile, classes: &[&str]) -> Facts {
        let mut f = Facts::new(login, profile);
        f.classes = classes.iter().map(|c| c.to_string()).collect();
        f
    }

    #[test]
    fn the_defaults_follow_the_2024_guidance() {
        let m = Matrix::defaults();
        let mut pupil = person("lucas", Profile::Eleve, &["5B"]);
        pupil.parents.insert("mme.martin".into());
        let classmate = person("emma", Profile::Eleve, &["5B"]);
        let other_pupil = person("noah", Profile::Eleve, &["4A"]);
        let teacher = person("m.prof", Profile::Enseignant, &["5B", "4A"]);
        let other_teacher = person("m.autre", Profile::Enseignant, &["3A"]);
        let mut parent = person("mme.martin", Profile::Responsable, &["5B"]);
        parent.children.insert("lucas".into());
        let other_parent = person("m.durand", Profile::Responsable, &["5B"]);
        let cpe = person("cpe", Profile::VieScolaire, &[]);

        // A pupil: his class's pupils and teachers, the staff, his own parents; no other
        // pupil, teacher or parent.
        assert!(m.may_write(&pupil, &classmate));
        assert!(m.may_write(&pupil, &teacher));
        assert!(m.may_write(&pupil, &cpe));
        assert!(m.may_write(&pupil, &parent));
        assert!(!m.may_write(&pupil, &other_pupil));
        assert!(!m.may_write(&pupil, &other_teacher));
        assert!(!m.may_write(&pupil, &other_parent));
        assert!(!m.may_write(&pupil, &pupil));
        // A parent: his child, his child's teachers, the staff; no other pupil or parent.
        assert!(m.may_write(&parent, &pupil));
        assert!(m.may_write(&parent, &teacher));
        assert!(m.may_write(&parent, &cpe));
        assert!(!m.may_write(&parent, &classmate));
        assert!(!m.may_write(&parent, &other_parent));
        assert!(!m.may_write(&parent, &other_teacher));
        // Teachers and staff: everyone.
        for to in [&pupil, &other_pupil, &other_teacher, &other_parent, &cpe] {
            assert!(m.may_write(&teacher, to));
        }
        for to in [&pupil, &other_pupil, &teacher, &other_parent] {
            assert!(m.may_write(&cpe, to));
        }
    }

    #[test]
    fn lists_only_where_the_members_are_reachable() {
        let m = Matrix::defaults();
        let teacher = person("m.prof", Profile::Enseignant, &["5B"]);
        let parent = person("mme.martin", Profile::Responsable, &["5B"]);
        let pupil = person("lucas", Profile::Eleve, &["5B"]);
        let cpe = person("cpe", Profile::VieScolaire, &[]);
        let c = |l: &str| List::parse(l).expect("list");
        // The teacher: his classes' lists, not the établissement's.
        assert!(m.may_use(&teacher, &c("parents:5B")));
        assert!(m.may_use(&teacher, &c("equipe:5B")));
        assert!(!m.may_use(&teacher, &c("parents:4A")));
        assert!(!m.may_use(&teacher, &c("parents")));
        assert!(!m.may_use(&teacher, &c("parents-niveau:5")));
        // The parent: « les enseignants de mon enfant », never the other parents.
        assert!(m.may_use(&parent, &c("equipe:5B")));
        assert!(!m.may_use(&parent, &c("parents:5B")));
        assert!(!m.may_use(&parent, &c("eleves:5B")));
        // A pupil: no list.
        assert!(!m.may_use(&pupil, &c("eleves:5B")));
        // The vie scolaire: every list.
        for l in [
            "parents",
            "eleves",
            "parents-niveau:6",
            "parents:4A",
            "personnels",
        ] {
            assert!(m.may_use(&cpe, &c(l)), "{l}");
        }
    }

    #[test]
    fn list_tokens_round_trip_and_refuse_junk() {
        for l in [
            List::ClassPupils("5B".into()),
            List::ClassParents("5B".into()),
            List::ClassTeam("5B".into()),
            List::LevelParents("6".into()),
            List::LevelPupils("6".into()),
            List::AllPupils,
            List::AllParents,
            List::AllTeachers,
            List::AllStaff,
        ] {
            assert_eq!(List::parse(&l.token()), Some(l));
        }
        for junk in ["", "eleves:", "eleves:5 B", "tous", "parents:5B:x", "x:5B"] {
            assert_eq!(List::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn an_edited_matrix_is_what_counts() {
        let m = Matrix::from_pairs(
            Matrix::defaults()
                .pairs()
                .filter(|(p, _)| *p != Profile::Eleve),
        );
        let pupil = person("lucas", Profile::Eleve, &["5B"]);
        let teacher = person("m.prof", Profile::Enseignant, &["5B"]);
        assert!(!m.may_write(&pupil, &teacher));
        assert!(m.may_write(&teacher, &pupil));
        assert!(m.scopes_of(Profile::Eleve).is_empty());
    }
}
