//! `cartable-academie`: serve the hub, set it up, register établissements and staff.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use cartable_academie::config::Config;
use cartable_academie::db::Db;
use cartable_academie::pki;
use cartable_core::clock::{SharedClock, SystemClock};
use clap::{Parser, Subcommand};

const DEFAULT_CONFIG: &str = "/etc/cartable-academie/academie.toml";

#[derive(Parser)]
#[command(
    name = "cartable-academie",
    version,
    about = "Le service académique de cartable : réception de ce qu'envoient les établissements, tableau de bord"
)]
struct Cli {
    /// Fichier de configuration.
    #[arg(short, long, global = true, default_value = DEFAULT_CONFIG)]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sert le tableau de bord et reçoit les messages des établissements.
    Serve,
    /// Crée l'autorité de l'académie, le certificat du service et le fichier de configuration.
    Init {
        /// Dossier des certificats (créé).
        #[arg(long)]
        dossier: PathBuf,
        /// Nom de l'académie.
        #[arg(long)]
        nom: String,
        /// Noms d'hôte (ou adresses) du service, pour son certificat.
        #[arg(long = "hote", required = true)]
        hotes: Vec<String>,
        /// Connexion PostgreSQL (« host=/run/postgresql dbname=cartable_academie »).
        #[arg(long)]
        postgresql: String,
        #[arg(long, default_value = "0.0.0.0:8443")]
        ecoute: String,
        /// Dossier des flux AAF déposés pour les établissements.
        #[arg(long)]
        flux: PathBuf,
    },
    /// Les établissements suivis.
    #[command(subcommand)]
    Etablissement(Etab),
    /// Crée un compte du tableau de bord, ou change son mot de passe (lu sur l'entrée standard).
    Compte {
        login: String,
        #[arg(long)]
        nom: String,
    },
}

#[derive(Subcommand)]
enum Etab {
    /// Inscrit un établissement et lui délivre son certificat.
    Ajouter {
        uai: String,
        #[arg(long)]
        nom: String,
        /// Où écrire son certificat, sa clé et l'autorité à approuver.
        #[arg(long)]
        sortie: PathBuf,
    },
    /// Refuse désormais ce qu'envoie cet établissement (certificat perdu ou volé).
    Revoquer { uai: String },
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_owned()
    } else {
        std::env::current_dir()?.join(p)
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tokio_postgres=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Serve => {
            let config = Config::load(&cli.config)?;
            let db = Db::open(&config.postgresql)
                .await
                .context("base PostgreSQL (clé « postgresql »)")?;
            cartable_academie::web::serve(config, db, clock).await?;
        }
        Command::Init {
            dossier,
            nom,
            hotes,
            postgresql,
            ecoute,
            flux,
        } => {
            let (dossier, flux) = (absolute(&dossier)?, absolute(&flux)?);
            std::fs::create_dir_all(&dossier).with_context(|| dossier.display().to_string())?;
            std::fs::create_dir_all(&flux).with_context(|| flux.display().to_string())?;
            let now = clock.now();
            let ca = pki::new_authority(&nom, now)?;
            let server = pki::server(&ca, &hotes, now)?;
            let (ca_crt, ca_key) = (dossier.join("autorite.crt"), dossier.join("autorite.key"));
            let (crt, key) = (dossier.join("serveur.crt"), dossier.join("serveur.key"));
            pki::write(&ca, &ca_crt, &ca_key)?;
            pki::write(&server, &crt, &key)?;
            let toml = format!(
                "nom = {}\necoute = {}\npostgresql = {}\ncertificat = {}\ncle = {}\nca_etablissements = {}\nca_etablissements_cle = {}\nflux = {}\n",
                toml_str(&nom),
                toml_str(&ecoute),
                toml_str(&postgresql),
                toml_str(&crt.display().to_string()),
                toml_str(&key.display().to_string()),
                toml_str(&ca_crt.display().to_string()),
                toml_str(&ca_key.display().to_string()),
                toml_str(&flux.display().to_string()),
            );
            let config_path = absolute(&cli.config)?;
            if config_path.exists() {
                anyhow::bail!(
                    "{} existe déjà : rien n'est remplacé",
                    config_path.display()
                );
            }
            Config::parse(&config_path, &toml)?;
            std::fs::write(&config_path, toml)
                .with_context(|| config_path.display().to_string())?;
            println!(
                "Autorité et certificat du service écrits dans {} ; configuration : {}",
                dossier.display(),
                config_path.display()
            );
        }
        Command::Etablissement(Etab::Ajouter { uai, nom, sortie }) => {
            let config = Config::load(&cli.config)?;
            let ca_key = config.ca_etablissements_cle.clone().context(
                "clé « ca_etablissements_cle » absente : impossible de délivrer un certificat",
            )?;
            let ca = pki::load_authority(&config.ca_etablissements, &ca_key)?;
            let issued = pki::etablissement(&ca, &uai, &nom, clock.now())?;
            let db = Db::open(&config.postgresql).await?;
            std::fs::create_dir_all(&sortie).with_context(|| sortie.display().to_string())?;
            let (crt, key) = (
                sortie.join(format!("{uai}.crt")),
                sortie.join(format!("{uai}.key")),
            );
            pki::write(&issued, &crt, &key)?;
            std::fs::write(sortie.join("academie-ca.crt"), &ca.cert_pem)?;
            db.add_etablissement(&uai, &nom, clock.now()).await?;
            println!(
                "{nom} ({uai}) inscrit. À installer sur son serveur, section [academie] :\n  certificat = \"{}\"\n  cle = \"{}\"\n  ca_file = \"{}\"",
                crt.display(),
                key.display(),
                sortie.join("academie-ca.crt").display()
            );
        }
        Command::Etablissement(Etab::Revoquer { uai }) => {
            let config = Config::load(&cli.config)?;
            let db = Db::open(&config.postgresql).await?;
            if db.revoke(&uai, clock.now()).await? {
                println!("Ce qu'envoie {uai} est désormais refusé.");
            } else {
                anyhow::bail!("{uai} n'est pas inscrit");
            }
        }
        Command::Compte { login, nom } => {
            let config = Config::load(&cli.config)?;
            let db = Db::open(&config.postgresql).await?;
            let mut password = String::new();
            std::io::stdin()
                .take(1025)
                .read_to_string(&mut password)
                .context("mot de passe sur l'entrée standard")?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 || password.len() > 1024 {
                anyhow::bail!("le mot de passe doit compter de 12 à 1 024 caractères");
            }
            db.set_account(&login, &nom, password, clock.now()).await?;
            println!("Compte « {login} » prêt ; ses autres sessions sont fermées.");
        }
    }
    Ok(())
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}
