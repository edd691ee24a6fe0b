//! Backups as the console sees them: the ones on the destination (date, size), how each run
//! went (kept in the store, a failure included), and one run at a time, scheduled or asked
//! for with « Sauvegarder maintenant ».

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Result;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::directory::AnyDirectory;
use crate::error::blocking;
use crate::store::{BackupRun, Store};

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Scheduled,
    Asked,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Scheduled => "programmee",
            Trigger::Asked => "manuelle",
        }
    }
}

/// A complete backup on the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    /// Unix seconds, from its manifest.
    pub created_at: i64,
    pub bytes: u64,
}

#[derive(Clone)]
pub struct Backups {
    config: Arc<Config>,
    config_file: Option<PathBuf>,
    store: Store,
    directory: AnyDirectory,
    clock: SharedClock,
    dest: PathBuf,
    /// Held while a run goes on: one at a time; its start time, read by the page.
    running: Arc<tokio::sync::Mutex<()>>,
    started: Arc<std::sync::Mutex<Option<i64>>>,
}

impl Backups {
    /// None without `[backup] dir`.
    pub fn new(
        config: Arc<Config>,
        config_file: Option<PathBuf>,
        store: Store,
        directory: AnyDirectory,
        clock: SharedClock,
    ) -> Option<Self> {
        let dest = config.backup.dir.clone()?;
        Some(Self {
            config,
            config_file,
            store,
            directory,
            clock,
            dest,
            running: Arc::default(),
            started: Arc::default(),
        })
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// When the run going on started, if one is.
    pub fn running_since(&self) -> Option<i64> {
        self.started.lock().ok().and_then(|s| *s)
    }

    /// Takes a backup now, after the one going on if any; records how it went.
    pub async fn run(&self, trigger: Trigger) -> Result<PathBuf> {
        let _one = self.running.lock().await;
        self.run_locked(trigger).await
    }

    /// Starts a backup in the background unless one is going on; false if one was.
    pub fn start(&self, trigger: Trigger) -> bool {
        let Ok(guard) = self.running.clone().try_lock_owned() else {
            return false;
        };
        let me = self.clone();
        tokio::spawn(async move {
            let _one = guard;
            match me.run_locked(trigger).await {
                Ok(dir) => tracing::info!(dossier = %dir.display(), "sauvegarde écrite"),
                Err(e) => tracing::error!("sauvegarde : {e}"),
            }
        });
        true
    }

    async fn run_locked(&self, trigger: Trigger) -> Result<PathBuf> {
        let start = self.clock.now();
        if let Ok(mut s) = self.started.lock() {
            *s = Some(start.unix_timestamp());
        }
        let result = crate::backup::backup(
            &self.config,
            self.config_file.as_deref(),
            &self.store,
            &self.directory,
            &self.dest,
            self.config.backup.keep,
            start,
        )
        .await;
        if let Ok(mut s) = self.started.lock() {
            *s = None;
        }
        let seconds = (self.clock.now() - start).whole_seconds();
        let (folder, bytes, error) = match &result {
            Ok(dir) => {
                let d = dir.clone();
                let bytes = blocking(move || Ok(manifest_bytes(&d)))
                    .await
                    .ok()
                    .flatten();
                (
                    dir.file_name().map(|n| n.to_string_lossy().into_owned()),
                    bytes,
                    None,
                )
            }
            Err(e) => (None, None, Some(e.to_string())),
        };
        let row = BackupRun {
            at: start.unix_timestamp(),
            seconds,
            trigger: trigger.as_str().to_owned(),
            ok: result.is_ok(),
            folder,
            bytes,
            error,
        };
        // How it went is kept even when the backup failed; the failure is what matters.
        if let Err(e) = self.store.write(move |w| w.add_backup_run(&row)).await {
            tracing::error!("sauvegarde : compte rendu non enregistré : {e}");
        }
        result
    }

    /// The complete backups on the destination, newest first (blocking reads off the
    /// executor).
    pub async fn listed(&self) -> Result<Vec<Listed>> {
        let dest = self.dest.clone();
        blocking(move || Ok(list(&dest))).await
    }
}

fn manifest(dir: &Path) -> Option<crate::backup::Manifest> {
    let text = std::fs::read_to_string(dir.join(crate::backup::MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}

fn manifest_bytes(dir: &Path) -> Option<u64> {
    manifest(dir).map(|m| m.parts.iter().map(|p| p.bytes).sum())
}

/// The complete backups in `dest`, newest first.
pub fn list(dest: &Path) -> Vec<Listed> {
    let mut out: Vec<Listed> = crate::backup::list(dest)
        .into_iter()
        .filter_map(|dir| {
            let m = manifest(&dir)?;
            Some(Listed {
                name: dir.file_name()?.to_string_lossy().into_owned(),
                created_at: m.created_at,
                bytes: m.parts.iter().map(|p| p.bytes).sum(),
            })
        })
        .collect();
    out.reverse();
    out
}
