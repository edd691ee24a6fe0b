//! Command line: `cartabled serve`, `cartabled demo`, and maintenance commands on the same
//! configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cartabled",
    version,
    about = "Serveur de l'établissement : ENT, annuaire et fichiers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lance le service (configuration TOML, par défaut /etc/cartable/cartable.toml).
    Serve {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
    },
    /// Lance un établissement de démonstration sur les réglages embarqués.
    Demo {
        /// Répertoire des données de la démo (créé au premier lancement).
        #[arg(long, default_value = "./cartable-demo")]
        data: PathBuf,
        /// Adresse HTTPS d'écoute (ADRESSE:PORT).
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// Adresse HTTP facultative, qui redirige vers HTTPS.
        #[arg(long)]
        http_listen: Option<SocketAddr>,
        /// UAI de l'établissement joué (au premier lancement ; 0869999Z par défaut).
        #[arg(long, requires = "nom")]
        uai: Option<String>,
        /// Nom de l'établissement joué (au premier lancement).
        #[arg(long, requires = "uai")]
        nom: Option<String>,
        /// Service académique (cartable-academie) auquel envoyer indicateurs et état :
        /// son adresse https://…
        #[arg(long, requires = "academie_certificats")]
        academie: Option<String>,
        /// Dossier remis par « cartable-academie etablissement ajouter » : UAI.crt, UAI.key,
        /// academie-ca.crt.
        #[arg(long, requires = "academie")]
        academie_certificats: Option<PathBuf>,
    },
    /// Le domaine Windows (Samba AD) tenu à jour depuis l'annuaire.
    Domain {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH, global = true)]
        config: PathBuf,
        #[command(subcommand)]
        command: DomainCommand,
    },
    /// Importe un flux de l'académie.
    Import {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH, global = true)]
        config: PathBuf,
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Exporte l'annuaire vers le GAR (ressources numériques) : les cinq flux GAR-ENT.
    Gar {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
        /// Montre ce qui a changé depuis le dernier export, sans rien écrire.
        #[arg(long)]
        essai: bool,
    },
    /// Sauvegarde l'établissement : base, annuaire, configuration, fichiers.
    Backup {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
        /// Dossier de destination (par défaut celui de [backup] dir).
        #[arg(long)]
        dest: Option<PathBuf>,
    },
    /// Restaure une sauvegarde sur une installation neuve (service arrêté).
    Restore {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
        /// Dossier de la sauvegarde (cartable-AAAAMMJJ-HHMMSS).
        dossier: PathBuf,
        /// Remplace une base existante.
        #[arg(long)]
        force: bool,
    },
    /// Écrit les pages de manuel (roff) : cartabled.1 et une par commande.
    #[command(hide = true)]
    Man {
        /// Dossier où les écrire.
        dir: PathBuf,
    },
    /// Écrit la configuration de Samba (partages des espaces de fichiers) pour cet établissement.
    SambaConf {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
        /// Fichier à écrire (par défaut : la sortie standard).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Vérifie un fichier de configuration sans lancer le service.
    CheckConfig {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH)]
        config: PathBuf,
    },
    /// Gestion des comptes (annuaire du service).
    Accounts {
        /// Fichier de configuration.
        #[arg(long, short, default_value = cartable_core::config::DEFAULT_CONFIG_PATH, global = true)]
        config: PathBuf,
        #[command(subcommand)]
        command: AccountsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Liste les comptes, triés par nom.
    List {
        /// Profil : eleve, responsable, enseignant, direction, vie-scolaire, documentaliste,
        /// administratif, admin.
        #[arg(long)]
        profile: Option<String>,
        /// Sortie JSON.
        #[arg(long)]
        json: bool,
    },
    /// Affiche un compte (identifiant ou jointure AAF).
    Show {
        who: String,
        #[arg(long)]
        json: bool,
    },
    /// Change un mot de passe ; sans --password-stdin, en génère un lisible et l'affiche.
    SetPassword {
        login: String,
        /// Lit le mot de passe sur l'entrée standard (première ligne).
        #[arg(long)]
        password_stdin: bool,
        /// Exige un changement à la prochaine connexion.
        #[arg(long)]
        must_change: bool,
    },
    /// Écrit les courriers de connexion à distribuer (PDF : un par classe, élèves et leurs
    /// responsables, et un pour les personnels), chacun avec un mot de passe neuf à changer à la
    /// première connexion. Par défaut, seulement pour les comptes jamais utilisés.
    Letters {
        /// Dossier où écrire les PDF.
        #[arg(long)]
        dest: PathBuf,
        /// Seulement cette classe (ses élèves et leurs responsables).
        #[arg(long)]
        classe: Option<String>,
        /// Aussi les comptes déjà utilisés (leur mot de passe est remplacé).
        #[arg(long)]
        tous: bool,
    },
    /// Désactive un compte (connexion refusée, suppression après le délai de grâce).
    Disable { login: String },
    /// Réactive un compte désactivé.
    Enable { login: String },
    /// Supprime les comptes désactivés dont le délai de grâce est passé.
    Sweep,
}

/// What every import accepts.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportFlags {
    /// Calcule et affiche les changements sans rien écrire.
    #[arg(long)]
    pub dry_run: bool,
    /// Rapport JSON sur la sortie standard.
    #[arg(long)]
    pub json: bool,
    /// Applique même si la livraison désactive plus de comptes que le seuil configuré.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Flux AAF (ficAlimMENESR, complet ou delta) déposé dans un dossier.
    Aaf {
        /// Dossier contenant toutes les parties du flux.
        dir: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Exports SIECLE (ElevesSansAdresses, ResponsablesAvecAdresses, Structures,
    /// Nomenclature) et/ou STS-web (sts_emp_<UAI>_<année>.xml), en .xml ou .zip.
    Siecle {
        /// Dossier contenant les exports.
        dir: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Fichier CSV d'une école (colonnes décrites dans docs/imports.md).
    Csv {
        file: PathBuf,
        /// UAI de l'école, si l'annuaire n'a pas encore d'établissement.
        #[arg(long)]
        uai: Option<String>,
        /// Nom de l'école, si l'annuaire n'a pas encore d'établissement.
        #[arg(long)]
        nom: Option<String>,
        #[command(flatten)]
        flags: ImportFlags,
    },
}

#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Compare le domaine à l'annuaire, corrige les différences et les affiche.
    Sync,
    /// Écrit le script d'ouverture de session (partages classes, groupes, commun) à placer
    /// dans le partage netlogon du contrôleur.
    Netlogon {
        /// Fichier à écrire (par défaut : la sortie standard).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Reprend dans l'annuaire un mot de passe changé sur un poste du domaine : lit sur
    /// l'entrée standard le LDIF que donne `samba-tool user syncpasswords --script`.
    PasswordBack,
}
