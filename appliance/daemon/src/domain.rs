//! Keeps the Samba AD domain in step: a comparison at start, soon after each change of the
//! annuaire (several changes in a row make one run), every quarter of an hour (the comparison
//! that repairs what was changed in AD by hand), and every few seconds while the controller
//! cannot be reached — by this process or by a command (`cartabled import`) that recorded
//! its failure in the store.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cartable_core::ad::Link;
use cartable_core::directory::AnyDirectory;
use cartable_core::store::Store;

/// Changes arriving within this delay make one comparison.
const SETTLE: Duration = Duration::from_secs(1);
/// The latest a comparison waits, changes or not.
const AT_LEAST_EVERY: Duration = Duration::from_secs(15 * 60);
/// How often a failure (this process's or a command's) is looked for and retried.
const RETRY: Duration = Duration::from_secs(10);

pub fn spawn(link: Link, directory: AnyDirectory, store: Store) {
    actix_web::rt::spawn(async move {
        let mut failed = false;
        loop {
            let ran = Instant::now();
            match link.sync(&directory, &HashMap::new()).await {
                Ok(r) => {
                    if failed {
                        tracing::info!("domain reachable again");
                    }
                    failed = false;
                    for refused in &r.refused {
                        tracing::warn!(login = %refused.login, reason = %refused.reason, "domain: account refused");
                    }
                }
                Err(e) => {
                    if !failed {
                        tracing::warn!(error = %e, "domain unreachable; the annuaire's changes wait for it");
                    }
                    failed = true;
                }
            }
            loop {
                if tokio::time::timeout(RETRY, link.woken()).await.is_ok() {
                    tokio::time::sleep(SETTLE).await;
                    break;
                }
                if failed || ran.elapsed() >= AT_LEAST_EVERY {
                    break;
                }
                let last_failed = store
                    .read(|r| r.domain_runs(1))
                    .await
                    .ok()
                    .and_then(|runs| runs.into_iter().next())
                    .is_some_and(|run| run.error.is_some());
                if last_failed {
                    break;
                }
            }
        }
    });
}
