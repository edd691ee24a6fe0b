//! The directory: the one way the rest of the code reads and writes people, structures,
//! classes and groups. The contract is split by capability (read, write, authenticate);
//! each backend lives in its own folder, and [`AnyDirectory`] picks one from the
//! configuration so no generic parameter spreads into the web layer.

mod dispatch;
pub mod embedded;
mod embedded_cache;
pub mod ldap;
pub mod level;
pub mod login;
pub mod model;

use std::future::Future;

pub use dispatch::AnyDirectory;
pub use model::*;

use crate::Result;

/// Reading people and their relations.
pub trait DirectoryRead: Send + Sync {
    fn person(&self, login: &Login) -> impl Future<Output = Result<Option<Person>>> + Send;
    fn person_by_jointure(
        &self,
        jointure: &Jointure,
    ) -> impl Future<Output = Result<Option<Person>>> + Send;
    /// Classes, groups, children, parents and teachings of a person.
    fn relations(&self, login: &Login) -> impl Future<Output = Result<Relations>> + Send;
    /// The établissement served.
    fn structure(&self) -> impl Future<Output = Result<Option<Structure>>> + Send;
    /// Its classes, by code.
    fn classes(&self) -> impl Future<Output = Result<Vec<ClassRef>>> + Send;
    /// Its groups, équipes and services, by kind then code.
    fn groups(&self) -> impl Future<Output = Result<Vec<GroupRef>>> + Send;
    /// Checks the backend answers.
    fn ping(&self) -> impl Future<Output = Result<()>> + Send;
    /// People matching a query, one page at a time.
    fn search(&self, query: &PersonQuery) -> impl Future<Output = Result<PersonPage>> + Send;
    /// Whether a login was ever given, even to someone since deleted.
    fn login_taken(&self, login: &str) -> impl Future<Output = Result<bool>> + Send;
    /// Unix identities of accounts and groups; none for a backend without them.
    fn posix(&self) -> impl Future<Output = Result<Posix>> + Send {
        async { Ok(Posix::default()) }
    }
    /// Whether passwords must also be stored as NT hashes (Samba integration on).
    fn wants_nt_hash(&self) -> bool {
        false
    }
}

/// Writing. A batch of changes is checked as a whole before anything is written.
pub trait DirectoryWrite: Send + Sync {
    fn apply(&self, changes: Vec<Change>) -> impl Future<Output = Result<()>> + Send;
    /// Stores a new password's hashes.
    fn set_password(
        &self,
        login: &Login,
        hashes: &PasswordHashes,
        must_change: bool,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Moves an account to `Active` or `Disabled`, dated `since` (unix seconds).
    fn set_state(
        &self,
        login: &Login,
        state: AccountState,
        since: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Removes a person and every link to them; the login stays reserved.
    fn delete(&self, login: &Login) -> impl Future<Output = Result<()>> + Send;
}

/// Sign-in.
pub trait DirectoryAuth: Send + Sync {
    /// Checks a login and password; unknown logins cost as much as known ones.
    fn authenticate(
        &self,
        login: &str,
        password: &str,
    ) -> impl Future<Output = Result<AuthOutcome>> + Send;
}

/// A full directory backend.
pub trait Directory: DirectoryRead + DirectoryWrite + DirectoryAuth {}
impl<T: DirectoryRead + DirectoryWrite + DirectoryAuth> Directory for T {}

/// Every active person `query` finds (its page and page size ignored), read a thousand at
/// a time.
pub async fn everyone(dir: &impl DirectoryRead, query: PersonQuery) -> Result<Vec<Person>> {
    let mut out = Vec::new();
    for page in 0.. {
        let found = dir
            .search(&PersonQuery {
                state: Some(AccountState::Active),
                page,
                per_page: PersonQuery::MAX_PAGE,
                ..query.clone()
            })
            .await?;
        let n = found.people.len();
        out.extend(found.people);
        if n < PersonQuery::MAX_PAGE || out.len() >= found.total {
            break;
        }
    }
    Ok(out)
}
