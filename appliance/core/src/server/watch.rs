//! The server page's source: runs every check at once, keeps the last result for the RUPN's
//! portal (which must not probe the network on each view), and holds the backups and the
//! recent problems.

use std::sync::{Arc, RwLock};

use super::backups::Backups;
use super::checks::{self, CHECK_WITHIN, Check, Health, Service, Snapshot};
use super::incidents::Incidents;
use super::{disk, probe};
use crate::clock::SharedClock;
use crate::config::{Config, DirectoryConfig};
use crate::directory::{AnyDirectory, DirectoryRead};
use crate::error::blocking;
use crate::messages as m;
use crate::store::Store;

pub struct Watch {
    config: Arc<Config>,
    store: Store,
    directory: AnyDirectory,
    clock: SharedClock,
    pub backups: Option<Backups>,
    pub incidents: Incidents,
    latest: RwLock<Option<Snapshot>>,
}

async fn within<T>(f: impl std::future::Future<Output = crate::Result<T>>) -> Result<T, String> {
    match tokio::time::timeout(CHECK_WITHIN, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(m::PROBE_TIMEOUT.to_owned()),
    }
}

impl Watch {
    pub fn new(
        config: Arc<Config>,
        store: Store,
        directory: AnyDirectory,
        clock: SharedClock,
        backups: Option<Backups>,
        incidents: Incidents,
    ) -> Self {
        Self {
            config,
            store,
            directory,
            clock,
            backups,
            incidents,
            latest: RwLock::new(None),
        }
    }

    /// The last checks made, if any.
    pub fn latest(&self) -> Option<Snapshot> {
        self.latest.read().ok().and_then(|l| l.clone())
    }

    /// Checks everything now (about 3 s at worst: the checks run side by side), keeps the
    /// result for the portal and returns it.
    pub async fn check(&self) -> Snapshot {
        let now = self.clock.now().unix_timestamp();
        let (annuaire, base, partages, domaine, courriel, academie, sauvegardes, imports, disque) = tokio::join!(
            self.annuaire(),
            self.base(),
            self.partages(),
            self.domaine(),
            self.courriel(now),
            self.academie(now),
            self.sauvegardes(now),
            self.imports(),
            self.disque(),
        );
        let snapshot = Snapshot {
            at: now,
            checks: vec![
                annuaire,
                base,
                partages,
                domaine,
                courriel,
                academie,
                sauvegardes,
                imports,
                disque,
            ],
        };
        if let Ok(mut l) = self.latest.write() {
            *l = Some(snapshot.clone());
        }
        snapshot
    }

    async fn annuaire(&self) -> Check {
        let what = match &self.config.directory {
            DirectoryConfig::Embedded => m::ANNUAIRE_EMBEDDED.to_owned(),
            DirectoryConfig::Ldap(l) => format!("OpenLDAP, {}", l.url),
        };
        match within(self.directory.ping()).await {
            Ok(()) => Check::new(
                Service::Annuaire,
                Health::Ok,
                format!("{} ({what})", m::ANSWERS),
            ),
            Err(e) => Check::new(
                Service::Annuaire,
                Health::Down,
                format!("{} ({what})", m::ANNUAIRE_DOWN),
            )
            .with_detail(e),
        }
    }

    async fn base(&self) -> Check {
        match within(self.store.ping()).await {
            Ok(()) => Check::new(Service::Base, Health::Ok, m::ANSWERS),
            Err(e) => Check::new(Service::Base, Health::Down, m::BASE_DOWN).with_detail(e),
        }
    }

    async fn partages(&self) -> Check {
        let Some((host, port)) = &self.config.files.samba else {
            return Check::new(Service::Partages, Health::Off, m::SAMBA_OFF);
        };
        let at = format!("{host}:{port}");
        match probe::smb(host, *port, CHECK_WITHIN).await {
            Ok(()) => Check::new(
                Service::Partages,
                Health::Ok,
                format!("{} ({at})", m::ANSWERS),
            ),
            Err(f) => Check::new(
                Service::Partages,
                Health::Down,
                format!("{} ({at})", m::SAMBA_DOWN),
            )
            .with_detail(f.to_string()),
        }
    }

    async fn domaine(&self) -> Check {
        let Some(d) = &self.config.domaine else {
            return Check::new(Service::Domaine, Health::Off, m::DOMAIN_OFF);
        };
        let reached = within(async {
            let tls = crate::ad::client::tls(d)?;
            let c = crate::ad::client::Client::connect(d, &tls).await?;
            c.close().await;
            Ok(())
        })
        .await;
        match reached {
            Ok(()) => Check::new(
                Service::Domaine,
                Health::Ok,
                format!("{} ({})", m::ANSWERS, d.url),
            ),
            Err(e) => Check::new(
                Service::Domaine,
                Health::Down,
                format!("{} ({})", m::DOMAIN_DOWN, d.url),
            )
            .with_detail(e),
        }
    }

    async fn courriel(&self, now: i64) -> Check {
        let Some(mail) = &self.config.mail else {
            return Check::new(Service::Courriel, Health::Off, m::MAIL_OFF);
        };
        let tls = mail.security == crate::config::MailSecurity::Tls;
        let (relay, waiting) = tokio::join!(
            probe::smtp(&mail.host, mail.port, tls, CHECK_WITHIN),
            within(self.store.read(|r| r.mail_waiting()))
        );
        match waiting {
            Ok(w) => checks::courriel(relay, &format!("{}:{}", mail.host, mail.port), &w, now),
            Err(e) => Check::new(Service::Courriel, Health::Down, m::BASE_DOWN).with_detail(e),
        }
    }

    async fn academie(&self, now: i64) -> Check {
        if self.config.academie.url.is_none() {
            return Check::new(Service::Academie, Health::Off, m::ACADEMIE_OFF);
        }
        match within(self.store.read(|r| r.academie_waiting())).await {
            Ok(w) => checks::academie(&w, now),
            Err(e) => Check::new(Service::Academie, Health::Down, m::BASE_DOWN).with_detail(e),
        }
    }

    async fn sauvegardes(&self, now: i64) -> Check {
        let Some(b) = &self.backups else {
            return checks::sauvegardes(false, None, None, None, now);
        };
        let listed = within(b.listed()).await.unwrap_or_default();
        let runs = within(self.store.read(|r| r.backup_runs(1)))
            .await
            .unwrap_or_default();
        checks::sauvegardes(true, listed.first(), runs.first(), b.running_since(), now)
    }

    async fn imports(&self) -> Check {
        let data = self.config.data_dir.clone();
        let read = blocking(move || {
            Ok((
                super::imports::latest(&data, 1).pop(),
                super::imports::refused(&data, 1).pop(),
            ))
        });
        match within(read).await {
            Ok((latest, refused)) => checks::imports(latest.as_ref(), refused.as_ref()),
            Err(e) => {
                Check::new(Service::Imports, Health::Warning, m::IMPORTS_UNREAD).with_detail(e)
            }
        }
    }

    async fn disque(&self) -> Check {
        let (data, files, db) = (
            self.config.data_dir.clone(),
            self.config.files.root.clone(),
            self.store.path().to_owned(),
        );
        let read = blocking(move || {
            let d = disk::of(&data);
            let f = if disk::same_file_system(&data, &files) {
                None
            } else {
                disk::of(&files)
            };
            Ok((d, f, disk::store_bytes(&db)))
        });
        match within(read).await {
            Ok((d, f, s)) => checks::disque(d, f, s),
            Err(e) => Check::new(Service::Disque, Health::Warning, m::DISK_UNREAD).with_detail(e),
        }
    }
}
