//! Imports of a whole timetable: parsed from the file first (every problem with its line),
//! then matched against the annuaire (teachers by name, classes and groups by code); only a
//! file with no problem at all replaces the timetable.

pub mod csv;
pub mod ical;

use crate::model::{Audience, NewCourse, Weeks};

/// One problem of a file, with its line (0 when it is about the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl Problem {
    pub fn at(line: usize, message: String) -> Self {
        Self { line, message }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "ligne {} : {}", self.line, self.message)
        }
    }
}

/// A course as a file gives it: names, not accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCourse {
    pub line: usize,
    pub day: u8,
    pub start: u16,
    pub end: u16,
    pub weeks: Weeks,
    pub subject: String,
    /// « NOM PRÉNOM », « Prénom NOM » or a login.
    pub teachers: Vec<String>,
    pub class: String,
    /// A group or regroupement, when the course is not for the whole class.
    pub group: String,
    pub room: String,
}

/// What the annuaire knows, to match a file against.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// (login, family name, given name) of the staff.
    pub teachers: Vec<(String, String, String)>,
    pub classes: Vec<String>,
    pub groups: Vec<(String, String)>,
}

/// Timetable subject codes (EDT, UDT, STS) and how people read them.
const SUBJECTS: &[(&str, &str)] = &[
    ("FRANC", "Français"),
    ("FRANCAIS", "Français"),
    ("MATHS", "Mathématiques"),
    ("MATH", "Mathématiques"),
    ("HIGEO", "Histoire-géographie"),
    ("HG", "Histoire-géographie"),
    ("HGEMC", "Histoire-géographie EMC"),
    ("AGL1", "Anglais LV1"),
    ("ANG", "Anglais"),
    ("ESP2", "Espagnol LV2"),
    ("ALL2", "Allemand LV2"),
    ("ESP", "Espagnol"),
    ("ALL", "Allemand"),
    ("SVT", "SVT"),
    ("PHYCH", "Physique-chimie"),
    ("PC", "Physique-chimie"),
    ("TECHN", "Technologie"),
    ("TECHNO", "Technologie"),
    ("EPS", "EPS"),
    ("ARPLA", "Arts plastiques"),
    ("AP", "Arts plastiques"),
    ("EDMUS", "Éducation musicale"),
    ("MUS", "Éducation musicale"),
    ("LCALA", "Latin"),
    ("LATIN", "Latin"),
    ("VS", "Vie de classe"),
];

/// The subject as people read it: a known code's name, else the file's text.
pub fn subject_label(code: &str) -> String {
    let folded = csv::fold(code);
    SUBJECTS
        .iter()
        .find(|(c, _)| *c == folded)
        .map_or_else(|| code.trim().to_owned(), |(_, l)| (*l).to_owned())
}

fn teacher(name: &str, known: &Known) -> Result<String, String> {
    let n = csv::fold(name);
    let found: Vec<&String> = known
        .teachers
        .iter()
        .filter(|(login, family, given)| {
            n == csv::fold(login)
                || n == csv::fold(&format!("{family} {given}"))
                || n == csv::fold(&format!("{given} {family}"))
        })
        .map(|(login, _, _)| login)
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "« {name} » : aucun personnel de ce nom dans l'annuaire"
        )),
        _ => Err(format!(
            "« {name} » : plusieurs personnels portent ce nom ({}) ; mettez l'identifiant",
            found
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Matches each course against the annuaire; every problem is reported.
pub fn resolve(raw: Vec<RawCourse>, known: &Known) -> Result<Vec<NewCourse>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for r in raw {
        let before = problems.len();
        let mut teachers = Vec::new();
        for t in &r.teachers {
            match teacher(t, known) {
                Ok(login) => teachers.push(login),
                Err(m) => problems.push(Problem::at(r.line, m)),
            }
        }
        let audience = if r.group.is_empty() {
            match known
                .classes
                .iter()
                .find(|c| csv::fold(c) == csv::fold(&r.class))
            {
                Some(c) => Some(Audience::Class(c.clone())),
                None => {
                    problems.push(Problem::at(
                        r.line,
                        format!("classe « {} » inconnue de l'annuaire", r.class),
                    ));
                    None
                }
            }
        } else {
            let g = csv::fold(&r.group);
            match known
                .groups
                .iter()
                .find(|(code, label)| csv::fold(code) == g || csv::fold(label) == g)
            {
                Some((code, _)) => Some(Audience::Group(code.clone())),
                None => {
                    problems.push(Problem::at(
                        r.line,
                        format!("groupe « {} » inconnu de l'annuaire", r.group),
                    ));
                    None
                }
            }
        };
        if problems.len() > before {
            continue;
        }
        let Some(audience) = audience else {
            continue;
        };
        out.push(NewCourse {
            day: r.day,
            start: r.start,
            end: r.end,
            weeks: r.weeks,
            subject: subject_label(&r.subject),
            teachers,
            audience,
            room: r.room,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
