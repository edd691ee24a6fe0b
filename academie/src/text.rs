//! What the hub says, in French, in one place.

pub const BAD_KEY: &str = "clé d'idempotence absente ou trop longue (en-tête Idempotency-Key)";
pub const NOT_A_MESSAGE: &str = "ce message n'est pas un message cartable lisible";
pub const NO_CERTIFICATE: &str =
    "certificat d'établissement absent : présentez le certificat remis par l'académie";
pub const CERTIFICATE_WITHOUT_UAI: &str = "ce certificat ne nomme aucun UAI";
pub const TOO_LARGE: &str = "message trop volumineux (1 Mo au plus)";
pub const FLUX_UNREADABLE: &str = "le dossier des flux de l'académie est illisible pour le moment";
pub const FLUX_UNKNOWN: &str = "ce fichier n'est pas un flux déposé pour cet établissement";
pub const BAD_SIGN_IN: &str = "Identifiant ou mot de passe incorrect.";
pub const CSRF: &str =
    "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.";
pub const NOT_FOUND: &str = "Cette page n'existe pas.";
pub const SERVER_ERROR: &str = "Le service de l'académie ne peut pas répondre pour le moment (base de données). Réessayez dans quelques minutes.";

pub fn bad_field(field: &str, value: &str) -> String {
    let shown: String = value.chars().take(40).collect();
    format!("champ « {field} » illisible : « {shown} »")
}

pub fn other_uai(cert: &str, claimed: &str) -> String {
    let claimed: String = claimed.chars().take(20).collect();
    format!("le certificat de {cert} ne permet pas d'écrire pour l'établissement « {claimed} »")
}

pub fn unknown_uai(uai: &str) -> String {
    format!("l'établissement {uai} n'est pas inscrit auprès de l'académie")
}

pub fn revoked(uai: &str) -> String {
    format!("le certificat de l'établissement {uai} a été révoqué par l'académie")
}

/// « il y a 3 jours », « aujourd'hui ».
pub fn days_ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "aujourd'hui".into(),
        1 => "hier".into(),
        n => format!("il y a {n} jours"),
    }
}
