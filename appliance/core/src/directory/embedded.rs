//! The embedded directory: people and groups in the SQLite store. The default when no LDAP
//! server is configured (demo, small écoles).

use std::sync::Arc;

use crate::auth::password;
use crate::clock::SharedClock;
use crate::directory::ClassRef;
use crate::store::Store;

use super::embedded_cache::ReadCache;
use crate::{Error, Result};

use super::{
    AccountState, AuthOutcome, Change, DirectoryAuth, DirectoryRead, DirectoryWrite, Jointure,
    Login, PasswordHashes, Person, PersonPage, PersonQuery, Relations, Structure,
};

#[derive(Clone)]
pub struct EmbeddedDirectory {
    store: Store,
    clock: SharedClock,
    cache: Arc<ReadCache>,
}

impl EmbeddedDirectory {
    pub fn new(store: Store, clock: SharedClock) -> Self {
        Self {
            store,
            clock,
            cache: Arc::default(),
        }
    }
}

impl DirectoryRead for EmbeddedDirectory {
    async fn person(&self, login: &Login) -> Result<Option<Person>> {
        if let Some(p) = self.cache.person(&self.store, login.as_str()) {
            return Ok(p);
        }
        let generation = self.store.generation();
        let key = login.clone();
        let row = self.store.read(move |r| r.person_by_login(&key)).await?;
        let person = row.map(|r| r.person);
        self.cache
            .keep_person(&self.store, generation, login.as_str(), person.clone());
        Ok(person)
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
        if let Some(r) = self.cache.relations(&self.store, login.as_str()) {
            return Ok(r);
        }
        let generation = self.store.generation();
        let key = login.clone();
        let found = self
            .store
            .read(move |r| match r.person_by_login(&key)? {
                Some(p) => r.relations(p.id),
                None => Err(Error::NotFound(format!("compte {key}"))),
            })
            .await?;
        self.cache
            .keep_relations(&self.store, generation, login.as_str(), found.clone());
        Ok(found)
    }

    async fn structure(&self) -> Result<Option<Structure>> {
        self.store.read(|r| r.structure()).await
    }

    async fn classes(&self) -> Result<Vec<ClassRef>> {
        self.store.read(|r| r.classes()).await
    }

    async fn groups(&self) -> Result<Vec<crate::directory::GroupRef>> {
        self.store.read(|r| r.groups()).await
    }

    async fn ping(&self) -> Result<()> {
        self.store.read(|r| r.count_people().map(|_| ())).await
    }

    async fn search(&self, query: &PersonQuery) -> Result<PersonPage> {
        let q = query.clone();
        self.store.read(move |r| r.search_people(&q)).await
    }

    async fn login_taken(&self, login: &str) -> Result<bool> {
        let login = login.to_owned();
        self.store.read(move |r| r.login_ever_used(&login)).await
    }
}

impl DirectoryWrite for EmbeddedDirectory {
    async fn apply(&self, changes: Vec<Change>) -> Result<()> {
        let now = self.clock.now().unix_timestamp();
        self.store
            .write(move |w| w.apply_changes(&changes, now))
            .await
    }

    async fn set_password(
        &self,
        login: &Login,
        hashes: &PasswordHashes,
        must_change: bool,
    ) -> Result<()> {
        // No Samba here: only the argon2id hash is kept (and no domain sends another).
        if hashes.is_crypt() {
            return Err(crate::Error::Invalid {
                field: "mot de passe",
                reason: "l'annuaire embarqué ne garde que des empreintes argon2id".to_owned(),
            });
        }
        let (login, hash) = (login.clone(), hashes.phc.clone());
        self.store
            .write(move |w| w.set_password(&login, &hash, must_change))
            .await
    }

    async fn set_state(&self, login: &Login, state: AccountState, since: i64) -> Result<()> {
        let login = login.clone();
        self.store
            .write(move |w| w.set_state(&login, state, since))
            .await
    }

    async fn delete(&self, login: &Login) -> Result<()> {
        let login = login.clone();
        self.store.write(move |w| w.delete_person(&login)).await
    }
}

impl DirectoryAuth for EmbeddedDirectory {
    async fn authenticate(&self, login: &str, password: &str) -> Result<AuthOutcome> {
        let generation = self.store.generation();
        let row = match Login::parse(login) {
            Ok(l) => self.store.read(move |r| r.person_by_login(&l)).await?,
            Err(_) => None,
        };
        let hash = row.as_ref().and_then(|r| r.password_hash.clone());
        let password = password.to_owned();
        // Verify even when the login is unknown, so timing does not reveal which logins exist.
        let matches = password::check(hash, password).await?;
        let Some(row) = row.filter(|r| r.password_hash.is_some() && matches) else {
            return Ok(AuthOutcome::BadCredentials);
        };
        if row.person.state != AccountState::Active {
            return Ok(AuthOutcome::Disabled);
        }
        let now = self.clock.now().unix_timestamp();
        let id = row.id;
        self.store
            .write_volatile(move |w| w.record_login(id, now))
            .await?;
        // The page the sign-in leads to reads this person: as read, with the time just written
        // (a volatile write does not move the generation).
        let mut person = row.person;
        person.last_login = Some(now);
        let key = person.login.as_str().to_owned();
        self.cache
            .keep_person(&self.store, generation, &key, Some(person.clone()));
        Ok(AuthOutcome::Accepted(person))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use time::macros::datetime;

    use super::*;
    use crate::clock::ManualClock;
    use crate::directory::{ClassCode, ClassRef, NewPerson, Profile, Uai};

    fn person(login: &str, profile: Profile, password: Option<&str>) -> Change {
        Change::CreatePerson {
            uai: None,
            person: NewPerson {
                login: Login::parse(login).unwrap(),
                jointure: None,
                profile,
                given_name: "Léa".into(),
                family_name: "MARTIN".into(),
                email: None,
                birth_date: None,
                password_hash: password.map(|p| password::hash(p).unwrap()),
                nt_hash: None,
                must_change_password: false,
            },
        }
    }

    async fn directory() -> (tempfile::TempDir, EmbeddedDirectory, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let clock = Arc::new(ManualClock::new(datetime!(2026-09-01 8:00 UTC)));
        (dir, EmbeddedDirectory::new(store.clone(), clock), store)
    }

    #[tokio::test]
    async fn what_is_kept_follows_every_write_and_the_sign_in_time() {
        let (_d, d, _store) = directory().await;
        let lea = Login::parse("lea.martin").unwrap();
        assert_eq!(d.person(&lea).await.unwrap(), None, "not there yet");
        d.apply(vec![person(
            "lea.martin",
            Profile::Eleve,
            Some("Tilleul-26"),
        )])
        .await
        .unwrap();
        let p = d
            .person(&lea)
            .await
            .unwrap()
            .expect("created: the kept absence is gone");
        assert_eq!(p.last_login, None);
        // Kept: the same answer again...
        assert_eq!(d.person(&lea).await.unwrap(), Some(p.clone()));
        // ...but a sign-in's time is seen at once,
        d.authenticate("lea.martin", "Tilleul-26").await.unwrap();
        let signed = d.person(&lea).await.unwrap().unwrap();
        assert_eq!(
            signed.last_login,
            Some(datetime!(2026-09-01 8:00 UTC).unix_timestamp())
        );
        // and so is every write.
        d.set_state(&lea, AccountState::Disabled, 0).await.unwrap();
        assert_eq!(
            d.person(&lea).await.unwrap().unwrap().state,
            AccountState::Disabled
        );
        d.delete(&lea).await.unwrap();
        assert_eq!(d.person(&lea).await.unwrap(), None);
        assert!(d.relations(&lea).await.is_err(), "no relations for nobody");
    }

    #[tokio::test]
    async fn authenticates_and_tells_disabled_accounts_apart() {
        let (_d, dir, store) = directory().await;
        dir.apply(vec![
            person("lea.martin", Profile::Eleve, Some("Tilleul-26")),
            person("sans.motdepasse", Profile::Eleve, None),
        ])
        .await
        .unwrap();
        assert!(matches!(
            dir.authenticate("lea.martin", "Tilleul-26").await.unwrap(),
            AuthOutcome::Accepted(p) if p.login.as_str() == "lea.martin"
        ));
        for (login, pw) in [
            ("lea.martin", "tilleul-26"),
            ("inconnu", "Tilleul-26"),
            ("sans.motdepasse", ""),
            ("../etc", "x"),
        ] {
            assert_eq!(
                dir.authenticate(login, pw).await.unwrap(),
                AuthOutcome::BadCredentials,
                "{login}"
            );
        }
        store
            .write(|w| {
                w.execute_sql("UPDATE people SET state = 'disabled' WHERE login = 'lea.martin'")
            })
            .await
            .unwrap();
        assert_eq!(
            dir.authenticate("lea.martin", "Tilleul-26").await.unwrap(),
            AuthOutcome::Disabled
        );
    }

    #[tokio::test]
    async fn relations_follow_classes_parents_and_teachings() {
        let (_d, dir, _s) = directory().await;
        let uai = Uai::parse("0860001A").unwrap();
        let class = ClassCode::parse("6A").unwrap();
        dir.apply(vec![
            Change::UpsertStructure(Structure {
                uai: uai.clone(),
                name: "Collège test".into(),
                kind: "CLG".into(),
            }),
            Change::UpsertClass {
                uai: uai.clone(),
                class: ClassRef {
                    code: class.clone(),
                    label: "6e A".into(),
                },
            },
            person("lea.martin", Profile::Eleve, None),
            person("anne.martin", Profile::Responsable, None),
            person("paul.prof", Profile::Enseignant, None),
            Change::AddToClass {
                uai: uai.clone(),
                class: class.clone(),
                pupil: Login::parse("lea.martin").unwrap(),
            },
            Change::LinkResponsable {
                child: Login::parse("lea.martin").unwrap(),
                parent: Login::parse("anne.martin").unwrap(),
                level: 1,
            },
            Change::AddTeaching {
                uai: uai.clone(),
                teacher: Login::parse("paul.prof").unwrap(),
                class: class.clone(),
                subject: "Mathématiques".into(),
            },
            Change::SetPrincipal {
                uai: uai.clone(),
                class: class.clone(),
                teacher: Login::parse("paul.prof").unwrap(),
            },
        ])
        .await
        .unwrap();

        let parent = dir
            .relations(&Login::parse("anne.martin").unwrap())
            .await
            .unwrap();
        assert_eq!(parent.children.len(), 1);
        assert_eq!(parent.children[0].login.as_str(), "lea.martin");
        assert_eq!(parent.children[0].class.as_ref().unwrap().label, "6e A");

        let pupil = dir
            .relations(&Login::parse("lea.martin").unwrap())
            .await
            .unwrap();
        assert_eq!(pupil.classes[0].code, class);
        assert_eq!(pupil.parents[0].login.as_str(), "anne.martin");

        let teacher = dir
            .relations(&Login::parse("paul.prof").unwrap())
            .await
            .unwrap();
        assert_eq!(teacher.teachings[0].subjects, vec!["Mathématiques"]);
        assert!(teacher.teachings[0].principal);
    }

    #[tokio::test]
    async fn a_failing_batch_changes_nothing_and_logins_are_never_reused() {
        let (_d, dir, store) = directory().await;
        dir.apply(vec![person("lea.martin", Profile::Eleve, None)])
            .await
            .unwrap();
        let err = dir
            .apply(vec![
                person("paul.durand", Profile::Eleve, None),
                Change::LinkResponsable {
                    child: Login::parse("paul.durand").unwrap(),
                    parent: Login::parse("absent.parent").unwrap(),
                    level: 1,
                },
            ])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("absent.parent"), "{err}");
        assert_eq!(
            dir.person(&Login::parse("paul.durand").unwrap())
                .await
                .unwrap(),
            None,
            "half of a failed batch was kept"
        );
        // A deleted person's login is not given again.
        store
            .write(|w| w.execute_sql("DELETE FROM people WHERE login = 'lea.martin'"))
            .await
            .unwrap();
        let again = dir
            .apply(vec![person("lea.martin", Profile::Eleve, None)])
            .await
            .unwrap_err();
        assert!(again.to_string().contains("déjà été attribué"), "{again}");
    }
}
