//! Évaluations and marks as the teacher types them; no I/O.

use std::str::FromStr;

use rust_decimal::Decimal;
use time::Date;

use crate::average::{Assessment, Counting, Mark};

/// An évaluation of a class in a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub id: i64,
    pub teacher: String,
    /// The class's code, or the teaching group's when `is_group`.
    pub class: String,
    pub is_group: bool,
    pub subject: String,
    pub title: String,
    pub day: Date,
    pub coefficient: Decimal,
    pub out_of: u16,
    pub to_twenty: bool,
    pub counting: Counting,
    /// Pupils and parents see it from this day.
    pub visible_from: Date,
    /// It gives a mark (an évaluation may assess compétences only).
    pub marked: bool,
}

impl Evaluation {
    pub fn assessment(&self) -> Assessment {
        Assessment {
            id: self.id,
            coefficient: self.coefficient,
            out_of: self.out_of,
            to_twenty: self.to_twenty,
            counting: self.counting,
        }
    }
}

pub fn counting_code(c: Counting) -> &'static str {
    match c {
        Counting::Always => "compte",
        Counting::IfItRaises => "si-meilleure",
        Counting::Formative => "formative",
    }
}

pub fn parse_counting(s: &str) -> Option<Counting> {
    match s {
        "compte" => Some(Counting::Always),
        "si-meilleure" => Some(Counting::IfItRaises),
        "formative" => Some(Counting::Formative),
        _ => None,
    }
}

/// A mark's status code in the store and the grid.
pub fn status_code(m: &Mark) -> Option<&'static str> {
    match m {
        Mark::Value(_) => None,
        Mark::Absent => Some("abs"),
        Mark::Dispense => Some("disp"),
        Mark::NotHandedIn => Some("nr"),
        Mark::NotMarked => Some("nn"),
    }
}

pub fn parse_status(s: &str) -> Option<Mark> {
    match s {
        "abs" => Some(Mark::Absent),
        "disp" => Some(Mark::Dispense),
        "nr" => Some(Mark::NotHandedIn),
        "nn" => Some(Mark::NotMarked),
        _ => None,
    }
}

/// A decimal typed the French way or not (« 12,5 », « 12.5 »).
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() || t.len() > 12 || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Decimal::from_str(&t).ok()
}

/// A cell the grid cannot take (the page names the pupil and what was typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadCell;

/// What the teacher typed in a cell: nothing (no mark), a status (abs, disp, nr, nn — as
/// typed or chosen), or a mark between 0 and the scale with at most two decimals.
pub fn parse_cell(s: &str, out_of: u16) -> Result<Option<Mark>, BadCell> {
    let t = s.trim().to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    let status = match t.as_str() {
        "abs" | "absent" | "a" => Some(Mark::Absent),
        "disp" | "dispensé" | "dispense" | "d" => Some(Mark::Dispense),
        "nr" | "non rendu" => Some(Mark::NotHandedIn),
        "nn" | "non noté" | "non note" => Some(Mark::NotMarked),
        _ => None,
    };
    if let Some(m) = status {
        return Ok(Some(m));
    }
    let v = parse_decimal(&t).ok_or(BadCell)?;
    if v < Decimal::ZERO || v > Decimal::from(out_of) || v.normalize().scale() > 2 {
        return Err(BadCell);
    }
    Ok(Some(Mark::Value(v.normalize())))
}

/// A mark as the grid shows it (« 12,5 », « abs »).
pub fn cell_text(m: &Mark) -> String {
    match m {
        Mark::Value(v) => v.normalize().to_string().replace('.', ","),
        other => status_code(other).unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_teachers_type_them() {
        let v = |s: &str| Mark::Value(Decimal::from_str(s).expect("d"));
        assert_eq!(parse_cell("12,5", 20), Ok(Some(v("12.5"))));
        assert_eq!(parse_cell(" 12.25 ", 20), Ok(Some(v("12.25"))));
        assert_eq!(parse_cell("20", 20), Ok(Some(v("20"))));
        assert_eq!(parse_cell("0", 20), Ok(Some(v("0"))));
        assert_eq!(parse_cell("", 20), Ok(None));
        assert_eq!(parse_cell("ABS", 20), Ok(Some(Mark::Absent)));
        assert_eq!(parse_cell("disp", 20), Ok(Some(Mark::Dispense)));
        assert_eq!(parse_cell("nr", 20), Ok(Some(Mark::NotHandedIn)));
        assert_eq!(parse_cell("nn", 20), Ok(Some(Mark::NotMarked)));
        for bad in ["21", "6", "-1", "12,555", "douze", "1e3", "12,5,5"] {
            let out_of = if bad == "6" { 5 } else { 20 };
            assert_eq!(parse_cell(bad, out_of), Err(BadCell), "{bad}");
        }
        assert_eq!(cell_text(&v("12.50")), "12,5");
        assert_eq!(cell_text(&Mark::Absent), "abs");
    }
}
