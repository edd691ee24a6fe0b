//! What the agenda says, in French, in one place.

pub const TITLE: &str = "Agenda";
pub const TILE: &str = "Les rendez-vous de l'établissement et les miens";
pub const RETENTION_WHAT: &str = "les événements de l'établissement (titre, lieu, date, publics) et ceux que chacun note pour lui-même";
pub const RETENTION_HOW_LONG: &str =
    "un an après leur date ; les événements personnels disparaissent avec le compte";
pub const NOTHING: &str = "Rien de prévu sur cette période.";
pub const ADDED: &str = "Événement ajouté.";
pub const PUBLISHED: &str = "Événement publié.";
pub const DELETED: &str = "Événement supprimé.";
pub const NEED_TITLE: &str = "Donnez un titre à l'événement.";
pub const BAD_DATE: &str = "Date invalide.";
pub const BAD_TIMES: &str = "Heures invalides : un début et une fin (08h00), la fin après le début, ou aucune pour toute la journée.";
pub const NEED_AUDIENCE: &str = "Choisissez au moins un public : tout le monde, les personnels, une classe ou les parents d'une classe.";
pub const UNKNOWN_CLASS: &str = "Classe inconnue de l'annuaire.";

pub fn next(title: &str, when: &str) -> String {
    format!("Prochain : {title}, {when}")
}
