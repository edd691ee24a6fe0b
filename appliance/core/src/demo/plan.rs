//! The demo collège as a list of directory changes, computed from a fixed seed so every
//! demo has the same people, logins and passwords.

use std::collections::HashSet;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::names::{ADULT_GIVEN, BOYS, FAMILY, GIRLS};
use crate::auth::password;
use crate::directory::login;
use crate::directory::{
    Change, ClassCode, ClassRef, GroupCode, GroupKind, GroupRef, Jointure, Login, NewPerson,
    Profile, Structure, Uai,
};

const SEED: u64 = 0x0000_CA87_AB1E_2026;
const PUPILS_PER_CLASS: usize = 24;
const CLASSES: &[(&str, &str)] = &[
    ("6A", "6e A"),
    ("6B", "6e B"),
    ("5A", "5e A"),
    ("5B", "5e B"),
    ("4A", "4e A"),
    ("4B", "4e B"),
    ("3A", "3e A"),
    ("3B", "3e B"),
];

/// Subjects with how many teachers share them and the levels they are taught at.
const SUBJECTS: &[(&str, usize, &str)] = &[
    ("Français", 2, "6543"),
    ("Mathématiques", 2, "6543"),
    ("Histoire-géographie", 2, "6543"),
    ("Anglais", 2, "6543"),
    ("SVT", 1, "6543"),
    ("Physique-chimie", 1, "543"),
    ("Technologie", 1, "6543"),
    ("EPS", 2, "6543"),
    ("Arts plastiques", 1, "6543"),
    ("Éducation musicale", 1, "6543"),
    ("Espagnol", 1, "43"),
    ("Allemand", 1, "43"),
];

/// One demo login, as written to `demo-accounts.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: Login,
    pub password: String,
    pub profile: Profile,
    /// The pupil's class; a parent's children's classes; the class a teacher is
    /// professeur principal of.
    pub classe: String,
}

/// The demo établissement.
#[derive(Debug, Clone)]
pub struct DemoPlan {
    pub structure: Structure,
    /// Changes to apply, passwords not yet hashed.
    pub changes: Vec<Change>,
    pub accounts: Vec<DemoAccount>,
}

impl DemoPlan {
    /// The first account of a profile (to show on the console and in tests).
    pub fn first(&self, profile: Profile) -> Option<&DemoAccount> {
        self.accounts.iter().find(|a| a.profile == profile)
    }
}

struct Builder {
    rng: ChaCha8Rng,
    uai: Uai,
    used: HashSet<String>,
    changes: Vec<Change>,
    accounts: Vec<DemoAccount>,
    next_jointure: u32,
}

impl Builder {
    fn person(&mut self, profile: Profile, given: &str, family: &str, classe: &str) -> Login {
        let Some(login) = login::generate(given, family, |c| self.used.contains(c)) else {
            // 10 000 homonyms cannot happen with the fixed lists above.
            return Login::parse("demo").unwrap_or_else(|_| unreachable_login());
        };
        self.used.insert(login.as_str().to_owned());
        self.next_jointure += 1;
        let password = password::generate_readable(&mut self.rng, 10);
        // Pupils are born the year their level says (a 6e of 2026 in 2015).
        let birth_date = match (profile, classe.chars().next().and_then(|c| c.to_digit(10))) {
            (Profile::Eleve, Some(level)) => {
                use rand::Rng;
                let month = time::Month::try_from(self.rng.random_range(1..=12u8)).ok();
                let day = self.rng.random_range(1..=28u8);
                month.and_then(|m| time::Date::from_calendar_date(2009 + level as i32, m, day).ok())
            }
            _ => None,
        };
        self.changes.push(Change::CreatePerson {
            uai: Some(self.uai.clone()),
            person: NewPerson {
                login: login.clone(),
                jointure: Jointure::parse(&format!("D{:07}", self.next_jointure)).ok(),
                profile,
                given_name: given.to_owned(),
                family_name: family.to_uppercase(),
                // Parents and staff have the annuaire address an AAF feed would give.
                email: (profile != Profile::Eleve).then(|| format!("{login}@demo.invalid")),
                birth_date,
                password_hash: None,
                nt_hash: None,
                must_change_password: false,
            },
        });
        self.accounts.push(DemoAccount {
            login: login.clone(),
            password,
            profile,
            classe: classe.to_owned(),
        });
        login
    }

    fn code(&self, class: &str) -> ClassCode {
        ClassCode::parse(class).unwrap_or_else(|_| unreachable_class())
    }
}

#[allow(clippy::panic)] // Unreachable: the names are fixed in this file and always valid.
fn unreachable_login() -> Login {
    panic!("demo login generation failed")
}

#[allow(clippy::panic)] // Unreachable: class codes are the constants above.
fn unreachable_class() -> ClassCode {
    panic!("demo class code invalid")
}

/// Which établissement the demo plays (several demos beside one académie hub differ by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoIdentity {
    pub uai: Uai,
    pub name: String,
}

impl Default for DemoIdentity {
    fn default() -> Self {
        Self {
            uai: Uai("0869999Z".to_owned()),
            name: "Collège Les Tilleuls".to_owned(),
        }
    }
}

/// Builds the demo collège.
pub fn plan() -> DemoPlan {
    plan_for(&DemoIdentity::default())
}

/// Builds the demo collège as `identity` (same people and classes, its UAI and name).
pub fn plan_for(identity: &DemoIdentity) -> DemoPlan {
    let uai = identity.uai.clone();
    let structure = Structure {
        uai: uai.clone(),
        name: identity.name.clone(),
        kind: "CLG".to_owned(),
    };
    let mut b = Builder {
        rng: ChaCha8Rng::seed_from_u64(SEED),
        uai: uai.clone(),
        used: HashSet::new(),
        changes: vec![Change::UpsertStructure(structure.clone())],
        accounts: Vec::new(),
        next_jointure: 0,
    };

    for (code, label) in CLASSES {
        b.changes.push(Change::UpsertClass {
            uai: uai.clone(),
            class: ClassRef {
                code: b.code(code),
                label: (*label).to_owned(),
            },
        });
    }
    let groups = [
        ("4-ESP", "Espagnol LV2 4e", GroupKind::Groupe),
        ("4-ALL", "Allemand LV2 4e", GroupKind::Groupe),
        ("3-ESP", "Espagnol LV2 3e", GroupKind::Groupe),
        ("3-ALL", "Allemand LV2 3e", GroupKind::Groupe),
        ("5-LAT", "Latin 5e", GroupKind::Groupe),
        ("vie-scolaire", "Vie scolaire", GroupKind::Service),
        ("direction", "Direction", GroupKind::Service),
    ];
    for (code, label, kind) in groups {
        b.changes.push(Change::UpsertGroup {
            uai: uai.clone(),
            group: GroupRef {
                code: GroupCode(code.to_owned()),
                label: label.to_owned(),
                kind,
            },
        });
    }

    // Teachers and what they teach.
    let mut teachers: Vec<(Login, &str, usize, usize, &str)> = Vec::new();
    for &(subject, count, levels) in SUBJECTS {
        for i in 0..count {
            let given = *ADULT_GIVEN.choose(&mut b.rng).unwrap_or(&"Claire");
            let family = *FAMILY.choose(&mut b.rng).unwrap_or(&"Durand");
            let login = b.person(Profile::Enseignant, given, family, "");
            teachers.push((login, subject, i, count, levels));
        }
    }
    let mut teaching_changes = Vec::new();
    let mut principal_of: Vec<(usize, Login)> = Vec::new();
    for (ci, (code, _)) in CLASSES.iter().enumerate() {
        let level = &code[..1];
        let mut teaching_here = Vec::new();
        for (login, subject, i, count, levels) in &teachers {
            if levels.contains(level) && ci % count == *i {
                teaching_changes.push(Change::AddTeaching {
                    uai: uai.clone(),
                    teacher: login.clone(),
                    class: b.code(code),
                    subject: (*subject).to_owned(),
                });
                teaching_here.push(login.clone());
            }
        }
        // A different professeur principal per class, among the class's teachers.
        let taken: HashSet<&Login> = principal_of.iter().map(|(_, l)| l).collect();
        if let Some(pp) = teaching_here
            .iter()
            .find(|l| !taken.contains(l))
            .or(teaching_here.first())
            .cloned()
        {
            principal_of.push((ci, pp));
        }
    }
    for (ci, pp) in &principal_of {
        let code = CLASSES[*ci].0;
        teaching_changes.push(Change::SetPrincipal {
            uai: uai.clone(),
            class: b.code(code),
            teacher: pp.clone(),
        });
        if let Some(acc) = b.accounts.iter_mut().find(|a| &a.login == pp) {
            acc.classe = code.to_owned();
        }
    }

    // Pupils, their class and groups, and their responsables (siblings share them).
    let mut family_links: Vec<Change> = Vec::new();
    let mut last_family: Option<(String, Vec<(Login, usize)>)> = None;
    for (code, _) in CLASSES {
        for _ in 0..PUPILS_PER_CLASS {
            let girl = b.rng.random_bool(0.5);
            let given = *(if girl { GIRLS } else { BOYS })
                .choose(&mut b.rng)
                .unwrap_or(&"Camille");
            let sibling = b.rng.random_bool(0.12) && last_family.is_some();
            let family = match (&last_family, sibling) {
                (Some((f, _)), true) => f.clone(),
                _ => (*FAMILY.choose(&mut b.rng).unwrap_or(&"Durand")).to_owned(),
            };
            let pupil = b.person(Profile::Eleve, given, &family, code);
            b.changes.push(Change::AddToClass {
                uai: uai.clone(),
                class: b.code(code),
                pupil: pupil.clone(),
            });
            let group = match &code[..1] {
                "4" | "3" => Some(format!(
                    "{}-{}",
                    &code[..1],
                    if b.rng.random_bool(0.6) { "ESP" } else { "ALL" }
                )),
                "5" if b.rng.random_bool(0.25) => Some("5-LAT".to_owned()),
                _ => None,
            };
            if let Some(g) = group {
                b.changes.push(Change::AddToGroup {
                    uai: uai.clone(),
                    group: GroupCode(g),
                    member: pupil.clone(),
                });
            }

            let parents = match (&last_family, sibling) {
                (Some((_, parents)), true) => parents.clone(),
                _ => {
                    let count = if b.rng.random_bool(0.75) { 2 } else { 1 };
                    let mut ps = Vec::new();
                    for level in 1..=count {
                        let pg = *ADULT_GIVEN.choose(&mut b.rng).unwrap_or(&"Dominique");
                        let pf = if level == 2 && b.rng.random_bool(0.3) {
                            (*FAMILY.choose(&mut b.rng).unwrap_or(&"Durand")).to_owned()
                        } else {
                            family.clone()
                        };
                        let p = b.person(Profile::Responsable, pg, &pf, "");
                        ps.push((p, level));
                    }
                    ps
                }
            };
            for (parent, level) in &parents {
                family_links.push(Change::LinkResponsable {
                    child: pupil.clone(),
                    parent: parent.clone(),
                    level: *level as u8,
                });
                if let Some(acc) = b.accounts.iter_mut().find(|a| &a.login == parent) {
                    if !acc.classe.is_empty() {
                        acc.classe.push(',');
                    }
                    acc.classe.push_str(code);
                }
            }
            last_family = Some((family, parents));
        }
    }

    // Staff.
    let staff: [(Profile, &str, &str, Option<&str>); 9] = [
        (
            Profile::Direction,
            "Françoise",
            "Delaunay",
            Some("direction"),
        ),
        (Profile::Direction, "Marc", "Lefort", Some("direction")),
        (
            Profile::VieScolaire,
            "Karima",
            "Benali",
            Some("vie-scolaire"),
        ),
        (
            Profile::VieScolaire,
            "Julien",
            "Marais",
            Some("vie-scolaire"),
        ),
        (
            Profile::VieScolaire,
            "Inès",
            "Carvalho",
            Some("vie-scolaire"),
        ),
        (Profile::Documentaliste, "Agnès", "Pelletier", None),
        (Profile::Administratif, "Bruno", "Cazenave", None),
        (Profile::Admin, "Rachid", "Ouali", None),
        (Profile::Admin, "Admin", "ENT", None),
    ];
    for (profile, given, family, group) in staff {
        let login = b.person(profile, given, family, "");
        if let Some(g) = group {
            b.changes.push(Change::AddToGroup {
                uai: uai.clone(),
                group: GroupCode(g.to_owned()),
                member: login,
            });
        }
    }

    b.changes.extend(teaching_changes);
    b.changes.extend(family_links);
    // Links refer to people by login: create everyone first.
    b.changes.sort_by_key(|c| match c {
        Change::UpsertStructure(_) => 0,
        Change::UpsertClass { .. } | Change::UpsertGroup { .. } => 1,
        Change::CreatePerson { .. } => 2,
        _ => 3,
    });

    DemoPlan {
        structure,
        changes: b.changes,
        accounts: b.accounts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_complete() {
        let a = plan();
        let b = plan();
        assert_eq!(a.accounts, b.accounts);
        let count = |p| a.accounts.iter().filter(|x| x.profile == p).count();
        assert_eq!(count(Profile::Eleve), CLASSES.len() * PUPILS_PER_CLASS);
        assert!(count(Profile::Responsable) > count(Profile::Eleve));
        assert!(count(Profile::Enseignant) >= 10);
        assert!(count(Profile::VieScolaire) >= 1 && count(Profile::Direction) >= 1);
        let pp = a
            .changes
            .iter()
            .filter(|c| matches!(c, Change::SetPrincipal { .. }))
            .count();
        assert_eq!(pp, CLASSES.len(), "one professeur principal per class");
        let logins: HashSet<_> = a.accounts.iter().map(|x| &x.login).collect();
        assert_eq!(logins.len(), a.accounts.len(), "logins are unique");
    }
}
