//! The écoles' CSV (1er degré, no AAF nor SIECLE delivery): one line per person, the whole
//! school in one file. Columns, in any order, header required (see docs/imports.md):
//! `profil;identifiant;nom;prenom;date_naissance;classe;responsables;courriel`.
//! Separator `;` (French spreadsheets) or `,`; UTF-8, or Windows-1252 as Excel saves it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::bee::date_fr;
use super::person;
use crate::directory::{ClassCode, Jointure, Profile};
use crate::feed::FeedError;
use crate::feed::aaf::Category;
use crate::feed::desired::Desired;

/// What a teacher of an école teaches in their class.
const POLYVALENT: &str = "Enseignement polyvalent";

const REQUIRED: [&str; 4] = ["profil", "identifiant", "nom", "prenom"];
const KNOWN: [&str; 8] = [
    "profil",
    "identifiant",
    "nom",
    "prenom",
    "date_naissance",
    "classe",
    "responsables",
    "courriel",
];

fn normalize_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['é', 'è'], "e")
        .replace([' ', '-'], "_")
}

fn profile(v: &str) -> Option<Profile> {
    Some(match v.trim().to_lowercase().as_str() {
        "eleve" | "élève" => Profile::Eleve,
        "responsable" | "parent" => Profile::Responsable,
        "enseignant" => Profile::Enseignant,
        "direction" | "directeur" | "directrice" => Profile::Direction,
        "personnel" => Profile::Administratif,
        _ => return None,
    })
}

fn category(p: Profile) -> Category {
    match p {
        Profile::Eleve => Category::Eleve,
        Profile::Responsable => Category::PersRelEleve,
        _ => Category::PersEducNat,
    }
}

fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split([',', '|']).map(str::trim).filter(|s| !s.is_empty())
}

/// Reads the file into the desired state; every refusal names the line and the column.
pub fn read(path: &Path) -> Result<Desired, FeedError> {
    let name = path
        .file_name()
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let bytes = std::fs::read(path)
        .map_err(|e| FeedError::in_file(&name, None, format!("illisible : {e}")))?;
    parse(&name, &bytes)
}

pub fn parse(name: &Path, bytes: &[u8]) -> Result<Desired, FeedError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    let at = |line: u64, m: String| FeedError::in_file(name, Some(line as usize), m);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| at(1, format!("en-tête illisible : {e}")))?
        .iter()
        .map(normalize_header)
        .collect();
    for h in &headers {
        if !KNOWN.contains(&h.as_str()) {
            return Err(at(
                1,
                format!(
                    "colonne « {h} » inconnue (colonnes possibles : {})",
                    KNOWN.join(", ")
                ),
            ));
        }
    }
    for r in REQUIRED {
        if !headers.iter().any(|h| h == r) {
            return Err(at(1, format!("colonne « {r} » absente de l'en-tête")));
        }
    }
    let col = |row: &csv::StringRecord, key: &str| -> String {
        headers
            .iter()
            .position(|h| h == key)
            .and_then(|i| row.get(i))
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let mut d = Desired::default();
    let mut lines: BTreeMap<Jointure, u64> = BTreeMap::new();
    let mut wanted_parents: Vec<(Jointure, String, u64)> = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            at(line, format!("ligne mal formée : {e}"))
        })?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let p = profile(&col(&row, "profil")).ok_or_else(|| {
            at(
                line,
                format!(
                    "colonne profil : « {} » inconnu (eleve, responsable, enseignant, \
                     direction ou personnel)",
                    col(&row, "profil")
                ),
            )
        })?;
        let id = col(&row, "identifiant");
        if id.is_empty() || id.len() > 50 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(at(
                line,
                format!("colonne identifiant : « {id} » (lettres et chiffres attendus)"),
            ));
        }
        let jointure = Jointure::parse(&format!("CSV{id}")).map_err(|e| at(line, e.to_string()))?;
        let family = col(&row, "nom");
        if family.is_empty() {
            return Err(at(line, "colonne nom vide".into()));
        }
        let birth = match col(&row, "date_naissance") {
            v if v.is_empty() => None,
            v => Some(date_fr(&v).ok_or_else(|| {
                at(
                    line,
                    format!("colonne date_naissance : « {v} » (JJ/MM/AAAA attendu)"),
                )
            })?),
        };
        let email = Some(col(&row, "courriel")).filter(|e| !e.is_empty());
        let mut person = person(
            jointure.clone(),
            p,
            &col(&row, "prenom"),
            &family,
            email,
            birth,
        );
        let classes: Vec<ClassCode> = list(&col(&row, "classe"))
            .map(|c| ClassCode::parse(c).map_err(|e| at(line, format!("colonne classe : {e}"))))
            .collect::<Result<_, _>>()?;
        match p {
            Profile::Eleve => {
                let [class] = classes.as_slice() else {
                    return Err(at(
                        line,
                        format!("élève {id} : une classe et une seule attendue (colonne classe)"),
                    ));
                };
                person.classes.insert(class.clone());
                // The first listed is the main contact; every one listed gets an account.
                for (n, r) in list(&col(&row, "responsables")).enumerate() {
                    let j = Jointure::parse(&format!("CSV{r}"))
                        .map_err(|e| at(line, format!("colonne responsables : {e}")))?;
                    person
                        .responsables
                        .entry(j.clone())
                        .or_insert(if n == 0 { 1 } else { 2 });
                    wanted_parents.push((j, r.to_owned(), line));
                }
            }
            Profile::Enseignant => {
                for c in &classes {
                    person.teachings.insert((c.clone(), POLYVALENT.to_owned()));
                }
            }
            _ => {}
        }
        for c in &classes {
            d.classes
                .entry(c.clone())
                .or_insert_with(|| c.as_str().to_owned());
        }
        d.categories.insert(category(p));
        if let Some(first) = lines.insert(jointure.clone(), line) {
            return Err(at(
                line,
                format!("identifiant {id} déjà utilisé ligne {first}"),
            ));
        }
        d.people.insert(jointure, person);
    }
    for (j, id, line) in wanted_parents {
        if d.people.get(&j).map(|p| p.profile) != Some(Profile::Responsable) {
            return Err(at(
                line,
                format!("colonne responsables : {id} n'est pas un responsable du fichier"),
            ));
        }
    }
    if d.people.is_empty() {
        return Err(FeedError::in_file(
            name,
            None,
            "aucune personne dans le fichier",
        ));
    }
    let referenced: BTreeSet<Jointure> = d
        .people
        .values()
        .flat_map(|p| p.responsables.keys().cloned())
        .collect();
    for p in d.people.values() {
        if p.profile == Profile::Responsable && !referenced.contains(&p.jointure) {
            d.warnings.push(format!(
                "{} : responsable {} {} rattaché à aucun élève : pas de compte",
                name.display(),
                p.given_name,
                p.family_name
            ));
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(s: &str) -> Result<Desired, FeedError> {
        parse(Path::new("ecole.csv"), s.as_bytes())
    }

    #[test]
    fn reads_a_small_school() -> Result<(), FeedError> {
        let d = csv(
            "profil;identifiant;nom;prénom;date_naissance;classe;responsables;courriel\n\
             eleve;E1;MARTIN;Léa;12/05/2019;CP;R1;\n\
             responsable;R1;MARTIN;Paul;;;;paul@example.org\n\
             enseignant;P1;DURAND;Anne;;CP,CE1;;\n",
        )?;
        assert_eq!(d.people.len(), 3);
        assert_eq!(d.classes.len(), 2);
        let lea = d
            .people
            .values()
            .find(|p| p.family_name == "MARTIN" && p.given_name == "Léa");
        assert!(lea.is_some_and(|p| p.responsables.len() == 1 && p.birth_date.is_some()));
        Ok(())
    }

    #[test]
    fn refusals_name_line_and_column() {
        let e = csv("profil;identifiant;nom;prenom;classe\neleve;E1;A;B;CP\nprof;P1;C;D;CP\n");
        assert!(e.is_err_and(|e| e.line == Some(3) && e.message.contains("profil")));
        let e = csv("profil;identifiant;nom;prenom;classe\neleve;E1;A;B;\n");
        assert!(e.is_err_and(|e| e.line == Some(2) && e.message.contains("classe")));
        let e = csv("profil;identifiant;nom;prenom;age\n");
        assert!(e.is_err_and(|e| e.line == Some(1) && e.message.contains("age")));
        let e = csv("profil;identifiant;nom;prenom;classe;responsables\neleve;E1;A;B;CP;R9\n");
        assert!(e.is_err_and(|e| e.message.contains("R9")));
        let e = csv("profil;identifiant;nom;prenom;classe\neleve;E1;A;B;CP\neleve;E1;C;D;CP\n");
        assert!(e.is_err_and(|e| e.message.contains("déjà utilisé ligne 2")));
    }

    #[test]
    fn excel_latin1_is_read() -> Result<(), FeedError> {
        let bytes = b"profil;identifiant;nom;prenom;classe\neleve;E1;H\xc9RON;Zo\xe9;CP\n";
        let d = parse(Path::new("e.csv"), bytes)?;
        assert!(
            d.people
                .values()
                .any(|p| p.family_name == "HÉRON" && p.given_name == "Zoé")
        );
        Ok(())
    }
}
