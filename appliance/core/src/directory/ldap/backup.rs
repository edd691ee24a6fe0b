//! The whole tree under the base DN, out and back in: what a backup of an LDAP annuaire holds
//! (password hashes included) and what a restore writes into a fresh slapd.

use std::collections::HashSet;

use ldap3::{Mod, Scope, SearchEntry};

use super::LdapDirectory;
use super::pool::ldap_err;
use crate::backup::ldif::LdifEntry;
use crate::{Error, Result};

/// `noSuchObject`, `entryAlreadyExists`.
const NO_SUCH_OBJECT: u32 = 32;
const ALREADY_EXISTS: u32 = 68;

fn depth(dn: &str) -> usize {
    dn.split(',').count()
}

impl LdapDirectory {
    /// Every entry under the base DN, parents before children.
    pub async fn export(&self) -> Result<Vec<LdifEntry>> {
        self.run(|i| async move {
            let mut conn = i.pool.get().await?;
            let res = conn
                .search(&i.tree.base, Scope::Subtree, "(objectClass=*)", vec!["*"])
                .await;
            let res = match res {
                Ok(r) => r,
                Err(e) => {
                    conn.broken();
                    return Err(ldap_err("export")(e));
                }
            };
            let (entries, _) = res.success().map_err(ldap_err("export"))?;
            let mut out: Vec<LdifEntry> = entries
                .into_iter()
                .map(|e| {
                    let e = SearchEntry::construct(e);
                    let mut attrs: Vec<(String, Vec<Vec<u8>>)> = e
                        .attrs
                        .into_iter()
                        .map(|(k, v)| (k, v.into_iter().map(String::into_bytes).collect()))
                        .chain(e.bin_attrs)
                        .collect();
                    // Values are sets in LDAP: sorted, a file compares equal to another.
                    for (_, v) in &mut attrs {
                        v.sort();
                    }
                    // objectClass first, the rest by name: stable files, easy to compare.
                    attrs.sort_by(|a, b| {
                        (!a.0.eq_ignore_ascii_case("objectClass"), a.0.to_lowercase())
                            .cmp(&(!b.0.eq_ignore_ascii_case("objectClass"), b.0.to_lowercase()))
                    });
                    LdifEntry { dn: e.dn, attrs }
                })
                .collect();
            out.sort_by(|a, b| {
                (depth(&a.dn), a.dn.to_lowercase()).cmp(&(depth(&b.dn), b.dn.to_lowercase()))
            });
            Ok(out)
        })
        .await
    }

    /// Writes entries back: added, or, if already there (the base a fresh install created),
    /// set to exactly the saved values. Repeatable.
    pub async fn import(&self, entries: Vec<LdifEntry>) -> Result<usize> {
        self.run(|i| async move {
            let mut conn = i.pool.get().await?;
            let mut n = 0;
            for e in &entries {
                let attrs: Vec<(Vec<u8>, HashSet<Vec<u8>>)> = e
                    .attrs
                    .iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), v.iter().cloned().collect()))
                    .collect();
                let r = conn.add(&e.dn, attrs).await.map_err(ldap_err("restore"))?;
                match r.rc {
                    0 => {}
                    ALREADY_EXISTS => {
                        let mods: Vec<Mod<Vec<u8>>> = e
                            .attrs
                            .iter()
                            .filter(|(k, _)| !k.eq_ignore_ascii_case("objectClass"))
                            .map(|(k, v)| {
                                Mod::Replace(k.as_bytes().to_vec(), v.iter().cloned().collect())
                            })
                            .collect();
                        let r = conn
                            .modify(&e.dn, mods)
                            .await
                            .map_err(ldap_err("restore"))?;
                        if r.rc != 0 {
                            return Err(Error::Directory(format!("{} : {r}", e.dn)));
                        }
                    }
                    NO_SUCH_OBJECT => {
                        return Err(Error::Directory(format!(
                            "{} : l'entrée parente manque (base DN différente ?)",
                            e.dn
                        )));
                    }
                    _ => return Err(Error::Directory(format!("{} : {r}", e.dn))),
                }
                n += 1;
            }
            Ok(n)
        })
        .await
    }
}
