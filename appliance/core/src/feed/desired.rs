//! What the feed says the annuaire should be: the établissement, its classes and groups, and
//! each person with their links — read from the records whatever the order of the files.

use std::collections::{BTreeMap, BTreeSet};

use super::FeedError;
use super::aaf::{Category, Operation, Record};
use crate::directory::{ClassCode, GroupCode, Jointure, Profile, Uai};

/// One person as the feed describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredPerson {
    pub jointure: Jointure,
    pub profile: Profile,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub birth_date: Option<time::Date>,
    pub classes: BTreeSet<ClassCode>,
    pub groups: BTreeSet<GroupCode>,
    /// Legal responsables: jointure and level, 1 for the main contact, 2 for the other
    /// (pupils only). Both have an account and the same rights.
    pub responsables: BTreeMap<Jointure, u8>,
    /// People in charge of the pupil who are not legal responsables (AAF `légal` 0, SIECLE
    /// `NIVEAU_RESPONSABILITE` 2): linked only with `import.personnes_en_charge`.
    pub in_charge: BTreeSet<Jointure>,
    /// (class, subject) taught.
    pub teachings: BTreeSet<(ClassCode, String)>,
    pub principal_of: BTreeSet<ClassCode>,
}

/// The établissement as the feed describes it.
#[derive(Debug, Clone, Default)]
pub struct Desired {
    pub uai: Option<Uai>,
    pub name: String,
    pub kind: String,
    pub classes: BTreeMap<ClassCode, String>,
    pub groups: BTreeMap<GroupCode, String>,
    pub people: BTreeMap<Jointure, DesiredPerson>,
    /// Jointures the feed asks to remove (delta `deleteRequest`).
    pub removed: BTreeSet<Jointure>,
    /// Replacements of a delta's `modifyRequest`, applied over the directory's current state.
    pub modified: BTreeMap<Jointure, Record>,
    /// Categories present in the delivery: only their people may be disabled.
    pub categories: BTreeSet<Category>,
    /// The source says nothing of who teaches what yet (an STS file before the timetable
    /// was sent): current teachings are kept.
    pub keep_teachings: bool,
    /// Things the technician should know, not worth refusing the delivery for.
    pub warnings: Vec<String>,
}

fn at(r: &Record, message: String) -> FeedError {
    FeedError::in_file(&r.file, Some(r.line), message)
}

/// `structure$code` → code, for this établissement's structure jointure.
fn local_code(value: &str) -> Option<&str> {
    let mut f = value.split('$');
    let _structure = f.next()?;
    f.next().filter(|c| !c.is_empty())
}

fn date(value: &str) -> Option<time::Date> {
    let f: Vec<&str> = value.split('/').collect();
    if f.len() != 3 {
        return None;
    }
    let month = time::Month::try_from(f[1].parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(f[2].parse().ok()?, month, f[0].parse().ok()?).ok()
}

/// Profile of a member of staff from `ENTPersonFonctions` (`structure$code$...`).
fn staff_profile(r: &Record) -> Profile {
    let codes: Vec<&str> = r
        .all("ENTPersonFonctions")
        .iter()
        .filter_map(|v| v.split('$').nth(1))
        .collect();
    let has = |c: &str| codes.contains(&c);
    if has("DIR") {
        Profile::Direction
    } else if has("ENS") || !r.all("ENTAuxEnsClasses").is_empty() {
        Profile::Enseignant
    } else if has("EDU") {
        Profile::VieScolaire
    } else if has("DOC") {
        Profile::Documentaliste
    } else {
        Profile::Administratif
    }
}

/// Responsables of a pupil from `ENTElevePersRelEleve` (`id$lien$financier$légal$contact$paiement`):
/// the legal responsables with their level (1 for the main contact, 2 for the other), and the
/// people in charge who are not legal responsables.
pub fn responsables(r: &Record) -> Result<(BTreeMap<Jointure, u8>, BTreeSet<Jointure>), FeedError> {
    let mut legal = BTreeMap::new();
    let mut in_charge = BTreeSet::new();
    for v in r.all("ENTElevePersRelEleve") {
        let f: Vec<&str> = v.split('$').collect();
        if f.len() < 5 {
            return Err(at(
                r,
                format!("ENTElevePersRelEleve « {v} » : 6 champs attendus"),
            ));
        }
        let j = Jointure::parse(f[0]).map_err(|e| at(r, e.to_string()))?;
        match f[3] {
            "1" => {
                legal.insert(j, if f[4] == "1" { 1 } else { 2 });
            }
            "0" | "" => {
                in_charge.insert(j);
            }
            other => {
                return Err(at(
                    r,
                    format!(
                        "ENTElevePersRelEleve « {v} » : responsable légal « {other} » \
                         (0 ou 1 attendu)"
                    ),
                ));
            }
        }
    }
    // A legal responsable listed twice (once as contact) stays legal.
    in_charge.retain(|j| !legal.contains_key(j));
    Ok((legal, in_charge))
}

/// Class and subject codes read from a record's `structure$classe[$matière]` values.
pub fn classes(r: &Record, name: &str) -> Result<BTreeSet<ClassCode>, FeedError> {
    r.all(name)
        .iter()
        .filter_map(|v| local_code(v))
        .map(|c| ClassCode::parse(c).map_err(|e| at(r, e.to_string())))
        .collect()
}

pub fn groups(r: &Record, name: &str) -> Result<BTreeSet<GroupCode>, FeedError> {
    r.all(name)
        .iter()
        .filter_map(|v| local_code(v))
        .map(|c| GroupCode::parse(c).map_err(|e| at(r, e.to_string())))
        .collect()
}

pub fn teachings(
    r: &Record,
    subjects: &BTreeMap<String, String>,
) -> Result<BTreeSet<(ClassCode, String)>, FeedError> {
    let mut out = BTreeSet::new();
    for v in r.all("ENTAuxEnsClassesMatieres") {
        let f: Vec<&str> = v.split('$').collect();
        if f.len() < 3 || f[1].is_empty() || f[2].is_empty() {
            return Err(at(
                r,
                format!("ENTAuxEnsClassesMatieres « {v} » : structure$classe$matière attendu"),
            ));
        }
        let class = ClassCode::parse(f[1]).map_err(|e| at(r, e.to_string()))?;
        let subject = subjects
            .get(f[2])
            .cloned()
            .unwrap_or_else(|| f[2].to_owned());
        out.insert((class, subject));
    }
    Ok(out)
}

/// "JEAN-PIERRE" → "Jean-Pierre", "MAËLYS" → "Maëlys": the feed writes first names in capitals,
/// people write them with one.
pub fn first_name_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '\'');
    }
    out
}

fn person(r: &Record, subjects: &BTreeMap<String, String>) -> Result<DesiredPerson, FeedError> {
    let jointure = Jointure::parse(&r.id).map_err(|e| at(r, e.to_string()))?;
    let profile = match r.category {
        Category::Eleve => Profile::Eleve,
        Category::PersRelEleve => Profile::Responsable,
        _ => staff_profile(r),
    };
    let family_name = r.first("sn").unwrap_or_default().to_owned();
    let responsables = if r.category == Category::Eleve {
        responsables(r)?
    } else {
        Default::default()
    };
    if family_name.is_empty() {
        return Err(at(r, format!("{} sans nom (sn)", r.id)));
    }
    Ok(DesiredPerson {
        jointure,
        profile,
        given_name: first_name_case(r.first("givenName").unwrap_or_default()),
        family_name,
        email: r.first("mail").map(str::to_owned),
        birth_date: r.first("ENTPersonDateNaissance").and_then(date),
        classes: classes(r, "ENTEleveClasses")?,
        groups: groups(r, "ENTEleveGroupes")?,
        responsables: responsables.0,
        in_charge: responsables.1,
        teachings: teachings(r, subjects)?,
        principal_of: classes(r, "ENTAuxEnsClassesPrincipal")?,
    })
}

/// Reads the records into the desired state. Subjects and structures are read first, so the
/// order of files and records does not matter.
pub fn from_records(records: &[Record]) -> Result<Desired, FeedError> {
    let mut d = Desired::default();
    let mut subjects = BTreeMap::new();
    for r in records {
        d.categories.insert(r.category);
        match r.category {
            Category::MatiereEducNat => {
                if let Some(label) = r.first("ENTLibelleMatiere") {
                    subjects.insert(r.id.clone(), label.to_owned());
                }
            }
            Category::EtabEducNat if r.operation != Operation::Delete => {
                if let Some(uai) = r.first("ENTStructureUAI") {
                    d.uai = Some(Uai::parse(uai).map_err(|e| at(r, e.to_string()))?);
                }
                d.name = r
                    .first("ENTStructureNomCourant")
                    .unwrap_or_default()
                    .to_owned();
                d.kind = r
                    .first("ENTStructureTypeStruct")
                    .unwrap_or_default()
                    .to_owned();
                for v in r.all("ENTStructureClasses") {
                    let (code, label) = v.split_once('$').unwrap_or((v.as_str(), v.as_str()));
                    let code = ClassCode::parse(code).map_err(|e| at(r, e.to_string()))?;
                    d.classes.insert(code, label.to_owned());
                }
                for v in r.all("ENTStructureGroupes") {
                    let (code, label) = v.split_once('$').unwrap_or((v.as_str(), v.as_str()));
                    let code = GroupCode::parse(code).map_err(|e| at(r, e.to_string()))?;
                    d.groups.insert(code, label.to_owned());
                }
            }
            _ => {}
        }
    }
    for r in records {
        if !matches!(
            r.category,
            Category::Eleve | Category::PersRelEleve | Category::PersEducNat
        ) {
            continue;
        }
        let jointure = Jointure::parse(&r.id).map_err(|e| at(r, e.to_string()))?;
        match r.operation {
            Operation::Add => {
                if d.people.insert(jointure, person(r, &subjects)?).is_some() {
                    return Err(at(r, format!("{} présent deux fois dans le flux", r.id)));
                }
            }
            Operation::Modify => {
                d.modified.insert(jointure, r.clone());
            }
            Operation::Delete => {
                d.removed.insert(jointure);
            }
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::first_name_case;

    #[test]
    fn first_names_get_their_case() {
        assert_eq!(first_name_case("JEAN-PIERRE"), "Jean-Pierre");
        assert_eq!(first_name_case("MAËLYS"), "Maëlys");
        assert_eq!(first_name_case("MARIE ANNE"), "Marie Anne");
        assert_eq!(first_name_case("Éloïse"), "Éloïse");
    }
}
