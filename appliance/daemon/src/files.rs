//! The file spaces' housekeeping in the service: the tree kept in step with the directory at
//! start and every few minutes (imports also do it as they finish).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cartable_core::clock::SharedClock;
use cartable_core::config::FilesConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login};
use cartable_core::files::summary::Summaries;
use cartable_core::files::tree::Tree;
use cartable_core::files::{keep, quota, trash};
use cartable_core::store::Store;

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

/// Passes every few minutes, after the one done at start; each also empties what has been
/// in a corbeille longer than the configured days.
pub fn spawn(config: FilesConfig, directory: AnyDirectory, clock: SharedClock) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(PASS_EVERY).await;
            pass(&config, &directory).await;
            let before = clock.now().unix_timestamp() - i64::from(config.trash_days) * 86_400;
            let tree = Tree::new(config.root.clone());
            match tokio::task::spawn_blocking(move || trash::purge_tree(&tree, before)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(entrees = n, "corbeilles purgées"),
                Err(e) => tracing::error!("corbeilles : {e}"),
            }
        }
    });
}

/// Whether an event changes what a space holds. Opening or reading a folder (a listing, a
/// quota check, a backup, a pupil browsing over SMB) and metadata changes (the tree's ACLs)
/// do not: reacting to them would make every quota check wake the watcher again, forever.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Watches the tree: a change of content (over SMB as well as from the web) drops the
/// summaries of the spaces it touches at once, and re-applies over SMB, shortly after, the
/// quota of the person whose space changed or who owns what changed in a shared space.
pub fn spawn_watcher(
    config: FilesConfig,
    data_dir: PathBuf,
    store: Store,
    directory: AnyDirectory,
    summaries: Arc<Summaries>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res
            && changes_content(&event.kind)
        {
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    })?;
    notify::Watcher::watch(&mut watcher, &config.root, notify::RecursiveMode::Recursive)?;
    let tree = Tree::new(config.root.clone());
    let perso_root = tree.perso_root();
    let shared = [
        tree.root().join("classes"),
        tree.root().join("groupes"),
        tree.commun(),
    ];
    tokio::spawn(async move {
        let _keep = watcher;
        let mut dirty: BTreeSet<String> = BTreeSet::new();
        let mut dirty_owners: BTreeSet<u32> = BTreeSet::new();
        // Quotas are checked at most SETTLE after the first change of a burst, even if
        // changes keep coming.
        let mut deadline = tokio::time::Instant::now();
        loop {
            let next = if dirty.is_empty() && dirty_owners.is_empty() {
                rx.recv().await
            } else {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(p) => p,
                    Err(_) => {
                        let owners = std::mem::take(&mut dirty_owners);
                        if !owners.is_empty() {
                            let root = perso_root.clone();
                            if let Ok(found) =
                                tokio::task::spawn_blocking(move || logins_owning(&root, &owners))
                                    .await
                            {
                                dirty.extend(found);
                            }
                        }
                        for login in std::mem::take(&mut dirty) {
                            requota(&store, &config, &data_dir, &directory, &summaries, &login)
                                .await;
                        }
                        continue;
                    }
                }
            };
            let Some(path) = next else {
                return;
            };
            summaries.changed(&path);
            let was_idle = dirty.is_empty() && dirty_owners.is_empty();
            if let Ok(rest) = path.strip_prefix(&perso_root)
                && let Some(login) = rest.components().next()
            {
                dirty.insert(login.as_os_str().to_string_lossy().into_owned());
            } else if shared.iter().any(|s| path.starts_with(s)) {
                use std::os::unix::fs::MetadataExt;
                let p = path.clone();
                if let Ok(Ok(meta)) =
                    tokio::task::spawn_blocking(move || std::fs::symlink_metadata(p)).await
                {
                    dirty_owners.insert(meta.uid());
                }
            }
            if was_idle && !(dirty.is_empty() && dirty_owners.is_empty()) {
                deadline = tokio::time::Instant::now() + SETTLE;
            }
        }
    });
    Ok(())
}

/// The people whose personal folder belongs to one of `owners` (who wrote in a shared space).
fn logins_owning(perso_root: &std::path::Path, owners: &BTreeSet<u32>) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    // What the service owns is nobody's (and every folder is the service's without POSIX ids).
    let service = std::fs::metadata(perso_root).map(|m| m.uid()).ok();
    let owners: BTreeSet<u32> = owners
        .iter()
        .copied()
        .filter(|o| Some(*o) != service)
        .collect();
    if owners.is_empty() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(perso_root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_dir() && owners.contains(&m.uid()))
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// How long a burst of changes is gathered before quotas are checked.
const SETTLE: Duration = Duration::from_millis(500);

async fn requota(
    store: &Store,
    config: &FilesConfig,
    data_dir: &std::path::Path,
    directory: &AnyDirectory,
    summaries: &Arc<Summaries>,
    login: &str,
) {
    let Ok(login) = Login::parse(login) else {
        return;
    };
    match directory.person(&login).await {
        Ok(Some(person)) => {
            if let Err(e) = quota::enforce(store, config, data_dir, &person, summaries).await {
                tracing::error!(%login, "quota : {e}");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::error!(%login, "quota : {e}"),
    }
}
