//! The embedded directory: people and groups in the SQLite store. The default when no LDAP
//! server is configured (demo, small écoles).

use crate::auth::password;
use crate::clock::SharedClock;
use crate::error::blocking;
use crate::store::Store;
use crate::{Error, Result};

use super::{
    AccountState, AuthOutcome, Change, DirectoryAuth, DirectoryRead, DirectoryWrite, Jointure,
    Login, Person, Relations, Structure,
};

#[derive(Clone)]
pub struct EmbeddedDirectory {
    store: Store,
    clock: SharedClock,
}

impl EmbeddedDirectory {
    pub fn new(store: Store, clock: SharedClock) -> Self {
        Self { store, clock }
    }
}

impl DirectoryRead for EmbeddedDirectory {
    async fn person(&self, login: &Login) -> Result<Option<Person>> {
        let login = login.clone();
        let row = self.store.read(move |r| r.person_by_login(&login)).await?;
        Ok(row.map(|r| r.person))
    }

    async fn person_by_jointure(&self, jointure: &Jointure) -> Result<Option<Person>> {
        let jointure = jointure.clone();
        let row = self
            .store
            .read(move |r| r.person_by_jointure(&jointure))
            .await?;
        Ok(row.map(|r| r.person))
    }

    async fn relations(&self, login: &Login) -> Result<Relations> {
        let login = login.clone();
        self.store
            .read(move |r| match r.person_by_login(&login)? {
                Some(p) => r.relations(p.id),
                None => Err(Error::NotFound(format!("compte {login}"))),
            })
            .await
    }

    async fn structure(&self) -> Result<Option<Structure>> {
        self.store.read(|r| r.structure()).await
    }

    async fn ping(&self) -> Result<()> {
        self.store.read(|r| r.count_people().map(|_| ())).await
    }
}

impl DirectoryWrite for EmbeddedDirectory {
    async fn apply(&self, changes: Vec<Change>) -> Result<()> {
        let now = self.clock.now().unix_timestamp();
        self.store
            .write(move |w| w.apply_changes(&changes, now))
            .await
    }
}

impl DirectoryAuth for EmbeddedDirectory {
    async fn authenticate(&self, login: &str, password: &str) -> Result<AuthOutcome> {
        let row = match Login::parse(login) {
            Ok(l) => self.store.read(move |r| r.person_by_login(&l)).await?,
            Err(_) => None,
        };
        let hash = row.as_ref().and_then(|r| r.password_hash.clone());
        let password = password.to_owned();
        // Verify even when the login is unknown, so timing does not reveal which logins exist.
        let matches =
            blocking(move || Ok(password::verify_or_dummy(hash.as_deref(), &password))).await?;
        let Some(row) = row.filter(|r| r.password_hash.is_some() && matches) else {
            return Ok(AuthOutcome::BadCredentials);
        };
        if row.person.state != AccountState::Active {
            return Ok(AuthOutcome::Disabled);
        }
        let now = self.clock.now().unix_timestamp();
        let id = row.id;
        self.store.write(move |w| w.record_login(id, now)).await?;
        Ok(AuthOutcome::Accepted(row.person))
    }
}
