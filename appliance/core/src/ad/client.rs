//! The domain controller over LDAPS: read what cartable's OU holds, apply operations. AD takes
//! passwords only over an encrypted connection; its certificate is checked against the CA the
//! site file names.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, Mod, Scope, SearchEntry};

use super::account::{Entry, ou_of, unicode_pwd};
use super::plan::{Found, FoundState, Op};
use crate::config::DomaineConfig;
use crate::directory::Profile;
use crate::{Error, Result};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(15);
/// LDAP result code: no such object (cartable's OU not made yet).
const NO_SUCH_OBJECT: u32 = 32;
/// LDAP result code: entry already exists.
const ALREADY_EXISTS: u32 = 68;

fn err(context: &str) -> impl Fn(LdapError) -> Error + '_ {
    move |e| Error::Domain(format!("{context}: {e}"))
}

/// A TLS client trusting only the CA that signed the controller's certificate.
pub fn tls(config: &DomaineConfig) -> Result<Arc<rustls::ClientConfig>> {
    crate::tls::client_trusting(&config.ca_file).map_err(Error::Domain)
}

/// A connection bound as cartable's account on the controller.
pub struct Client {
    ldap: Ldap,
}

impl Client {
    pub async fn connect(config: &DomaineConfig, tls: &Arc<rustls::ClientConfig>) -> Result<Self> {
        let settings = LdapConnSettings::new()
            .set_conn_timeout(CONNECT_TIMEOUT)
            .set_config(Arc::clone(tls));
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &config.url)
            .await
            .map_err(err(&format!("connexion à {}", config.url)))?;
        ldap3::drive!(conn);
        ldap.with_timeout(OPERATION_TIMEOUT);
        ldap.simple_bind(&config.bind_dn, &config.bind_password)
            .await
            .and_then(|r| r.success())
            .map_err(err(&format!("authentification de {}", config.bind_dn)))?;
        Ok(Self { ldap })
    }

    /// Makes cartable's OU and its sub-OUs, if missing. Those present are not added again:
    /// cartable's account may create nothing beside its OU, which the install makes.
    pub async fn ensure_ous(&mut self, root: &str) -> Result<()> {
        let present: HashSet<String> = self
            .search(root, "(objectClass=organizationalUnit)", &["ou"])
            .await?
            .into_iter()
            .map(|f| f.dn.to_ascii_lowercase())
            .collect();
        let mut dns = vec![root.to_owned()];
        for ou in [
            ou_of(Profile::Eleve),
            ou_of(Profile::Enseignant),
            ou_of(Profile::Administratif),
            "groupes",
        ] {
            dns.push(format!("OU={ou},{root}"));
        }
        for dn in dns
            .into_iter()
            .filter(|d| !present.contains(&d.to_ascii_lowercase()))
        {
            let name = dn
                .split_once(',')
                .and_then(|(rdn, _)| rdn.strip_prefix("OU="))
                .unwrap_or_default()
                .to_owned();
            let attrs = vec![
                ("objectClass", HashSet::from(["organizationalUnit"])),
                ("ou", HashSet::from([name.as_str()])),
            ];
            let r = self
                .ldap
                .add(&dn, attrs)
                .await
                .map_err(err(&format!("création de {dn}")))?;
            if r.rc != 0 && r.rc != ALREADY_EXISTS {
                return Err(Error::Domain(format!("création de {dn}: {r}")));
            }
        }
        Ok(())
    }

    async fn search(&mut self, base: &str, filter: &str, attrs: &[&str]) -> Result<Vec<Found>> {
        let adapters: Vec<Box<dyn Adapter<_, _>>> = vec![
            Box::new(EntriesOnly::new()),
            Box::new(PagedResults::new(500)),
        ];
        let mut stream = self
            .ldap
            .streaming_search_with(adapters, base, Scope::Subtree, filter, attrs.to_vec())
            .await
            .map_err(err(&format!("lecture de {base}")))?;
        let mut out = Vec::new();
        while let Some(e) = stream.next().await.map_err(err("lecture"))? {
            let e = SearchEntry::construct(e);
            let mut attributes = std::collections::HashMap::new();
            for (k, v) in e.attrs {
                attributes.insert(
                    k.to_ascii_lowercase(),
                    v.into_iter().map(String::into_bytes).collect(),
                );
            }
            for (k, v) in e.bin_attrs {
                attributes.insert(k.to_ascii_lowercase(), v);
            }
            out.push(Found {
                dn: e.dn,
                attributes,
            });
        }
        let r = stream.finish().await;
        if r.rc != 0 && r.rc != NO_SUCH_OBJECT {
            return Err(Error::Domain(format!("lecture de {base}: {r}")));
        }
        Ok(out)
    }

    /// What cartable's OU holds: users and groups with the attributes cartable owns.
    pub async fn read(&mut self, root: &str) -> Result<FoundState> {
        let mut attributes = vec!["sAMAccountName"];
        attributes.extend_from_slice(super::plan::USER_ATTRIBUTES);
        let users = self
            .search(
                root,
                "(&(objectClass=user)(!(objectClass=computer)))",
                &attributes,
            )
            .await?;
        let groups = self
            .search(
                root,
                "(objectClass=group)",
                &["sAMAccountName", "description", "gidNumber", "member"],
            )
            .await?;
        Ok(FoundState { users, groups })
    }

    /// One user by `sAMAccountName`, anywhere in cartable's OU.
    pub async fn user(&mut self, root: &str, sam: &str) -> Result<Option<Found>> {
        let filter = format!(
            "(&(objectClass=user)(sAMAccountName={}))",
            ldap3::ldap_escape(sam)
        );
        Ok(self
            .search(root, &filter, &["sAMAccountName", "userAccountControl"])
            .await?
            .into_iter()
            .next())
    }

    /// The account's key version (`msDS-KeyVersionNumber`), raised by each password write.
    pub async fn key_version(&mut self, dn: &str) -> Result<Option<i64>> {
        let found = self
            .search(dn, "(objectClass=user)", &["msDS-KeyVersionNumber"])
            .await?;
        Ok(found
            .first()
            .and_then(|f| f.first("msDS-KeyVersionNumber"))
            .and_then(|v| v.parse().ok()))
    }

    async fn add(&mut self, entry: &Entry, password: Option<&str>) -> Result<()> {
        let mut attrs: Vec<(Vec<u8>, HashSet<Vec<u8>>)> = entry
            .attributes
            .iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.iter().cloned().collect()))
            .collect();
        if let Some(p) = password {
            attrs.push((b"unicodePwd".to_vec(), HashSet::from([unicode_pwd(p)])));
        }
        self.ldap
            .add(&entry.dn, attrs)
            .await
            .and_then(|r| r.success())
            .map_err(err(&format!("ajout de {}", entry.dn)))?;
        Ok(())
    }

    async fn modify(&mut self, dn: &str, mods: Vec<Mod<Vec<u8>>>) -> Result<()> {
        self.ldap
            .modify(dn, mods)
            .await
            .and_then(|r| r.success())
            .map_err(err(&format!("modification de {dn}")))?;
        Ok(())
    }

    /// Writes an account's password (an administrator's reset: no old password needed) and,
    /// in the same modify, its account control (enabled once it has one).
    pub async fn set_password(&mut self, dn: &str, password: &str, uac: Option<u32>) -> Result<()> {
        let mut mods = vec![Mod::Replace(
            b"unicodePwd".to_vec(),
            HashSet::from([unicode_pwd(password)]),
        )];
        if let Some(uac) = uac {
            mods.push(Mod::Replace(
                b"userAccountControl".to_vec(),
                HashSet::from([uac.to_string().into_bytes()]),
            ));
        }
        self.modify(dn, mods).await
    }

    /// Applies one operation; `password` is the account's, for an add.
    pub async fn apply(&mut self, op: &Op, password: Option<&str>) -> Result<()> {
        match op {
            Op::AddGroup(entry) => self.add(entry, None).await,
            Op::AddUser { entry, .. } => self.add(entry, password).await,
            Op::Move { dn, rdn, superior } => {
                self.ldap
                    .modifydn(dn, rdn, true, Some(superior))
                    .await
                    .and_then(|r| r.success())
                    .map_err(err(&format!("déplacement de {dn}")))?;
                Ok(())
            }
            Op::Replace { dn, attributes } => {
                let mods = attributes
                    .iter()
                    .map(|(n, v)| Mod::Replace(n.as_bytes().to_vec(), v.iter().cloned().collect()))
                    .collect();
                self.modify(dn, mods).await
            }
            Op::SetMembers { dn, members } => {
                let values: HashSet<Vec<u8>> =
                    members.iter().map(|m| m.as_bytes().to_vec()).collect();
                self.modify(dn, vec![Mod::Replace(b"member".to_vec(), values)])
                    .await
            }
            Op::Delete { dn } => {
                self.ldap
                    .delete(dn)
                    .await
                    .and_then(|r| r.success())
                    .map_err(err(&format!("suppression de {dn}")))?;
                Ok(())
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }
}
