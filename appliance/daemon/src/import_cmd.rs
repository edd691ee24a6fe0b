//! `cartabled import aaf <DIR>`: plan, then apply, an académie feed; French summary or JSON;
//! a CSV report of every change and the new accounts' initial passwords under the data dir.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use cartable_core::accounts::Accounts;
use cartable_core::config::Config;
use cartable_core::directory::DirectoryRead;
use cartable_core::feed::aaf;
use cartable_core::feed::import::{ImportOptions, ImportReport};
use serde_json::json;

use crate::cli::ImportSource;
use crate::messages;

pub async fn run(config: &Config, accounts: Accounts, source: ImportSource) -> anyhow::Result<()> {
    let ImportSource::Aaf {
        dir,
        dry_run,
        json,
        force,
    } = source;
    let expected = accounts.directory().structure().await?.map(|s| s.uai);
    let feed = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || aaf::read_dir(&dir, expected.as_ref()))
            .await
            .context("lecture du flux")?
            .map_err(cartable_core::Error::from)?
    };
    let opts = ImportOptions {
        dry_run,
        force,
        max_disable_share: f64::from(config.import.max_disable_percent) / 100.0,
        responsables_level2: config.import.responsables_level2,
    };
    let plan = accounts.plan_aaf(&feed, &opts).await?;
    // The report, with the new accounts' initial passwords, is on disk before anything is
    // applied: an import cut short never leaves accounts whose password nobody has.
    let written = if dry_run {
        None
    } else {
        let (data_dir, date, kind) = (config.data_dir.clone(), feed.date.clone(), feed.kind);
        let report = plan.report.clone();
        Some(
            tokio::task::spawn_blocking(move || write_report(&data_dir, &date, kind, &report))
                .await
                .context("écriture du rapport")??,
        )
    };
    let report = if dry_run {
        plan.report
    } else {
        if !json {
            println!("{}", messages::IMPORT_APPLYING);
            let _ = std::io::stdout().flush();
        }
        accounts.apply_import(plan).await?
    };
    if json {
        let v = json!({
            "dry_run": dry_run,
            "kind": format!("{:?}", feed.kind).to_lowercase(),
            "uai": feed.uai,
            "created": report.created,
            "updated": report.updated,
            "disabled": report.disabled,
            "reactivated": report.reactivated,
            "deleted": report.deleted,
            "unchanged": report.unchanged,
            "errors": report.errors,
            "report_dir": written.as_ref().map(|p| p.display().to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} {} {} du {} ({})",
            if dry_run {
                messages::IMPORT_DRY
            } else {
                messages::IMPORT_DONE
            },
            format!("{:?}", feed.kind).to_lowercase(),
            feed.uai,
            feed.date,
            feed.files.len()
        );
        println!("  créés        : {}", report.created);
        println!("  mis à jour   : {}", report.updated);
        println!("  désactivés   : {}", report.disabled);
        println!("  réactivés    : {}", report.reactivated);
        println!("  supprimés    : {}", report.deleted);
        println!("  inchangés    : {}", report.unchanged);
        for e in &report.errors {
            println!("  attention    : {e}");
        }
        if let Some(p) = &written {
            println!("{} : {}", messages::IMPORT_REPORT, p.display());
        }
    }
    Ok(())
}

/// `data_dir/imports/<date>-<kind>-<n>/`: `rapport.csv` (every change) and, when accounts were
/// created, `nouveaux-comptes.csv` with their initial passwords (owner-only).
fn write_report(
    data_dir: &Path,
    date: &str,
    kind: aaf::FeedKind,
    report: &ImportReport,
) -> anyhow::Result<PathBuf> {
    let base = data_dir.join("imports");
    std::fs::create_dir_all(&base).with_context(|| base.display().to_string())?;
    let kind = format!("{kind:?}").to_lowercase();
    let dir = (1..)
        .map(|n| base.join(format!("{date}-{kind}-{n:03}")))
        .find(|d| !d.exists())
        .unwrap_or_else(|| base.join(format!("{date}-{kind}")));
    std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
    let mut csv = String::from("action;jointure;login;detail\n");
    for l in &report.lines {
        csv.push_str(&format!(
            "{};{};{};{}\n",
            l.action, l.jointure, l.login, l.detail
        ));
    }
    write_private(&dir.join("rapport.csv"), &csv)?;
    if !report.new_accounts.is_empty() {
        let mut csv = String::from("login;password;profil;classe\n");
        for a in &report.new_accounts {
            csv.push_str(&format!(
                "{};{};{};{}\n",
                a.login,
                a.password,
                a.profile.as_str(),
                a.classe
            ));
        }
        write_private(&dir.join("nouveaux-comptes.csv"), &csv)?;
    }
    Ok(dir)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| path.display().to_string())?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}
