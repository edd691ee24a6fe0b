//! French text printed by cartabled.

pub const GAR_NO_DEST: &str =
    "aucun dossier d'export : renseignez [gar] dossier dans la configuration";
pub const GAR_DONE: &str = "Export GAR écrit";
pub const GAR_DRY: &str = "Essai : rien n'est écrit. Depuis le dernier export :";
pub const GAR_SIZES: &str = "Éléments des flux";

/// « … et 12 autres changements ».
pub fn gar_more(n: usize) -> String {
    format!("  … et {n} autres changements")
}
pub const GAR_LEFT_OUT: &str = "Laissé hors de l'export";
pub const FATAL: &str = "cartabled s'est arrêté sur une erreur";
pub const LISTENING: &str = "cartable écoute sur";
pub const DEMO_READY: &str = "Établissement de démonstration prêt";
pub const DEMO_SEEDED: &str = "Comptes de démonstration créés";
pub const DEMO_KEPT: &str = "Données existantes conservées";
pub const DEMO_ACCOUNTS: &str = "Identifiants de démonstration";
pub const DEMO_SERVICES: &str =
    "Services reliés par CAS (adresses fictives, pour voir leurs tuiles)";
pub const TRUST_CA: &str = "Autorité de certification locale à faire confiance";
pub const CONFIG_OK: &str = "Configuration valide";
pub const STOPPING: &str = "Arrêt demandé : fin des requêtes en cours…";
pub const STOPPED: &str = "cartabled arrêté proprement.";
pub const FROM_ELSEWHERE: &str = "depuis un autre poste :";
pub const BAD_LOGIN: &str = "identifiant invalide";
pub const UNKNOWN_PROFILE: &str = "profil inconnu";
pub const DELETED: &str = "compte supprimé";
pub const NEW_PASSWORD: &str = "Nouveau mot de passe de";
pub const PASSWORD_CHANGED: &str = "Mot de passe changé pour";
pub const LETTERS_WRITTEN: &str =
    "courrier(s) de connexion écrit(s) ; les mots de passe sont à changer à la première connexion.";
pub const UNKNOWN_CLASS: &str = "Classe inconnue";
pub const DEFAULT_ENT_NAME: &str = "Espace numérique de travail";
pub const DISABLED: &str = "compte désactivé";
pub const ALREADY_DISABLED: &str = "déjà désactivé";
pub const ENABLED: &str = "compte réactivé";
pub const ALREADY_ENABLED: &str = "déjà actif";
pub const SWEPT: &str = "Comptes supprimés (délai de grâce écoulé)";
pub const NOT_FOUND: &str = "introuvable";

/// An account state, in French.
pub fn state(s: cartable_core::directory::AccountState) -> &'static str {
    use cartable_core::directory::AccountState;
    match s {
        AccountState::Active => "actif",
        AccountState::Disabled => "désactivé",
        AccountState::Deleted => "supprimé",
    }
}

/// A core error as told on the command line.
pub fn describe(e: &cartable_core::Error) -> String {
    use cartable_core::Error;
    match e {
        Error::NotFound(what) => format!("{what} {NOT_FOUND}"),
        Error::Policy(msg) => msg.clone(),
        Error::Invalid { field, reason } => format!("{field} : {reason}"),
        Error::Feed(f) => f.to_string(),
        other => other.to_string(),
    }
}
pub const IMPORT_DONE: &str = "Import terminé :";
pub const IMPORT_DRY: &str = "Simulation (rien n'est écrit) :";
pub const IMPORT_REPORT: &str = "Rapport détaillé";
pub const IMPORT_APPLYING: &str = "Application des changements…";
pub const FILES_CREATED: &str = "Dossiers créés dans les espaces de fichiers";
pub const FILES_NOT_SYNCED: &str =
    "Attention : les espaces de fichiers n'ont pas été mis à jour (le service le refera)";
pub const SAMBA_NEEDS_LDAP: &str =
    "Samba lit les comptes dans l'annuaire LDAP : configurez [directory] backend = \"ldap\"";
pub const SAMBA_WRITTEN: &str = "Configuration Samba écrite";
pub const BACKUP_NO_DEST: &str =
    "Aucune destination : indiquez --dest DOSSIER ou [backup] dir dans la configuration";
pub const BACKUP_DONE: &str = "Sauvegarde écrite";
pub const DOMAIN_NONE: &str =
    "Pas de domaine : ajoutez une section [domaine] à la configuration (voir docs/installation.md)";
pub const DOMAIN_NETLOGON: &str = "Script d'ouverture de session écrit";
pub const DOMAIN_COMPARED: &str = "Domaine comparé à l'annuaire";
pub const DOMAIN_DIFFERENCES: &str = "différences";
pub const DOMAIN_REPAIRED: &str = "corrigées";
pub const DOMAIN_REFUSED: &str = "compte refusé par le domaine";
pub const DOMAIN_FAILED: &str = "refusé par le contrôleur";
pub const DOMAIN_LATER: &str = "Attention : le domaine Windows n'a pas pu être mis à jour tout de suite (le service le refera)";
pub const RESTORE_DONE: &str = "Sauvegarde restaurée";
pub const RESTORE_ENTRIES: &str = "entrées de l'annuaire";
pub const RESTORE_FILES: &str = "fichiers remis dans";
pub const RESTORE_CONFIG: &str = "configuration remise dans";

/// A unix time as "22/11/2026 21:48", French legal time.
pub fn date_time(unix: i64) -> String {
    // As the établissement reads its clocks (Europe/Paris), like every page.
    cartable_core::dates::french_date_time(unix)
}

// E-mail.
pub const ENT_SIGNATURE: &str = "Espace numérique de travail";
pub const MAIL_BAD_ADDRESS: &str = "adresse e-mail invalide";
pub const MAIL_BAD_BODY: &str = "texte du message impossible à encoder";

/// The relay refused a mail for good (its answer, in its words).
pub fn mail_refused(e: &lettre::transport::smtp::Error) -> String {
    format!("refusé par le serveur de courrier ({e})")
}

/// The relay could not take a mail now.
pub fn mail_later(e: &lettre::transport::smtp::Error) -> String {
    if e.is_transient() {
        format!("serveur de courrier momentanément indisponible ({e})")
    } else {
        format!("serveur de courrier injoignable ({e})")
    }
}
