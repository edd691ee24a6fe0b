//! The OpenLDAP backend: the annuaire on slapd with the SDET schema
//! (`packaging/ldap/schema/`), so other ENT software can read the same entries. LDAP work runs
//! on the backend's own small runtime, through a pool of connections bound as the service
//! account; sign-in binds as the person, so slapd itself checks the password.

mod backup;
mod batch;
mod entry;
mod last_logins;
mod names;
mod pool;
mod read_cache;
mod write;

use std::future::Future;
use std::sync::Arc;

use ldap3::{Scope, SearchEntry, ldap_escape};

use self::entry::{Entry, person_from};
use self::names::{PERSON_ATTRS, Tree};
use self::pool::{Pool, ldap_err, one};
use super::{
    AccountState, AuthOutcome, Change, ClassCode, ClassRef, DirectoryAuth, DirectoryRead,
    DirectoryWrite, GroupCode, GroupKind, GroupRef, Jointure, Login, PasswordHashes, Person,
    PersonPage, PersonQuery, Posix, PosixAccount, PosixGroup, PosixGroupOf, Relations, Relative,
    Structure, Teaching, Uai,
};
use crate::clock::SharedClock;
use crate::config::LdapConfig;
use crate::{Error, Result};

/// LDAP result codes this backend tells apart.
pub(super) mod rc {
    pub const NO_SUCH_ATTRIBUTE: u32 = 16;
    pub const UNDEFINED_ATTRIBUTE_TYPE: u32 = 17;
    pub const OBJECT_CLASS_VIOLATION: u32 = 65;
    pub const ATTRIBUTE_OR_VALUE_EXISTS: u32 = 20;
    pub const NO_SUCH_OBJECT: u32 = 32;
    pub const INVALID_CREDENTIALS: u32 = 49;
    pub const ALREADY_EXISTS: u32 = 68;
}

#[derive(Clone)]
pub struct LdapDirectory {
    inner: Arc<Inner>,
    runtime: Arc<Runtime>,
}

pub(super) struct Inner {
    pool: Pool,
    tree: Tree,
    clock: SharedClock,
    /// Samba domain SID when accounts are Samba accounts too.
    samba_sid: Option<String>,
    /// Sign-in times not yet written to the annuaire.
    last_logins: last_logins::LastLogins,
    /// The signed-in people's entries and relations, for a few seconds.
    cache: read_cache::ReadCache,
}

/// The backend's runtime; shut down without blocking when the last handle goes.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl LdapDirectory {
    /// Connects, checks the base entry exists and creates the organisational units cartable
    /// needs under it.
    pub async fn connect(config: LdapConfig, clock: SharedClock) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cartable-ldap")
            .enable_all()
            .build()
            .map_err(|e| Error::Directory(format!("LDAP runtime: {e}")))?;
        let dir = Self {
            inner: Arc::new(Inner {
                tree: Tree {
                    base: config.base_dn.clone(),
                },
                samba_sid: config.samba_domain_sid.clone(),
                pool: Pool::new(config)?,
                clock,
                last_logins: last_logins::LastLogins::default(),
                cache: read_cache::ReadCache::default(),
            }),
            runtime: Arc::new(Runtime(Some(rt))),
        };
        dir.run(|i| async move { i.ensure_tree().await }).await?;
        if let Some(rt) = &dir.runtime.0 {
            rt.spawn(last_logins::writer(Arc::downgrade(&dir.inner)));
        }
        Ok(dir)
    }

    async fn run<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: FnOnce(Arc<Inner>) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let rt = self
            .runtime
            .0
            .as_ref()
            .ok_or_else(|| Error::Directory("LDAP runtime stopped".into()))?;
        rt.spawn(f(Arc::clone(&self.inner)))
            .await
            .map_err(|e| Error::Task(e.to_string()))?
    }
}

impl Inner {
    /// A person from its entry, with a sign-in time not yet written.
    fn person(&self, e: &Entry) -> Result<Person> {
        let mut p = person_from(e)?;
        if let Some(t) = self.last_logins.pending(p.login.as_str()) {
            p.last_login = Some(t);
        }
        Ok(p)
    }

    /// The établissement's entry, if it exists yet.
    async fn structure(&self) -> Result<Option<Structure>> {
        let found = self
            .search(
                &self.tree.structures(),
                "(objectClass=ENTStructure)",
                &[
                    "ENTStructureUAI",
                    "ENTStructureNomCourant",
                    "ENTStructureTypeStruct",
                ],
            )
            .await?;
        let Some(e) = found.first() else {
            return Ok(None);
        };
        Ok(Some(Structure {
            uai: Uai::parse(&e.first("ENTStructureUAI").unwrap_or_default())?,
            name: e.first("ENTStructureNomCourant").unwrap_or_default(),
            kind: e.first("ENTStructureTypeStruct").unwrap_or_default(),
        }))
    }

    async fn ensure_tree(&self) -> Result<()> {
        let base = self.tree.base.clone();
        if self.entry(&base, &["objectClass"]).await?.is_none() {
            return Err(Error::Directory(format!(
                "la base {base} n'existe pas dans l'annuaire LDAP"
            )));
        }
        let mut conn = self.pool.get().await?;
        for (dn, ou) in [
            (self.tree.people(), "people"),
            (self.tree.structures(), "structures"),
        ] {
            let attrs = vec![
                ("objectClass".to_owned(), one("organizationalUnit")),
                ("ou".to_owned(), one(ou)),
            ];
            write::ignore(
                conn.add(&dn, attrs).await,
                &[rc::ALREADY_EXISTS],
                "create ou",
            )?;
        }
        let counter = vec![
            ("objectClass".to_owned(), one("cartableCounter")),
            ("cn".to_owned(), one("cartable")),
            (
                "cartableNextId".to_owned(),
                one(names::FIRST_ID.to_string()),
            ),
        ];
        write::ignore(
            conn.add(&self.tree.counters(), counter).await,
            &[rc::ALREADY_EXISTS],
            "create counters",
        )?;
        Ok(())
    }

    /// One entry by DN, or None.
    async fn entry(&self, dn: &str, attrs: &[&str]) -> Result<Option<Entry>> {
        let mut conn = self.pool.get().await?;
        let res = conn.search(dn, Scope::Base, "(objectClass=*)", attrs).await;
        let res = match res {
            Ok(r) => r,
            Err(e) => {
                conn.broken();
                return Err(ldap_err("search")(e));
            }
        };
        if res.1.rc == rc::NO_SUCH_OBJECT {
            return Ok(None);
        }
        let (entries, _) = res.success().map_err(ldap_err("search"))?;
        Ok(entries
            .into_iter()
            .next()
            .map(|e| Entry(SearchEntry::construct(e))))
    }

    async fn search(&self, base: &str, filter: &str, attrs: &[&str]) -> Result<Vec<Entry>> {
        self.search_in(base, Scope::Subtree, filter, attrs).await
    }

    async fn search_one_level(
        &self,
        base: &str,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Vec<Entry>> {
        self.search_in(base, Scope::OneLevel, filter, attrs).await
    }

    async fn search_in(
        &self,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Vec<Entry>> {
        let mut conn = self.pool.get().await?;
        let res = match conn.search(base, scope, filter, attrs).await {
            Ok(r) => r,
            Err(e) => {
                conn.broken();
                return Err(ldap_err("search")(e));
            }
        };
        if res.1.rc == rc::NO_SUCH_OBJECT {
            return Ok(Vec::new());
        }
        let (entries, _) = res.success().map_err(ldap_err("search"))?;
        Ok(entries
            .into_iter()
            .map(|e| Entry(SearchEntry::construct(e)))
            .collect())
    }

    async fn person_entry(&self, login: &Login) -> Result<Option<Entry>> {
        self.entry(&self.tree.person(login), PERSON_ATTRS).await
    }

    /// Groups of every kind, classes included, a login is a member of.
    async fn groups_of(&self, login: &str) -> Result<Vec<Entry>> {
        let filter = format!(
            "(&(objectClass=cartableGroup)(memberUid={}))",
            ldap_escape(login)
        );
        self.search(
            &self.tree.structures(),
            &filter,
            &["cn", "description", "cartableGroupKind"],
        )
        .await
    }

    async fn relatives(
        &self,
        dns: Vec<String>,
        authority: &(dyn Fn(&Entry) -> bool + Sync),
        with_class: bool,
    ) -> Result<Vec<(Relative, String, String)>> {
        // All of them in one search by uid (their RDN), kept only where the DN is the one
        // named; then all their classes in one more.
        let uids: Vec<String> = dns
            .iter()
            .filter_map(|dn| entry::first_rdn_value(dn))
            .collect();
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let any_of = |attr: &str| {
            let alts: String = uids
                .iter()
                .map(|u| format!("({attr}={})", ldap_escape(u)))
                .collect();
            format!("(|{alts})")
        };
        let found = self
            .search(&self.tree.people(), &any_of("uid"), PERSON_ATTRS)
            .await?;
        let mut classes: std::collections::HashMap<String, ClassRef> = Default::default();
        if with_class {
            let filter = format!(
                "(&(objectClass=cartableGroup)(cartableGroupKind=classe){})",
                any_of("memberUid")
            );
            for e in self
                .search(
                    &self.tree.structures(),
                    &filter,
                    &["cn", "description", "memberUid"],
                )
                .await?
            {
                let class = ClassRef {
                    code: ClassCode::parse(&e.first("cn").unwrap_or_default())?,
                    label: e.first("description").unwrap_or_default(),
                };
                for member in e.all("memberUid") {
                    // The first class by code, as a child's relations list them.
                    match classes.get(&member) {
                        Some(c) if c.code <= class.code => {}
                        _ => {
                            classes.insert(member, class.clone());
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for e in found {
            if !dns.iter().any(|d| d.eq_ignore_ascii_case(e.dn())) {
                continue;
            }
            let p = self.person(&e)?;
            if p.state != AccountState::Active {
                continue;
            }
            out.push((
                Relative {
                    display_name: p.display_name(),
                    level: if authority(&e) { 1 } else { 2 },
                    class: classes.get(p.login.as_str()).cloned(),
                    login: p.login,
                },
                p.given_name,
                p.family_name,
            ));
        }
        Ok(out)
    }

    async fn relations(&self, login: &Login) -> Result<Relations> {
        // The entry read at sign-in, when it is the page right after.
        let me = match self.cache.entry(login.as_str()) {
            Some(e) => e,
            None => self
                .person_entry(login)
                .await?
                .ok_or_else(|| Error::NotFound(format!("compte {login}")))?,
        };
        let my_dn = me.dn().to_owned();
        let mut rel = Relations::default();
        // Classes and other groups in one search.
        for e in self.groups_of(login.as_str()).await? {
            let kind = e.first("cartableGroupKind").unwrap_or_default();
            if kind.eq_ignore_ascii_case("classe") {
                rel.classes.push(ClassRef {
                    code: ClassCode::parse(&e.first("cn").unwrap_or_default())?,
                    label: e.first("description").unwrap_or_default(),
                });
                continue;
            }
            rel.groups.push(GroupRef {
                code: GroupCode::parse(&e.first("cn").unwrap_or_default())?,
                label: e.first("description").unwrap_or_default(),
                kind: GroupKind::parse(&kind).ok_or_else(|| Error::Invalid {
                    field: "cartableGroupKind",
                    reason: kind.clone(),
                })?,
            });
        }
        rel.classes.sort_by(|a, b| a.code.cmp(&b.code));
        rel.groups
            .sort_by(|a, b| (a.kind.as_str(), &a.code).cmp(&(b.kind.as_str(), &b.code)));

        // Children: level 1 when the child names this parent as main contact (both legal
        // responsables are under `ENTEleveAutoriteParentale`).
        let children = self
            .relatives(
                me.all("ENTAuxPersRelEleveEleve"),
                &|child: &Entry| child.has_dn("cartableContactPrincipal", &my_dn),
                true,
            )
            .await?;
        let mut children: Vec<_> = children.into_iter().map(|(r, g, _)| (g, r)).collect();
        children.sort_by(|a, b| {
            crate::collation::compare(&a.0, &b.0).then_with(|| a.1.login.cmp(&b.1.login))
        });
        rel.children = children.into_iter().map(|(_, r)| r).collect();

        let main = me.all("cartableContactPrincipal");
        let parents = self
            .relatives(
                me.all("ENTElevePersRelEleve"),
                &|parent: &Entry| main.iter().any(|d| d.eq_ignore_ascii_case(parent.dn())),
                false,
            )
            .await?;
        let mut parents: Vec<_> = parents.into_iter().map(|(r, _, f)| (f, r)).collect();
        parents.sort_by(|a, b| {
            a.1.level
                .cmp(&b.1.level)
                .then_with(|| crate::collation::compare(&a.0, &b.0))
                .then_with(|| a.1.login.cmp(&b.1.login))
        });
        rel.parents = parents.into_iter().map(|(_, r)| r).collect();

        // Teachings from `structure$classe$matière`, labels from the class entries.
        let principal: Vec<String> = me
            .all("ENTAuxEnsClassesPrincipal")
            .iter()
            .filter_map(|dn| entry::first_rdn_value(dn))
            .collect();
        let mut taught: Vec<(String, String)> = me
            .all("ENTAuxEnsClassesMatieres")
            .iter()
            .filter_map(|v| {
                let mut f = v.splitn(3, '$');
                let (_uai, code, subject) = (f.next()?, f.next()?, f.next()?);
                Some((code.to_owned(), subject.to_owned()))
            })
            .collect();
        taught.sort();
        if !taught.is_empty() {
            let labels: std::collections::HashMap<String, String> = self
                .search(
                    &self.tree.structures(),
                    "(&(objectClass=cartableGroup)(cartableGroupKind=classe))",
                    &["cn", "description"],
                )
                .await?
                .into_iter()
                .map(|e| {
                    (
                        e.first("cn").unwrap_or_default(),
                        e.first("description").unwrap_or_default(),
                    )
                })
                .collect();
            for (code, subject) in taught {
                match rel.teachings.last_mut() {
                    Some(t) if t.class.code.as_str() == code => t.subjects.push(subject),
                    _ => rel.teachings.push(Teaching {
                        principal: principal.iter().any(|c| c == &code),
                        class: ClassRef {
                            label: labels.get(&code).cloned().unwrap_or_else(|| code.clone()),
                            code: ClassCode::parse(&code)?,
                        },
                        subjects: vec![subject],
                    }),
                }
            }
        }
        Ok(rel)
    }
}

impl DirectoryRead for LdapDirectory {
    async fn person(&self, login: &Login) -> Result<Option<Person>> {
        let cache = &self.inner.cache;
        if let Some(p) = cache.person(login.as_str()) {
            return Ok(p);
        }
        let generation = cache.generation();
        let login = login.clone();
        let key = login.as_str().to_owned();
        let found = self
            .run(|i| async move {
                i.person_entry(&login)
                    .await?
                    .map(|e| i.person(&e))
                    .transpose()
            })
            .await?;
        cache.keep_person(generation, &key, found.clone());
        Ok(found)
    }

    async fn person_by_jointure(&self, jointure: &Jointure) -> Result<Option<Person>> {
        let filter = format!("(ENTPersonJointure={})", ldap_escape(jointure.as_str()));
        self.run(|i| async move {
            let found = i.search(&i.tree.people(), &filter, PERSON_ATTRS).await?;
            found.first().map(|e| i.person(e)).transpose()
        })
        .await
    }

    async fn relations(&self, login: &Login) -> Result<Relations> {
        let cache = &self.inner.cache;
        if let Some(r) = cache.relations(login.as_str()) {
            return Ok(r);
        }
        let generation = cache.generation();
        let key = login.as_str().to_owned();
        let login = login.clone();
        let found = self
            .run(|i| async move { i.relations(&login).await })
            .await?;
        cache.keep_relations(generation, &key, found.clone());
        Ok(found)
    }

    async fn structure(&self) -> Result<Option<Structure>> {
        let cache = &self.inner.cache;
        if let Some(s) = cache.structure() {
            return Ok(s);
        }
        let generation = cache.generation();
        let found = self.run(|i| async move { i.structure().await }).await?;
        cache.keep_structure(generation, found.clone());
        Ok(found)
    }

    async fn classes(&self) -> Result<Vec<ClassRef>> {
        self.run(|i| async move {
            let mut out = i
                .search(
                    &i.tree.structures(),
                    "(&(objectClass=cartableGroup)(cartableGroupKind=classe))",
                    &["cn", "description"],
                )
                .await?
                .iter()
                .map(|e| {
                    Ok(ClassRef {
                        code: ClassCode::parse(&e.first("cn").unwrap_or_default())?,
                        label: e.first("description").unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.sort_by(|a, b| a.code.cmp(&b.code));
            Ok(out)
        })
        .await
    }

    async fn groups(&self) -> Result<Vec<GroupRef>> {
        self.run(|i| async move {
            let mut out = i
                .search(
                    &i.tree.structures(),
                    "(&(objectClass=cartableGroup)(!(cartableGroupKind=classe)))",
                    &["cn", "description", "cartableGroupKind"],
                )
                .await?
                .iter()
                .map(|e| {
                    let kind = e.first("cartableGroupKind").unwrap_or_default();
                    Ok(GroupRef {
                        code: GroupCode::parse(&e.first("cn").unwrap_or_default())?,
                        label: e.first("description").unwrap_or_default(),
                        kind: GroupKind::parse(&kind).ok_or_else(|| Error::Invalid {
                            field: "cartableGroupKind",
                            reason: kind.clone(),
                        })?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.sort_by(|a, b| (a.kind.as_str(), &a.code).cmp(&(b.kind.as_str(), &b.code)));
            Ok(out)
        })
        .await
    }

    async fn search(&self, query: &PersonQuery) -> Result<PersonPage> {
        let q = query.clone();
        self.run(|i| async move {
            let mut filter = String::from("(&(objectClass=ENTPerson)");
            if let Some(t) = q.text.as_deref().filter(|t| !t.is_empty()) {
                let t = ldap_escape(t);
                filter.push_str(&format!("(|(uid=*{t}*)(givenName=*{t}*)(sn=*{t}*))"));
            }
            if let Some(p) = q.profile {
                filter.push_str(&format!("(employeeType={})", p.as_str()));
            }
            if let Some(s) = q.state {
                filter.push_str(&format!("(cartableAccountState={})", s.as_str()));
            }
            if let Some(c) = &q.class {
                // Pupils name their class entry; teachers list `structure$classe$matière`.
                let uai = i.structure().await?.map(|s| s.uai);
                let pupils = match &uai {
                    Some(u) => format!("(ENTEleveClasses={})", ldap_escape(i.tree.class(u, c))),
                    None => String::new(),
                };
                filter.push_str(&format!(
                    "(|{pupils}(ENTAuxEnsClassesMatieres=*${}$*))",
                    ldap_escape(c.as_str())
                ));
            }
            if let Some(g) = &q.group {
                // Members are listed on the group's entry.
                let of_group = format!(
                    "(&(objectClass=cartableGroup)(cn={}))",
                    ldap_escape(g.as_str())
                );
                let members: Vec<String> = i
                    .search(&i.tree.structures(), &of_group, &["memberUid"])
                    .await?
                    .iter()
                    .flat_map(|e| e.all("memberUid"))
                    .collect();
                if members.is_empty() {
                    filter.push_str("(!(objectClass=*))");
                } else {
                    filter.push_str("(|");
                    for m in &members {
                        filter.push_str(&format!("(uid={})", ldap_escape(m)));
                    }
                    filter.push(')');
                }
            }
            filter.push(')');
            let mut people = i
                .search(&i.tree.people(), &filter, PERSON_ATTRS)
                .await?
                .iter()
                .map(|e| i.person(e))
                .collect::<Result<Vec<_>>>()?;
            people.sort_by(crate::collation::people);
            let total = people.len();
            let size = q.page_size();
            let people = people.into_iter().skip(q.page * size).take(size).collect();
            Ok(PersonPage { people, total })
        })
        .await
    }

    fn wants_nt_hash(&self) -> bool {
        self.inner.samba_sid.is_some()
    }

    async fn login_taken(&self, login: &str) -> Result<bool> {
        let Ok(login) = Login::parse(login) else {
            return Ok(false);
        };
        self.run(|i| async move { i.login_ever_used(&login).await })
            .await
    }

    async fn posix(&self) -> Result<Posix> {
        self.run(|i| async move {
            let number = |e: &Entry, attr: &str| -> Result<u32> {
                e.first(attr)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| Error::Directory(format!("{}: no {attr}", e.dn())))
            };
            let mut accounts = Vec::new();
            for e in i
                .search(
                    &i.tree.people(),
                    "(objectClass=posixAccount)",
                    &["uid", "uidNumber", "gidNumber"],
                )
                .await?
            {
                accounts.push(PosixAccount {
                    login: Login::parse(&e.first("uid").unwrap_or_default())?,
                    uid: number(&e, "uidNumber")?,
                    gid: number(&e, "gidNumber")?,
                });
            }
            let mut groups = Vec::new();
            for e in i
                .search(
                    &i.tree.structures(),
                    "(&(objectClass=cartableGroup)(objectClass=posixGroup))",
                    &["cn", "gidNumber", "cartableGroupKind", "memberUid"],
                )
                .await?
            {
                let cn = e.first("cn").unwrap_or_default();
                let kind = e.first("cartableGroupKind").unwrap_or_default();
                let of = if kind == "classe" {
                    PosixGroupOf::Class(ClassCode::parse(&cn)?)
                } else {
                    let k = GroupKind::parse(&kind).ok_or_else(|| Error::Invalid {
                        field: "cartableGroupKind",
                        reason: kind.clone(),
                    })?;
                    PosixGroupOf::Group(GroupCode::parse(&cn)?, k)
                };
                let mut members = e
                    .all("memberUid")
                    .iter()
                    .filter_map(|m| Login::parse(m).ok())
                    .collect::<Vec<_>>();
                members.sort();
                groups.push(PosixGroup {
                    of,
                    gid: number(&e, "gidNumber")?,
                    members,
                });
            }
            accounts.sort_by(|a, b| a.login.cmp(&b.login));
            Ok(Posix { accounts, groups })
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.run(|i| async move {
            let base = i.tree.base.clone();
            i.entry(&base, &["objectClass"])
                .await?
                .map(|_| ())
                .ok_or_else(|| Error::Directory(format!("{base} absent")))
        })
        .await
    }
}

impl LdapDirectory {
    /// Runs a write: what was read before it is no longer trusted, during or after.
    async fn write<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: FnOnce(Arc<Inner>) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.inner.cache.written();
        let out = self.run(f).await;
        self.inner.cache.written();
        out
    }
}

impl DirectoryWrite for LdapDirectory {
    async fn apply(&self, changes: Vec<Change>) -> Result<()> {
        self.write(|i| async move {
            let now = i.clock.now().unix_timestamp();
            i.apply(&changes, now).await
        })
        .await
    }

    async fn set_password(
        &self,
        login: &Login,
        hashes: &PasswordHashes,
        must_change: bool,
    ) -> Result<()> {
        let (login, hashes) = (login.clone(), hashes.clone());
        self.write(|i| async move { i.set_password(&login, &hashes, must_change).await })
            .await
    }

    async fn set_state(&self, login: &Login, state: AccountState, since: i64) -> Result<()> {
        let login = login.clone();
        self.write(|i| async move { i.set_state(&login, state, since).await })
            .await
    }

    async fn delete(&self, login: &Login) -> Result<()> {
        let login = login.clone();
        self.write(|i| async move { i.delete(&login).await }).await
    }
}

impl DirectoryAuth for LdapDirectory {
    async fn authenticate(&self, login: &str, password: &str) -> Result<AuthOutcome> {
        // An empty password would make an anonymous bind succeed.
        let (Ok(login), false) = (Login::parse(login), password.is_empty()) else {
            return Ok(AuthOutcome::BadCredentials);
        };
        let password = password.to_owned();
        let generation = self.inner.cache.generation();
        self.run(move |i| async move {
            let dn = i.tree.person(&login);
            // The bind, then the person's own entry read as the person, on one connection
            // kept open between sign-ins: two round trips, no connection set up or torn down.
            let found = crate::auth::gate::directory_binds()
                .run(async {
                    let mut ldap = i.pool.bind_connection().await?;
                    let bound = ldap
                        .simple_bind(&dn, &password)
                        .await
                        .map_err(ldap_err("bind"))?;
                    if bound.rc != 0 {
                        i.pool.bind_connection_back(ldap);
                        return Ok(Err(bound.rc));
                    }
                    let read = ldap
                        .search(&dn, Scope::Base, "(objectClass=*)", PERSON_ATTRS)
                        .await
                        .map_err(ldap_err("read after bind"))?;
                    i.pool.bind_connection_back(ldap);
                    let (entries, _) = read.success().map_err(ldap_err("read after bind"))?;
                    Ok(Ok(entries
                        .into_iter()
                        .next()
                        .map(|e| Entry(SearchEntry::construct(e)))))
                })
                .await?;
            let entry = match found {
                Ok(Some(entry)) => entry,
                Ok(None) | Err(rc::INVALID_CREDENTIALS | rc::NO_SUCH_OBJECT) => {
                    return Ok(AuthOutcome::BadCredentials);
                }
                Err(other) => {
                    return Err(Error::Directory(format!("bind as {login}: code {other}")));
                }
            };
            let mut person = person_from(&entry)?;
            if person.state != AccountState::Active {
                return Ok(AuthOutcome::Disabled);
            }
            i.cache.keep_entry(generation, login.as_str(), entry);
            // Written with others in a moment (see `last_logins`), not on the sign-in's path.
            let now = i.clock.now().unix_timestamp();
            i.last_logins.signed_in(&login, now);
            person.last_login = Some(now);
            // The portal the person lands on reads this entry: it was just read.
            i.cache
                .keep_person(generation, login.as_str(), Some(person.clone()));
            Ok(AuthOutcome::Accepted(person))
        })
        .await
    }
}
