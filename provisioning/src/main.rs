//! `cartable-provision`: the technician's tool for the three-day install window — audit the
//! machine and the site, plan, install (idempotent, resumable, undone step by step on
//! failure), status. Every file operation happens beneath `--root` (default `/`), so the whole
//! install can run in a test folder, with a simulated machine for packages and services.

mod audit;
mod domain;
mod error;
mod host;
mod recipe;
mod site;
mod steps;
mod system;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use cartable_core::clock::{Clock, SystemClock};
use clap::{Parser, Subcommand, ValueEnum};

pub use error::Error;

#[derive(Debug, Parser)]
#[command(
    name = "cartable-provision",
    version,
    about = "Installation d'un établissement : audit, plan, installation, état"
)]
struct Cli {
    /// Racine sous laquelle tout fichier est lu et écrit (tests : un dossier temporaire).
    #[arg(long, global = true, default_value = "/")]
    root: PathBuf,
    /// Sortie JSON (pour les scripts) au lieu du texte.
    #[arg(long, global = true)]
    json: bool,
    /// Machine réelle, ou simulée (paquets, utilisateurs, services, commandes notés dans un
    /// fichier sous la racine).
    #[arg(long, global = true, value_enum, default_value_t = Machine::Reelle)]
    machine: Machine,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Machine {
    Reelle,
    Simulee,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Vérifie la machine et le fichier de site ; écrit le compte rendu et la feuille de route.
    Audit {
        #[arg(long)]
        site: PathBuf,
        /// Dossier des documents (par défaut /var/lib/cartable-provision).
        #[arg(long)]
        sortie: Option<PathBuf>,
    },
    /// Montre ce que l'installation changerait, sans rien toucher.
    Plan {
        #[arg(long)]
        site: PathBuf,
    },
    /// Installe et configure ; une seconde fois ne change rien ; reprend après une interruption.
    Install {
        #[arg(long)]
        site: PathBuf,
    },
    /// Premier import des comptes, par le même code que `cartabled import`.
    Import {
        #[arg(long)]
        site: PathBuf,
        /// Dossier du flux AAF de l'académie.
        #[arg(long, group = "source")]
        aaf: Option<PathBuf>,
        /// Dossier des exports SIECLE et STS-web.
        #[arg(long, group = "source")]
        siecle: Option<PathBuf>,
        /// Fichier CSV d'une école.
        #[arg(long, group = "source")]
        csv: Option<PathBuf>,
        /// Configuration installée (par défaut /etc/cartable/cartable.toml sous la racine).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Programme cartabled qui importe.
        #[arg(long, default_value = "cartabled")]
        cartabled: PathBuf,
        /// Dossier des courriers de connexion (par défaut
        /// /var/lib/cartable-provision/courriers sous la racine).
        #[arg(long)]
        courriers: Option<PathBuf>,
    },
    /// Prouve chaque service avec un compte de test : annuaire, portail, CAS, partages,
    /// domaine Windows (ticket Kerberos et dossier personnel), sauvegarde. Le mot de passe est lu dans CARTABLE_VERIF_MOT_DE_PASSE ou sur l'entrée
    /// standard.
    Verify {
        #[arg(long)]
        site: PathBuf,
        /// Identifiant du compte de test (un compte réel, par exemple celui du RUPN).
        #[arg(long)]
        compte: String,
        /// Configuration installée (par défaut /etc/cartable/cartable.toml sous la racine).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Adresse du portail (par défaut public_url de la configuration).
        #[arg(long)]
        url: Option<String>,
        /// Autorité de certification du portail (par défaut celle que cartable a générée).
        #[arg(long)]
        ca: Option<PathBuf>,
        /// Serveur Samba, hôte:port.
        #[arg(long, default_value = "127.0.0.1:445")]
        smb: String,
        /// Service CAS pour lequel demander un ticket (par défaut <portail>/cas/verification).
        #[arg(long)]
        service_cas: Option<String>,
        /// Programme cartabled lancé pour la sauvegarde.
        #[arg(long, default_value = "cartabled")]
        cartabled: PathBuf,
    },
    /// Où en est l'installation.
    Status {
        #[arg(long)]
        site: PathBuf,
    },
    /// Écrit la page de manuel (roff) dans un dossier.
    #[command(hide = true)]
    Man { dir: PathBuf },
}

/// The log of everything done, under the root.
fn log(root: &Path, now: &str, line: &str) {
    let path = root.join("var/log/cartable-provision.log");
    if let Some(d) = path.parent() {
        let _ = std::fs::create_dir_all(d);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = writeln!(f, "{now} {line}");
    }
}

fn machine(cli: &Cli) -> anyhow::Result<Box<dyn system::System>> {
    Ok(match cli.machine {
        Machine::Reelle => Box::new(system::Real),
        Machine::Simulee => Box::new(system::Simulated::open(
            &cli.root.join(steps::STATE_DIR).join("machine-simulee.json"),
        )?),
    })
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Erreur : {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<std::process::ExitCode> {
    let matches =
        cartable_core::cli::french(<Cli as clap::CommandFactory>::command()).get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let now = SystemClock.now();
    let stamp = cartable_core::backup::name_at(now);
    let root = cli.root.clone();
    let ctx = steps::Ctx { root: &root, now };
    match &cli.command {
        Command::Man { dir } => {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out)?;
            let path = dir.join("cartable-provision.1");
            std::fs::write(&path, out).with_context(|| path.display().to_string())?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Audit { site, sortie } => {
            let site = site::Site::load(site)?;
            let host = host::Host::read(&root);
            let findings = audit::check(&host, &site, &root);
            let date = format!("{:02}/{:02}/{}", now.day(), now.month() as u8, now.year());
            let out = sortie
                .clone()
                .unwrap_or_else(|| root.join(steps::STATE_DIR));
            std::fs::create_dir_all(&out).with_context(|| out.display().to_string())?;
            for (name, doc) in [
                (
                    "compte-rendu-audit",
                    audit::compte_rendu(&site, &findings, &date),
                ),
                (
                    "feuille-de-route",
                    audit::feuille_de_route(&site, &findings),
                ),
            ] {
                for (ext, text) in [("md", doc.markdown()), ("html", doc.html())] {
                    let p = out.join(format!("{name}.{ext}"));
                    std::fs::write(&p, text).with_context(|| p.display().to_string())?;
                }
            }
            let blocking = findings
                .iter()
                .filter(|f| f.level == audit::Level::Bloquant)
                .count();
            log(
                &root,
                &stamp,
                &format!("audit : {blocking} point(s) bloquant(s)"),
            );
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "hote": host, "constats": findings, "documents": out })
                );
            } else {
                for f in &findings {
                    let mark = match f.level {
                        audit::Level::Bloquant => "✗ BLOQUANT",
                        audit::Level::Attention => "! à vérifier",
                        audit::Level::Ok => "✓",
                    };
                    println!("{mark:<13} {} : {}", f.subject, f.seen);
                    if !f.action.is_empty() {
                        println!("{:<13}   → {}", "", f.action);
                    }
                }
                println!("\nCompte rendu et feuille de route : {}", out.display());
            }
            Ok(if blocking > 0 {
                std::process::ExitCode::from(2)
            } else {
                std::process::ExitCode::SUCCESS
            })
        }
        Command::Plan { site } => {
            let site = site::Site::load(site)?;
            let sys = machine(&cli)?;
            let all = recipe::steps(&ctx, &site)?;
            let changes = steps::plan(&ctx, sys.as_ref(), &all);
            if cli.json {
                println!("{}", serde_json::json!({ "changements": changes }));
            } else if changes.is_empty() {
                println!("Rien à changer : l'installation est à jour.");
            } else {
                for c in &changes {
                    println!("[{}] {}", c.step, c.what);
                    for d in c.diff.iter().take(40) {
                        println!("      {d}");
                    }
                }
                println!(
                    "\n{} changement(s) prévu(s). Rien n'a été modifié.",
                    changes.len()
                );
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Install { site } => {
            let site = site::Site::load(site)?;
            let mut sys = machine(&cli)?;
            let fail_at = std::env::var("CARTABLE_PROVISION_PANNE").ok();
            let bar = if cli.json {
                indicatif::ProgressBar::hidden()
            } else {
                indicatif::ProgressBar::new(0)
            };
            log(&root, &stamp, "install : début");
            let make = || recipe::steps(&ctx, &site);
            let result =
                steps::install(&ctx, sys.as_mut(), &make, fail_at.as_deref(), |s, i, n| {
                    bar.set_length(n as u64);
                    bar.set_position(i as u64);
                    bar.set_message(s.label);
                    log(&root, &stamp, &format!("étape {} : {}", s.id, s.label));
                });
            bar.finish_and_clear();
            let done = match result {
                Ok(d) => d,
                Err(e) => {
                    log(&root, &stamp, &format!("install : échec : {e}"));
                    return Err(e.into());
                }
            };
            let changed: usize = done.iter().map(|d| d.changes).sum();
            log(
                &root,
                &stamp,
                &format!("install : terminée, {changed} changement(s)"),
            );
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "etapes": done, "changements": changed })
                );
            } else {
                for d in &done {
                    if d.changes == 0 {
                        println!("✓ {:<14} inchangé", d.step);
                    } else {
                        println!("✓ {:<14} {} changement(s)", d.step, d.changes);
                    }
                }
                if changed == 0 {
                    println!("Rien à changer : l'installation était déjà à jour.");
                } else {
                    println!("Installation terminée.");
                }
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Import {
            site,
            aaf,
            siecle,
            csv,
            config,
            cartabled,
            courriers,
        } => {
            let site = site::Site::load(site)?;
            let (kind, path) = match (aaf, siecle, csv) {
                (Some(p), _, _) => ("aaf", p),
                (_, Some(p), _) => ("siecle", p),
                (_, _, Some(p)) => ("csv", p),
                _ => anyhow::bail!("indiquez --aaf DOSSIER, --siecle DOSSIER ou --csv FICHIER"),
            };
            let mut sys = machine(&cli)?;
            let config = config
                .clone()
                .unwrap_or_else(|| root.join(recipe::CONFIG.trim_start_matches('/')));
            let mut argv = vec![
                cartabled.display().to_string(),
                "import".to_owned(),
                kind.to_owned(),
                path.display().to_string(),
                "--config".to_owned(),
                config.display().to_string(),
            ];
            if kind == "csv" {
                argv.extend([
                    "--uai".to_owned(),
                    site.etablissement.uai.clone(),
                    "--nom".to_owned(),
                    site.etablissement.nom.clone(),
                ]);
            }
            log(&root, &stamp, &format!("import : {}", argv.join(" ")));
            let report = sys.run_output(&argv)?;
            log(&root, &stamp, "import : terminé");
            // Then the login letters of everyone who has not signed in yet.
            let dest = courriers
                .clone()
                .unwrap_or_else(|| root.join(steps::STATE_DIR).join("courriers"));
            let letters_argv = vec![
                cartabled.display().to_string(),
                "accounts".to_owned(),
                "--config".to_owned(),
                config.display().to_string(),
                "letters".to_owned(),
                "--dest".to_owned(),
                dest.display().to_string(),
            ];
            log(
                &root,
                &stamp,
                &format!("courriers : {}", letters_argv.join(" ")),
            );
            let letters = sys.run_output(&letters_argv)?;
            log(&root, &stamp, "courriers : écrits");
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "commande": argv, "rapport": report, "courriers": dest, "rapport_courriers": letters })
                );
            } else {
                print!("{report}");
                print!("{letters}");
                println!(
                    "Courriers de connexion à imprimer et distribuer : {} (à détruire ensuite : ils contiennent des mots de passe). Pour une classe plus tard : console de l'ENT, page de la classe.",
                    dest.display()
                );
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Verify {
            site,
            compte,
            config,
            url,
            ca,
            smb,
            service_cas,
            cartabled,
        } => {
            let site = site::Site::load(site)?;
            let config_path = config
                .clone()
                .unwrap_or_else(|| root.join(recipe::CONFIG.trim_start_matches('/')));
            let config = cartable_core::config::Config::load(&config_path)?;
            let password = match std::env::var("CARTABLE_VERIF_MOT_DE_PASSE") {
                Ok(p) => p,
                Err(_) => {
                    eprint!("Mot de passe de {compte} : ");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let url = url
                .clone()
                .map(|u| u.trim_end_matches('/').to_owned())
                .unwrap_or_else(|| verify::default_url(&config));
            let target = verify::Target {
                ca: ca.clone().or_else(|| verify::default_ca(&config)),
                cas_service: service_cas
                    .clone()
                    .unwrap_or_else(|| format!("{url}/cas/verification")),
                config,
                config_path,
                login: compte.clone(),
                password,
                url,
                smb: smb.clone(),
                cartabled: cartabled.clone(),
                now,
            };
            let checks = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(verify::run(&target));
            let failed = checks.iter().filter(|c| c.ok == Some(false)).count();
            let date = format!("{:02}/{:02}/{}", now.day(), now.month() as u8, now.year());
            let doc = root.join(steps::STATE_DIR).join("verification.md");
            if let Some(d) = doc.parent() {
                std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
            }
            let title = format!("{} ({})", site.etablissement.nom, site.etablissement.uai);
            std::fs::write(&doc, verify::markdown(&checks, &title, &date))
                .with_context(|| doc.display().to_string())?;
            for c in &checks {
                log(
                    &root,
                    &stamp,
                    &format!(
                        "vérification {} : {} : {}",
                        c.id,
                        match c.ok {
                            Some(true) => "ok",
                            Some(false) => "ÉCHEC",
                            None => "sans objet",
                        },
                        c.detail
                    ),
                );
            }
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "verifications": checks, "echecs": failed })
                );
            } else {
                for c in &checks {
                    let mark = match c.ok {
                        Some(true) => "✓",
                        Some(false) => "✗",
                        None => "–",
                    };
                    println!("{mark} {}\n    {}", c.label, c.detail);
                }
                if failed == 0 {
                    println!("\nTout est vérifié. Liste : {}", doc.display());
                } else {
                    println!(
                        "\n{failed} vérification(s) en échec. Liste : {}",
                        doc.display()
                    );
                }
            }
            Ok(if failed > 0 {
                std::process::ExitCode::from(2)
            } else {
                std::process::ExitCode::SUCCESS
            })
        }
        Command::Status { site } => {
            let site = site::Site::load(site)?;
            let sys = machine(&cli)?;
            let all = recipe::steps(&ctx, &site)?;
            let left = steps::remaining(&ctx, sys.as_ref(), &all);
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "a_faire": left, "etapes": all.iter().map(|s| s.id).collect::<Vec<_>>() })
                );
            } else {
                for s in &all {
                    let mark = if left.contains(&s.id) {
                        "à faire"
                    } else {
                        "fait"
                    };
                    println!("{:<8} {:<14} {}", mark, s.id, s.label);
                }
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
    }
}
