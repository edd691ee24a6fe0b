//! What the cahier de textes says, in French, in one place.

pub const TITLE: &str = "Cahier de textes";
pub const TILE_PUPIL: &str = "Le travail à faire et les séances, matière par matière";
pub const TILE_PARENT: &str = "Le travail à faire de mes enfants";
pub const TILE_TEACHER: &str = "Remplir le cahier de textes de mes classes";
pub const TILE_READER: &str = "Le cahier de textes des classes";
pub const RETENTION_WHAT: &str = "les séances (classe ou groupe, matière, enseignant, date, contenu), le travail donné (pour quand, durée estimée) et les pièces jointes, copiées depuis l'espace de l'enseignant";
pub const RETENTION_HOW_LONG: &str = "l'année scolaire en cours, modifiable ; ensuite archivé en lecture seule (document officiel), exportable par classe en PDF";

pub const NOTHING_DUE: &str = "Rien à faire pour les deux semaines à venir.";
pub const NO_SEANCE: &str = "Aucune séance pour l'instant.";
pub const NOTHING_TO_READ: &str = "Aucun cahier de textes ne vous est ouvert : il se consulte par \
    les enseignants de la classe, son professeur principal, la vie scolaire et la direction.";
pub const SAVED: &str = "Séance enregistrée.";
pub const DELETED: &str = "Séance supprimée.";
pub const NEED_CONTENT: &str = "Le contenu de la séance est vide.";
pub const NEED_SUBJECT: &str = "Indiquez la matière.";
pub const BAD_DATE: &str = "Date invalide.";
pub const DUE_BEFORE: &str = "Le travail ne peut pas être à rendre avant la séance.";

/// A due date on a day without school.
pub fn due_on_day_off(day: &str, why: &str) -> String {
    format!("« Pour le » : pas de cours le {day} ({why}) ; choisissez un jour de classe.")
}
pub const BAD_MINUTES: &str = "Durée estimée : un nombre de minutes entre 1 et 600.";
pub const ARCHIVED: &str =
    "Cette séance appartient à une année archivée : elle ne se modifie plus.";
pub const NOT_YOURS: &str = "Seul l'enseignant qui l'a écrite modifie une séance.";

pub fn piece_failed(name: &str, why: &str) -> String {
    format!("Séance enregistrée, mais la pièce « {name} » n'a pas pu être jointe : {why}")
}

pub fn due_tomorrow(n: usize) -> String {
    if n == 1 {
        "1 travail pour demain".to_owned()
    } else {
        format!("{n} travaux pour demain")
    }
}

pub const WORK_KIND: &str = "Travail à faire donné dans le cahier de textes";

pub fn work_title(subject: &str, due: &str) -> String {
    format!("Travail à faire en {subject} pour {due}")
}
