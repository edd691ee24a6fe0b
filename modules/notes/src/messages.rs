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
