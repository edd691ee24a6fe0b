//! The backend chosen by the configuration, as one concrete type.

use super::embedded::EmbeddedDirectory;
use super::ldap::LdapDirectory;
use super::{
    AccountState, AuthOutcome, Change, DirectoryAuth, DirectoryRead, DirectoryWrite, Jointure,
    Login, PasswordHashes, Person, PersonPage, PersonQuery, Relations, Structure,
};
use crate::Result;
use crate::clock::SharedClock;
use crate::config::DirectoryConfig;
use crate::directory::ClassRef;
use crate::store::Store;

/// The directory in use.
#[derive(Clone)]
pub enum AnyDirectory {
    Embedded(EmbeddedDirectory),
    Ldap(LdapDirectory),
}

impl AnyDirectory {
    /// Builds (and for LDAP, connects) the backend the configuration names.
    pub async fn from_config(
        config: &DirectoryConfig,
        store: Store,
        clock: SharedClock,
    ) -> Result<Self> {
        Ok(match config {
            DirectoryConfig::Embedded => Self::Embedded(EmbeddedDirectory::new(store, clock)),
            DirectoryConfig::Ldap(l) => Self::Ldap(LdapDirectory::connect(l.clone(), clock).await?),
        })
    }

    /// Short name for logs and `/healthz`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Embedded(_) => "embedded",
            Self::Ldap(_) => "ldap",
        }
    }
}

macro_rules! dispatch {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            AnyDirectory::Embedded($d) => $e,
            AnyDirectory::Ldap($d) => $e,
        }
    };
}

impl DirectoryRead for AnyDirectory {
    async fn person(&self, login: &Login) -> Result<Option<Person>> {
        dispatch!(self, d => d.person(login).await)
    }
    async fn person_by_jointure(&self, jointure: &Jointure) -> Result<Option<Person>> {
        dispatch!(self, d => d.person_by_jointure(jointure).await)
    }
    async fn relations(&self, login: &Login) -> Result<Relations> {
        dispatch!(self, d => d.relations(login).await)
    }
    async fn structure(&self) -> Result<Option<Structure>> {
        dispatch!(self, d => d.structure().await)
    }
    async fn classes(&self) -> Result<Vec<ClassRef>> {
        dispatch!(self, d => d.classes().await)
    }
    async fn groups(&self) -> Result<Vec<crate::directory::GroupRef>> {
        dispatch!(self, d => d.groups().await)
    }
    async fn ping(&self) -> Result<()> {
        dispatch!(self, d => d.ping().await)
    }
    async fn search(&self, query: &PersonQuery) -> Result<PersonPage> {
        dispatch!(self, d => d.search(query).await)
    }
    async fn login_taken(&self, login: &str) -> Result<bool> {
        dispatch!(self, d => d.login_taken(login).await)
    }
    async fn posix(&self) -> Result<super::Posix> {
        dispatch!(self, d => d.posix().await)
    }
    fn wants_nt_hash(&self) -> bool {
        dispatch!(self, d => d.wants_nt_hash())
    }
}

impl DirectoryWrite for AnyDirectory {
    async fn apply(&self, changes: Vec<Change>) -> Result<()> {
        dispatch!(self, d => d.apply(changes).await)
    }
    async fn set_password(
        &self,
        login: &Login,
        hashes: &PasswordHashes,
        must_change: bool,
    ) -> Result<()> {
        dispatch!(self, d => d.set_password(login, hashes, must_change).await)
    }
    async fn set_state(&self, login: &Login, state: AccountState, since: i64) -> Result<()> {
        dispatch!(self, d => d.set_state(login, state, since).await)
    }
    async fn delete(&self, login: &Login) -> Result<()> {
        dispatch!(self, d => d.delete(login).await)
    }
}

impl DirectoryAuth for AnyDirectory {
    async fn authenticate(&self, login: &str, password: &str) -> Result<AuthOutcome> {
        dispatch!(self, d => d.authenticate(login, password).await)
    }
}
