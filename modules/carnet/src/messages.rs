//! What the carnet d'adresses says, in French, in one place.

pub const TITLE: &str = "Carnet d'adresses";
pub const TILE: &str = "Les personnels par service et les personnes que vous pouvez joindre";
pub const RETENTION_WHAT: &str =
    "ce que chacun choisit de montrer de lui (son adresse e-mail, un numéro de téléphone)";
pub const RETENTION_HOW_LONG: &str =
    "tant que le compte existe ; la fiche d'une personne partie est effacée";

pub const SECTION_DIRECTION: &str = "Direction";
pub const SECTION_VIE_SCOLAIRE: &str = "Vie scolaire";
pub const SECTION_CDI: &str = "CDI (documentation)";
pub const SECTION_ADMINISTRATION: &str = "Secrétariat et administration";

pub const NOBODY_IN_SERVICE: &str = "Personne pour l'instant.";
pub const NO_MATCH: &str = "Personne que vous pouvez joindre ne correspond à cette recherche.";
pub const SEARCH_HINT: &str = "Cherchez une personne par son nom : seules celles que vous pouvez joindre par la messagerie apparaissent.";
pub const NO_MESSAGERIE: &str =
    "La messagerie n'est pas ouverte : seuls les personnels de l'établissement sont listés.";

pub const PHONE_INVALID: &str = "Ce numéro n'est pas valide : des chiffres, des espaces, un + au début (20 caractères au plus).";
pub const PHONE_NEEDED: &str = "Donnez le numéro à montrer, ou décochez « Montrer mon téléphone ».";
pub const EMAIL_NONE: &str =
    "L'annuaire n'a pas d'adresse e-mail pour vous : il n'y a rien à montrer.";
/// « Parent de Léa MARTIN (6e A) ».
pub fn parent_of(children: &str) -> String {
    format!("Parent de {children}")
}

pub const CARD_SAVED: &str = "Votre fiche est enregistrée.";
