//! The file spaces' housekeeping in the service: the tree kept in step with the directory at
//! start and every few minutes (imports also do it as they finish).

use std::time::Duration;

use cartable_core::config::FilesConfig;
use cartable_core::directory::AnyDirectory;
use cartable_core::files::keep;

/// How often the tree is checked against the directory.
const PASS_EVERY: Duration = Duration::from_secs(600);

/// One pass, its outcome logged.
pub async fn pass(config: &FilesConfig, directory: &AnyDirectory) {
    match keep::keep_in_step(directory, config).await {
        Ok(r) if r.created + r.adjusted > 0 => tracing::info!(
            crees = r.created,
            ajustes = r.adjusted,
            "espaces de fichiers mis à jour"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!("espaces de fichiers : {e}"),
    }
}

/// Passes every few minutes, after the one done at start.
pub fn spawn(config: FilesConfig, directory: AnyDirectory) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(PASS_EVERY).await;
            pass(&config, &directory).await;
        }
    });
}
