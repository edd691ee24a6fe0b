//! Applying a batch of changes to LDAP. LDAP has no multi-entry transaction, so the batch is
//! first checked as a whole (everything it refers to exists or is created by it, no login is
//! given twice) and nothing is written if that fails; then each change is applied in a way
//! that can be repeated, so a batch interrupted half-way converges when applied again.

use std::collections::{HashMap, HashSet};

use ldap3::{LdapError, LdapResult, Mod};

use super::names::{self, Tree, profile_class};
use super::pool::{Conn, ldap_err, one};
use super::{Inner, rc};
use crate::directory::{
    Change, ClassCode, GroupCode, GroupKind, Link, Login, NewPerson, Uai, check_responsable_level,
    equipe_code, equipe_of,
};
use crate::{Error, Result};

/// Accepts an LDAP result whose code is success or one of `ok_codes`.
pub(super) fn ignore(
    r: std::result::Result<LdapResult, LdapError>,
    ok_codes: &[u32],
    what: &str,
) -> Result<()> {
    let r = r.map_err(ldap_err(what))?;
    if r.rc == 0 || ok_codes.contains(&r.rc) {
        Ok(())
    } else {
        Err(Error::Directory(format!("{what}: {r}")))
    }
}

pub(super) type Attrs = Vec<(String, HashSet<String>)>;

/// Samba's algorithmic RID mapping: a SID derived from the uidNumber.
fn samba_sid(domain: &str, uid: i64) -> String {
    format!("{domain}-{}", uid * 2 + 1000)
}

/// The same mapping for groups (odd RIDs, so a group never takes a user's SID).
fn samba_group_sid(domain: &str, gid: i64) -> String {
    format!("{domain}-{}", gid * 2 + 1001)
}

/// `sambaGroupType` of a domain group.
const DOMAIN_GROUP: &str = "2";

fn has_class(e: &super::entry::Entry, class: &str) -> bool {
    e.all("objectClass")
        .iter()
        .any(|c| c.eq_ignore_ascii_case(class))
}

/// `sambaAcctFlags`: a normal user account, disabled or not.
fn samba_flags(active: bool) -> &'static str {
    if active {
        "[U          ]"
    } else {
        "[UD         ]"
    }
}

fn attr(attrs: &mut Attrs, name: &str, value: impl Into<String>) {
    let v = value.into();
    if !v.is_empty() {
        attrs.push((name.to_owned(), one(v)));
    }
}

impl Inner {
    /// Everything the batch refers to must exist or be created by it; no login twice.
    pub(super) async fn check(&self, changes: &[Change]) -> Result<()> {
        let t = &self.tree;
        let creates = changes
            .iter()
            .any(|c| matches!(c, Change::CreatePerson { .. }));
        // Logins given once, ever: read once for the batch, not twice per person.
        let taken = if creates {
            let logins: Vec<&Login> = changes
                .iter()
                .filter_map(|c| match c {
                    Change::CreatePerson { person, .. } => Some(&person.login),
                    _ => None,
                })
                .collect();
            self.logins_taken(&logins).await?
        } else {
            HashSet::new()
        };
        let mut created_people = HashSet::new();
        let mut created = HashSet::new();
        for c in changes {
            match c {
                Change::UpsertStructure(s) => {
                    created.insert(t.structure(&s.uai).to_lowercase());
                }
                Change::UpsertClass { uai, class } => {
                    created.insert(t.class(uai, &class.code).to_lowercase());
                    let equipe = equipe_code(&class.code);
                    created.insert(t.group(uai, &equipe).to_lowercase());
                }
                Change::UpsertGroup { uai, group } => {
                    created.insert(t.group(uai, &group.code).to_lowercase());
                }
                Change::CreatePerson { person, .. } => {
                    let first_in_batch = created_people.insert(person.login.clone());
                    if !first_in_batch || taken.contains(person.login.as_str()) {
                        return Err(Error::Invalid {
                            field: "login",
                            reason: format!("l'identifiant {} a déjà été attribué", person.login),
                        });
                    }
                }
                _ => {}
            }
        }
        created.extend(created_people.iter().map(|l| t.person(l).to_lowercase()));
        let mut known: HashMap<String, bool> = HashMap::new();
        for c in changes {
            let mut needs: Vec<(String, String)> = Vec::new();
            let person = |l: &Login| (t.person(l), format!("compte {l}"));
            let class = |u: &Uai, c: &ClassCode| (t.class(u, c), format!("classe {c}"));
            let group = |u: &Uai, g: &GroupCode| (t.group(u, g), format!("groupe {g}"));
            let structure = |u: &Uai| (t.structure(u), format!("établissement {u}"));
            match c {
                Change::UpsertStructure(_) => {}
                Change::UpsertClass { uai, .. } | Change::UpsertGroup { uai, .. } => {
                    needs.push(structure(uai));
                }
                Change::CreatePerson { uai, .. } => needs.extend(uai.as_ref().map(structure)),
                Change::UpdatePerson { login: l, .. } => needs.push(person(l)),
                // Removing what is not there is not an error.
                Change::Unlink(_) => {}
                Change::AddToClass {
                    uai,
                    class: code,
                    pupil,
                } => {
                    needs.push(class(uai, code));
                    needs.push(person(pupil));
                }
                Change::AddToGroup {
                    uai,
                    group: code,
                    member,
                } => {
                    needs.push(group(uai, code));
                    needs.push(person(member));
                }
                Change::LinkResponsable {
                    child,
                    parent,
                    level,
                } => {
                    check_responsable_level(*level)?;
                    needs.push(person(child));
                    needs.push(person(parent));
                }
                Change::AddTeaching {
                    uai,
                    teacher,
                    class: code,
                    ..
                }
                | Change::SetPrincipal {
                    uai,
                    teacher,
                    class: code,
                } => {
                    needs.push(class(uai, code));
                    needs.push(person(teacher));
                }
            }
            for (dn, what) in needs {
                let key = dn.to_lowercase();
                if created.contains(&key) {
                    continue;
                }
                let exists = match known.get(&key) {
                    Some(e) => *e,
                    None => {
                        let e = self.entry(&dn, &["1.1"]).await?.is_some();
                        known.insert(key, e);
                        e
                    }
                };
                if !exists {
                    return Err(Error::NotFound(what));
                }
            }
        }
        Ok(())
    }

    pub(super) async fn login_ever_used(&self, login: &Login) -> Result<bool> {
        let counters = self
            .entry(&self.tree.counters(), &["cartableLoginUsed"])
            .await?;
        let used = counters.is_some_and(|e| {
            e.all("cartableLoginUsed")
                .iter()
                .any(|l| l == login.as_str())
        });
        Ok(used || self.person_entry(login).await?.is_some())
    }

    /// Which of `logins` were ever given: recorded on the counters entry (read once) or
    /// naming an entry of the people branch (searched a few hundred at a time, under slapd's
    /// usual size limit of 500).
    async fn logins_taken(&self, logins: &[&Login]) -> Result<HashSet<String>> {
        let mut taken: HashSet<String> = self
            .entry(&self.tree.counters(), &["cartableLoginUsed"])
            .await?
            .map(|e| e.all("cartableLoginUsed").into_iter().collect())
            .unwrap_or_default();
        for part in logins.chunks(200) {
            let filter: String = part
                .iter()
                .map(|l| format!("(uid={})", ldap3::ldap_escape(l.as_str())))
                .collect();
            let found = self
                .search_one_level(&self.tree.people(), &format!("(|{filter})"), &["uid"])
                .await?;
            taken.extend(found.iter().filter_map(|e| e.first("uid")));
        }
        Ok(taken)
    }

    /// Next free uidNumber/gidNumber: compare-and-swap on the counter entry, so two writers
    /// never get the same number.
    async fn allocate_id(&self, conn: &mut Conn<'_>) -> Result<i64> {
        self.allocate_ids(conn, 1).await
    }

    /// `count` consecutive free numbers, the first returned, taken in one compare-and-swap.
    pub(super) async fn allocate_ids(&self, conn: &mut Conn<'_>, count: usize) -> Result<i64> {
        let dn = self.tree.counters();
        for _ in 0..50 {
            let current: i64 = self
                .entry(&dn, &["cartableNextId"])
                .await?
                .and_then(|e| e.first("cartableNextId"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(names::FIRST_ID);
            let swap = vec![
                Mod::Delete("cartableNextId".to_owned(), one(current.to_string())),
                Mod::Add(
                    "cartableNextId".to_owned(),
                    one((current + count as i64).to_string()),
                ),
            ];
            let r = conn
                .modify(&dn, swap)
                .await
                .map_err(ldap_err("allocate id"))?;
            match r.rc {
                0 => return Ok(current),
                rc::NO_SUCH_ATTRIBUTE => continue, // someone else took it
                _ => return Err(Error::Directory(format!("allocate id: {r}"))),
            }
        }
        Err(Error::Directory("allocate id: too much contention".into()))
    }

    /// Applies one single-value modification per value, accepting the codes in `ok`: adding a
    /// value already there, or removing one already gone, is not an error.
    async fn edit_values(
        &self,
        conn: &mut Conn<'_>,
        dn: &str,
        mods: Vec<(&str, String)>,
        make: fn(String, HashSet<String>) -> Mod<String>,
        ok: &[u32],
    ) -> Result<()> {
        for (name, value) in mods {
            let m = vec![make(name.to_owned(), one(value))];
            ignore(conn.modify(dn, m).await, ok, name)?;
        }
        Ok(())
    }

    pub(super) async fn add_values(
        &self,
        conn: &mut Conn<'_>,
        dn: &str,
        mods: Vec<(&str, String)>,
    ) -> Result<()> {
        self.edit_values(conn, dn, mods, Mod::Add, &[rc::ATTRIBUTE_OR_VALUE_EXISTS])
            .await
    }

    async fn del_values(
        &self,
        conn: &mut Conn<'_>,
        dn: &str,
        mods: Vec<(&str, String)>,
    ) -> Result<()> {
        self.edit_values(
            conn,
            dn,
            mods,
            Mod::Delete,
            &[rc::NO_SUCH_ATTRIBUTE, rc::NO_SUCH_OBJECT],
        )
        .await
    }

    async fn unlink(&self, conn: &mut Conn<'_>, link: &Link) -> Result<()> {
        let t = &self.tree;
        match link {
            Link::Class { uai, class, pupil } => {
                let class_dn = t.class(uai, class);
                self.del_values(conn, &class_dn, vec![("memberUid", pupil.to_string())])
                    .await?;
                self.del_values(conn, &t.person(pupil), vec![("ENTEleveClasses", class_dn)])
                    .await
            }
            Link::Group { uai, group, member } => {
                self.del_values(
                    conn,
                    &t.group(uai, group),
                    vec![("memberUid", member.to_string())],
                )
                .await
            }
            Link::Responsable { child, parent } => {
                let (child_dn, parent_dn) = (t.person(child), t.person(parent));
                self.del_values(
                    conn,
                    &parent_dn,
                    vec![("ENTAuxPersRelEleveEleve", child_dn.clone())],
                )
                .await?;
                self.del_values(
                    conn,
                    &child_dn,
                    vec![
                        ("ENTElevePersRelEleve", parent_dn.clone()),
                        ("ENTEleveAutoriteParentale", parent_dn.clone()),
                        ("cartableContactPrincipal", parent_dn),
                    ],
                )
                .await
            }
            Link::Teaching {
                uai,
                teacher,
                class,
                subject,
            } => {
                let dn = t.person(teacher);
                self.del_values(
                    conn,
                    &dn,
                    vec![(
                        "ENTAuxEnsClassesMatieres",
                        format!("{uai}${class}${subject}"),
                    )],
                )
                .await?;
                let prefix = format!("{uai}${class}$");
                let still = self
                    .entry(&dn, &["ENTAuxEnsClassesMatieres"])
                    .await?
                    .is_some_and(|e| {
                        e.all("ENTAuxEnsClassesMatieres")
                            .iter()
                            .any(|v| v.starts_with(&prefix))
                    });
                if !still {
                    self.del_values(conn, &dn, vec![("ENTAuxEnsClasses", t.class(uai, class))])
                        .await?;
                    self.del_values(
                        conn,
                        &t.group(uai, &equipe_code(class)),
                        vec![("memberUid", teacher.to_string())],
                    )
                    .await?;
                }
                Ok(())
            }
            Link::Principal {
                uai,
                class,
                teacher,
            } => {
                self.del_values(
                    conn,
                    &t.person(teacher),
                    vec![("ENTAuxEnsClassesPrincipal", t.class(uai, class))],
                )
                .await
            }
        }
    }

    async fn upsert_group(
        &self,
        conn: &mut Conn<'_>,
        dn: &str,
        code: &str,
        label: &str,
        kind: &str,
    ) -> Result<()> {
        let replace = vec![Mod::Replace("description".to_owned(), one(label))];
        let r = conn
            .modify(dn, replace)
            .await
            .map_err(ldap_err("update group"))?;
        if r.rc != rc::NO_SUCH_OBJECT {
            ignore(Ok(r), &[], "update group")?;
            return self.map_group_for_samba(conn, dn).await;
        }
        let gid = self.allocate_id(conn).await?;
        let mut classes = HashSet::from(["posixGroup".into(), "cartableGroup".into()]);
        let mut attrs: Attrs = vec![
            ("cn".into(), one(code)),
            ("gidNumber".into(), one(gid.to_string())),
            ("description".into(), one(label)),
            ("cartableGroupKind".into(), one(kind)),
        ];
        if let Some(sid) = &self.samba_sid {
            classes.insert("sambaGroupMapping".into());
            attrs.push(("sambaSID".into(), one(samba_group_sid(sid, gid))));
            attrs.push(("sambaGroupType".into(), one(DOMAIN_GROUP)));
        }
        attrs.push(("objectClass".into(), classes));
        ignore(
            conn.add(dn, attrs).await,
            &[rc::ALREADY_EXISTS],
            "create group",
        )
    }

    /// Gives a group created before Samba was configured its SID, so smbd puts its members'
    /// gid in their token (ldapsam reads memberships from posixGroups that carry a sambaSID).
    async fn map_group_for_samba(&self, conn: &mut Conn<'_>, dn: &str) -> Result<()> {
        let Some(sid) = &self.samba_sid else {
            return Ok(());
        };
        let Some(e) = self.entry(dn, &["objectClass", "gidNumber"]).await? else {
            return Ok(());
        };
        if has_class(&e, "sambaGroupMapping") {
            return Ok(());
        }
        let gid: i64 = e
            .first("gidNumber")
            .and_then(|g| g.parse().ok())
            .ok_or_else(|| Error::Directory(format!("{dn}: no gidNumber")))?;
        let mods = vec![
            Mod::Add("objectClass".to_owned(), one("sambaGroupMapping")),
            Mod::Add("sambaSID".to_owned(), one(samba_group_sid(sid, gid))),
            Mod::Add("sambaGroupType".to_owned(), one(DOMAIN_GROUP)),
        ];
        ignore(conn.modify(dn, mods).await, &[], "map group for Samba")
    }

    /// A new person's entry: the account, its numbers and hashes, and the values its links
    /// give it (`links`, written inside the entry rather than one modification each).
    pub(super) fn person_attrs(
        &self,
        uai: Option<&Uai>,
        p: &NewPerson,
        id: i64,
        now: i64,
        links: &[(&'static str, String)],
    ) -> Attrs {
        let t: &Tree = &self.tree;
        let classes = [
            "top",
            "person",
            "organizationalPerson",
            "inetOrgPerson",
            "posixAccount",
            "ENTPerson",
            "cartableAccount",
            profile_class(p.profile),
        ];
        let display = format!("{} {}", p.given_name, p.family_name);
        let mut attrs: Attrs = vec![(
            "objectClass".into(),
            classes.iter().map(|c| (*c).to_owned()).collect(),
        )];
        attr(&mut attrs, "uid", p.login.as_str());
        attr(&mut attrs, "cn", display.trim());
        attr(&mut attrs, "displayName", display.trim());
        attr(
            &mut attrs,
            "sn",
            if p.family_name.is_empty() {
                p.login.as_str()
            } else {
                &p.family_name
            },
        );
        attr(&mut attrs, "givenName", p.given_name.clone());
        attr(&mut attrs, "ENTPersonLogin", p.login.as_str());
        attr(&mut attrs, "ENTPersonProfils", p.profile.national_code());
        attr(&mut attrs, "employeeType", p.profile.as_str());
        if let Some(j) = &p.jointure {
            attr(&mut attrs, "ENTPersonJointure", j.as_str());
        }
        if let Some(u) = uai {
            attr(&mut attrs, "ENTPersonStructRattach", t.structure(u));
        }
        if let Some(m) = &p.email {
            attr(&mut attrs, "mail", m.clone());
        }
        if let Some(d) = p.birth_date {
            attr(
                &mut attrs,
                "ENTPersonDateNaissance",
                format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
            );
        }
        attr(&mut attrs, "uidNumber", id.to_string());
        attr(&mut attrs, "gidNumber", names::USERS_GID);
        attr(
            &mut attrs,
            "homeDirectory",
            format!("/srv/cartable/perso/{}", p.login),
        );
        attr(&mut attrs, "loginShell", "/usr/sbin/nologin");
        if let Some(h) = &p.password_hash {
            attr(&mut attrs, "userPassword", user_password(h));
        }
        if let (Some(sid), Some(nt)) = (&self.samba_sid, &p.nt_hash) {
            if let Some((_, classes)) = attrs.first_mut() {
                classes.insert("sambaSamAccount".to_owned());
            }
            attr(&mut attrs, "sambaSID", samba_sid(sid, id));
            attr(&mut attrs, "sambaNTPassword", nt.clone());
            attr(&mut attrs, "sambaPwdLastSet", now.to_string());
            attr(&mut attrs, "sambaAcctFlags", samba_flags(true));
        }
        attr(&mut attrs, "cartableAccountState", "active");
        attr(&mut attrs, "cartableStateSince", now.to_string());
        attr(
            &mut attrs,
            "cartableMustChangePassword",
            if p.must_change_password {
                "TRUE"
            } else {
                "FALSE"
            },
        );
        for (name, value) in links {
            match attrs.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => {
                    values.insert(value.clone());
                }
                None => attrs.push(((*name).to_owned(), one(value.clone()))),
            }
        }
        attrs
    }

    /// One change that needs reading first (structures, groups, updates, unlinks, a
    /// responsable linked to a pupil who exists).
    pub(super) async fn apply_one(&self, conn: &mut Conn<'_>, change: &Change) -> Result<()> {
        let t: &Tree = &self.tree;
        match change {
            Change::UpsertStructure(s) => {
                let dn = t.structure(&s.uai);
                let mut attrs: Attrs = vec![(
                    "objectClass".into(),
                    HashSet::from(["ENTStructure".into(), "ENTEtablissement".into()]),
                )];
                attr(&mut attrs, "ENTStructureUAI", s.uai.as_str());
                attr(&mut attrs, "ENTEtablissementUAI", s.uai.as_str());
                attr(&mut attrs, "ENTStructureNomCourant", s.name.clone());
                attr(&mut attrs, "ENTStructureTypeStruct", s.kind.clone());
                let r = conn
                    .add(&dn, attrs)
                    .await
                    .map_err(ldap_err("create structure"))?;
                if r.rc == rc::ALREADY_EXISTS {
                    let m = vec![
                        Mod::Replace("ENTStructureNomCourant".to_owned(), one(s.name.clone())),
                        Mod::Replace("ENTStructureTypeStruct".to_owned(), one(s.kind.clone())),
                    ];
                    ignore(conn.modify(&dn, m).await, &[], "update structure")?;
                } else {
                    ignore(Ok(r), &[], "create structure")?;
                }
                for (ou_dn, ou) in [(t.classes(&s.uai), "classes"), (t.groups(&s.uai), "groups")] {
                    let attrs: Attrs = vec![
                        ("objectClass".into(), one("organizationalUnit")),
                        ("ou".into(), one(ou)),
                    ];
                    ignore(
                        conn.add(&ou_dn, attrs).await,
                        &[rc::ALREADY_EXISTS],
                        "create ou",
                    )?;
                }
            }
            Change::UpsertClass { uai, class } => {
                let dn = t.class(uai, &class.code);
                self.upsert_group(conn, &dn, class.code.as_str(), &class.label, "classe")
                    .await?;
                let equipe = equipe_of(class);
                let dn = t.group(uai, &equipe.code);
                self.upsert_group(conn, &dn, equipe.code.as_str(), &equipe.label, "equipe")
                    .await?;
            }
            Change::UpsertGroup { uai, group } => {
                let dn = t.group(uai, &group.code);
                let kind = group.kind.as_str();
                debug_assert!(GroupKind::parse(kind).is_some());
                self.upsert_group(conn, &dn, group.code.as_str(), &group.label, kind)
                    .await?;
            }
            Change::Unlink(link) => self.unlink(conn, link).await?,
            Change::UpdatePerson { login, update } => {
                let dn = t.person(login);
                let current = self
                    .person_entry(login)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("compte {login}")))?;
                let given = update
                    .given_name
                    .clone()
                    .or_else(|| current.first("givenName"))
                    .unwrap_or_default();
                let family = update
                    .family_name
                    .clone()
                    .or_else(|| current.first("sn"))
                    .unwrap_or_default();
                let display = format!("{given} {family}").trim().to_owned();
                let mut mods = vec![
                    Mod::Replace("cn".to_owned(), one(display.clone())),
                    Mod::Replace("displayName".to_owned(), one(display)),
                ];
                if !family.is_empty() {
                    mods.push(Mod::Replace("sn".to_owned(), one(family)));
                }
                let given_set = if given.is_empty() {
                    HashSet::new()
                } else {
                    one(given)
                };
                mods.push(Mod::Replace("givenName".to_owned(), given_set));
                if let Some(mail) = &update.email {
                    let set = mail.clone().map(one).unwrap_or_default();
                    mods.push(Mod::Replace("mail".to_owned(), set));
                }
                ignore(conn.modify(&dn, mods).await, &[], "update person")?;
            }
            Change::LinkResponsable {
                child,
                parent,
                level,
            } => {
                let (child_dn, parent_dn) = (t.person(child), t.person(parent));
                self.add_values(
                    conn,
                    &parent_dn,
                    vec![("ENTAuxPersRelEleveEleve", child_dn.clone())],
                )
                .await?;
                self.add_values(
                    conn,
                    &child_dn,
                    vec![("ENTElevePersRelEleve", parent_dn.clone())],
                )
                .await?;
                // Both legal responsables hold parental authority; the level says who is
                // the main contact.
                self.add_values(
                    conn,
                    &child_dn,
                    vec![("ENTEleveAutoriteParentale", parent_dn.clone())],
                )
                .await?;
                if *level == 1 {
                    // A slapd whose cartable schema predates the attribute (a site installed
                    // before it) keeps both parents linked, the main contact unsaid.
                    let m = vec![Mod::Add(
                        "cartableContactPrincipal".to_owned(),
                        one(parent_dn),
                    )];
                    let r = conn
                        .modify(&child_dn, m)
                        .await
                        .map_err(ldap_err("main contact"))?;
                    match r.rc {
                        0 | rc::ATTRIBUTE_OR_VALUE_EXISTS => {}
                        rc::UNDEFINED_ATTRIBUTE_TYPE | rc::OBJECT_CLASS_VIOLATION => {
                            tracing::warn!(
                                "schéma cartable sans cartableContactPrincipal : contact \
                                 principal de {child} non enregistré (mettre à jour le schéma)"
                            );
                        }
                        _ => return Err(Error::Directory(format!("main contact: {r}"))),
                    }
                } else {
                    let m = vec![Mod::Delete(
                        "cartableContactPrincipal".to_owned(),
                        one(parent_dn),
                    )];
                    ignore(
                        conn.modify(&child_dn, m).await,
                        &[rc::NO_SUCH_ATTRIBUTE],
                        "responsable level",
                    )?;
                }
            }
            // Written by the batch itself (batch.rs): inside the new entries, or per entry.
            Change::CreatePerson { .. }
            | Change::AddToClass { .. }
            | Change::AddToGroup { .. }
            | Change::AddTeaching { .. }
            | Change::SetPrincipal { .. } => {
                return Err(Error::Directory(
                    "a batch's creations and links are not written one by one".into(),
                ));
            }
        }
        Ok(())
    }
}

impl Inner {
    pub(super) async fn set_password(
        &self,
        login: &Login,
        hashes: &crate::directory::PasswordHashes,
        must_change: bool,
    ) -> Result<()> {
        let mut mods = vec![
            Mod::Replace("userPassword".to_owned(), one(user_password(&hashes.phc))),
            Mod::Replace(
                "cartableMustChangePassword".to_owned(),
                one(if must_change { "TRUE" } else { "FALSE" }),
            ),
        ];
        if let (Some(sid), Some(nt)) = (&self.samba_sid, &hashes.nt) {
            let wanted = ["objectClass", "uidNumber", "cartableAccountState"];
            let e = self
                .entry(&self.tree.person(login), &wanted)
                .await?
                .ok_or_else(|| Error::NotFound(format!("compte {login}")))?;
            if !has_class(&e, "sambaSamAccount") {
                let uid: i64 = e
                    .first("uidNumber")
                    .and_then(|u| u.parse().ok())
                    .ok_or_else(|| Error::Directory(format!("{login}: no uidNumber")))?;
                mods.push(Mod::Add("objectClass".to_owned(), one("sambaSamAccount")));
                mods.push(Mod::Add("sambaSID".to_owned(), one(samba_sid(sid, uid))));
            }
            let active = e
                .first("cartableAccountState")
                .is_none_or(|s| s == "active");
            let now = self.clock.now().unix_timestamp().to_string();
            mods.push(Mod::Replace("sambaNTPassword".to_owned(), one(nt.clone())));
            mods.push(Mod::Replace("sambaPwdLastSet".to_owned(), one(now)));
            mods.push(Mod::Replace(
                "sambaAcctFlags".to_owned(),
                one(samba_flags(active)),
            ));
        }
        self.modify_person(login, mods, "set password").await
    }

    pub(super) async fn set_state(
        &self,
        login: &Login,
        state: crate::directory::AccountState,
        since: i64,
    ) -> Result<()> {
        let mut mods = vec![
            Mod::Replace("cartableAccountState".to_owned(), one(state.as_str())),
            Mod::Replace("cartableStateSince".to_owned(), one(since.to_string())),
        ];
        // A disabled account must not open SMB shares either.
        if self.samba_sid.is_some() {
            let e = self
                .entry(&self.tree.person(login), &["objectClass"])
                .await?;
            if e.is_some_and(|e| has_class(&e, "sambaSamAccount")) {
                let active = state == crate::directory::AccountState::Active;
                mods.push(Mod::Replace(
                    "sambaAcctFlags".to_owned(),
                    one(samba_flags(active)),
                ));
            }
        }
        self.modify_person(login, mods, "set state").await
    }

    async fn modify_person(&self, login: &Login, mods: Vec<Mod<String>>, what: &str) -> Result<()> {
        let mut conn = self.pool.get().await?;
        let r = conn
            .modify(&self.tree.person(login), mods)
            .await
            .map_err(ldap_err(what))?;
        if r.rc == rc::NO_SUCH_OBJECT {
            return Err(Error::NotFound(format!("compte {login}")));
        }
        ignore(Ok(r), &[], what)
    }

    /// Removes the person's entry, their group memberships and every DN pointing at them.
    pub(super) async fn delete(&self, login: &Login) -> Result<()> {
        let dn = self.tree.person(login);
        if self.entry(&dn, &["1.1"]).await?.is_none() {
            return Err(Error::NotFound(format!("compte {login}")));
        }
        let member = format!("(memberUid={})", ldap3::ldap_escape(login.as_str()));
        let groups = self
            .search(&self.tree.structures(), &member, &["1.1"])
            .await?;
        let escaped = ldap3::ldap_escape(&dn);
        let pointing = format!(
            "(|(ENTAuxPersRelEleveEleve={escaped})(ENTElevePersRelEleve={escaped})(ENTEleveAutoriteParentale={escaped})(cartableContactPrincipal={escaped}))"
        );
        let people = self
            .search(&self.tree.people(), &pointing, &["1.1"])
            .await?;
        let mut conn = self.pool.get().await?;
        for g in groups {
            let m = vec![Mod::Delete("memberUid".to_owned(), one(login.as_str()))];
            ignore(
                conn.modify(g.dn(), m).await,
                &[rc::NO_SUCH_ATTRIBUTE],
                "leave group",
            )?;
        }
        for p in people {
            for attr in [
                "ENTAuxPersRelEleveEleve",
                "ENTElevePersRelEleve",
                "ENTEleveAutoriteParentale",
                "cartableContactPrincipal",
            ] {
                let m = vec![Mod::Delete(attr.to_owned(), one(dn.clone()))];
                ignore(
                    conn.modify(p.dn(), m).await,
                    &[rc::NO_SUCH_ATTRIBUTE],
                    "unlink",
                )?;
            }
        }
        ignore(
            conn.delete(&dn).await,
            &[rc::NO_SUCH_OBJECT],
            "delete person",
        )
    }
}

/// `userPassword` for a stored hash: slapd verifies SHA-512-crypt (`$6$`) through libc's
/// crypt(3) as `{CRYPT}`, argon2id PHC strings with its argon2 module as `{ARGON2}`.
fn user_password(hash: &str) -> String {
    if crate::auth::password::is_crypt(hash) {
        format!("{{CRYPT}}{hash}")
    } else {
        format!("{{ARGON2}}{hash}")
    }
}
