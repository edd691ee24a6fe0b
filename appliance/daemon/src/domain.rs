//! Keeps the Samba AD domain in step: a comparison at start, soon after each change of the
//! annuaire (several changes in a row make one run), every quarter of an hour (the comparison
//! that repairs what was changed in AD by hand), and every few seconds while the controller
//! cannot be reached — by this process or by a command (`cartabled import`) that recorded
//! its failure in the store.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use cartable_core::accounts::Accounts;
use cartable_core::ad::Link;
use cartable_core::directory::AnyDirectory;
use cartable_core::store::Store;

use crate::cli::DomainCommand;
use crate::messages;

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

/// `cartabled domain …`.
pub async fn command(accounts: Accounts, command: DomainCommand) -> anyhow::Result<()> {
    let domain = accounts
        .domain()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!(messages::DOMAIN_NONE))?;
    match command {
        DomainCommand::Sync => {
            let r = domain.sync(accounts.directory(), &HashMap::new()).await?;
            println!(
                "{} : {} {}, {} {}",
                messages::DOMAIN_COMPARED,
                r.differences,
                messages::DOMAIN_DIFFERENCES,
                r.repaired,
                messages::DOMAIN_REPAIRED
            );
            for refused in &r.refused {
                println!(
                    "  {} {} : {}",
                    messages::DOMAIN_REFUSED,
                    refused.login,
                    refused.reason
                );
            }
            for failed in &r.failed {
                println!("  {} : {failed}", messages::DOMAIN_FAILED);
            }
            Ok(())
        }
        DomainCommand::Netlogon { output } => {
            let script = cartable_core::ad::account::netlogon_script(&domain.config().domain);
            match output {
                None => print!("{script}"),
                Some(path) => {
                    cartable_core::files::unix::write_atomically(&path, &script, 0o644)
                        .with_context(|| path.display().to_string())?;
                    println!("{} : {}", messages::DOMAIN_NETLOGON, path.display());
                }
            }
            Ok(())
        }
        DomainCommand::PasswordBack => {
            // samba-tool hands one account's LDIF and waits for « DONE-EXIT: »; anything
            // else (or a failure) stops its loop, which resumes from its cache when restarted.
            let ldif = tokio::task::spawn_blocking(|| {
                use std::io::Read;
                let mut text = String::new();
                std::io::stdin()
                    .take(cartable_core::ad::back::MAX_LDIF as u64 + 1)
                    .read_to_string(&mut text)
                    .map(|_| text)
            })
            .await?
            .context("stdin")?;
            let change = cartable_core::ad::back::parse(&ldif)?;
            let taken = accounts.password_from_domain(&change).await?;
            if taken {
                tracing::warn!(login = %change.sam, "password changed on a domain PC taken into the annuaire");
                println!("DONE-EXIT: {} repris dans l'annuaire", change.sam);
            } else {
                println!("DONE-EXIT: {} sans changement pour l'annuaire", change.sam);
            }
            Ok(())
        }
    }
}
