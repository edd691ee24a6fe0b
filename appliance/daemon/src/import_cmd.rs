//! `cartabled import aaf|siecle|csv`: read a delivery, plan, write the report, apply; French
//! summary or JSON. The report (every change, and the new accounts' initial passwords) is
//! written under the data dir before anything is applied. The académie link (drop folder)
//! goes through the same `execute`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use cartable_core::accounts::Accounts;
use cartable_core::config::Config;
use cartable_core::directory::{DirectoryRead, Uai};
use cartable_core::feed::import::{ImportOptions, ImportReport, Source};
use cartable_core::feed::{aaf, siecle};
use serde_json::json;

use crate::cli::{ImportFlags, ImportSource};
use crate::messages;

/// A delivery read and ready to plan, with what names it in reports.
pub struct Prepared {
    pub source: Source,
    /// "aaf complet", "siecle", "csv"…
    pub label: String,
    pub uai: String,
    /// AAAAMMJJ of the delivery (the AAF's own date, else today).
    pub date: String,
    pub files: usize,
}

/// Reads an AAF delivery off the executor.
pub async fn read_aaf(accounts: &Accounts, dir: &Path) -> anyhow::Result<Prepared> {
    let expected = accounts.directory().structure().await?.map(|s| s.uai);
    let dir = dir.to_owned();
    let feed = tokio::task::spawn_blocking(move || aaf::read_dir(&dir, expected.as_ref()))
        .await
        .context("lecture du flux")?
        .map_err(cartable_core::Error::from)?;
    Ok(Prepared {
        source: Source::aaf(&feed)?,
        label: format!("aaf {}", format!("{:?}", feed.kind).to_lowercase()),
        uai: feed.uai.clone(),
        date: feed.date.clone(),
        files: feed.files.len(),
    })
}

fn today(accounts: &Accounts) -> (time::Date, String) {
    let d = accounts.now().date();
    (
        d,
        format!("{:04}{:02}{:02}", d.year(), d.month() as u8, d.day()),
    )
}

/// Reads SIECLE / STS-web exports off the executor.
pub async fn read_siecle(accounts: &Accounts, dir: &Path) -> anyhow::Result<Prepared> {
    let expected = accounts.directory().structure().await?.map(|s| s.uai);
    let (day, date) = today(accounts);
    let dir = dir.to_owned();
    let delivery =
        tokio::task::spawn_blocking(move || siecle::read_dir(&dir, expected.as_ref(), day))
            .await
            .context("lecture des exports")?
            .map_err(cartable_core::Error::from)?;
    Ok(Prepared {
        label: "siecle".into(),
        uai: delivery.uai.clone(),
        files: delivery.files.len(),
        source: Source::siecle(delivery),
        date,
    })
}

async fn read_csv(
    accounts: &Accounts,
    file: &Path,
    uai: Option<String>,
    nom: Option<String>,
) -> anyhow::Result<Prepared> {
    let uai = uai.map(|u| Uai::parse(&u)).transpose().context("--uai")?;
    let current = accounts.directory().structure().await?.map(|s| s.uai);
    let shown = uai
        .clone()
        .or(current)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let (_, date) = today(accounts);
    let file = file.to_owned();
    let source = tokio::task::spawn_blocking(move || Source::ecole_csv(&file, uai, nom))
        .await
        .context("lecture du CSV")??;
    Ok(Prepared {
        source,
        label: "csv".into(),
        uai: shown,
        date,
        files: 1,
    })
}

pub fn options(config: &Config, flags: &ImportFlags) -> ImportOptions {
    ImportOptions {
        dry_run: flags.dry_run,
        force: flags.force,
        max_disable_share: f64::from(config.import.max_disable_percent) / 100.0,
        personnes_en_charge: config.import.personnes_en_charge,
    }
}

/// Plans, writes the report (unless dry), applies. Returns the report and its folder.
pub async fn execute(
    config: &Config,
    accounts: &Accounts,
    prepared: Prepared,
    flags: &ImportFlags,
    announce: bool,
) -> anyhow::Result<(ImportReport, Option<PathBuf>)> {
    let plan = accounts
        .plan(prepared.source, &options(config, flags))
        .await?;
    if flags.dry_run {
        return Ok((plan.report, None));
    }
    // An import cut short never leaves accounts whose password nobody has.
    let (data_dir, date, label) = (
        config.data_dir.clone(),
        prepared.date.clone(),
        prepared.label.replace(' ', "-"),
    );
    let report = plan.report.clone();
    let written =
        tokio::task::spawn_blocking(move || write_report(&data_dir, &date, &label, &report))
            .await
            .context("écriture du rapport")??;
    if announce {
        println!("{}", messages::IMPORT_APPLYING);
        let _ = std::io::stdout().flush();
    }
    let report = accounts.apply_import(plan).await?;
    // New pupils find their space, a new class its folders, at once; the accounts are in
    // place whatever happens here, and the service's periodic pass catches up.
    match cartable_core::files::keep::keep_in_step(accounts.directory(), &config.files).await {
        Ok(r) if announce && r.created > 0 => {
            println!("{} : {}", messages::FILES_CREATED, r.created);
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!("espaces de fichiers : {e}");
            if announce {
                eprintln!("{} : {e}", messages::FILES_NOT_SYNCED);
            }
        }
    }
    Ok((report, Some(written)))
}

pub async fn run(config: &Config, accounts: Accounts, source: ImportSource) -> anyhow::Result<()> {
    let (prepared, flags) = match source {
        ImportSource::Aaf { dir, flags } => (read_aaf(&accounts, &dir).await?, flags),
        ImportSource::Siecle { dir, flags } => (read_siecle(&accounts, &dir).await?, flags),
        ImportSource::Csv {
            file,
            uai,
            nom,
            flags,
        } => (read_csv(&accounts, &file, uai, nom).await?, flags),
    };
    let (label, uai, date, files) = (
        prepared.label.clone(),
        prepared.uai.clone(),
        prepared.date.clone(),
        prepared.files,
    );
    let (report, written) = execute(config, &accounts, prepared, &flags, !flags.json).await?;
    if flags.json {
        let v = json!({
            "dry_run": flags.dry_run,
            "source": label,
            "kind": label.rsplit(' ').next(),
            "uai": uai,
            "created": report.created,
            "updated": report.updated,
            "disabled": report.disabled,
            "reactivated": report.reactivated,
            "deleted": report.deleted,
            "unchanged": report.unchanged,
            "errors": report.errors,
            "warnings": report.warnings,
            "report_dir": written.as_ref().map(|p| p.display().to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} {label} {uai} du {date} ({files})",
            if flags.dry_run {
                messages::IMPORT_DRY
            } else {
                messages::IMPORT_DONE
            },
        );
        print_counts(&report);
        if let Some(p) = &written {
            println!("{} : {}", messages::IMPORT_REPORT, p.display());
        }
    }
    Ok(())
}

fn print_counts(report: &ImportReport) {
    println!("  créés        : {}", report.created);
    println!("  mis à jour   : {}", report.updated);
    println!("  désactivés   : {}", report.disabled);
    println!("  réactivés    : {}", report.reactivated);
    println!("  supprimés    : {}", report.deleted);
    println!("  inchangés    : {}", report.unchanged);
    for w in &report.warnings {
        println!("  à savoir     : {w}");
    }
    for e in &report.errors {
        println!("  attention    : {e}");
    }
}

/// `data_dir/imports/<date>-<source>-<n>/`: `rapport.csv` (every change) and, when accounts
/// were created, `nouveaux-comptes.csv` with their initial passwords (owner-only).
pub fn write_report(
    data_dir: &Path,
    date: &str,
    label: &str,
    report: &ImportReport,
) -> anyhow::Result<PathBuf> {
    let base = data_dir.join("imports");
    std::fs::create_dir_all(&base).with_context(|| base.display().to_string())?;
    let dir = (1..)
        .map(|n| base.join(format!("{date}-{label}-{n:03}")))
        .find(|d| !d.exists())
        .unwrap_or_else(|| base.join(format!("{date}-{label}")));
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
    // Run as root (`cartable-provision import`), what it made would be root's; the service,
    // which writes the next reports here, runs as the data folder's owner.
    // Only this report and the folder of reports: the earlier ones were handled then.
    cartable_core::files::unix::owned_like_alone(data_dir, &base)
        .with_context(|| base.display().to_string())?;
    cartable_core::files::unix::owned_like(data_dir, &dir)
        .with_context(|| dir.display().to_string())?;
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
