//! The four SIECLE "BEE" exports, read into plain records: pupils with their structures,
//! responsables with their links, classes and groups, subject labels. Absent and empty tags
//! are the same; booleans come as 0/1 or true/false; dates as JJ/MM/AAAA.

use std::collections::BTreeMap;
use std::path::Path;

use crate::feed::FeedError;
use crate::feed::xml::Element;

/// One pupil of `ElevesSansAdresses.xml` / `ElevesAvecAdresses.xml`.
#[derive(Debug, Clone)]
pub struct Eleve {
    pub id: String,
    pub ine: Option<String>,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<time::Date>,
    pub email: Option<String>,
    pub left_on: Option<time::Date>,
    /// `D` structures (classes), in file order.
    pub divisions: Vec<String>,
    /// `G` structures (groups).
    pub groupes: Vec<String>,
    pub line: usize,
}

/// One person of `ResponsablesAvecAdresses.xml`.
#[derive(Debug, Clone)]
pub struct Personne {
    pub id: String,
    pub family_name: String,
    pub given_name: String,
    pub email: Option<String>,
    pub line: usize,
}

/// What a person is to a pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    /// A legal responsable: level 1, or 2 for the second of the old format's `RESP_LEGAL`.
    Legal(u8),
    /// `NIVEAU_RESPONSABILITE` 2: in charge of the pupil without being a legal responsable.
    InCharge,
    /// `NIVEAU_RESPONSABILITE` 3 (or `PERS_CONTACT`): someone to call, never an account.
    Contact,
}

/// A pupil–person link.
#[derive(Debug, Clone)]
pub struct Lien {
    pub eleve: String,
    pub personne: String,
    pub tie: Tie,
    pub line: usize,
}

/// A class or a group of `Structures.xml`.
#[derive(Debug, Clone)]
pub struct Structure {
    pub code: String,
    pub label: String,
    /// For a group: the classes it draws from.
    pub divisions: Vec<String>,
    pub line: usize,
}

pub fn at(file: &Path, line: usize, message: impl Into<String>) -> FeedError {
    FeedError::in_file(file, Some(line), message)
}

/// `JJ/MM/AAAA` (a time after it is ignored).
pub fn date_fr(value: &str) -> Option<time::Date> {
    let day = value.split_whitespace().next()?;
    let f: Vec<&str> = day.split('/').collect();
    if f.len() != 3 {
        return None;
    }
    let month = time::Month::try_from(f[1].parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(f[2].parse().ok()?, month, f[0].parse().ok()?).ok()
}

/// An optional date field read with `parse` (whose format `expected` names): absent is fine,
/// garbage names the field and line.
pub fn date_with(
    file: &Path,
    e: &Element,
    name: &str,
    parse: fn(&str) -> Option<time::Date>,
    expected: &str,
) -> Result<Option<time::Date>, FeedError> {
    match e.text_of(name) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| {
            at(
                file,
                e.child(name).map_or(e.line, |c| c.line),
                format!("{name} « {v} » : date {expected} attendue"),
            )
        }),
    }
}

fn date_field(file: &Path, e: &Element, name: &str) -> Result<Option<time::Date>, FeedError> {
    date_with(file, e, name, date_fr, "JJ/MM/AAAA")
}

/// A numeric identifier (ELEVE_ID, PERSONNE_ID), spaces around tolerated.
fn ident(file: &Path, line: usize, what: &str, v: Option<&str>) -> Result<String, FeedError> {
    let v = v.map(str::trim).unwrap_or_default();
    if v.is_empty() || v.len() > 20 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(at(
            file,
            line,
            format!("{what} « {v} » : identifiant numérique attendu"),
        ));
    }
    Ok(v.to_owned())
}

/// Usage name first, then family name, then the pre-2016 `NOM`.
fn family_name(e: &Element) -> Option<String> {
    e.text_of("NOM_USAGE")
        .or_else(|| e.text_of("NOM_DE_FAMILLE"))
        .or_else(|| e.text_of("NOM"))
        .map(str::to_owned)
}

fn donnees<'a>(file: &Path, root: &'a Element) -> Result<&'a Element, FeedError> {
    root.child("DONNEES")
        .ok_or_else(|| at(file, root.line, "élément <DONNEES> absent"))
}

pub fn eleves(file: &Path, root: &Element) -> Result<Vec<Eleve>, FeedError> {
    let data = donnees(file, root)?;
    let mut structures: BTreeMap<String, (usize, Vec<String>, Vec<String>)> = BTreeMap::new();
    for s in data.each(&["STRUCTURES", "STRUCTURES_ELEVE"]) {
        let id = ident(file, s.line, "ELEVE_ID", s.attr("ELEVE_ID"))?;
        let mut d = Vec::new();
        let mut g = Vec::new();
        for st in s.all("STRUCTURE") {
            let Some(code) = st.text_of("CODE_STRUCTURE") else {
                return Err(at(file, st.line, "STRUCTURE sans CODE_STRUCTURE"));
            };
            match st.text_of("TYPE_STRUCTURE") {
                Some("D") => d.push(code.to_owned()),
                Some("G") => g.push(code.to_owned()),
                other => {
                    return Err(at(
                        file,
                        st.line,
                        format!(
                            "TYPE_STRUCTURE « {} » : D (division) ou G (groupe) attendu",
                            other.unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        if structures.insert(id.clone(), (s.line, d, g)).is_some() {
            return Err(at(
                file,
                s.line,
                format!("STRUCTURES_ELEVE de l'élève {id} en double"),
            ));
        }
    }
    let mut out = Vec::new();
    for e in data.each(&["ELEVES", "ELEVE"]) {
        let id = ident(file, e.line, "ELEVE_ID", e.attr("ELEVE_ID"))?;
        let family = family_name(e)
            .ok_or_else(|| at(file, e.line, format!("élève {id} sans NOM_DE_FAMILLE")))?;
        let given = e
            .text_of("PRENOM")
            .ok_or_else(|| at(file, e.line, format!("élève {id} sans PRENOM")))?;
        let (_, divisions, groupes) = structures.remove(&id).unwrap_or_default();
        out.push(Eleve {
            ine: e
                .text_of("ID_NATIONAL")
                .or_else(|| e.text_of("INE_RNIE"))
                .or_else(|| e.text_of("INE_BEA"))
                .map(str::to_owned),
            family_name: family,
            given_name: given.to_owned(),
            birth_date: date_field(file, e, "DATE_NAISS")?,
            email: e.text_of("MEL").map(str::to_owned),
            left_on: date_field(file, e, "DATE_SORTIE")?,
            divisions,
            groupes,
            line: e.line,
            id,
        });
    }
    let mut seen = BTreeMap::new();
    for e in &out {
        if let Some(first) = seen.insert(e.id.clone(), e.line) {
            return Err(at(
                file,
                e.line,
                format!("élève {} en double (déjà ligne {first})", e.id),
            ));
        }
    }
    Ok(out)
}

/// "1"/"true" → true; "0"/"false"/absent → false.
fn flag(e: &Element, name: &str) -> bool {
    matches!(e.text_of(name), Some("1" | "true" | "TRUE" | "True"))
}

pub fn responsables(file: &Path, root: &Element) -> Result<(Vec<Personne>, Vec<Lien>), FeedError> {
    let data = donnees(file, root)?;
    let mut people = Vec::new();
    for p in data.each(&["PERSONNES", "PERSONNE"]) {
        let id = ident(file, p.line, "PERSONNE_ID", p.attr("PERSONNE_ID"))?;
        let family = family_name(p)
            .ok_or_else(|| at(file, p.line, format!("personne {id} sans NOM_DE_FAMILLE")))?;
        people.push(Personne {
            given_name: p.text_of("PRENOM").unwrap_or_default().to_owned(),
            family_name: family,
            email: p.text_of("MEL").map(str::to_owned),
            line: p.line,
            id,
        });
    }
    let mut seen = BTreeMap::new();
    for p in &people {
        if let Some(first) = seen.insert(p.id.as_str(), p.line) {
            return Err(at(
                file,
                p.line,
                format!("personne {} en double (déjà ligne {first})", p.id),
            ));
        }
    }
    let mut links = Vec::new();
    for r in data.each(&["RESPONSABLES", "RESPONSABLE_ELEVE"]) {
        let eleve = ident(file, r.line, "ELEVE_ID", r.text_of("ELEVE_ID"))?;
        let personne = ident(file, r.line, "PERSONNE_ID", r.text_of("PERSONNE_ID"))?;
        // Current exports: NIVEAU_RESPONSABILITE 1/2/3. Older ones: RESP_LEGAL 1/2 for the
        // legal responsables, 0 for the others (contacts).
        let tie = match (r.text_of("NIVEAU_RESPONSABILITE"), r.text_of("RESP_LEGAL")) {
            (Some("1"), _) => Tie::Legal(1),
            (Some("2"), _) => Tie::InCharge,
            (Some("3"), _) => Tie::Contact,
            (None, Some("1")) => Tie::Legal(1),
            (None, Some("2")) => Tie::Legal(2),
            (None, Some("0")) => {
                if flag(r, "PERS_CONTACT") {
                    Tie::Contact
                } else {
                    continue;
                }
            }
            (n, l) => {
                return Err(at(
                    file,
                    r.line,
                    format!(
                        "lien élève {eleve} – personne {personne} : NIVEAU_RESPONSABILITE « {} » \
                         / RESP_LEGAL « {} » inattendus (1, 2 ou 3 attendu)",
                        n.unwrap_or_default(),
                        l.unwrap_or_default()
                    ),
                ));
            }
        };
        links.push(Lien {
            eleve,
            personne,
            tie,
            line: r.line,
        });
    }
    Ok((people, links))
}

pub fn structures(file: &Path, root: &Element) -> Result<Vec<(Structure, bool)>, FeedError> {
    let data = donnees(file, root)?;
    let mut out = Vec::new();
    for (path, is_class) in [
        (["DIVISIONS", "DIVISION"], true),
        (["GROUPES", "GROUPE"], false),
    ] {
        for s in data.each(&path) {
            let code = s
                .attr("CODE_STRUCTURE")
                .ok_or_else(|| at(file, s.line, format!("<{}> sans CODE_STRUCTURE", path[1])))?;
            out.push((
                Structure {
                    code: code.to_owned(),
                    label: s.text_of("LIBELLE_LONG").unwrap_or(code).to_owned(),
                    divisions: s
                        .each(&["DIVISIONS_APPARTENANCE", "DIVISION_APPARTENANCE"])
                        .iter()
                        .filter_map(|d| d.text_of("CODE_STRUCTURE").or_else(|| d.attr("CODE")))
                        .map(str::to_owned)
                        .collect(),
                    line: s.line,
                },
                is_class,
            ));
        }
    }
    Ok(out)
}

/// Subject labels by 6-digit code, from SIECLE's `MATIERE@CODE_MATIERE` or STS's `MATIERE@CODE`.
pub fn subjects(data: &Element) -> BTreeMap<String, String> {
    data.each(&["MATIERES", "MATIERE"])
        .iter()
        .filter_map(|m| {
            let code = m.attr("CODE_MATIERE").or_else(|| m.attr("CODE"))?;
            let label = m
                .text_of("LIBELLE_EDITION")
                .or_else(|| m.text_of("LIBELLE_LONG"))
                .or_else(|| m.text_of("CODE_GESTION"))?;
            Some((code.to_owned(), label.to_owned()))
        })
        .collect()
}

pub fn nomenclature(file: &Path, root: &Element) -> Result<BTreeMap<String, String>, FeedError> {
    Ok(subjects(donnees(file, root)?))
}
