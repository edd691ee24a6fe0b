//! Every French sentence of the notes.

use crate::average::Left;

pub const TITLE: &str = "Notes";
pub const RETENTION_WHAT: &str = "Évaluations, notes et l'historique de leurs modifications";
pub const RETENTION_HOW_LONG: &str = "L'année scolaire et les trois suivantes (les notes fondent les bulletins, gardés par l'établissement) ; les notes d'un élève parti sont supprimées avec son compte.";

pub const CREATED: &str = "Évaluation créée : saisissez les notes ci-dessous.";
pub const BAD_COURSE: &str = "Classe et matière : choisissez l'un de vos enseignements.";
pub const NEED_TITLE: &str = "Donnez un titre à l'évaluation (120 caractères au plus).";
pub const BAD_DAY: &str = "Date : un jour de l'année scolaire (jj/mm/aaaa).";
pub fn day_off(day: &str, why: &str) -> String {
    format!("Date : pas de cours le {day} ({why}).")
}

pub const BAD_COEFFICIENT: &str =
    "Coefficient : un nombre de 0 à 20 (0,5 accepté ; 0 : ne compte pas).";
pub const BAD_OUT_OF: &str = "Noté sur : un nombre entier de 1 à 100.";
pub const BAD_COUNTING: &str = "Choisissez comment l'évaluation compte dans la moyenne.";
pub const BAD_VISIBLE: &str = "Visible par les élèves et les parents à partir du : une date.";

pub fn saved(n: usize) -> String {
    match n {
        0 => "Aucune note modifiée.".to_owned(),
        1 => "1 note enregistrée.".to_owned(),
        n => format!("{n} notes enregistrées."),
    }
}

pub fn bad_cells(names: &[String], out_of: u16) -> String {
    format!(
        "Notes non comprises pour {} : une note de 0 à {out_of} (deux décimales au plus), ou abs, disp, nr, nn. Rien n'a été enregistré.",
        names.join(", ")
    )
}

pub fn too_many_lines(lines: usize, pupils: usize) -> String {
    format!(
        "La colonne collée a {lines} lignes pour {pupils} élèves : une ligne par élève, dans l'ordre de la liste. Rien n'a été enregistré."
    )
}

pub fn left_label(l: Option<Left>) -> &'static str {
    match l {
        None => "compte",
        Some(Left::NoMark) => "pas de note",
        Some(Left::CoefficientZero) => "coefficient 0 : ne compte pas",
        Some(Left::Formative) => "évaluation formative : ne compte pas",
        Some(Left::DidNotRaise) => {
            "ne compte que si elle améliore la moyenne : ce n'est pas le cas"
        }
    }
}

pub fn counting_label(c: crate::average::Counting) -> &'static str {
    match c {
        crate::average::Counting::Always => "compte dans la moyenne",
        crate::average::Counting::IfItRaises => "ne compte que si elle améliore la moyenne",
        crate::average::Counting::Formative => "formative : ne compte jamais",
    }
}

pub const NN: &str = "NN";
pub const NN_HELP: &str = "NN : non noté, aucune note ne compte encore.";

pub const TILE_PUPIL: &str = "Mes notes et mes moyennes";
pub const TILE_PARENT: &str = "Les notes de mes enfants";
pub const TILE_TEACHER: &str = "Mes évaluations et la saisie des notes";

/// « 1er trimestre — version 2, publiée le 12 décembre 2026 ».
pub fn bulletin_label(period: &str, version: i64, published: &str) -> String {
    if version == 1 {
        format!("{period} — publié le {published}")
    } else {
        format!("{period} — version {version}, publiée le {published}")
    }
}

pub fn locked(period: &str, until: &str) -> String {
    format!(
        "Le {period} est clos : ses notes pouvaient être modifiées jusqu'au {until}. Rien n'a été enregistré ; la direction peut reporter cette date dans les réglages des notes."
    )
}

pub const SETTINGS_SAVED: &str =
    "Réglages enregistrés : les périodes et les avis du conseil sont à jour.";
pub const BAD_AVIS: &str =
    "Avis du conseil : vingt au plus, un par ligne, de 80 caractères au plus chacun.";

pub const NEW_MARK_KIND: &str = "Nouvelles notes (les miennes ou celles de mes enfants)";
pub fn new_mark_title(subject: &str) -> String {
    format!("Nouvelle note en {subject}")
}
pub fn new_mark_body(title: &str) -> String {
    format!("« {title} » : la note est dans l'ENT, avec la moyenne et son calcul.")
}

pub fn too_long(names: &[String], max: usize) -> String {
    format!(
        "Appréciations trop longues pour {} : {max} caractères au plus. Rien n'a été enregistré.",
        names.join(", ")
    )
}

pub fn appreciations_saved(n: usize) -> String {
    match n {
        0 => "Aucune appréciation modifiée.".to_owned(),
        1 => "1 appréciation enregistrée.".to_owned(),
        n => format!("{n} appréciations enregistrées."),
    }
}

pub fn conseil_refused(names: &[String], max: usize, max_cpe: usize) -> String {
    format!(
        "À revoir pour {} : une synthèse de {max} caractères au plus, une appréciation du CPE de {max_cpe} au plus, un avis de la liste. Rien n'a été enregistré.",
        names.join(", ")
    )
}

pub fn conseil_saved(n: usize) -> String {
    match n {
        0 => "Aucun changement.".to_owned(),
        1 => "Conseil de classe enregistré pour 1 élève.".to_owned(),
        n => format!("Conseil de classe enregistré pour {n} élèves."),
    }
}

pub fn school_year(start: i32) -> String {
    format!("Année scolaire {start}-{}", start + 1)
}

pub fn edition(when: &str, version: i64) -> String {
    if version == 1 {
        format!("Édité le {when}.")
    } else {
        format!("Édité le {when} (version {version} : remplace la précédente).")
    }
}

pub const BULLETIN_NONE: &str = "pas encore généré";
pub fn bulletin_published(version: i64, day: &str) -> String {
    format!("version {version} publiée, visible à partir du {day}")
}
pub fn bulletin_draft(version: i64, when: &str) -> String {
    format!("version {version} en brouillon (générée le {when}), pas encore publiée")
}
pub fn version_link(version: i64, published: bool) -> String {
    if published {
        format!("version {version} (PDF)")
    } else {
        format!("brouillon, version {version} (PDF)")
    }
}
pub fn class_bulletins(published: usize, drafts: usize) -> String {
    match (published, drafts) {
        (0, 0) => "aucun bulletin".to_owned(),
        (p, 0) => format!("{p} publiés"),
        (0, d) => format!("{d} brouillons à publier"),
        (p, d) => format!("{p} publiés, {d} brouillons à publier"),
    }
}
pub const CONSEIL_LINK: &str = "conseil de classe";
pub fn generated(n: usize) -> String {
    match n {
        0 => "Aucun élève : aucun bulletin généré.".to_owned(),
        1 => "1 bulletin généré en brouillon : relisez-le, puis publiez-le.".to_owned(),
        n => format!("{n} bulletins générés en brouillon : relisez-les, puis publiez-les."),
    }
}
pub const BAD_PUBLISH_DAY: &str = "Visibles à partir du : une date.";
pub const CONFIRM_PUBLISH: &str = "Cochez la case de confirmation : une fois publiés, les bulletins ne peuvent plus être modifiés (une réédition crée une nouvelle version). Rien n'a été publié.";
pub const NOTHING_TO_PUBLISH: &str = "Aucun brouillon à publier : générez d'abord les bulletins.";
pub fn published(n: usize, day: &str) -> String {
    match n {
        1 => format!("1 bulletin publié : l'élève et ses parents le verront à partir du {day}."),
        n => format!(
            "{n} bulletins publiés : les élèves et leurs parents les verront à partir du {day}."
        ),
    }
}
pub fn bulletin_file(name: &str, period: u8, version: i64) -> String {
    if version == 1 {
        format!("Bulletin {name} période {period}.pdf")
    } else {
        format!("Bulletin {name} période {period} version {version}.pdf")
    }
}

pub const BAD_SKILL: &str = "Compétences : choisissez parmi les composantes du socle commun.";
pub const NOTHING_ASSESSED: &str = "Une évaluation donne une note, évalue des compétences, ou les deux : cochez « notée » ou au moins une composante.";

pub const NO_PROPOSAL: &str = "pas encore évaluée cette année";
pub fn proposed(level: &str) -> String {
    format!("d'après l'année : {level}")
}
pub fn bad_levels(names: &[String]) -> String {
    format!(
        "Niveaux non compris pour {} : choisissez dans la liste. Rien n'a été enregistré.",
        names.join(", ")
    )
}
pub fn bilan_saved(n: usize) -> String {
    match n {
        0 => "Aucun niveau modifié.".to_owned(),
        1 => "1 niveau enregistré au bilan de fin de cycle.".to_owned(),
        n => format!("{n} niveaux enregistrés au bilan de fin de cycle."),
    }
}

pub const MODIFIED: &str = "Évaluation modifiée.";
pub const MARKS_THERE: &str = "Des notes sont saisies : videz-les avant de faire de cette évaluation une évaluation sans note. Rien n'a été modifié.";
pub fn above_scale(n: usize, out_of: u16) -> String {
    if n == 1 {
        format!(
            "Une note saisie dépasse {out_of} : corrigez-la avant de changer le barème. Rien n'a été modifié."
        )
    } else {
        format!(
            "{n} notes saisies dépassent {out_of} : corrigez-les avant de changer le barème. Rien n'a été modifié."
        )
    }
}
pub const CONFIRM_DELETE: &str = "Cochez la case de confirmation pour supprimer l'évaluation : ses notes seront supprimées avec elle. Rien n'a été supprimé.";
pub fn deleted(title: &str, n: usize) -> String {
    match n {
        0 => format!("Évaluation « {title} » supprimée."),
        1 => format!("Évaluation « {title} » supprimée avec sa note."),
        n => format!("Évaluation « {title} » supprimée avec ses {n} notes."),
    }
}
