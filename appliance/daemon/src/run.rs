//! The service's life: open the store and directory, seed the demo if asked, serve until a
//! signal, then finish in-flight requests and close the store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use cartable_core::academie::audience::Audience;
use cartable_core::academie::outbox::Outbox;
use cartable_core::academie::reports::Reporter;
use cartable_core::accounts::Accounts;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::Config;
use cartable_core::demo;
use cartable_core::directory::{AnyDirectory, Profile};
use cartable_core::store::Store;
use cartable_web::AppState;
use cartable_web::metrics::Metrics;

use crate::cli::{AccountsCommand, Cli, Command};
use crate::{logging, messages, systemd};

pub async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { config: path } => {
            let config = Config::load(&path)?;
            let incidents = cartable_core::server::Incidents::new(Arc::new(SystemClock));
            logging::init_with(&config.log.level, Some(incidents.clone()));
            serve(config, None, Some(path), incidents).await
        }
        Command::Demo {
            data,
            listen,
            http_listen,
            uai,
            nom,
            academie,
            academie_certificats,
        } => {
            let data = absolute_dir(&data)?;
            let mut config = Config::embedded(&data, listen);
            config.http_listen = http_listen;
            // The nightly GAR export, into the demo's folder.
            config.gar.dir = Some(data.join("depot-gar"));
            // Nightly backups (and « Sauvegarder maintenant »), into the demo's folder.
            config.backup.dir = Some(data.join("sauvegardes"));
            config.cas.services = demo::cas_services();
            let identity = match (uai, nom) {
                (Some(u), Some(n)) => demo::DemoIdentity {
                    uai: cartable_core::directory::Uai::parse(&u)
                        .map_err(|e| anyhow::anyhow!("--uai : {e}"))?,
                    name: n,
                },
                _ => demo::DemoIdentity::default(),
            };
            if let (Some(url), Some(dir)) = (academie, academie_certificats) {
                let dir = absolute_dir(&dir)?;
                let u = identity.uai.as_str();
                config.academie.url = Some(format!("{}/api/messages", url.trim_end_matches('/')));
                config.academie.ca_file = Some(dir.join("academie-ca.crt"));
                config.academie.identity =
                    Some((dir.join(format!("{u}.crt")), dir.join(format!("{u}.key"))));
                config.academie.retry = std::time::Duration::from_secs(10);
            }
            let incidents = cartable_core::server::Incidents::new(Arc::new(SystemClock));
            logging::init_with(&config.log.level, Some(incidents.clone()));
            serve(config, Some(identity), None, incidents).await
        }
        Command::Accounts { config, command } => {
            let config = Config::load(&config)?;
            logging::init("warn");
            let (store, directory, clock) = open(&config).await?;
            let head = letter_head(&config, &store, &directory).await?;
            let domain = domain_link(&config, &store, &clock)?;
            let changes_domain = matches!(
                command,
                AccountsCommand::Disable { .. }
                    | AccountsCommand::Enable { .. }
                    | AccountsCommand::Sweep
            );
            let dir = directory.clone();
            let accounts = Accounts::new(directory, store.clone(), clock, config.accounts.clone())
                .with_domain(domain.clone());
            let result = crate::accounts_cmd::run(accounts, head, command).await;
            // The daemon compares on its own too; this makes the change reach the domain now.
            if result.is_ok()
                && changes_domain
                && let Some(domain) = &domain
                && let Err(e) = domain.sync(&dir, &Default::default()).await
            {
                eprintln!("{} : {e}", messages::DOMAIN_LATER);
            }
            store.close();
            result
        }
        Command::Domain { config, command } => {
            let config = Config::load(&config)?;
            logging::init("warn");
            let (store, directory, clock) = open(&config).await?;
            let domain = domain_link(&config, &store, &clock)?
                .ok_or_else(|| anyhow::anyhow!(messages::DOMAIN_NONE))?;
            let accounts = Accounts::new(directory, store.clone(), clock, config.accounts.clone())
                .with_domain(Some(domain));
            let result = crate::domain::command(accounts, command).await;
            store.close();
            result
        }
        Command::Import { config, source } => {
            let config = Config::load(&config)?;
            logging::init("warn");
            let (store, directory, clock) = open(&config).await?;
            let domain = domain_link(&config, &store, &clock)?;
            let accounts = Accounts::new(directory, store.clone(), clock, config.accounts.clone())
                .with_domain(domain);
            let result = crate::import_cmd::run(&config, accounts, source).await;
            store.close();
            result
        }
        Command::Gar {
            config: path,
            essai,
        } => {
            let config = Config::load(&path)?;
            logging::init("warn");
            let (store, directory, clock) = open(&config).await?;
            let done = crate::gar::once(&config, &store, &directory, clock.now(), essai).await;
            store.close();
            println!("{}", crate::gar::said(&done?, essai));
            Ok(())
        }
        Command::Backup { config: path, dest } => {
            let config = Config::load(&path)?;
            logging::init("warn");
            let dest = dest
                .or_else(|| config.backup.dir.clone())
                .ok_or_else(|| anyhow::anyhow!(messages::BACKUP_NO_DEST))?;
            let (store, directory, clock) = open(&config).await?;
            let done = cartable_core::backup::backup(
                &config,
                Some(&path),
                &store,
                &directory,
                &dest,
                config.backup.keep,
                clock.now(),
            )
            .await;
            store.close();
            println!("{} : {}", messages::BACKUP_DONE, done?.display());
            Ok(())
        }
        Command::Restore {
            config: path,
            dossier,
            force,
        } => {
            logging::init("warn");
            // The configuration may come from the backup itself on a bare machine.
            let before = Config::load(&path).ok();
            let (data_dir, root) = match &before {
                Some(c) => (c.data_dir.clone(), c.files.root.clone()),
                None => (
                    PathBuf::from(cartable_core::config::DEFAULT_DATA_DIR),
                    PathBuf::from(cartable_core::config::DEFAULT_FILES_ROOT),
                ),
            };
            let (manifest, done) = cartable_core::backup::restore_local(
                &dossier,
                &data_dir,
                &root,
                Some(&path),
                force,
            )
            .await?;
            let config = Config::load(&path)?;
            let (store, directory, _) = open(&config).await?;
            let entries = cartable_core::backup::restore_directory(&dossier, &directory).await;
            store.close();
            let entries = entries?;
            println!(
                "{} ({}) : {}",
                messages::RESTORE_DONE,
                messages::date_time(manifest.created_at),
                dossier.display()
            );
            if entries > 0 {
                println!("  {} : {entries}", messages::RESTORE_ENTRIES);
            }
            if done.files {
                println!("  {} : {}", messages::RESTORE_FILES, root.display());
            }
            if done.config_written {
                println!("  {} : {}", messages::RESTORE_CONFIG, path.display());
            }
            Ok(())
        }
        Command::Man { dir } => {
            std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut pages = vec![("cartabled".to_owned(), cmd.clone())];
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let bin = format!("cartabled {}", sub.get_name());
                let name = format!("cartabled-{}", sub.get_name());
                // A command's name is `'static` in clap; this one-shot command can leak it.
                let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
                pages.push((
                    name,
                    sub.clone()
                        .name(leaked)
                        .bin_name(bin)
                        .version(env!("CARGO_PKG_VERSION")),
                ));
            }
            for (name, page) in pages {
                let mut out = Vec::new();
                clap_mangen::Man::new(page)
                    .title(name.clone())
                    .render(&mut out)?;
                let path = dir.join(format!("{name}.1"));
                std::fs::write(&path, out).with_context(|| path.display().to_string())?;
            }
            Ok(())
        }
        Command::SambaConf { config, output } => {
            let config = Config::load(&config)?;
            let cartable_core::config::DirectoryConfig::Ldap(ldap) = &config.directory else {
                anyhow::bail!(messages::SAMBA_NEEDS_LDAP);
            };
            let quotas = cartable_core::files::samba::quota_dir(&config.data_dir);
            let mut site =
                cartable_core::files::samba::SambaSite::installed(&config.files.root, &quotas);
            let text = match &config.domaine {
                // A member of the établissement's domain once there is one.
                Some(d) => {
                    let (workgroup, name) = (
                        d.domain.netbios(),
                        d.domain.file_server.to_ascii_uppercase(),
                    );
                    site.workgroup = &workgroup;
                    site.netbios_name = &name;
                    cartable_core::files::samba::render_member(&site, &d.domain)
                }
                None => cartable_core::files::samba::render(&site, ldap),
            };
            match output {
                None => print!("{text}"),
                Some(path) => {
                    cartable_core::files::unix::write_atomically(&path, &text, 0o644)
                        .with_context(|| path.display().to_string())?;
                    println!("{} : {}", messages::SAMBA_WRITTEN, path.display());
                }
            }
            Ok(())
        }
        Command::CheckConfig { config } => {
            let c = Config::load(&config)?;
            crate::modules::mounted(&c.modules)?;
            println!(
                "{} : {} (données {}, écoute {})",
                messages::CONFIG_OK,
                config.display(),
                c.data_dir.display(),
                c.listen
            );
            Ok(())
        }
    }
}

fn absolute_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("création de {}", dir.display()))?;
    dir.canonicalize()
        .with_context(|| format!("chemin de {}", dir.display()))
}

/// The link with the Samba AD domain, when the site has one.
fn domain_link(
    config: &Config,
    store: &Store,
    clock: &SharedClock,
) -> anyhow::Result<Option<cartable_core::ad::Link>> {
    config
        .domaine
        .clone()
        .map(|d| cartable_core::ad::Link::new(d, store.clone(), clock.clone()))
        .transpose()
        .map_err(anyhow::Error::from)
}

/// Opens the store and the configured directory.
async fn open(config: &Config) -> anyhow::Result<(Store, AnyDirectory, SharedClock)> {
    create_private_dir(&config.data_dir)?;
    let clock: SharedClock = Arc::new(SystemClock);
    let store = Store::open(&config.store_path()).await?;
    let directory =
        AnyDirectory::from_config(&config.directory, store.clone(), clock.clone()).await?;
    Ok((store, directory, clock))
}

async fn serve(
    config: Config,
    demo: Option<demo::DemoIdentity>,
    config_path: Option<PathBuf>,
    incidents: cartable_core::server::Incidents,
) -> anyhow::Result<()> {
    let demo_mode = demo.is_some();
    let (store, directory, clock) = open(&config).await?;
    let domain = domain_link(&config, &store, &clock)?;
    let accounts = Accounts::new(
        directory.clone(),
        store.clone(),
        clock.clone(),
        config.accounts.clone(),
    )
    .with_domain(domain.clone());
    tracing::info!(
        data_dir = %config.data_dir.display(),
        directory = directory.backend_name(),
        "store open"
    );

    let mut first_demo_start = false;
    if demo_mode {
        let identity = demo.clone().unwrap_or_default();
        let report = demo::ensure_seeded(&store, &accounts, &config.data_dir, &identity).await?;
        first_demo_start = report.seeded_now;
        println!("{} : {}", messages::DEMO_READY, report.plan.structure.name);
        println!(
            "{}",
            if report.seeded_now {
                messages::DEMO_SEEDED
            } else {
                messages::DEMO_KEPT
            }
        );
        println!(
            "{} : {}",
            messages::DEMO_ACCOUNTS,
            report.accounts_file.display()
        );
        for profile in Profile::ALL {
            if let Some(a) = report.plan.first(profile) {
                println!("  {:<20} {:<22} {}", profile.label(), a.login, a.password);
            }
        }
        let services: Vec<&str> = config
            .cas
            .services
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        println!("{} : {}", messages::DEMO_SERVICES, services.join(", "));
    }

    // The file spaces are laid out before the first person can ask for them.
    crate::files::pass(&config.files, &directory).await;
    if demo_mode
        && let Err(e) = demo::seed_documents(&config.files, &config.data_dir, &directory).await
    {
        tracing::warn!("documents de la démo : {e}");
    }

    // The ENT modules: their tables, whom the console opened them to, their rules.
    let mounted = crate::modules::mounted(&config.modules)?;
    mounted.open_store(&store).await?;
    let policy = mounted.policy().map_err(anyhow::Error::msg)?;

    let summaries = std::sync::Arc::new(cartable_core::files::summary::Summaries::default());
    let head = letter_head(&config, &store, &directory).await?;
    let signature = format!("{} — {}", messages::ENT_SIGNATURE, head.etablissement);
    let notifier = cartable_core::notify::Notifier::new(
        store.clone(),
        clock.clone(),
        head.url.clone(),
        signature.clone(),
        config.mail.is_some(),
        config
            .mail
            .as_ref()
            .and_then(|m| cartable_core::notify::QuietHours::new(m.quiet.0, m.quiet.1))
            .unwrap_or_default(),
    );
    let shared_config = Arc::new(config.clone());
    let backups = cartable_core::server::backups::Backups::new(
        shared_config.clone(),
        config_path,
        store.clone(),
        accounts.directory().clone(),
        clock.clone(),
    );
    // The problems of the last run, then this one's.
    if let Err(e) = incidents.load(&store).await {
        tracing::info!("problèmes récents non relus : {e}");
    }
    let watch = Arc::new(cartable_core::server::Watch::new(
        shared_config.clone(),
        store.clone(),
        accounts.directory().clone(),
        clock.clone(),
        backups.clone(),
        incidents,
    ));
    let state = web::Data::new(AppState {
        config: shared_config,
        store: store.clone(),
        directory,
        clock: clock.clone(),
        metrics: Metrics::new().context("metrics registry")?,
        throttle: Default::default(),
        audience: Default::default(),
        summaries: summaries.clone(),
        modules: Arc::new(mounted),
        policy: Arc::new(policy),
        notifier: notifier.clone(),
        domain: domain.clone(),
        shown: Default::default(),
        tiles: Default::default(),
        server: watch.clone(),
        usage_accounts: Default::default(),
    });
    if demo_mode {
        let today = cartable_core::dates::today_in_france(clock.now());
        if let Err(e) = demo::seed_calendar(&store, today).await {
            tracing::warn!("calendrier de la démo : {e}");
        }
        let plan = demo::plan_for(&demo.clone().unwrap_or_default());
        match demo::seed_audience(&store, &plan, today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(lignes = n, "usages de démonstration depuis la rentrée"),
            Err(e) => tracing::warn!("usages de la démo : {e}"),
        }
        for m in state.modules.modules() {
            if let Err(e) = m.seed_demo(&state).await {
                tracing::warn!(module = m.id(), "contenu de démonstration : {e}");
            }
        }
    }
    let state_for_purge = state.clone();
    let state_for_modules = state.clone();
    // The client that calls CAS services back reads CA files: built here, not in a request.
    let _ = cartable_web::cas::client::get(config.cas.ca_file.as_deref());
    let running = cartable_web::start(state)?;
    let port = running.https_addr.port();
    let host = if running.https_addr.ip().is_unspecified() || running.https_addr.ip().is_loopback()
    {
        "localhost".to_owned()
    } else {
        running.https_addr.ip().to_string()
    };
    let url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("https://{host}:{port}"));
    println!("{} {url}/", messages::LISTENING);
    if config.public_url.is_none() && running.https_addr.ip().is_unspecified() {
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        if !name.trim().is_empty() {
            println!(
                "  {} https://{}:{port}/",
                messages::FROM_ELSEWHERE,
                name.trim()
            );
        }
    }
    if let Some(ca) = &running.tls.ca {
        println!("{} : {}", messages::TRUST_CA, ca.display());
    }
    if let Some((_, addr)) = &running.http {
        println!("HTTP {addr} → HTTPS");
    }
    tracing::info!(https = %running.https_addr, "serving");

    let https_handle = running.https.handle();
    let http_handle = running.http.as_ref().map(|(s, _)| s.handle());
    let https_task = actix_web::rt::spawn(running.https);
    let http_task = running.http.map(|(s, _)| actix_web::rt::spawn(s));

    let audience = (state_for_purge.audience.clone(), store.clone());
    spawn_audience_flush(audience.0.clone(), audience.1.clone());
    spawn_due_work(state_for_purge.clone());
    spawn_session_purge(state_for_purge);
    let reporter = Reporter {
        store: store.clone(),
        directory: accounts.directory().clone(),
        clock: clock.clone(),
        outbox: Outbox::new(store.clone(), clock.clone(), config.academie.retry),
        data_dir: config.data_dir.clone(),
        backup_dir: config.backup.dir.clone(),
        version: env!("CARGO_PKG_VERSION"),
    };
    // The demo shows a first export at once rather than at nine tonight.
    crate::gar::spawn(config.clone(), reporter.clone(), demo_mode);
    crate::academie::spawn(config.clone(), accounts.clone(), reporter)?;
    if let Some(mail) = &config.mail {
        let smtp = std::sync::Arc::new(crate::mail::Smtp::new(mail)?);
        let domain = mail
            .sender
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('>').to_owned())
            .unwrap_or_else(|| "cartable.invalid".to_owned());
        let outbox = cartable_core::notify::outbox::MailOutbox::new(
            store.clone(),
            clock.clone(),
            mail.retry,
            domain,
        );
        actix_web::rt::spawn(crate::mail::run(
            outbox,
            smtp,
            notifier.wake(),
            clock.clone(),
            mail.clone(),
            head.url.clone(),
            signature,
        ));
    }
    crate::files::spawn(
        config.files.clone(),
        accounts.directory().clone(),
        clock.clone(),
    );
    if let Err(e) = crate::files::spawn_watcher(
        config.files.clone(),
        config.data_dir.clone(),
        store.clone(),
        accounts.directory().clone(),
        summaries,
    ) {
        // The web still reads the tree itself; only SMB quotas and summaries wait.
        tracing::error!("surveillance des espaces de fichiers : {e}");
    }
    if let Some(b) = backups {
        // The demo's server page shows a backup from its first start on.
        if first_demo_start {
            b.start(cartable_core::server::backups::Trigger::Scheduled);
        }
        crate::backup::spawn(b, config.backup.hour, clock.clone());
    }
    crate::server::spawn(watch, store.clone());
    if let Some(link) = domain {
        crate::domain::spawn(link, accounts.directory().clone(), store.clone());
    }
    spawn_lifecycle_sweep(accounts, state_for_modules);
    systemd::ready(&format!("{} {url}/", messages::LISTENING));
    systemd::spawn_watchdog(store.clone());

    wait_for_signal().await?;
    println!("{}", messages::STOPPING);
    systemd::stopping();
    if let Some(h) = http_handle {
        h.stop(true).await;
    }
    https_handle.stop(true).await;
    let _ = https_task.await;
    if let Some(t) = http_task {
        let _ = t.await;
    }
    if let Err(e) = audience.0.flush(&audience.1).await {
        tracing::warn!("audience: {e}");
    }
    store.close();
    println!("{}", messages::STOPPED);
    Ok(())
}

/// Writes the visits counted in memory every 30 seconds.
fn spawn_audience_flush(audience: Audience, store: Store) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Err(e) = audience.flush(&store).await {
                tracing::warn!("audience: {e}");
            }
        }
    });
}

/// Deletes accounts whose grace period is over, then what the modules keep about people no
/// longer there or past its time: at start, then every six hours.
fn spawn_lifecycle_sweep(accounts: Accounts, state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(6 * 3600));
        loop {
            tick.tick().await;
            match accounts.sweep("cartabled").await {
                Ok(r) if r.deleted.is_empty() => {}
                Ok(r) => tracing::info!(
                    deleted = r.deleted.len(),
                    "accounts past their grace period deleted"
                ),
                Err(e) => tracing::warn!(error = %e, "lifecycle sweep failed"),
            }
            let purged = cartable_web::module::purge(&state).await;
            if purged > 0 {
                tracing::info!(purged, "modules' data past its time removed");
            }
        }
    });
}

/// The modules' work whose time has come (notices due from a date), every five minutes.
fn spawn_due_work(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            let n = cartable_web::module::due(&state).await;
            if n > 0 {
                tracing::info!(n, "modules' due work done");
            }
        }
    });
}

/// Removes expired sessions every ten minutes.
fn spawn_session_purge(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            match cartable_web::session::purge_expired(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
        }
    });
}

async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM received"),
        _ = int.recv() => tracing::info!("SIGINT received"),
    }
    Ok(())
}

/// The data directory holds password hashes and keys: owner-only.
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o750)
        .create(dir)
        .with_context(|| format!("création de {}", dir.display()))
}

/// The établissement's name as the console shows it, and the address people sign in at.
async fn letter_head(
    config: &Config,
    store: &cartable_core::store::Store,
    directory: &cartable_core::directory::AnyDirectory,
) -> anyhow::Result<crate::accounts_cmd::LetterHead> {
    use cartable_core::directory::DirectoryRead;
    let named = store
        .read(|r| r.meta(cartable_core::letters::ETABLISSEMENT_NAME_KEY))
        .await?;
    let etablissement = match named {
        Some(n) => n,
        None => directory
            .structure()
            .await?
            .map(|s| s.name)
            .unwrap_or_else(|| messages::DEFAULT_ENT_NAME.to_owned()),
    };
    let url = match (&config.public_url, &config.tls) {
        (Some(u), _) => u.clone(),
        (None, cartable_core::config::TlsConfig::Generated { hostnames })
            if !hostnames.is_empty() =>
        {
            format!("https://{}", hostnames[0])
        }
        _ => format!("https://{}", config.listen),
    };
    Ok(crate::accounts_cmd::LetterHead { etablissement, url })
}
