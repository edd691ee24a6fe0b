//! The académie link, run by `cartabled serve`: the drop folder watched with `notify` (a
//! rescan every 30 s covers events a network file system may not send), deliveries imported
//! once complete and settled, and the outbox sent over HTTPS.
//!
//! A ready delivery is first moved under `data_dir/academie/en-cours/<key>/`, then imported
//! with the same code as `cartabled import aaf`. Imported, it goes to `archives/`; refused
//! (bad file, too many accounts disabled…), to `refusees/` with `erreur.txt` saying why; any
//! other failure (the annuaire unreachable, the service stopped) leaves it in `en-cours/`,
//! where it is taken up again — the import converges when run again.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use cartable_core::academie::drop::{self, Settling};
use cartable_core::academie::reports::Reporter;
use cartable_core::accounts::Accounts;
use cartable_core::config::Config;
use cartable_web::outbound::{FluxClient, HttpsTransport};
use notify::Watcher;
use serde_json::json;

use crate::cli::ImportFlags;
use crate::import_cmd;

/// Fallback rescan of the drop folder, and pace of the outbox when nothing is due sooner.
const RESCAN: Duration = Duration::from_secs(30);

struct Link {
    config: Config,
    accounts: Accounts,
    reporter: Reporter,
    transport: Option<HttpsTransport>,
    flux: Option<FluxClient>,
    work: PathBuf,
}

pub fn spawn(config: Config, accounts: Accounts, reporter: Reporter) -> anyhow::Result<()> {
    let a = &config.academie;
    if a.drop_dir.is_none() && a.url.is_none() {
        return Ok(());
    }
    let transport = match &a.url {
        Some(url) => Some(
            HttpsTransport::with_identity(
                url,
                a.ca_file.as_deref(),
                a.identity.as_ref().map(|(c, k)| (c.as_path(), k.as_path())),
            )
            .map_err(|e| anyhow::anyhow!("academie.ca_file / academie.certificat : {e}"))?,
        ),
        None => None,
    };
    let flux = match (&a.flux_url, &a.identity) {
        (Some(url), Some((cert, key))) => Some(
            FluxClient::new(url, a.ca_file.as_deref(), (cert.as_path(), key.as_path()))
                .map_err(|e| anyhow::anyhow!("academie.flux_url : {e}"))?,
        ),
        _ => None,
    };
    let work = config.data_dir.join("academie");
    for sub in ["en-cours", "archives", "refusees"] {
        std::fs::create_dir_all(work.join(sub))
            .with_context(|| work.join(sub).display().to_string())?;
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let watcher = match &a.drop_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            let mut w = notify::recommended_watcher(move |_res: notify::Result<notify::Event>| {
                let _ = tx.send(());
            })
            .context("surveillance du dossier de dépôt")?;
            w.watch(dir, notify::RecursiveMode::NonRecursive)
                .with_context(|| format!("surveillance de {}", dir.display()))?;
            Some(w)
        }
        None => None,
    };
    let link = Arc::new(Link {
        config,
        accounts,
        reporter,
        transport,
        flux,
        work,
    });
    actix_web::rt::spawn(async move {
        let _watcher = watcher; // watching lasts as long as the task
        link.run(rx).await;
    });
    Ok(())
}

impl Link {
    async fn run(self: Arc<Self>, mut events: tokio::sync::mpsc::UnboundedReceiver<()>) {
        let mut settling = Settling::default();
        let mut next_outbox = Instant::now();
        let mut next_resume = Instant::now();
        loop {
            let mut waiting = false;
            if Instant::now() >= next_resume {
                self.resume().await;
                next_resume = Instant::now() + Duration::from_secs(60);
            }
            if let Some(dir) = self.config.academie.drop_dir.clone() {
                match tokio::task::spawn_blocking(move || drop::scan(&dir)).await {
                    Ok(Ok(seen)) => {
                        let ready =
                            settling.ready(&seen, Instant::now(), self.config.academie.settle);
                        waiting = seen.len() > ready.len();
                        for s in &seen {
                            if !s.missing.is_empty() {
                                tracing::info!(livraison = %s.key, manque = ?s.missing, "livraison incomplète, en attente");
                            }
                        }
                        for s in ready {
                            settling.forget(&s.key);
                            if let Err(e) = self.take(&s).await {
                                tracing::error!(livraison = %s.key, "prise en charge impossible : {e:#}");
                            }
                        }
                    }
                    Ok(Err(e)) => tracing::error!("dossier de dépôt illisible : {e}"),
                    Err(e) => tracing::error!("dossier de dépôt : {e}"),
                }
            }
            if Instant::now() >= next_outbox {
                self.fetch_deliveries().await;
                self.outbox_round().await;
                next_outbox = Instant::now() + self.config.academie.retry.min(RESCAN);
            }
            let wake = if waiting {
                Duration::from_secs(1)
            } else {
                next_outbox
                    .saturating_duration_since(Instant::now())
                    .min(RESCAN)
            };
            tokio::select! {
                e = events.recv() => {
                    if e.is_none() {
                        tokio::time::sleep(wake).await;
                    }
                    // Let a burst of events pass before scanning.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    while events.try_recv().is_ok() {}
                }
                _ = tokio::time::sleep(wake) => {}
            }
        }
    }

    async fn outbox_round(&self) {
        if let Err(e) = self.reporter.enqueue_due().await {
            tracing::error!("indicateurs pour l'académie : {e}");
        }
        if let Some(t) = &self.transport {
            match self.reporter.outbox.send_due(t).await {
                Ok(s) if s.sent > 0 => {
                    tracing::info!(envoyes = s.sent, "messages remis à l'académie")
                }
                Ok(_) => {}
                Err(e) => tracing::error!("file d'envoi vers l'académie : {e}"),
            }
        }
    }

    /// Fetches from the hub the delivery files not fetched yet (or rewritten since) into the
    /// drop folder: each written under a hidden name, synced, then renamed, and remembered only
    /// then — a transfer cut short is simply done again at the next round. The drop folder's
    /// watcher imports the delivery once complete and settled, as if deposited there.
    async fn fetch_deliveries(&self) {
        let (Some(flux), Some(dir)) = (&self.flux, self.config.academie.drop_dir.clone()) else {
            return;
        };
        let offered = match flux.list().await {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!("flux de l'académie : {e}");
                return;
            }
        };
        let store = &self.reporter.store;
        for f in offered {
            let key = format!("flux:{}", f.nom);
            let seen = format!("{}:{}", f.octets, f.depose_le);
            let k = key.clone();
            match store.read(move |r| r.meta(&k)).await {
                Ok(Some(v)) if v == seen => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!("flux de l'académie : {e}");
                    return;
                }
            }
            let partial = dir.join(format!(".{}.part", f.nom));
            if let Err(e) = flux.fetch(&f, &partial).await {
                tracing::warn!(fichier = %f.nom, "flux de l'académie : {e}");
                let _ = tokio::fs::remove_file(&partial).await;
                return;
            }
            let (from, to, d) = (partial.clone(), dir.join(&f.nom), dir.clone());
            let moved = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                std::fs::rename(&from, &to)?;
                std::fs::File::open(&d)?.sync_all()
            })
            .await;
            if !matches!(moved, Ok(Ok(()))) {
                tracing::error!(fichier = %f.nom, "flux de l'académie : dépôt impossible dans {}", dir.display());
                return;
            }
            if let Err(e) = store.write(move |w| w.set_meta(&key, &seen)).await {
                tracing::error!("flux de l'académie : {e}");
                return;
            }
            tracing::info!(fichier = %f.nom, livraison = %f.livraison, "flux retiré auprès de l'académie");
        }
    }

    /// Moves a ready delivery out of the drop folder, then imports it.
    async fn take(&self, s: &drop::Seen) -> anyhow::Result<()> {
        let dest = self.work.join("en-cours").join(&s.key);
        let files = s.files.clone();
        let d = dest.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            std::fs::create_dir_all(&d)?;
            for f in &files {
                let name = f.file_name().context("nom de fichier")?;
                move_file(f, &d.join(name))?;
            }
            sync_dir(&d)?;
            Ok(())
        })
        .await??;
        self.import(&dest).await;
        Ok(())
    }

    /// Deliveries taken but not finished (service stopped, annuaire unreachable).
    async fn resume(&self) {
        let dir = self.work.join("en-cours");
        let listed = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<PathBuf>> {
            let mut pending: Vec<PathBuf> = std::fs::read_dir(&dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            pending.sort();
            Ok(pending)
        })
        .await;
        let Ok(Ok(pending)) = listed else {
            return;
        };
        for p in pending {
            self.import(&p).await;
        }
    }

    async fn import(&self, dir: &Path) {
        let key = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let flags = ImportFlags {
            dry_run: false,
            json: false,
            force: false,
        };
        let result = async {
            let prepared = import_cmd::read_aaf(&self.accounts, dir).await?;
            import_cmd::execute(&self.config, &self.accounts, prepared, &flags, false).await
        }
        .await;
        match result {
            Ok((report, written)) => {
                tracing::info!(
                    livraison = %key,
                    crees = report.created,
                    mis_a_jour = report.updated,
                    desactives = report.disabled,
                    "flux de l'académie importé"
                );
                let outcome = json!({
                    "created": report.created,
                    "updated": report.updated,
                    "disabled": report.disabled,
                    "reactivated": report.reactivated,
                    "deleted": report.deleted,
                    "unchanged": report.unchanged,
                    "errors": report.errors,
                    "report_dir": written.map(|p| p.display().to_string()),
                });
                self.file_away(dir, "archives", None).await;
                if let Err(e) = self.reporter.enqueue_import(&key, outcome).await {
                    tracing::error!("compte rendu d'import : {e}");
                }
            }
            Err(e) => {
                let refused = matches!(
                    e.downcast_ref::<cartable_core::Error>(),
                    Some(cartable_core::Error::Feed(_))
                );
                if refused {
                    let message = format!("{e:#}");
                    tracing::error!(livraison = %key, "flux de l'académie refusé : {message}");
                    let kept = self.file_away(dir, "refusees", Some(&message)).await;
                    let outcome = json!({ "refus": message, "dossier": kept });
                    if let Err(e) = self.reporter.enqueue_import(&key, outcome).await {
                        tracing::error!("compte rendu d'import : {e}");
                    }
                } else {
                    tracing::error!(livraison = %key, "import interrompu, repris plus tard : {e:#}");
                }
            }
        }
    }

    /// Moves a finished delivery under `archives/` or `refusees/` (with the reason), off the
    /// executor.
    async fn file_away(&self, dir: &Path, to: &str, error: Option<&str>) -> Option<String> {
        let (dir, base, error) = (dir.to_owned(), self.work.join(to), error.map(str::to_owned));
        tokio::task::spawn_blocking(move || {
            let name = dir.file_name()?.to_string_lossy().into_owned();
            let dest = (1..)
                .map(|n| base.join(format!("{name}-{n:03}")))
                .find(|d| !d.exists())?;
            if let Some(e) = error
                && let Err(x) = std::fs::write(dir.join("erreur.txt"), format!("{e}\n"))
            {
                tracing::error!("{}: {x}", dir.display());
            }
            match std::fs::rename(&dir, &dest) {
                Ok(()) => Some(dest.display().to_string()),
                Err(e) => {
                    tracing::error!("{} → {} : {e}", dir.display(), dest.display());
                    None
                }
            }
        })
        .await
        .ok()
        .flatten()
    }
}

/// Rename when on the same file system; else copy, sync, then remove the original.
fn move_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).with_context(|| format!("{} → {}", from.display(), to.display()))?;
    std::fs::File::open(to)?.sync_all()?;
    std::fs::remove_file(from).with_context(|| from.display().to_string())?;
    Ok(())
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}
