//! A batch written the way `ldapadd` writes: each new person in one add that holds the values
//! the batch's links give it, values for entries that exist already added per entry in one
//! modification (a class's pupils, a group's members), uid numbers taken as one block, and the
//! adds and modifications pipelined on one connection. What needs reading first (updates,
//! unlinks, a responsable linked to a pupil who exists already) is written one change at a
//! time. Every step can be repeated: a batch interrupted half-way converges when applied again.

use std::collections::{HashMap, HashSet};

use ldap3::{Ldap, LdapError, LdapResult, Mod};
use tokio::task::JoinSet;

use super::pool::{Conn, ldap_err};
use super::write::Attrs;
use super::{Inner, rc};
use crate::directory::{Change, Login, NewPerson, Uai, equipe_code};
use crate::{Error, Result};

/// Operations sent ahead of their answers on the connection.
const IN_FLIGHT: usize = 64;

/// The attribute a slapd whose cartable schema predates it refuses.
const CONTACT_PRINCIPAL: &str = "cartableContactPrincipal";

/// A person the batch creates, with the values its links write inside the entry.
pub(super) struct NewEntry<'a> {
    pub uai: Option<&'a Uai>,
    pub person: &'a NewPerson,
    pub links: Vec<(&'static str, String)>,
}

/// Values to add to entries that exist already, per entry in the order first named.
#[derive(Default)]
struct Additions {
    order: Vec<String>,
    values: HashMap<String, Vec<(&'static str, String)>>,
}

impl Additions {
    fn push(&mut self, dn: String, name: &'static str, value: String) {
        let values = self.values.entry(dn.clone()).or_insert_with(|| {
            self.order.push(dn);
            Vec::new()
        });
        values.push((name, value));
    }
}

/// Where the values of a link go: inside the entry of a person the batch creates, or added to
/// an entry that exists.
struct Targets<'a, 'b> {
    created: &'b HashMap<&'a Login, usize>,
    people: &'b mut Vec<NewEntry<'a>>,
    additions: &'b mut Additions,
    tree: &'b super::names::Tree,
}

impl Targets<'_, '_> {
    fn person(&mut self, login: &Login, name: &'static str, value: String) {
        match self.created.get(login) {
            Some(&i) => self.people[i].links.push((name, value)),
            None => self.additions.push(self.tree.person(login), name, value),
        }
    }
}

/// The LDAP answer, or the failure to get one named after `what`.
fn code(r: std::result::Result<LdapResult, LdapError>, what: &str) -> Result<LdapResult> {
    r.map_err(ldap_err(what))
}

impl Inner {
    pub(super) async fn apply(&self, changes: &[Change], now: i64) -> Result<()> {
        self.check(changes).await?;
        let mut ordered: Vec<&Change> = changes.iter().collect();
        ordered.sort_by_key(|c| c.phase());

        let mut people: Vec<NewEntry<'_>> = Vec::new();
        let mut created: HashMap<&Login, usize> = HashMap::new();
        for c in &ordered {
            if let Change::CreatePerson { uai, person } = c {
                created.insert(&person.login, people.len());
                people.push(NewEntry {
                    uai: uai.as_ref(),
                    person,
                    links: Vec::new(),
                });
            }
        }
        let mut additions = Additions::default();
        let mut before: Vec<&Change> = Vec::new();
        let mut after: Vec<&Change> = Vec::new();
        let mut last: Vec<&Change> = Vec::new();
        {
            let t = &self.tree;
            let mut to = Targets {
                created: &created,
                people: &mut people,
                additions: &mut additions,
                tree: t,
            };
            for c in &ordered {
                match c {
                    Change::UpsertStructure(_)
                    | Change::UpsertClass { .. }
                    | Change::UpsertGroup { .. } => before.push(c),
                    Change::CreatePerson { .. } => {}
                    Change::UpdatePerson { .. } | Change::Unlink(_) => after.push(c),
                    Change::AddToClass { uai, class, pupil } => {
                        let class_dn = t.class(uai, class);
                        to.additions
                            .push(class_dn.clone(), "memberUid", pupil.to_string());
                        to.person(pupil, "ENTEleveClasses", class_dn);
                    }
                    Change::AddToGroup { uai, group, member } => {
                        to.additions
                            .push(t.group(uai, group), "memberUid", member.to_string());
                    }
                    Change::LinkResponsable {
                        child,
                        parent,
                        level,
                    } => match created.get(child) {
                        Some(&i) => {
                            let parent_dn = t.person(parent);
                            let links = &mut to.people[i].links;
                            links.push(("ENTElevePersRelEleve", parent_dn.clone()));
                            // Both legal responsables hold parental authority; the level
                            // says who is the main contact.
                            links.push(("ENTEleveAutoriteParentale", parent_dn.clone()));
                            if *level == 1 {
                                links.push((CONTACT_PRINCIPAL, parent_dn));
                            }
                            to.person(parent, "ENTAuxPersRelEleveEleve", t.person(child));
                        }
                        // The pupil exists: its main contact may have to move (read first).
                        None => last.push(c),
                    },
                    Change::AddTeaching {
                        uai,
                        teacher,
                        class,
                        subject,
                    } => {
                        to.person(teacher, "ENTAuxEnsClasses", t.class(uai, class));
                        to.person(
                            teacher,
                            "ENTAuxEnsClassesMatieres",
                            format!("{uai}${class}${subject}"),
                        );
                        to.person(teacher, "ENTAuxEnsMatiereEnseignEtab", subject.clone());
                        to.additions.push(
                            t.group(uai, &equipe_code(class)),
                            "memberUid",
                            teacher.to_string(),
                        );
                    }
                    Change::SetPrincipal {
                        uai,
                        class,
                        teacher,
                    } => to.person(teacher, "ENTAuxEnsClassesPrincipal", t.class(uai, class)),
                }
            }
        }

        let mut conn = self.pool.get().await?;
        for c in before {
            self.apply_one(&mut conn, c).await?;
        }
        self.create_people(&mut conn, &people, now).await?;
        for c in after {
            self.apply_one(&mut conn, c).await?;
        }
        self.add_per_entry(&mut conn, additions).await?;
        for c in last {
            self.apply_one(&mut conn, c).await?;
        }
        Ok(())
    }

    /// Creates people (numbers taken as one block, adds pipelined), then records their logins
    /// as given, in one modification.
    pub(super) async fn create_people(
        &self,
        conn: &mut Conn<'_>,
        people: &[NewEntry<'_>],
        now: i64,
    ) -> Result<()> {
        if people.is_empty() {
            return Ok(());
        }
        let first = self.allocate_ids(conn, people.len()).await?;
        let ldap: Ldap = (**conn).clone();
        let mut in_flight = JoinSet::new();
        let mut refused_contact = Vec::new();
        for (n, e) in (0_i64..).zip(people) {
            if in_flight.len() >= IN_FLIGHT {
                refused_contact.extend(added(in_flight.join_next().await)?);
            }
            let attrs = self.person_attrs(e.uai, e.person, first + n, now, &e.links);
            let dn = self.tree.person(&e.person.login);
            let mut l = ldap.clone();
            in_flight.spawn(async move {
                let r = l.add(&dn, attrs.clone()).await;
                (dn, attrs, r)
            });
        }
        while let Some(done) = in_flight.join_next().await {
            refused_contact.extend(added(Some(done))?);
        }
        // A slapd whose cartable schema predates the main contact: the pupil is created
        // without it, both parents linked, and the RUPN told to update the schema.
        for (dn, mut attrs) in refused_contact {
            attrs.retain(|(n, _)| n != CONTACT_PRINCIPAL);
            tracing::warn!(
                "schéma cartable sans {CONTACT_PRINCIPAL} : contact principal de {dn} non \
                 enregistré (mettre à jour le schéma)"
            );
            let r = code(conn.add(&dn, attrs).await, "create person")?;
            if r.rc != 0 && r.rc != rc::ALREADY_EXISTS {
                return Err(Error::Directory(format!("create person: {r}")));
            }
        }
        let logins: HashSet<String> = people
            .iter()
            .map(|e| e.person.login.as_str().to_owned())
            .collect();
        let counters = self.tree.counters();
        let m = vec![Mod::Add("cartableLoginUsed".to_owned(), logins.clone())];
        let r = code(conn.modify(&counters, m).await, "record logins")?;
        match r.rc {
            0 => Ok(()),
            // Some were recorded by a run that stopped half-way: one at a time.
            rc::ATTRIBUTE_OR_VALUE_EXISTS => {
                let values = logins.into_iter().map(|l| ("cartableLoginUsed", l));
                self.add_values(conn, &counters, values.collect()).await
            }
            _ => Err(Error::Directory(format!("record logins: {r}"))),
        }
    }

    /// Adds each entry's values in one modification, pipelined; an entry that holds one of
    /// them already gets them one at a time (adding a value already there is not an error).
    async fn add_per_entry(&self, conn: &mut Conn<'_>, additions: Additions) -> Result<()> {
        let Additions { order, mut values } = additions;
        let ldap: Ldap = (**conn).clone();
        let mut in_flight = JoinSet::new();
        let mut one_at_a_time = Vec::new();
        for dn in order {
            let Some(vals) = values.remove(&dn) else {
                continue;
            };
            if in_flight.len() >= IN_FLIGHT {
                one_at_a_time.extend(modified(in_flight.join_next().await)?);
            }
            let mut l = ldap.clone();
            in_flight.spawn(async move {
                let r = l.modify(&dn, mods_of(&vals)).await;
                (dn, vals, r)
            });
        }
        while let Some(done) = in_flight.join_next().await {
            one_at_a_time.extend(modified(Some(done))?);
        }
        for (dn, vals) in one_at_a_time {
            self.add_values(conn, &dn, vals).await?;
        }
        Ok(())
    }
}

type Added = (String, Attrs, std::result::Result<LdapResult, LdapError>);
type Modified = (
    String,
    Vec<(&'static str, String)>,
    std::result::Result<LdapResult, LdapError>,
);

/// The outcome of a pipelined add: done (or there already), or an entry to add again without
/// the main contact.
fn added(
    done: Option<std::result::Result<Added, tokio::task::JoinError>>,
) -> Result<Option<(String, Attrs)>> {
    let Some(done) = done else { return Ok(None) };
    let (dn, attrs, r) = done.map_err(|e| Error::Task(e.to_string()))?;
    let r = code(r, "create person")?;
    match r.rc {
        0 | rc::ALREADY_EXISTS => Ok(None),
        rc::UNDEFINED_ATTRIBUTE_TYPE | rc::OBJECT_CLASS_VIOLATION
            if attrs.iter().any(|(n, _)| n == CONTACT_PRINCIPAL) =>
        {
            Ok(Some((dn, attrs)))
        }
        _ => Err(Error::Directory(format!("create person {dn}: {r}"))),
    }
}

/// The outcome of a pipelined modification: done, or values to add one at a time.
#[allow(clippy::type_complexity)]
fn modified(
    done: Option<std::result::Result<Modified, tokio::task::JoinError>>,
) -> Result<Option<(String, Vec<(&'static str, String)>)>> {
    let Some(done) = done else { return Ok(None) };
    let (dn, vals, r) = done.map_err(|e| Error::Task(e.to_string()))?;
    let r = code(r, "add values")?;
    match r.rc {
        0 => Ok(None),
        rc::ATTRIBUTE_OR_VALUE_EXISTS => Ok(Some((dn, vals))),
        _ => Err(Error::Directory(format!("add values to {dn}: {r}"))),
    }
}

/// One `add` per attribute, holding all its values.
fn mods_of(values: &[(&'static str, String)]) -> Vec<Mod<String>> {
    let mut by_name: Vec<(&'static str, HashSet<String>)> = Vec::new();
    for (name, value) in values {
        match by_name.iter_mut().find(|(n, _)| n == name) {
            Some((_, set)) => {
                set.insert(value.clone());
            }
            None => by_name.push((name, HashSet::from([value.clone()]))),
        }
    }
    by_name
        .into_iter()
        .map(|(n, set)| Mod::Add(n.to_owned(), set))
        .collect()
}
