//! The socle commun's eight composantes and the four levels of maîtrise (the LSU's codes), a
//! period's level from the évaluations', and the bilan de fin de cycle's points. Pure.

/// (code, label) of the eight composantes, in the LSU's order.
pub const COMPOSANTES: [(&str, &str); 8] = [
    (
        "CPD_FRA",
        "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit",
    ),
    (
        "CPD_ETR",
        "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale",
    ),
    (
        "CPD_SCI",
        "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques",
    ),
    (
        "CPD_ART",
        "Comprendre, s'exprimer en utilisant les langages des arts et du corps",
    ),
    ("MET_APP", "Les méthodes et outils pour apprendre"),
    ("FRM_CIT", "La formation de la personne et du citoyen"),
    (
        "SYS_NAT",
        "Les systèmes naturels et les systèmes techniques",
    ),
    (
        "REP_MND",
        "Les représentations du monde et l'activité humaine",
    ),
];

/// The four levels, 1 to 4: (short, label, points at the bilan de fin de cycle).
pub const LEVELS: [(&str, &str, u32); 4] = [
    ("MI", "Maîtrise insuffisante", 10),
    ("MF", "Maîtrise fragile", 25),
    ("MS", "Maîtrise satisfaisante", 40),
    ("TBM", "Très bonne maîtrise", 50),
];

pub fn is_code(code: &str) -> bool {
    COMPOSANTES.iter().any(|(c, _)| *c == code)
}

pub fn label(code: &str) -> &'static str {
    COMPOSANTES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| l)
}

/// « Maîtrise satisfaisante » for 3.
pub fn level_label(level: u8) -> &'static str {
    LEVELS
        .get(usize::from(level).wrapping_sub(1))
        .map_or("", |l| l.1)
}

/// A level a form sent that is none of the four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadLevel;

/// A level as a form sends it: `1` to `4`, or nothing.
pub fn parse_level(s: &str) -> Result<Option<u8>, BadLevel> {
    match s.trim() {
        "" => Ok(None),
        t => match t.parse::<u8>() {
            Ok(n @ 1..=4) => Ok(Some(n)),
            _ => Err(BadLevel),
        },
    }
}

/// A composante's level over a period: the mean of the levels reached, rounded to the
/// nearest (a half goes up: 2, 3 → 3). None without any.
pub fn period_level(levels: &[u8]) -> Option<u8> {
    if levels.is_empty() {
        return None;
    }
    let sum: u32 = levels.iter().map(|l| u32::from(*l)).sum();
    let n = levels.len() as u32;
    // round(sum / n) with halves up, in integers: (2·sum + n) / (2·n).
    Some(((2 * sum + n) / (2 * n)) as u8)
}

/// The bilan's points: 10, 25, 40 or 50 per composante (400 at most), as the DNB counts them.
pub fn points(levels: &[u8]) -> u32 {
    levels
        .iter()
        .filter_map(|l| LEVELS.get(usize::from(*l).wrapping_sub(1)))
        .map(|l| l.2)
        .sum()
}

/// The cycle a class ends, from its code as French collèges write them: 6e ends cycle 3, 3e
/// ends cycle 4; other classes have no bilan.
pub fn cycle_ended_by(class_code: &str) -> Option<u8> {
    match class_code.chars().next() {
        Some('6') => Some(3),
        Some('3') => Some(4),
        _ => None,
    }
}

/// The composante a subject assesses first (the demo's choice, and a teacher's default).
pub fn composante_of_subject(subject: &str) -> &'static str {
    let s = subject.to_lowercase();
    let has = |w: &[&str]| w.iter().any(|x| s.contains(x));
    if has(&["français", "francais", "lettres"]) {
        "CPD_FRA"
    } else if has(&["anglais", "espagnol", "allemand", "italien", "langue", "lv"]) {
        "CPD_ETR"
    } else if has(&["math"]) {
        "CPD_SCI"
    } else if has(&["arts", "musique", "éducation physique", "eps"]) {
        "CPD_ART"
    } else if has(&["histoire", "géographie"]) {
        "REP_MND"
    } else if has(&[
        "svt",
        "vie et de la terre",
        "physique",
        "technologie",
        "sciences",
    ]) {
        "SYS_NAT"
    } else if has(&["civique", "emc"]) {
        "FRM_CIT"
    } else {
        "MET_APP"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_over_a_period_and_the_bilans_points() {
        assert_eq!(period_level(&[]), None);
        assert_eq!(period_level(&[3]), Some(3));
        assert_eq!(period_level(&[2, 3]), Some(3));
        assert_eq!(period_level(&[1, 2, 2]), Some(2));
        assert_eq!(period_level(&[4, 4, 1]), Some(3));
        assert_eq!(period_level(&[1, 1, 2]), Some(1));
        assert_eq!(points(&[4; 8]), 400);
        assert_eq!(points(&[1, 2, 3, 4]), 125);
        assert_eq!(parse_level("3"), Ok(Some(3)));
        assert_eq!(parse_level(""), Ok(None));
        assert!(parse_level("5").is_err() && parse_level("x").is_err());
        assert_eq!(level_label(2), "Maîtrise fragile");
        assert_eq!(level_label(0), "");
        assert_eq!(cycle_ended_by("6A"), Some(3));
        assert_eq!(cycle_ended_by("3B"), Some(4));
        assert_eq!(cycle_ended_by("5A"), None);
        assert_eq!(composante_of_subject("Mathématiques"), "CPD_SCI");
        assert_eq!(composante_of_subject("Histoire-géographie"), "REP_MND");
        assert!(COMPOSANTES.iter().all(|(c, _)| is_code(c)));
    }
}
