//! The GAR export: every night at `[gar] heure` (French time) into `[gar] dossier`, its outcome
//! told to the académie; and `cartabled gar [--essai]` for the RUPN.

use cartable_core::academie::reports::Reporter;
use cartable_core::config::Config;
use cartable_core::directory::AnyDirectory;
use cartable_core::gar::{GarOptions, Outcome};
use cartable_core::store::Store;
use time::OffsetDateTime;

use crate::messages;

fn options(config: &Config) -> anyhow::Result<GarOptions> {
    let dest = config
        .gar
        .dir
        .clone()
        .ok_or_else(|| anyhow::anyhow!(messages::GAR_NO_DEST))?;
    Ok(GarOptions {
        dest,
        ent_id: config.gar.ent_id.clone(),
        managers: config.gar.managers.clone(),
        data_dir: config.data_dir.clone(),
    })
}

/// One export (or, `dry`, its comparison with the last one).
pub async fn once(
    config: &Config,
    store: &Store,
    directory: &AnyDirectory,
    now: OffsetDateTime,
    dry: bool,
) -> anyhow::Result<Outcome> {
    let opts = options(config)?;
    Ok(cartable_core::gar::export(store, directory, &opts, now, dry).await?)
}

/// Changes a dry run lists one by one, at most.
const MAX_LISTED: usize = 500;

/// What the command prints: the changes (a dry run lists each), the sizes, what was left out.
pub fn said(o: &Outcome, dry: bool) -> String {
    let mut out = String::new();
    if dry {
        out.push_str(messages::GAR_DRY);
        out.push('\n');
        // A first export is all new: the counts say it better than every line.
        let listed = if o.diff.first { 0 } else { MAX_LISTED };
        for c in o.diff.changes.iter().take(listed) {
            out.push_str(&format!("  {} [{}] {}\n", c.sign, c.flow, c.label));
        }
        if o.diff.changes.len() > listed && listed > 0 {
            out.push_str(&messages::gar_more(o.diff.changes.len() - listed));
            out.push('\n');
        }
    } else if let Some(a) = &o.archive {
        out.push_str(&format!("{} : {}\n", messages::GAR_DONE, a.display()));
    }
    out.push_str(&o.diff.summary());
    out.push('\n');
    let sizes: Vec<String> = o.sizes.iter().map(|(f, n)| format!("{f} {n}")).collect();
    out.push_str(&format!("{} : {}\n", messages::GAR_SIZES, sizes.join(", ")));
    for w in &o.warnings {
        out.push_str(&format!("{} : {w}\n", messages::GAR_LEFT_OUT));
    }
    out
}

/// The nightly export, when `[gar] dossier` is set; `at_once`, a first one now if none was
/// ever made.
pub fn spawn(config: Config, reporter: Reporter, at_once: bool) {
    if config.gar.dir.is_none() {
        return;
    }
    tokio::spawn(async move {
        let mut first = at_once
            && reporter
                .store
                .read(|r| r.gar_runs(1))
                .await
                .is_ok_and(|r| r.is_empty());
        loop {
            if !first {
                let now = reporter.clock.now();
                let wait = crate::backup::next_run(now, config.gar.hour) - now;
                tokio::time::sleep(wait.try_into().unwrap_or_default()).await;
            }
            first = false;
            let at = reporter.clock.now();
            match once(&config, &reporter.store, &reporter.directory, at, false).await {
                Ok(o) => tracing::info!(
                    archive = ?o.archive,
                    "export GAR écrit : {}",
                    o.diff.summary()
                ),
                Err(e) => tracing::error!("export GAR : {e:#}"),
            }
            let last = reporter.store.read(|r| r.gar_runs(1)).await;
            if let Ok(Some(run)) = last.map(|mut v| v.pop())
                && let Err(e) = reporter.enqueue_gar(&run).await
            {
                tracing::warn!("export GAR : compte rendu pour l'académie non mis en file : {e}");
            }
        }
    });
}
