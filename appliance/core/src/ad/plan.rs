//! What must change in the domain for it to match the annuaire: the annuaire's accounts and
//! groups as AD entries (desired), compared with what the domain holds under cartable's OU
//! (found). Pure: the same inputs give the same operations, so a comparison can be shown
//! before it is applied, and a second run after a successful one finds nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::account::{self, Attribute, Domain, Entry, PosixIds};
use crate::directory::{AccountState, Person, Posix, PosixGroupOf, Profile};

/// The attributes cartable owns on a user; anything else (AD's own) is left alone.
pub(super) const USER_ATTRIBUTES: &[&str] = &[
    "userPrincipalName",
    "employeeID",
    "givenName",
    "sn",
    "displayName",
    "uidNumber",
    "gidNumber",
    "unixHomeDirectory",
    "loginShell",
    "homeDirectory",
    "homeDrive",
    "scriptPath",
    "userAccountControl",
];

const GROUP_ATTRIBUTES: &[&str] = &["description", "gidNumber"];

/// An entry the domain holds: its DN and attributes (names lower-cased).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub dn: String,
    pub attributes: HashMap<String, Vec<Vec<u8>>>,
}

impl Found {
    pub fn first(&self, name: &str) -> Option<&str> {
        self.attributes
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .and_then(|v| std::str::from_utf8(v).ok())
    }
}

/// What the domain holds under cartable's OU.
#[derive(Debug, Clone, Default)]
pub struct FoundState {
    pub users: Vec<Found>,
    pub groups: Vec<Found>,
}

/// A change to make in the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A group, added without members (they follow once every account exists).
    AddGroup(Entry),
    /// An account; `login` says whose password may go in the same add.
    AddUser {
        login: String,
        entry: Entry,
    },
    /// An account whose profile changed: another OU.
    Move {
        dn: String,
        rdn: String,
        superior: String,
    },
    Replace {
        dn: String,
        attributes: Vec<Attribute>,
    },
    SetMembers {
        dn: String,
        members: Vec<String>,
    },
    Delete {
        dn: String,
    },
}

/// An account the domain cannot take, with why (a login Windows cannot log on with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub login: String,
    pub reason: String,
}

/// The annuaire as the domain should hold it.
#[derive(Debug, Clone, Default)]
pub struct Desired {
    /// Users by lower-case `sAMAccountName`.
    pub users: BTreeMap<String, (String, Entry)>,
    pub groups: BTreeMap<String, (Entry, Vec<String>)>,
    pub refused: Vec<Refused>,
}

/// The desired domain: every account with unix ids but parents', enabled only when active in
/// the annuaire and when the domain holds its ENT password (`with_password`, by login): an
/// account is never enabled without one. Classes and groups become groups named as unix
/// names them (`cl-6a`, `gr-4-esp`), cut to 20 characters.
pub fn desired(
    domain: &Domain,
    people: &[Person],
    posix: &Posix,
    labels: &HashMap<String, String>,
    with_password: &HashSet<String>,
) -> Desired {
    let mut out = Desired::default();
    let by_login: HashMap<&str, &Person> = people.iter().map(|p| (p.login.as_str(), p)).collect();
    let mut dn_of: HashMap<&str, String> = HashMap::new();
    for a in &posix.accounts {
        let Some(person) = by_login.get(a.login.as_str()) else {
            continue;
        };
        if person.profile == Profile::Responsable {
            continue;
        }
        let anchor = person
            .jointure
            .as_ref()
            .map_or(person.login.as_str(), |j| j.as_str());
        let ids = PosixIds {
            uid: a.uid,
            gid: a.gid,
        };
        match account::user_entry(domain, person, anchor, ids, None) {
            Ok(mut entry) => {
                let enabled = person.state == AccountState::Active
                    && with_password.contains(person.login.as_str());
                let uac = if enabled {
                    account::UAC_ENABLED
                } else {
                    account::UAC_ENABLED | account::UAC_DISABLE
                };
                for (name, values) in &mut entry.attributes {
                    if name.eq_ignore_ascii_case("userAccountControl") {
                        *values = vec![uac.to_string().into_bytes()];
                    }
                }
                dn_of.insert(a.login.as_str(), entry.dn.clone());
                out.users.insert(
                    person.login.as_str().to_ascii_lowercase(),
                    (person.login.as_str().to_owned(), entry),
                );
            }
            Err(e) => out.refused.push(Refused {
                login: person.login.as_str().to_owned(),
                reason: match e {
                    crate::Error::Invalid { reason, .. } => reason,
                    other => other.to_string(),
                },
            }),
        }
    }
    let mut used = HashSet::new();
    for g in &posix.groups {
        let (prefix, code) = match &g.of {
            PosixGroupOf::Class(c) => ("cl", c.as_str()),
            PosixGroupOf::Group(c, crate::directory::GroupKind::Groupe) => ("gr", c.as_str()),
            PosixGroupOf::Group(c, crate::directory::GroupKind::Equipe) => ("eq", c.as_str()),
            PosixGroupOf::Group(c, crate::directory::GroupKind::Service) => ("sv", c.as_str()),
        };
        let mut sam = format!("{prefix}-{}", crate::files::unix::unix_name(code));
        sam.truncate(account::MAX_SAM);
        if !used.insert(sam.clone()) {
            let suffix = format!("-{}", g.gid);
            sam.truncate(account::MAX_SAM - suffix.len());
            sam.push_str(&suffix);
            used.insert(sam.clone());
        }
        let label = labels.get(code).cloned().unwrap_or_else(|| code.to_owned());
        let mut members: Vec<String> = g
            .members
            .iter()
            .filter_map(|m| dn_of.get(m.as_str()).cloned())
            .collect();
        members.sort();
        if let Ok(entry) = account::group_entry(domain, &sam, &label, g.gid, &[]) {
            out.groups
                .insert(sam.to_ascii_lowercase(), (entry, members));
        }
    }
    out
}

fn values_of<'a>(entry: &'a Entry, name: &str) -> &'a [Vec<u8>] {
    entry.get(name).unwrap_or(&[])
}

fn same_dn(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The operations that make `found` into `desired`, in the order they can be applied.
pub fn plan(desired: &Desired, found: &FoundState) -> Vec<Op> {
    let sam_of = |f: &Found| f.first("sAMAccountName").map(str::to_ascii_lowercase);
    let found_users: HashMap<String, &Found> = found
        .users
        .iter()
        .filter_map(|f| Some((sam_of(f)?, f)))
        .collect();
    let found_groups: HashMap<String, &Found> = found
        .groups
        .iter()
        .filter_map(|f| Some((sam_of(f)?, f)))
        .collect();
    let mut adds_groups = Vec::new();
    let mut users = Vec::new();
    let mut members = Vec::new();

    for (sam, (entry, want)) in &desired.groups {
        match found_groups.get(sam) {
            None => {
                adds_groups.push(Op::AddGroup(entry.clone()));
                if !want.is_empty() {
                    members.push(Op::SetMembers {
                        dn: entry.dn.clone(),
                        members: want.clone(),
                    });
                }
            }
            Some(f) => {
                let changed = changed_attributes(entry, f, GROUP_ATTRIBUTES);
                if !changed.is_empty() {
                    users.push(Op::Replace {
                        dn: f.dn.clone(),
                        attributes: changed,
                    });
                }
                let have: HashSet<String> = f
                    .attributes
                    .get("member")
                    .into_iter()
                    .flatten()
                    .map(|m| String::from_utf8_lossy(m).to_ascii_lowercase())
                    .collect();
                let wanted: HashSet<String> = want.iter().map(|m| m.to_ascii_lowercase()).collect();
                if have != wanted {
                    members.push(Op::SetMembers {
                        dn: f.dn.clone(),
                        members: want.clone(),
                    });
                }
            }
        }
    }
    for (sam, (login, entry)) in &desired.users {
        match found_users.get(sam) {
            None => users.push(Op::AddUser {
                login: login.clone(),
                entry: entry.clone(),
            }),
            Some(f) => {
                if !same_dn(&f.dn, &entry.dn)
                    && let Some((rdn, superior)) = entry.dn.split_once(',')
                {
                    users.push(Op::Move {
                        dn: f.dn.clone(),
                        rdn: rdn.to_owned(),
                        superior: superior.to_owned(),
                    });
                }
                let changed = changed_attributes(entry, f, USER_ATTRIBUTES);
                if !changed.is_empty() {
                    users.push(Op::Replace {
                        dn: entry.dn.clone(),
                        attributes: changed,
                    });
                }
            }
        }
    }
    // Accounts first, then the groups they were in; each in DN order (stable reports).
    let mut gone_users: Vec<&str> = found_users
        .iter()
        .filter(|(sam, _)| !desired.users.contains_key(*sam))
        .map(|(_, f)| f.dn.as_str())
        .collect();
    let mut gone_groups: Vec<&str> = found_groups
        .iter()
        .filter(|(sam, _)| !desired.groups.contains_key(*sam))
        .map(|(_, f)| f.dn.as_str())
        .collect();
    gone_users.sort_unstable();
    gone_groups.sort_unstable();
    let deletes = gone_users
        .into_iter()
        .chain(gone_groups)
        .map(|dn| Op::Delete { dn: dn.to_owned() });
    adds_groups
        .into_iter()
        .chain(users)
        .chain(members)
        .chain(deletes)
        .collect()
}

fn changed_attributes(entry: &Entry, found: &Found, names: &[&'static str]) -> Vec<Attribute> {
    names
        .iter()
        .filter_map(|name| {
            let want = values_of(entry, name);
            let have = found
                .attributes
                .get(&name.to_ascii_lowercase())
                .map_or(&[][..], Vec::as_slice);
            let mut w = want.to_vec();
            let mut h = have.to_vec();
            w.sort();
            h.sort();
            (w != h).then(|| (*name, want.to_vec()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{ClassCode, Login, PosixAccount, PosixGroup};

    fn person(login: &str, profile: Profile, state: AccountState) -> Person {
        Person {
            profile,
            ..super::super::account::tests::pupil(login, state)
        }
    }

    fn account(login: &str, uid: u32) -> PosixAccount {
        PosixAccount {
            login: Login::parse(login).expect("login"),
            uid,
            gid: 10_000,
        }
    }

    fn class(code: &str, gid: u32, members: &[&str]) -> PosixGroup {
        PosixGroup {
            of: PosixGroupOf::Class(ClassCode::parse(code).expect("class")),
            gid,
            members: members
                .iter()
                .map(|m| Login::parse(m).expect("login"))
                .collect(),
        }
    }

    /// What the domain would hold once `ops` are applied to an empty OU (enough to check
    /// that a second comparison finds nothing).
    fn applied(found: &mut FoundState, ops: &[Op]) {
        let lower = |a: &Attribute| (a.0.to_ascii_lowercase(), a.1.clone());
        for op in ops {
            match op {
                Op::AddGroup(e) => found.groups.push(Found {
                    dn: e.dn.clone(),
                    attributes: e.attributes.iter().map(lower).collect(),
                }),
                Op::AddUser { entry, .. } => found.users.push(Found {
                    dn: entry.dn.clone(),
                    attributes: entry.attributes.iter().map(lower).collect(),
                }),
                Op::Replace { dn, attributes } => {
                    for f in found.users.iter_mut().chain(found.groups.iter_mut()) {
                        if f.dn.eq_ignore_ascii_case(dn) {
                            f.attributes.extend(attributes.iter().map(lower));
                        }
                    }
                }
                Op::SetMembers { dn, members } => {
                    for g in &mut found.groups {
                        if g.dn.eq_ignore_ascii_case(dn) {
                            g.attributes.insert(
                                "member".into(),
                                members.iter().map(|m| m.as_bytes().to_vec()).collect(),
                            );
                        }
                    }
                }
                Op::Delete { dn } => {
                    found.users.retain(|f| !f.dn.eq_ignore_ascii_case(dn));
                    found.groups.retain(|f| !f.dn.eq_ignore_ascii_case(dn));
                }
                Op::Move { .. } => {}
            }
        }
    }

    fn domain() -> Domain {
        Domain::new("e2e.test", "fs").expect("domain")
    }

    #[test]
    fn an_empty_domain_gets_everyone_but_parents_and_a_second_run_finds_nothing() {
        let people = vec![
            person("zoe.lefevre", Profile::Eleve, AccountState::Active),
            person("paul.prof", Profile::Enseignant, AccountState::Active),
            person("mme.parent", Profile::Responsable, AccountState::Active),
        ];
        let posix = Posix {
            accounts: vec![
                account("zoe.lefevre", 20_001),
                account("paul.prof", 20_002),
                account("mme.parent", 20_003),
            ],
            groups: vec![class("6A", 30_001, &["zoe.lefevre"])],
        };
        let with = HashSet::from(["zoe.lefevre".to_owned()]);
        let want = desired(&domain(), &people, &posix, &HashMap::new(), &with);
        assert_eq!(want.users.len(), 2, "no domain account for a parent");
        let mut found = FoundState::default();
        let ops = plan(&want, &found);
        assert!(matches!(ops[0], Op::AddGroup(_)), "groups first: {ops:?}");
        assert!(
            matches!(ops.last(), Some(Op::SetMembers { members, .. })
                if members == &["CN=zoe.lefevre,OU=eleves,OU=cartable,DC=e2e,DC=test".to_owned()]),
            "members once the accounts exist: {ops:?}"
        );
        // The teacher has no password in the domain yet: added disabled.
        let uac = |login: &str| {
            want.users[login]
                .1
                .get("userAccountControl")
                .map(|v| String::from_utf8_lossy(&v[0]).into_owned())
        };
        assert_eq!(uac("zoe.lefevre").as_deref(), Some("66048"));
        assert_eq!(uac("paul.prof").as_deref(), Some("66050"));
        applied(&mut found, &ops);
        assert_eq!(plan(&want, &found), Vec::new());
    }

    #[test]
    fn a_class_change_a_disabling_and_a_departure_are_three_differences() {
        let mut people = vec![
            person("zoe.lefevre", Profile::Eleve, AccountState::Active),
            person("hugo.petit", Profile::Eleve, AccountState::Active),
        ];
        let with = HashSet::from(["zoe.lefevre".to_owned(), "hugo.petit".to_owned()]);
        let posix = Posix {
            accounts: vec![
                account("zoe.lefevre", 20_001),
                account("hugo.petit", 20_002),
            ],
            groups: vec![
                class("6A", 30_001, &["zoe.lefevre", "hugo.petit"]),
                class("6B", 30_002, &[]),
            ],
        };
        let mut found = FoundState::default();
        let want = desired(&domain(), &people, &posix, &HashMap::new(), &with);
        let ops = plan(&want, &found);
        applied(&mut found, &ops);

        // Zoé moves to 6B, Hugo is disabled by the import.
        people[1].state = AccountState::Disabled;
        let moved = Posix {
            groups: vec![
                class("6A", 30_001, &["hugo.petit"]),
                class("6B", 30_002, &["zoe.lefevre"]),
            ],
            ..posix.clone()
        };
        let want = desired(&domain(), &people, &moved, &HashMap::new(), &with);
        let ops = plan(&want, &found);
        assert_eq!(ops.len(), 3, "{ops:?}");
        assert!(
            ops.iter()
                .any(|o| matches!(o, Op::Replace { attributes, .. }
            if attributes == &vec![("userAccountControl", vec![b"66050".to_vec()])]))
        );
        applied(&mut found, &ops);

        // Hugo leaves: deleted with his account; Zoé's login was never a Windows one.
        let gone = Posix {
            accounts: vec![account("zoe.lefevre", 20_001)],
            groups: vec![class("6B", 30_002, &["zoe.lefevre"])],
        };
        let want = desired(&domain(), &people[..1], &gone, &HashMap::new(), &with);
        let ops = plan(&want, &found);
        assert!(ops.contains(&Op::Delete {
            dn: "CN=hugo.petit,OU=eleves,OU=cartable,DC=e2e,DC=test".into()
        }));
        assert!(ops.contains(&Op::Delete {
            dn: "CN=cl-6a,OU=groupes,OU=cartable,DC=e2e,DC=test".into()
        }));
    }

    #[test]
    fn a_login_windows_cannot_take_is_refused_not_written() {
        assert!(Login::parse("jean-christophe.delafontaine").is_err());
        assert!(Login::parse("zoé.lefèvre").is_err());
        // The annuaire's logins are already 20 lower-case ASCII characters at most; a final
        // dot is the one thing it takes and Windows does not.
        let long = "zoe.lefevre.";
        let people = vec![person(long, Profile::Eleve, AccountState::Active)];
        let posix = Posix {
            accounts: vec![account(long, 20_001)],
            groups: vec![class("6A", 30_001, &[long])],
        };
        let want = desired(&domain(), &people, &posix, &HashMap::new(), &HashSet::new());
        assert!(want.users.is_empty());
        assert_eq!(want.refused.len(), 1);
        assert!(
            want.refused[0].reason.contains("ASCII"),
            "{:?}",
            want.refused
        );
        assert_eq!(want.groups["cl-6a"].1, Vec::<String>::new());
    }
}
