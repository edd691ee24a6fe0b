//! What the vie scolaire says, in French, in one place.

pub const TITLE: &str = "Vie scolaire";
pub const TILE_TEACHER: &str = "Faire l'appel de mes cours";
pub const TILE_FAMILY: &str = "Absences et retards, justifier une absence";
pub const TILE_PUPIL: &str = "Mes absences et retards";
pub const TILE_DESK: &str = "Appels du jour, absents, justifications à traiter";
pub const RETENTION_WHAT: &str = "les appels (cours, qui l'a fait, quand, chaque version), les absences, retards, départs et remarques de chaque élève, les justifications des familles avec leurs pièces et la décision de la vie scolaire";
pub const RETENTION_HOW_LONG: &str =
    "l'année scolaire en cours et la suivante (suivi de l'assiduité), puis supprimés";
pub const ABSENCE_KIND: &str =
    "Absences et retards (urgent : envoyé même pendant les heures calmes)";
pub const JUSTIFICATION_KIND: &str = "Réponse de la vie scolaire à une justification";

pub const NO_APPEL_TODAY: &str =
    "Aucun cours à l'emploi du temps aujourd'hui. Un cours de remplacement s'ajoute ci-dessous.";
pub const NO_PUPIL: &str = "Aucun élève dans cette classe ou ce groupe.";
pub const NO_ABSENCE: &str = "Aucune absence ni aucun retard.";
pub const NOTHING_WAITING: &str = "Aucune justification en attente.";
pub const ALL_TAKEN: &str = "Tous les appels passés sont faits.";
pub const BAD_MINUTES: &str = "Retard : indiquez le nombre de minutes (de 1 à 240) pour chaque élève en retard. Rien n'a été enregistré.";
pub const NOT_TODAY: &str =
    "Un appel se corrige le jour même ; ensuite, la vie scolaire le corrige.";
pub const BAD_COURSE: &str = "Cours ajouté : choisissez la classe ou le groupe, la matière, l'heure de début et de fin (la fin après le début).";
pub const COURSE_EXISTS: &str =
    "Un appel existe déjà pour cette classe à cette heure : ouvrez-le dans la liste.";
pub const COURSE_ADDED: &str = "Cours ajouté : faites l'appel ci-dessous.";
pub const BAD_HALF: &str = "Choisissez la demi-journée d'absence à justifier.";
pub const BAD_MOTIF: &str = "Choisissez un motif.";
pub const BAD_PIECE: &str =
    "Justificatif : un PDF, une image PNG ou JPEG de 5 Mo au plus. Rien n'a été envoyé.";
pub const JUSTIFIED: &str = "Justification envoyée : la vie scolaire vous répondra ici.";
pub const ALREADY_DECIDED: &str = "Cette justification a déjà été traitée.";
pub const ACCEPTED: &str = "Justification acceptée : la famille est prévenue.";
pub const REFUSED: &str = "Justification refusée : la famille est prévenue.";

pub fn appel_saved(absents: usize, late: usize) -> String {
    match (absents, late) {
        (0, 0) => "Appel enregistré : tous présents.".to_owned(),
        _ => format!(
            "Appel enregistré : {}, {}.",
            cartable_core::messages::count(absents, "absent", "absents"),
            cartable_core::messages::count(late, "retard", "retards")
        ),
    }
}

pub fn absence_title(name: &str, when: &str) -> String {
    format!("Absence de {name} — {when}")
}

pub fn retard_title(name: &str, minutes: u16, when: &str) -> String {
    format!("Retard de {name} ({minutes} min) — {when}")
}

pub fn mark_body(subject: &str, time: &str) -> String {
    format!(
        "Constaté en {subject} à {time}. Si l'absence est justifiée, envoyez le motif depuis l'ENT (Vie scolaire)."
    )
}

pub fn decision_title(accepted: bool, name: &str, when: &str) -> String {
    if accepted {
        format!("Justification acceptée : absence de {name}, {when}")
    } else {
        format!("Justification refusée : absence de {name}, {when}")
    }
}

pub const DEMO_SORTIE: &str = "Visite du musée des Beaux-Arts";
pub const DEMO_DISPENSE: &str = "Certificat médical : entorse de la cheville.";
pub const DEMO_JUSTIFICATION: &str =
    "Rendez-vous chez l'orthodontiste, prévu de longue date. Merci.";

pub fn no_alert(threshold: &str) -> String {
    format!("Aucun élève n'a {threshold} d'absence non justifiées sur les 30 derniers jours.")
}

pub fn alert_rule(threshold: &str) -> String {
    format!(
        "Élèves ayant au moins {threshold} d'absence non justifiées sur les 30 derniers jours \
         (seuil d'alerte de l'établissement) :"
    )
}

/// « 3 demi-journées d'absence, dont 2 non justifiées, depuis le 1er septembre. »
pub fn pupil_summary(missed: &str, unjustified: usize, since: &str) -> String {
    if unjustified == 0 {
        format!("{missed} d'absence depuis le {since}, toutes justifiées ou excusées.")
    } else {
        format!("{missed} d'absence depuis le {since}, dont {unjustified} non justifiée(s).")
    }
}

pub fn child_badge(unjustified: &str) -> String {
    format!("{unjustified} non justifiée(s) cette année")
}

pub const RATES_ALL: &str = "Tout l'établissement";
pub const SETTINGS_SAVED: &str =
    "Décompte enregistré : les alertes, les taux et les pages des élèves le suivent désormais.";
pub const BAD_SETTINGS: &str =
    "Décompte : choisissez l'unité, et un seuil d'alerte entre 1 et 100.";

// Sorties.
pub const SORTIE_CANCELLED: &str = "annulée";
pub const SORTIE_NEED_LABEL: &str = "Sortie : donnez-lui un nom (musée, voyage…).";
pub const SORTIE_NEED_AUDIENCE: &str = "Sortie : choisissez la classe ou le groupe.";
pub const SORTIE_BAD_TIMES: &str =
    "Sortie : un départ et un retour (date et heure), le retour après le départ, 21 jours au plus.";
pub const SORTIE_CANCEL_DONE: &str =
    "Sortie annulée : ses élèves sont de nouveau attendus en cours.";
pub const CANCEL_SORTIE_TITLE: &str = "Annuler la sortie";
pub const CANCEL_SORTIE_AFTER: &str = "Ses élèves seront de nouveau attendus aux cours qu'elle couvrait ; une absence relevée pendant ces cours comptera.";
pub const CANCEL_SORTIE_BUTTON: &str = "Annuler la sortie";

pub fn cancel_sortie_what(label: &str, when: &str) -> String {
    format!("La sortie « {label} » ({when}) sera annulée.")
}

pub fn sortie_saved(n: usize) -> String {
    format!(
        "Sortie enregistrée pour {} : décochez ceux qui restent dans l'établissement.",
        cartable_core::messages::count(n, "élève", "élèves")
    )
}

pub fn participants_saved(n: usize) -> String {
    format!(
        "Participants enregistrés : {}.",
        cartable_core::messages::count(n, "élève", "élèves")
    )
}

// Dispenses.
pub const BAD_DISPENSE: &str = "Dispense : la matière, du … au … (un an au plus, la fin après le début), et si l'élève assiste au cours.";
pub const DISPENSE_WITHDRAWN: &str = "Dispense retirée.";
pub const DISPENSE_ATTENDS: &str = "assiste au cours";
pub const DISPENSE_FREED: &str = "n'est pas attendu au cours";

pub fn dispense_saved(subject: &str) -> String {
    format!("Dispense de {subject} enregistrée : elle apparaît aux appels de cette matière.")
}
pub const BAD_PERIOD: &str = "Période : deux dates, la seconde après la première, un an au plus.";
pub const CSV_HEADER: [&str; 10] = [
    "Date",
    "Heure",
    "Classe ou groupe",
    "Élève",
    "Identifiant",
    "Type",
    "Minutes",
    "Matière",
    "Remarque",
    "Justification",
];

pub const FOLLOW_UP_SAVED: &str = "Ajouté au suivi de l'élève.";
pub const BAD_FOLLOW_UP: &str = "Suivi : choisissez quoi ajouter, une date, et décrivez-le.";
pub const LETTER_SENT: &str = "Courrier aux responsables";

pub fn follow_up_label(kind: &str, means: &str) -> String {
    match (kind, means) {
        ("contact", "telephone") => "Contact : appel téléphonique".to_owned(),
        ("contact", "courrier") => "Contact : courrier".to_owned(),
        ("contact", "courriel") => "Contact : e-mail".to_owned(),
        ("contact", "rencontre") => "Contact : rencontre".to_owned(),
        ("contact", _) => "Contact".to_owned(),
        _ => "Mesure".to_owned(),
    }
}

pub fn letter_title(name: &str) -> String {
    format!("Absences non justifiées de {name}")
}

pub fn letter_body(name: &str) -> Vec<String> {
    vec![
        "Madame, Monsieur,".to_owned(),
        format!(
            "Nous avons constaté les absences de {name} listées ci-dessous, pour lesquelles \
             nous n'avons pas reçu de justification recevable."
        ),
        "Nous vous remercions de nous en faire connaître le motif sans délai, depuis l'ENT \
         (Vie scolaire, « Justifier une absence ») ou par écrit au bureau de la vie scolaire. \
         Les motifs légitimes sont définis par l'article L.131-8 du Code de l'éducation."
            .to_owned(),
        "Le conseiller principal d'éducation se tient à votre disposition pour en parler."
            .to_owned(),
    ]
}

pub const LETTER_LIST: &str = "Demi-journées d'absence non justifiées";
pub const LETTER_NONE: &str = "Aucune demi-journée d'absence non justifiée à ce jour.";

// Punitions and sanctions.
pub const DISCIPLINE_KIND: &str = "Punitions et sanctions de mes enfants";
pub const BAD_SANCTION_KIND: &str = "Sanction : choisissez-la dans l'échelle nationale.";
pub const BAD_SANCTION_LENGTH: &str = "Sanction : une durée est requise pour une exclusion temporaire (8 jours au plus) ou une mesure de responsabilisation (20 heures au plus), et aucune pour les autres.";
pub const COUNCIL_ONLY: &str =
    "Seul le conseil de discipline peut prononcer une exclusion définitive.";
pub const BAD_INSTANCE: &str =
    "Prononcée par : le chef d'établissement ou le conseil de discipline.";
pub const BAD_SURSIS: &str =
    "Sursis : total, ou partiel d'un nombre de jours inférieur à la durée de la sanction.";
pub const NEED_REASON: &str = "Indiquez le motif (les faits reprochés).";
pub const BAD_PUNITION_KIND: &str = "Choisissez la punition.";
pub const NEED_REPORT: &str = "Une exclusion de cours demande un rapport écrit au CPE.";
pub const BAD_RETENUE: &str =
    "Retenue : un jour de classe à venir, l'heure de début et de fin, et qui la surveille.";
pub const PUNITION_GIVEN: &str = "Punition enregistrée : la famille est prévenue.";
pub const SANCTION_GIVEN: &str = "Sanction enregistrée : la famille est prévenue.";
pub const ATTENDANCE_SAVED: &str = "Présence à la retenue enregistrée.";

pub fn punition_title(label: &str, name: &str) -> String {
    format!("{label} pour {name}")
}

pub const BAD_HEARD: &str = "Procédure contradictoire : indiquez le jour où l'élève et sa famille ont été informés des faits (aujourd'hui ou avant, dans les 90 derniers jours).";
pub const HEARD_UNKNOWN: &str = "Procédure contradictoire : non renseignée.";

pub fn heard(day: &str, observations: Option<&str>) -> String {
    match observations {
        Some(o) => {
            format!("Faits notifiés à l'élève et à sa famille le {day} ; leurs observations : {o}")
        }
        None => format!(
            "Faits notifiés à l'élève et à sa famille le {day} ; pas d'observations présentées."
        ),
    }
}

pub const SANCTION_LETTER_WHAT: &str = "Sanction prononcée";
pub const SANCTION_LETTER_HEARD: &str = "Procédure contradictoire";
pub const SANCTION_LETTER_SENT: &str = "Courrier de notification de sanction";

pub fn sanction_letter_title(name: &str) -> String {
    format!("Notification d'une sanction à {name}")
}

pub fn sanction_letter_body(name: &str, day: &str, by_council: bool) -> Vec<String> {
    let who = if by_council {
        format!("le conseil de discipline, réuni le {day}, a prononcé")
    } else {
        format!("j'ai prononcé le {day}")
    };
    vec![
        "Madame, Monsieur,".to_owned(),
        format!(
            "Je vous informe que {who} à l'encontre de {name} la sanction indiquée ci-dessous, \
             pour les faits rappelés, après la procédure contradictoire."
        ),
    ]
}

/// « par le conseil de discipline (enregistrée par Mme Durand) ».
pub fn by_council(recorded_by: &str) -> String {
    format!("le conseil de discipline (enregistrée par {recorded_by})")
}

pub const SANCTION_LETTER_APPEAL: &str = "Voies et délais de recours";

/// The appeal routes a notified sanction must state: a conseil de discipline's decision goes
/// first to the recteur within eight days (R.511-49, compulsory before the tribunal); the chef
/// d'établissement's may be contested with him, or before the tribunal administratif within
/// two months.
pub fn sanction_appeal(by_council: bool) -> Vec<String> {
    if by_council {
        vec![
            "Cette décision peut être déférée au recteur d'académie dans un délai de huit jours \
             à compter de sa notification écrite, par le représentant légal de l'élève, ou par \
             l'élève lui-même s'il est majeur (article R. 511-49 du Code de l'éducation). Le \
             recteur décide après avis d'une commission académique. Ce recours est un préalable \
             obligatoire à tout recours devant le tribunal administratif."
                .to_owned(),
            "La sanction s'applique dès sa notification, même en cas de recours.".to_owned(),
        ]
    } else {
        vec![
            "Cette décision peut faire l'objet d'un recours gracieux auprès du chef \
             d'établissement, ou d'un recours contentieux devant le tribunal administratif dans \
             un délai de deux mois à compter de sa notification."
                .to_owned(),
        ]
    }
}

pub fn sanction_letter_end() -> Vec<String> {
    vec![
        "Cette sanction figure au dossier administratif de l'élève dans les conditions prévues \
         par le Code de l'éducation."
            .to_owned(),
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."
            .to_owned(),
    ]
}

pub fn sanction_title(label: &str, name: &str) -> String {
    format!("Sanction : {label} pour {name}")
}

pub const TOLD_IN_ENT_ONLY: &str = "prévenu dans l'ENT (pas d'e-mail)";

pub const REPORTED: &str = "signalée par la vie scolaire";
pub const BAD_REPORT: &str = "Absence signalée : du … au … (31 jours au plus, la fin après le début), sur des jours de classe.";

pub fn reported_saved(n: usize) -> String {
    format!(
        "Absence enregistrée : {}.",
        cartable_core::messages::count(n, "demi-journée", "demi-journées")
    )
}

pub const NEED_LABEL: &str = "Donnez un libellé.";
pub const ENTRY_WITHDRAWN: &str =
    "Retiré de la liste : il n'est plus proposé, et reste sur ce qui l'utilise déjà.";

pub fn entry_added(label: &str) -> String {
    format!("« {label} » ajouté à la liste.")
}
