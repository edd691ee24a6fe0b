//! What cartable tells the académie: each past day's usage indicators (visits and distinct
//! users per service and profile, no names), a daily status report (version, last import,
//! accounts, disk, what waits to be sent), and the outcome of each feed imported from the drop
//! folder. Each message has a key naming what it is about, so queuing it twice is a no-op.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::audience::{self, KEEP_DAYS};
use super::exchange::{Disque, Etat, Gar, Import, Indicateurs, Message};
use super::outbox::Outbox;
use crate::Result;
use crate::clock::SharedClock;
use crate::directory::{AccountState, AnyDirectory, DirectoryRead, PersonQuery, Profile};
use crate::store::Store;

#[derive(Clone)]
pub struct Reporter {
    pub store: Store,
    pub directory: AnyDirectory,
    pub clock: SharedClock,
    pub outbox: Outbox,
    pub data_dir: PathBuf,
    /// Where backups go (`[backup] dest`), to report the newest one.
    pub backup_dir: Option<PathBuf>,
    pub version: &'static str,
}

impl Reporter {
    async fn uai(&self) -> Result<Option<String>> {
        Ok(self.directory.structure().await?.map(|s| s.uai.to_string()))
    }

    /// Queues what is due: indicators of every past day not yet queued, today's status.
    /// Nothing until the établissement is known (first import): the figures wait.
    /// Returns how many messages were queued.
    pub async fn enqueue_due(&self) -> Result<usize> {
        let Some(uai) = self.uai().await? else {
            return Ok(0);
        };
        let now = self.clock.now();
        let today = audience::day_of(now);
        let mut queued = 0;
        for day in audience::days_before(&self.store, &today).await? {
            let key = format!("indicateurs-{uai}-{day}");
            let k = key.clone();
            if self.store.read(move |r| r.outbox_has(&k)).await? {
                continue;
            }
            let body = Message::Indicateurs(Indicateurs {
                uai: uai.clone(),
                services: audience::figures(&self.store, &day).await?,
                jour: day,
            });
            if self.send(&key, &body).await? {
                queued += 1;
            }
        }
        let oldest = audience::day_of(now - time::Duration::days(KEEP_DAYS));
        self.store
            .write(move |w| w.purge_audience_before(&oldest))
            .await?;

        let key = format!("etat-{uai}-{today}");
        let k = key.clone();
        if !self.store.read(move |r| r.outbox_has(&k)).await? {
            let body = Message::Etat(self.status(&uai, &today).await?);
            if self.send(&key, &body).await? {
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// Queues one message under `key`; true when queued now.
    async fn send(&self, key: &str, m: &Message) -> Result<bool> {
        let body = serde_json::to_string(m).map_err(|e| crate::Error::Task(e.to_string()))?;
        self.outbox.enqueue(key, m.kind(), &body).await
    }

    async fn status(&self, uai: &str, today: &str) -> Result<Etat> {
        let mut comptes = BTreeMap::new();
        for p in Profile::ALL {
            let n = self
                .directory
                .search(&PersonQuery {
                    profile: Some(p),
                    state: Some(AccountState::Active),
                    per_page: 1,
                    ..PersonQuery::default()
                })
                .await?
                .total;
            comptes.insert(p.as_str().to_owned(), n as u64);
        }
        let last = self.store.read(|r| r.last_import_at()).await?;
        let pending = self
            .outbox
            .all()
            .await?
            .iter()
            .filter(|m| m.sent_at.is_none())
            .count();
        let (free, total) = crate::server::disk::of(&self.data_dir)
            .map(|u| (u.free, u.total))
            .unwrap_or((0, 0));
        let backup = match self.backup_dir.clone() {
            Some(dir) => crate::error::blocking(move || Ok(crate::backup::newest(&dir))).await?,
            None => None,
        };
        Ok(Etat {
            uai: uai.to_owned(),
            jour: today.to_owned(),
            version: self.version.to_owned(),
            genere_le: self.clock.now().unix_timestamp(),
            dernier_import: last,
            comptes_actifs: comptes,
            disque: Disque {
                libre_octets: free,
                total_octets: total,
            },
            messages_en_attente: pending as u64,
            derniere_sauvegarde: backup,
            sauvegarde_configuree: Some(self.backup_dir.is_some()),
        })
    }

    /// Queues how a GAR export went (counts and errors only: no names leave this way).
    pub async fn enqueue_gar(&self, run: &crate::store::GarRun) -> Result<()> {
        let Some(uai) = self.uai().await? else {
            return Ok(());
        };
        let key = format!("gar-{uai}-{}", run.at);
        let body = Message::Gar(Gar {
            uai,
            le: run.at,
            ok: run.ok,
            resume: run.summary.clone(),
            archive: run
                .archive
                .as_deref()
                .and_then(|a| a.rsplit('/').next())
                .map(str::to_owned),
        });
        self.send(&key, &body).await.map(|_| ())
    }

    /// Queues the outcome of a feed imported from the drop folder.
    pub async fn enqueue_import(&self, delivery: &str, outcome: serde_json::Value) -> Result<()> {
        let uai = self
            .uai()
            .await?
            .unwrap_or_else(|| delivery.split('_').next().unwrap_or_default().to_owned());
        let key = format!("import-{uai}-{delivery}");
        let body = Message::Import(Import {
            uai,
            livraison: delivery.to_owned(),
            le: self.clock.now().unix_timestamp(),
            resultat: outcome,
        });
        self.send(&key, &body).await.map(|_| ())
    }
}
