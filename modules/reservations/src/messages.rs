//! What the réservations say, in French, in one place.

pub const TITLE: &str = "Réservations";
pub const TILE: &str = "Réserver une salle ou du matériel";
pub const RETENTION_WHAT: &str = "les réservations de salles et de matériel (qui, quoi, quand, motif) et les décisions des gestionnaires";
pub const RETENTION_HOW_LONG: &str = "un an après leur date ; celles d'une personne partie de l'établissement disparaissent avec son compte";
pub const NOTHING: &str = "Aucune réservation à venir.";
pub const NOTHING_WAITING: &str = "Aucune réservation n'attend de validation.";
pub const NO_RESOURCE: &str = "Aucune ressource que vous pouvez réserver. L'administrateur de l'ENT les déclare dans « Gérer les ressources ».";

pub const DECIDED_KIND: &str = "Votre réservation validée ou refusée";
pub const WAITING_KIND: &str = "Réservation à valider";

pub const UNKNOWN_RESOURCE: &str = "Choisissez une ressource que vous pouvez réserver.";
pub const BAD_DATE: &str = "Date invalide (jj/mm/aaaa).";
pub const BAD_TIMES: &str =
    "Horaires invalides : un créneau, ou un début et une fin (08h00), la fin après le début.";
pub const BAD_QUANTITY: &str = "Quantité invalide.";
pub const BAD_REPEAT: &str = "Répétition invalide.";
pub const BAD_UNTIL: &str =
    "Pour une réservation répétée, donnez une date de fin après le premier jour.";
pub const NO_DAY: &str =
    "Aucun jour de classe ne correspond à cette répétition d'ici la date de fin.";
pub const IN_THE_PAST: &str = "Ce créneau est déjà passé.";
pub const DAY_OFF: &str = "Pas de cours ce jour-là";
pub const NEED_REASON: &str = "Dites pourquoi la réservation est refusée.";
pub const ALREADY_DECIDED: &str = "Cette réservation a déjà été traitée.";
pub const NEED_NAME: &str = "Donnez un nom.";
pub const EXISTS: &str = "Ce nom existe déjà.";
pub const BAD_DAYS_AHEAD: &str = "Le délai de réservation va de 1 à 366 jours.";
pub const NEED_PROFILE: &str = "Cochez au moins un profil qui peut réserver.";
pub const UNKNOWN_TYPE: &str = "Choisissez un type.";

pub const BOOKED: &str = "Réservation enregistrée.";
pub const SUBMITTED: &str = "Demande envoyée : un gestionnaire la validera.";
pub const CANCELLED: &str = "Réservation annulée.";
pub const ACCEPTED: &str = "Réservation validée.";
pub const REFUSED: &str = "Réservation refusée ; son auteur en est averti avec votre motif.";
pub const TYPE_SAVED: &str = "Type de ressource enregistré.";
pub const TYPE_DELETED: &str = "Type supprimé avec ses ressources.";
pub const RESOURCE_SAVED: &str = "Ressource enregistrée.";
pub const RESOURCE_DELETED: &str = "Ressource supprimée.";
pub const CONFIRM: &str = "Cochez la case pour confirmer la suppression.";
pub const TYPE_ADDED: &str = "Type de ressource ajouté.";
pub const RESOURCE_ADDED: &str = "Ressource ajoutée.";

pub fn still_booked(n: i64) -> String {
    match n {
        1 => "Une réservation à venir l'utilise : annulez-la d'abord (ou attendez qu'elle soit passée).".into(),
        n => format!("{n} réservations à venir l'utilisent : annulez-les d'abord (ou attendez qu'elles soient passées)."),
    }
}

pub fn too_far(days: i64) -> String {
    format!("On ne peut réserver que {days} jours à l'avance au plus.")
}

pub fn taken(day: &str, free: i64) -> String {
    match free {
        0 => format!("{day} : déjà réservé sur ce créneau"),
        n => format!("{day} : il n'en reste que {n} sur ce créneau"),
    }
}

pub fn course(day: &str, subject: &str, audience: &str) -> String {
    format!("{day} : la salle a cours ({subject}, {audience})")
}

pub fn day_off(day: &str, why: &str) -> String {
    format!("{day} : {DAY_OFF} ({why})")
}

pub fn refused(reasons: &[String]) -> String {
    format!(
        "Réservation impossible — {}. Rien n'a été réservé.",
        reasons.join(" ; ")
    )
}

pub fn booked_series(n: usize) -> String {
    format!("{n} réservations enregistrées (une par semaine).")
}

pub fn waiting(n: usize) -> String {
    match n {
        1 => "1 réservation à valider".into(),
        n => format!("{n} réservations à valider"),
    }
}
