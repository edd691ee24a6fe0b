//! The STS-web export `sts_emp_<UAI>_<année>.xml` (root `STS_EDT`): staff with their
//! function, the services (subject × class or group × teachers) and the professeurs
//! principaux. Dates are AAAA-MM-JJ here.

use std::collections::BTreeMap;
use std::path::Path;

use super::bee::{Structure, at, subjects};
use crate::feed::FeedError;
use crate::feed::xml::Element;

/// One member of staff.
#[derive(Debug, Clone)]
pub struct Individu {
    pub id: String,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<time::Date>,
    /// ENS, DIR, EDU, DOC…
    pub fonction: String,
    /// Classes of which they are professeur principal, with the end of that role.
    pub principal_of: Vec<(String, Option<time::Date>)>,
    pub line: usize,
}

/// One service: a subject taught to a class or a group by some teachers.
#[derive(Debug, Clone)]
pub struct Service {
    pub structure: String,
    pub line: usize,
    pub is_class: bool,
    pub subject: String,
    pub teachers: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Sts {
    pub individus: Vec<Individu>,
    pub structures: Vec<(Structure, bool)>,
    pub services: Vec<Service>,
    pub subjects: BTreeMap<String, String>,
}

/// `AAAA-MM-JJ`.
pub fn date_iso(value: &str) -> Option<time::Date> {
    let f: Vec<&str> = value.trim().split('-').collect();
    if f.len() != 3 {
        return None;
    }
    let month = time::Month::try_from(f[1].parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(f[0].parse().ok()?, month, f[2].parse().ok()?).ok()
}

fn date_field(file: &Path, e: &Element, name: &str) -> Result<Option<time::Date>, FeedError> {
    super::bee::date_with(file, e, name, date_iso, "AAAA-MM-JJ")
}

pub fn read(file: &Path, root: &Element) -> Result<Sts, FeedError> {
    let data = root
        .child("DONNEES")
        .ok_or_else(|| at(file, root.line, "élément <DONNEES> absent"))?;
    let mut individus = Vec::new();
    for i in data.each(&["INDIVIDUS", "INDIVIDU"]) {
        let id = i
            .attr("ID")
            .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric()))
            .ok_or_else(|| at(file, i.line, "INDIVIDU sans attribut ID valide"))?;
        let family = i
            .text_of("NOM_USAGE")
            .or_else(|| i.text_of("NOM_PATRONYMIQUE"))
            .ok_or_else(|| at(file, i.line, format!("individu {id} sans NOM_USAGE")))?;
        let mut principal_of = Vec::new();
        for p in i.each(&["PROFS_PRINC", "PROF_PRINC"]) {
            let Some(code) = p.text_of("CODE_STRUCTURE") else {
                return Err(at(file, p.line, "PROF_PRINC sans CODE_STRUCTURE"));
            };
            principal_of.push((code.to_owned(), date_field(file, p, "DATE_FIN")?));
        }
        individus.push(Individu {
            id: id.to_owned(),
            family_name: family.to_owned(),
            given_name: i.text_of("PRENOM").unwrap_or_default().to_owned(),
            birth_date: date_field(file, i, "DATE_NAISSANCE")?,
            fonction: i.text_of("FONCTION").unwrap_or_default().to_owned(),
            principal_of,
            line: i.line,
        });
    }
    let mut structures = Vec::new();
    let mut services = Vec::new();
    for (path, is_class) in [
        (["STRUCTURE", "DIVISIONS", "DIVISION"], true),
        (["STRUCTURE", "GROUPES", "GROUPE"], false),
    ] {
        for s in data.each(&path) {
            let code = s
                .attr("CODE")
                .ok_or_else(|| at(file, s.line, format!("<{}> sans attribut CODE", path[2])))?;
            structures.push((
                Structure {
                    code: code.to_owned(),
                    label: s.text_of("LIBELLE_LONG").unwrap_or(code).to_owned(),
                    divisions: s
                        .each(&["DIVISIONS_APPARTENANCE", "DIVISION_APPARTENANCE"])
                        .iter()
                        .filter_map(|d| d.attr("CODE"))
                        .map(str::to_owned)
                        .collect(),
                    line: s.line,
                },
                is_class,
            ));
            for sv in s.each(&["SERVICES", "SERVICE"]) {
                let subject = sv
                    .attr("CODE_MATIERE")
                    .ok_or_else(|| at(file, sv.line, "SERVICE sans CODE_MATIERE"))?;
                services.push(Service {
                    structure: code.to_owned(),
                    line: sv.line,
                    is_class,
                    subject: subject.to_owned(),
                    teachers: sv
                        .each(&["ENSEIGNANTS", "ENSEIGNANT"])
                        .iter()
                        .filter_map(|t| t.attr("ID"))
                        .map(str::to_owned)
                        .collect(),
                });
            }
        }
    }
    let subjects = root
        .child("NOMENCLATURES")
        .map(subjects)
        .unwrap_or_default();
    Ok(Sts {
        individus,
        structures,
        services,
        subjects,
    })
}
