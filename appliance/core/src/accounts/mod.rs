//! Accounts: the lifecycle of people in the directory, with time as a parameter — logins,
//! passwords, disabling, re-enabling, deletion after the grace period — each change written
//! to the audit log.

pub mod policy;

use crate::auth::password;
use crate::clock::SharedClock;
use crate::config::AccountsConfig;
use crate::directory::{
    AccountState, AnyDirectory, Change, DirectoryRead, DirectoryWrite, Jointure, Link, Login,
    PasswordHashes, Person, PersonQuery, Relations, login,
};
use crate::store::{AuditEntry, AuditQuery, Store, Tombstone};
use crate::{Error, Result};

pub use policy::PasswordPolicy;

/// Length of generated passwords.
const GENERATED_LEN: usize = 10;

/// Audit action, target and detail of a directory change.
fn describe_change(c: &Change) -> (&'static str, String, String) {
    match c {
        Change::UpsertStructure(s) => ("structure.saved", s.uai.to_string(), s.name.clone()),
        Change::UpsertClass { class, .. } => {
            ("class.saved", class.code.to_string(), class.label.clone())
        }
        Change::UpsertGroup { group, .. } => {
            ("group.saved", group.code.to_string(), group.label.clone())
        }
        Change::CreatePerson { person, .. } => (
            "account.created",
            person.login.to_string(),
            person.profile.as_str().to_owned(),
        ),
        Change::UpdatePerson { login, .. } => ("account.updated", login.to_string(), String::new()),
        Change::AddToClass { class, pupil, .. } => {
            ("class.member_added", pupil.to_string(), class.to_string())
        }
        Change::AddToGroup { group, member, .. } => {
            ("group.member_added", member.to_string(), group.to_string())
        }
        Change::LinkResponsable {
            child,
            parent,
            level,
        } => (
            "responsable.linked",
            child.to_string(),
            format!(
                "{parent} ({})",
                if *level == 1 {
                    "contact principal"
                } else {
                    "autre responsable"
                }
            ),
        ),
        Change::AddTeaching {
            teacher,
            class,
            subject,
            ..
        } => (
            "teaching.added",
            teacher.to_string(),
            format!("{class} {subject}"),
        ),
        Change::SetPrincipal { teacher, class, .. } => {
            ("principal.set", teacher.to_string(), class.to_string())
        }
        Change::Unlink(link) => match link {
            Link::Class { class, pupil, .. } => {
                ("class.member_removed", pupil.to_string(), class.to_string())
            }
            Link::Group { group, member, .. } => (
                "group.member_removed",
                member.to_string(),
                group.to_string(),
            ),
            Link::Responsable { child, parent } => (
                "responsable.unlinked",
                child.to_string(),
                parent.to_string(),
            ),
            Link::Teaching {
                teacher,
                class,
                subject,
                ..
            } => (
                "teaching.removed",
                teacher.to_string(),
                format!("{class} {subject}"),
            ),
            Link::Principal { teacher, class, .. } => {
                ("principal.unset", teacher.to_string(), class.to_string())
            }
        },
    }
}

/// The accounts service.
#[derive(Clone)]
pub struct Accounts {
    directory: AnyDirectory,
    store: Store,
    clock: SharedClock,
    config: AccountsConfig,
    /// The Samba AD domain kept in step, if there is one.
    domain: Option<crate::ad::Link>,
}

/// A person as shown by `accounts show`: alive, or what remains once deleted.
#[derive(Debug, Clone)]
// One value per `accounts show`: the size of the present variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum AccountView {
    Present {
        person: Person,
        relations: Relations,
        history: Vec<AuditEntry>,
    },
    Deleted(Tombstone),
}

/// What a lifecycle sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub deleted: Vec<Login>,
}

impl Accounts {
    pub fn new(
        directory: AnyDirectory,
        store: Store,
        clock: SharedClock,
        config: AccountsConfig,
    ) -> Self {
        Self {
            directory,
            store,
            clock,
            config,
            domain: None,
        }
    }

    /// The same service, telling the domain of each change.
    pub fn with_domain(mut self, domain: Option<crate::ad::Link>) -> Self {
        self.domain = domain;
        self
    }

    pub fn domain(&self) -> Option<&crate::ad::Link> {
        self.domain.as_ref()
    }

    fn domain_changed(&self) {
        if let Some(d) = &self.domain {
            d.changed();
        }
    }

    pub fn directory(&self) -> &AnyDirectory {
        &self.directory
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The service's notion of now (the clock it was given).
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    pub fn login_scheme(&self) -> login::LoginScheme {
        self.config.login_scheme
    }

    async fn audit(&self, actor: &str, action: &str, target: &str, detail: String) -> Result<()> {
        let entry = AuditEntry {
            at: self.clock.now().unix_timestamp(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail,
        };
        self.store.write(move |w| w.append_audit(&entry)).await
    }

    /// Applies a batch of directory changes and writes each one to the audit log.
    pub async fn apply(&self, actor: &str, changes: Vec<Change>) -> Result<()> {
        let at = self.clock.now().unix_timestamp();
        let entries: Vec<AuditEntry> = changes
            .iter()
            .map(|c| {
                let (action, target, detail) = describe_change(c);
                AuditEntry {
                    at,
                    actor: actor.to_owned(),
                    action: action.to_owned(),
                    target,
                    detail,
                }
            })
            .collect();
        self.directory.apply(changes).await?;
        self.domain_changed();
        self.store
            .write(move |w| entries.iter().try_for_each(|e| w.append_audit(e)))
            .await
    }

    /// The first free login for a name, never one given before (even to someone deleted).
    pub async fn new_login(&self, given_name: &str, family_name: &str) -> Result<Login> {
        for candidate in login::candidates(self.config.login_scheme, given_name, family_name) {
            if !self.directory.login_taken(candidate.as_str()).await? {
                return Ok(candidate);
            }
        }
        Err(Error::Invalid {
            field: "login",
            reason: format!("aucun identifiant libre pour {given_name} {family_name}"),
        })
    }

    async fn existing(&self, login: &Login) -> Result<Person> {
        self.directory
            .person(login)
            .await?
            .ok_or_else(|| Error::NotFound(format!("compte {login}")))
    }

    /// Sets a password: the one given (checked against the profile's policy) or a readable
    /// generated one, which is returned. Hashing runs on the blocking pool. Every session of
    /// the account ends: a session stolen or left open on a school PC does not outlive it.
    pub async fn set_password(
        &self,
        actor: &str,
        login: &Login,
        new_password: Option<String>,
        must_change: bool,
    ) -> Result<String> {
        self.set_password_keeping(actor, login, new_password, must_change, None)
            .await
    }

    /// [`Self::set_password`], keeping one session (by its token's hash): the person's own,
    /// when he changes his password himself.
    pub async fn set_password_keeping(
        &self,
        actor: &str,
        login: &Login,
        new_password: Option<String>,
        must_change: bool,
        keep_session: Option<Vec<u8>>,
    ) -> Result<String> {
        let person = self.existing(login).await?;
        let generated = new_password.is_none();
        let password = match new_password {
            Some(p) => {
                PasswordPolicy::for_profile(person.profile)
                    .check(
                        &p,
                        &[
                            person.login.as_str(),
                            &person.given_name,
                            &person.family_name,
                        ],
                    )
                    .map_err(Error::Policy)?;
                p
            }
            None => password::generate_readable(&mut rand::rng(), GENERATED_LEN),
        };
        let to_hash = password.clone();
        let phc = password::hash_bounded(to_hash).await?;
        let hashes = PasswordHashes {
            phc,
            nt: self
                .directory
                .wants_nt_hash()
                .then(|| password::nt_hash(&password)),
        };
        self.directory
            .set_password(login, &hashes, must_change)
            .await?;
        if let Some(d) = &self.domain {
            d.password_set(&self.directory, login, &password).await;
        }
        let l = login.as_str().to_owned();
        let ended = self
            .store
            .write(move |w| w.delete_sessions_of_except(&l, keep_session.as_deref()))
            .await?;
        let detail = format!(
            "{}{}{}",
            if generated { "généré" } else { "choisi" },
            if must_change {
                ", à changer à la prochaine connexion"
            } else {
                ""
            },
            match ended {
                0 => String::new(),
                1 => ", 1 autre session fermée".to_owned(),
                n => format!(", {n} autres sessions fermées"),
            }
        );
        self.audit(actor, "password.set", login.as_str(), detail)
            .await?;
        Ok(password)
    }

    /// A password changed on a Windows PC, come back from the domain as hashes: the annuaire
    /// takes them, so that the ENT accepts the new password too; the person's sessions end,
    /// as with any password change. False if the change was cartable's own or not a password.
    pub async fn password_from_domain(&self, change: &crate::ad::back::Change) -> Result<bool> {
        let Some(domain) = &self.domain else {
            return Ok(false);
        };
        let Some(crypt) = &change.crypt else {
            return Ok(false);
        };
        let Ok(login) = Login::parse(&change.sam) else {
            return Ok(false);
        };
        if change.deleted || !domain.from_windows(change).await? {
            return Ok(false);
        }
        if self.directory.person(&login).await?.is_none() {
            return Ok(false);
        }
        let hashes = PasswordHashes {
            phc: crypt.clone(),
            nt: self
                .directory
                .wants_nt_hash()
                .then(|| change.nt.clone())
                .flatten(),
        };
        self.directory.set_password(&login, &hashes, false).await?;
        domain.holds(login.as_str(), change.kvno).await;
        let l = login.as_str().to_owned();
        let ended = self.store.write(move |w| w.delete_sessions_of(&l)).await?;
        let detail = match ended {
            0 => "changé sur un poste du domaine".to_owned(),
            1 => "changé sur un poste du domaine, 1 session fermée".to_owned(),
            n => format!("changé sur un poste du domaine, {n} sessions fermées"),
        };
        self.audit("domaine", "password.set", login.as_str(), detail)
            .await?;
        Ok(true)
    }

    /// Disables an account (sign-in refused, sessions ended); returns false if it already was.
    pub async fn disable(&self, actor: &str, login: &Login) -> Result<bool> {
        self.move_to(actor, login, AccountState::Disabled).await
    }

    /// Re-enables a disabled account before its deletion.
    pub async fn enable(&self, actor: &str, login: &Login) -> Result<bool> {
        self.move_to(actor, login, AccountState::Active).await
    }

    async fn move_to(&self, actor: &str, login: &Login, state: AccountState) -> Result<bool> {
        let person = self.existing(login).await?;
        if person.state == state {
            return Ok(false);
        }
        let now = self.clock.now().unix_timestamp();
        self.directory.set_state(login, state, now).await?;
        self.domain_changed();
        if state != AccountState::Active {
            let l = login.as_str().to_owned();
            self.store.write(move |w| w.delete_sessions_of(&l)).await?;
        }
        let action = match state {
            AccountState::Active => "account.enabled",
            _ => "account.disabled",
        };
        self.audit(actor, action, login.as_str(), String::new())
            .await?;
        Ok(true)
    }

    /// Deletes a person now; a tombstone and the audit log keep that it happened.
    pub async fn delete(&self, actor: &str, login: &Login) -> Result<()> {
        let person = self.existing(login).await?;
        self.directory.delete(login).await?;
        self.domain_changed();
        let tomb = Tombstone {
            login: login.as_str().to_owned(),
            jointure: person.jointure.as_ref().map(|j| j.as_str().to_owned()),
            profile: person.profile.as_str().to_owned(),
            deleted_at: self.clock.now().unix_timestamp(),
        };
        self.store.write(move |w| w.add_tombstone(&tomb)).await?;
        self.audit(actor, "account.deleted", login.as_str(), String::new())
            .await
    }

    /// Deletes the disabled accounts whose grace period is over.
    pub async fn sweep(&self, actor: &str) -> Result<SweepReport> {
        let now = self.clock.now();
        let mut due = Vec::new();
        let mut page = 0;
        loop {
            let q = PersonQuery {
                state: Some(AccountState::Disabled),
                page,
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            };
            let found = self.directory.search(&q).await?;
            let n = found.people.len();
            for p in found.people {
                if now.unix_timestamp() - p.state_since
                    >= self.config.grace(p.profile).whole_seconds()
                {
                    due.push(p.login);
                }
            }
            if n < PersonQuery::MAX_PAGE {
                break;
            }
            page += 1;
        }
        for login in &due {
            self.delete(actor, login).await?;
        }
        Ok(SweepReport { deleted: due })
    }

    /// Everyone of a profile (or everyone), sorted by name.
    pub async fn list(&self, query: PersonQuery) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        let mut q = PersonQuery {
            per_page: PersonQuery::MAX_PAGE,
            ..query
        };
        loop {
            let page = self.directory.search(&q).await?;
            let n = page.people.len();
            out.extend(page.people);
            if n < PersonQuery::MAX_PAGE {
                return Ok(out);
            }
            q.page += 1;
        }
    }

    /// A person by login or jointure, with relations and recent history; or their tombstone.
    pub async fn show(&self, login_or_jointure: &str) -> Result<AccountView> {
        let mut person = match Login::parse(login_or_jointure) {
            Ok(l) => self.directory.person(&l).await?,
            Err(_) => None,
        };
        if person.is_none()
            && let Ok(j) = Jointure::parse(login_or_jointure)
        {
            person = self.directory.person_by_jointure(&j).await?;
        }
        match person {
            Some(person) => {
                let relations = self.directory.relations(&person.login).await?;
                let target = person.login.as_str().to_owned();
                let history = self
                    .store
                    .read(move |r| {
                        r.audit(&AuditQuery {
                            target: Some(target),
                            limit: 20,
                            ..AuditQuery::default()
                        })
                    })
                    .await?;
                Ok(AccountView::Present {
                    person,
                    relations,
                    history,
                })
            }
            None => {
                let key = login_or_jointure.to_owned();
                self.store
                    .read(move |r| r.tombstone(&key))
                    .await?
                    .map(AccountView::Deleted)
                    .ok_or_else(|| Error::NotFound(format!("compte {login_or_jointure}")))
            }
        }
    }
}
