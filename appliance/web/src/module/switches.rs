//! The modules mounted in this daemon and, for each, the profiles it is open to: set by the
//! configuration at first start, then by the RUPN in the console (kept in the store). The one
//! place that says whether a person reaches a module — the extractor and the portal ask it.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use cartable_core::authz::Policy;
use cartable_core::config::ModulesConfig;
use cartable_core::directory::Profile;
use cartable_core::store::{AuditEntry, Store};

use super::Module;
use crate::error::WebError;

/// Store key of a module's profiles, as a comma list.
fn key(id: &str) -> String {
    format!("module.{id}.profils")
}

fn parse_list(s: &str) -> Vec<Profile> {
    s.split(',')
        .filter_map(|p| Profile::parse(p.trim()))
        .collect()
}

fn list(ps: &[Profile]) -> String {
    ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

#[derive(Default)]
pub struct Mounted {
    modules: Vec<Arc<dyn Module>>,
    open: RwLock<BTreeMap<&'static str, Vec<Profile>>>,
}

impl Mounted {
    /// The modules of this build that the configuration enables (all of them when it does
    /// not say); an unknown id is an error naming the key.
    pub fn from_config(
        available: Vec<Arc<dyn Module>>,
        config: &ModulesConfig,
    ) -> Result<Self, String> {
        let known: Vec<&str> = available.iter().map(|m| m.id()).collect();
        let enabled = config
            .enabled
            .iter()
            .flatten()
            .map(|id| ("modules.enabled", id));
        let profiles = config.profiles.keys().map(|id| ("modules.profils", id));
        for (key, id) in enabled.chain(profiles) {
            if !known.contains(&id.as_str()) {
                return Err(format!(
                    "{key} : « {id} » : module inconnu (modules de cette version : {})",
                    known.join(", ")
                ));
            }
        }
        let modules = available
            .into_iter()
            .filter(|m| {
                config
                    .enabled
                    .as_ref()
                    .is_none_or(|e| e.iter().any(|id| id == m.id()))
            })
            .collect::<Vec<_>>();
        let open = modules
            .iter()
            .map(|m| {
                let ps = config
                    .profiles
                    .get(m.id())
                    .cloned()
                    .unwrap_or_else(|| m.default_profiles().to_vec());
                (m.id(), ps)
            })
            .collect();
        Ok(Self {
            modules,
            open: RwLock::new(open),
        })
    }

    pub fn modules(&self) -> impl Iterator<Item = &Arc<dyn Module>> {
        self.modules.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Arc<dyn Module>> {
        self.modules.iter().find(|m| m.id() == id)
    }

    /// The one answer to "does this profile reach this module".
    pub fn open_to(&self, id: &str, profile: Profile) -> bool {
        self.open
            .read()
            .ok()
            .and_then(|o| o.get(id).map(|ps| ps.contains(&profile)))
            .unwrap_or(false)
    }

    pub fn profiles(&self, id: &str) -> Vec<Profile> {
        self.open
            .read()
            .ok()
            .and_then(|o| o.get(id).cloned())
            .unwrap_or_default()
    }

    /// The policy: the host's rules and every mounted module's.
    pub fn policy(&self) -> Result<Policy, String> {
        self.modules
            .iter()
            .try_fold(Policy::default(), |p, m| p.with_module_rules(m.rules()))
    }

    /// At start: each module's tables, then what the console decided last (kept in the store).
    pub async fn open_store(&self, store: &Store) -> Result<(), WebError> {
        for m in &self.modules {
            store.migrate_module(m.id(), m.migrations()).await?;
            let id = m.id();
            let saved = store.read(move |r| r.meta(&key(id))).await?;
            if let Some(s) = saved
                && let Ok(mut o) = self.open.write()
            {
                o.insert(id, parse_list(&s));
            }
        }
        Ok(())
    }

    /// The RUPN's choice for a module, kept and journalled; effective at once.
    pub async fn set(
        &self,
        store: &Store,
        id: &str,
        profiles: Vec<Profile>,
        actor: &str,
        at: i64,
    ) -> Result<(), WebError> {
        let module = self.get(id).ok_or(WebError::NotFound)?;
        let id = module.id();
        let value = list(&profiles);
        let actor = actor.to_owned();
        store
            .write(move |w| {
                w.set_meta(&key(id), &value)?;
                w.append_audit(&AuditEntry {
                    at,
                    actor,
                    action: "module.profils".into(),
                    target: id.into(),
                    detail: if value.is_empty() {
                        "fermé à tous".into()
                    } else {
                        value
                    },
                })
            })
            .await?;
        if let Ok(mut o) = self.open.write() {
            o.insert(id, profiles);
        }
        Ok(())
    }
}
