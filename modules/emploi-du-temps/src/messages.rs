//! What the emploi du temps says, in French, in one place.

pub const TITLE: &str = "Emploi du temps";
pub const TILE_MINE: &str = "Ma semaine, les cours annulés et les changements de salle";
pub const TILE_CHILDREN: &str = "La semaine de mes enfants";
pub const TILE_MANAGE: &str = "Importer l'emploi du temps, semaines A et B";
pub const RETENTION_WHAT: &str = "les cours de l'année (classe ou groupe, matière, enseignants, salle), les changements ponctuels (qui les a saisis et quand) et, pour chaque personne qui en a demandé une, l'empreinte de son adresse d'abonnement";
pub const RETENTION_HOW_LONG: &str = "jusqu'au prochain import (une nouvelle année remplace l'emploi du temps) ; une adresse d'abonnement jusqu'à sa suppression ou celle du compte";

pub const NOTHING_THIS_WEEK: &str = "Aucun cours cette semaine.";
pub const HOLIDAYS_THIS_WEEK: &str =
    "Pas de cours cette semaine : l'établissement est fermé (vacances ou jours fériés).";
pub const NO_TIMETABLE: &str = "L'emploi du temps n'a pas encore été importé : la direction ou le RUPN l'importe depuis « Gérer l'emploi du temps ».";
pub const TOO_BIG: &str = "Fichier trop gros (2 Mo au plus pour un emploi du temps).";
pub const NO_FILE: &str = "Choisissez le fichier exporté de votre logiciel d'emploi du temps.";
pub const NO_TARGET: &str =
    "Pour un fichier iCalendar, indiquez la classe ou le groupe qu'il concerne.";
pub const BAD_FORMAT: &str = "Format inconnu : CSV (UDT) ou iCalendar.";
pub const BAD_DATE: &str = "Date invalide : choisissez un lundi de semaine A.";
pub const REFERENCE_SET: &str = "Semaines A et B enregistrées.";
pub const BAD_CHANGE: &str = "Changement incomplet : pour une autre salle, indiquez-la.";
pub const CANCELLED: &str = "Cours annulé.";
pub const ROOM_CHANGED: &str = "Changement de salle enregistré.";
pub const RESTORED: &str = "Cours rétabli tel que prévu.";

pub fn imported(n: usize, classes: usize) -> String {
    format!(
        "Emploi du temps importé : {n} cours pour {}.",
        cartable_core::messages::count(classes, "classe ou groupe", "classes ou groupes")
    )
}

pub fn checked(n: usize, classes: usize) -> String {
    format!(
        "Fichier vérifié : {n} cours pour {}. Rien n'a été modifié ; cliquez sur « Importer » pour remplacer l'emploi du temps.",
        cartable_core::messages::count(classes, "classe ou groupe", "classes ou groupes")
    )
}

pub fn refused(file: &str, n: usize) -> String {
    format!(
        "{file} : {}, rien n'a été importé.",
        cartable_core::messages::count(n, "problème", "problèmes")
    )
}

pub fn changes_this_week(n: usize) -> String {
    if n == 1 {
        "1 changement cette semaine".to_owned()
    } else {
        format!("{n} changements cette semaine")
    }
}

pub const CHANGE_KIND: &str =
    "Changements de l'emploi du temps (cours annulé, changement de salle)";

/// The notification of a change: its title.
pub fn change_title(cancelled: bool, subject: &str, when: &str) -> String {
    if cancelled {
        format!("Cours annulé : {subject}, {when}")
    } else {
        format!("Changement de salle : {subject}, {when}")
    }
}

pub fn change_body(room: Option<&str>, note: &str) -> String {
    let mut out = String::new();
    if let Some(r) = room {
        out.push_str(&format!("Le cours aura lieu en salle {r}."));
    }
    if !note.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(note);
    }
    out
}
