//! Reading search results: attribute look-up ignoring case (servers answer with the schema's
//! spelling), and the mapping from an entry to a [`Person`].

use ldap3::SearchEntry;

use crate::directory::{AccountState, Jointure, Login, Person, Profile};
use crate::{Error, Result};

#[derive(Clone)]
pub(super) struct Entry(pub SearchEntry);

impl Entry {
    pub fn dn(&self) -> &str {
        &self.0.dn
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn first(&self, name: &str) -> Option<String> {
        self.all(name).into_iter().next()
    }

    /// Whether a DN-valued attribute holds `dn` (DNs compared ignoring case).
    pub fn has_dn(&self, name: &str, dn: &str) -> bool {
        self.all(name).iter().any(|v| v.eq_ignore_ascii_case(dn))
    }
}

/// `cn=6A,ou=classes,...` → `6A`.
pub(super) fn first_rdn_value(dn: &str) -> Option<String> {
    let rdn = dn.split(',').next()?;
    rdn.split_once('=').map(|(_, v)| v.trim().to_owned())
}

pub(super) fn person_from(e: &Entry) -> Result<Person> {
    let login = e
        .first("uid")
        .ok_or_else(|| Error::Directory(format!("{}: no uid", e.dn())))?;
    let profile = e
        .first("employeeType")
        .and_then(|t| Profile::parse(&t))
        .or_else(|| {
            let national = e.first("ENTPersonProfils")?;
            Profile::ALL
                .into_iter()
                .find(|p| p.national_code().eq_ignore_ascii_case(&national))
        })
        .ok_or_else(|| Error::Directory(format!("{}: no known profile", e.dn())))?;
    let state = match e.first("cartableAccountState") {
        None => AccountState::Active,
        Some(s) => AccountState::parse(&s)
            .ok_or_else(|| Error::Directory(format!("{}: state {s}", e.dn())))?,
    };
    Ok(Person {
        login: Login::parse(&login)?,
        jointure: e
            .first("ENTPersonJointure")
            .map(|j| Jointure::parse(&j))
            .transpose()?,
        profile,
        given_name: e.first("givenName").unwrap_or_default(),
        family_name: e.first("sn").unwrap_or_default(),
        email: e.first("mail"),
        state,
        state_since: e
            .first("cartableStateSince")
            .and_then(|v| v.parse().ok())
            .unwrap_or_default(),
        must_change_password: e
            .first("cartableMustChangePassword")
            .is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
        birth_date: e
            .first("ENTPersonDateNaissance")
            .and_then(|d| crate::feed::siecle::date_fr(&d)),
        last_login: e.first("cartableLastLogin").and_then(|v| v.parse().ok()),
    })
}
