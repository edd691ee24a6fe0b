//! Schools without an AAF delivery: the SIECLE exports (pupils, responsables, structures,
//! nomenclature), the STS-web export (staff, services, professeurs principaux), and the écoles'
//! CSV. Each becomes the same desired state as the AAF feed, planned and applied by the same
//! import. Files are recognised by their content (root element), not their names, and may
//! come zipped as SIECLE hands them out.

mod bee;
pub mod ecole_csv;
mod sts;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::FeedError;
use super::aaf::Category;
use super::desired::{Desired, DesiredPerson, first_name_case};
use super::xml::{Element, parse_tree};
use crate::directory::{ClassCode, GroupCode, Jointure, Profile, Uai};

pub use bee::date_fr;

/// Largest XML accepted from inside a zip: the biggest lycée's export is a few tens of MB.
const MAX_UNZIPPED: u64 = 256 * 1024 * 1024;

/// A SIECLE / STS-web delivery, read and checked.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub uai: String,
    pub files: Vec<PathBuf>,
    pub desired: Desired,
}

/// The export a file holds, from its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Eleves,
    Responsables,
    Structures,
    Nomenclature,
    Sts,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Eleves => "ElevesSansAdresses.xml (ou ElevesAvecAdresses.xml)",
            Kind::Responsables => "ResponsablesAvecAdresses.xml",
            Kind::Structures => "Structures.xml",
            Kind::Nomenclature => "Nomenclature.xml",
            Kind::Sts => "sts_emp_<UAI>_<année>.xml",
        }
    }
}

fn file_err(path: &Path, message: impl Into<String>) -> FeedError {
    FeedError::in_file(
        path.file_name().map(PathBuf::from).unwrap_or_default(),
        None,
        message,
    )
}

/// The one XML file inside a zip (dot files and `__MACOSX` left aside).
fn unzip(path: &Path) -> Result<Vec<u8>, FeedError> {
    let f = std::fs::File::open(path).map_err(|e| file_err(path, format!("illisible : {e}")))?;
    let mut archive = zip::ZipArchive::new(f)
        .map_err(|e| file_err(path, format!("archive zip illisible : {e}")))?;
    let mut names: Vec<String> = Vec::new();
    for n in archive.file_names() {
        let n = n.map_err(|e| file_err(path, format!("archive zip illisible : {e}")))?;
        let base = n.rsplit('/').next().unwrap_or(&n);
        if n.to_ascii_lowercase().ends_with(".xml")
            && !n.starts_with("__MACOSX")
            && !base.starts_with('.')
        {
            names.push(n.into_owned());
        }
    }
    let [name] = names.as_slice() else {
        return Err(file_err(
            path,
            format!(
                "l'archive doit contenir exactement un fichier XML ({} trouvés)",
                names.len()
            ),
        ));
    };
    let entry = archive
        .by_name(name)
        .map_err(|e| file_err(path, format!("{name} : {e}")))?;
    let mut bytes = Vec::new();
    entry
        .take(MAX_UNZIPPED + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_err(path, format!("{name} : décompression impossible : {e}")))?;
    if bytes.len() as u64 > MAX_UNZIPPED {
        return Err(file_err(
            path,
            format!(
                "{name} dépasse {} Mo une fois décompressé",
                MAX_UNZIPPED >> 20
            ),
        ));
    }
    Ok(bytes)
}

fn classify(name: &Path, root: &Element) -> Result<Kind, FeedError> {
    let at = |m: String| FeedError::in_file(name, Some(root.line), m);
    match root.name.as_str() {
        "BEE_ELEVES" => Ok(Kind::Eleves),
        "BEE_RESPONSABLES" => Ok(Kind::Responsables),
        "BEE_STRUCTURES" => Ok(Kind::Structures),
        "BEE_NOMENCLATURES" => Ok(Kind::Nomenclature),
        "STS_EDT" => Ok(Kind::Sts),
        "EDT_STS" => Err(at(
            "c'est l'export de l'emploi du temps vers STS (EDT_STS), pas l'export STS-web : \
             prenez sts_emp_<UAI>_<année>.xml dans STS-web"
                .into(),
        )),
        "ficAlimMENESR" => Err(at(
            "c'est un fichier du flux AAF : importez-le avec « cartabled import aaf »".into(),
        )),
        other => Err(at(format!(
            "élément racine <{other}> : ni un export SIECLE (BEE_…) ni STS-web (STS_EDT) \
             — page d'erreur à la place du fichier ?"
        ))),
    }
}

/// `PARAMETRES/UAJ`: text in SIECLE, `@CODE` in STS.
fn uai_of(name: &Path, kind: Kind, root: &Element) -> Result<String, FeedError> {
    let params = root
        .child("PARAMETRES")
        .ok_or_else(|| FeedError::in_file(name, Some(root.line), "élément <PARAMETRES> absent"))?;
    let uaj = params.child("UAJ");
    let v = match kind {
        Kind::Sts => uaj.and_then(|u| u.attr("CODE")),
        _ => uaj.map(|u| u.text.as_str()).filter(|t| !t.is_empty()),
    };
    v.map(str::to_owned)
        .ok_or_else(|| FeedError::in_file(name, Some(params.line), "PARAMETRES/UAJ (l'UAI) absent"))
}

fn year_of(kind: Kind, root: &Element) -> Option<i32> {
    let a = root.child("PARAMETRES")?.child("ANNEE_SCOLAIRE")?;
    match kind {
        Kind::Sts => a.attr("ANNEE")?.parse().ok(),
        _ => a.text.parse().ok(),
    }
}

/// Division and group codes may hold `/` (« 3/1 »), which no directory name should.
fn code(s: &str) -> String {
    s.trim().replace('/', "-")
}

/// Reads every export in `dir` (`.xml` or `.zip`); nothing is returned unless all is sound.
pub fn read_dir(
    dir: &Path,
    expected_uai: Option<&Uai>,
    today: time::Date,
) -> Result<Delivery, FeedError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        FeedError::new(format!(
            "impossible de lire le dossier {} : {e}",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| FeedError::new(format!("{}: {e}", dir.display())))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if !name.starts_with('.') && (lower.ends_with(".xml") || lower.ends_with(".zip")) {
            paths.push(path);
        }
    }
    paths.sort();
    let mut files = Vec::new();
    for path in &paths {
        let short = path.file_name().map(PathBuf::from).unwrap_or_default();
        let bytes = if short
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".zip")
        {
            unzip(path)?
        } else {
            std::fs::read(path).map_err(|e| file_err(path, format!("illisible : {e}")))?
        };
        files.push((short, bytes));
    }
    let mut delivery = read_files(&files, expected_uai, today).map_err(|e| {
        if e.file.is_none() {
            FeedError::new(format!("{} ({})", e.message, dir.display()))
        } else {
            e
        }
    })?;
    delivery.files = paths;
    Ok(delivery)
}

/// Reads a delivery given as (file name, content) pairs; `files` in the result are the names.
pub fn read_files(
    files: &[(PathBuf, Vec<u8>)],
    expected_uai: Option<&Uai>,
    today: time::Date,
) -> Result<Delivery, FeedError> {
    let mut found: BTreeMap<Kind, (PathBuf, Element)> = BTreeMap::new();
    let mut uai: Option<(String, PathBuf)> = None;
    let mut warnings = Vec::new();
    let rentree = if today.month() as u8 >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    for (short, bytes) in files {
        let short = short.clone();
        let root = parse_tree(&short, bytes, "SIECLE ou STS-web")?;
        let kind = classify(&short, &root)?;
        let file_uai = uai_of(&short, kind, &root)?;
        if let Some(expected) = expected_uai
            && expected.as_str() != file_uai
        {
            return Err(FeedError::in_file(
                &short,
                None,
                format!("export de l'établissement {file_uai}, ce serveur sert {expected}"),
            ));
        }
        match &uai {
            Some((u, other)) if *u != file_uai => {
                return Err(FeedError::in_file(
                    &short,
                    None,
                    format!(
                        "UAI {file_uai} différent de {u} ({}) dans la même livraison",
                        other.display()
                    ),
                ));
            }
            _ => uai = Some((file_uai, short.clone())),
        }
        if let Some(y) = year_of(kind, &root)
            && y != rentree
        {
            warnings.push(format!(
                "{} : année scolaire {y}-{} alors que nous sommes en {rentree}-{} \
                 (bascule de SIECLE/STS pas encore faite ?)",
                short.display(),
                y + 1,
                rentree + 1
            ));
        }
        if let Some((other, _)) = found.get(&kind) {
            return Err(FeedError::in_file(
                &short,
                None,
                format!(
                    "deux exports {} dans la livraison (avec {})",
                    kind.label(),
                    other.display()
                ),
            ));
        }
        found.insert(kind, (short, root));
    }
    let Some((uai, _)) = uai else {
        return Err(FeedError::new(
            "aucun export SIECLE ni STS-web (.xml ou .zip) dans la livraison",
        ));
    };
    match (
        found.contains_key(&Kind::Eleves),
        found.contains_key(&Kind::Responsables),
    ) {
        (true, false) | (false, true) => {
            let (have, missing) = if found.contains_key(&Kind::Eleves) {
                (Kind::Eleves, Kind::Responsables)
            } else {
                (Kind::Responsables, Kind::Eleves)
            };
            return Err(FeedError::new(format!(
                "{} sans {} : les deux exports vont ensemble (sinon les liens entre élèves et \
                 parents seraient perdus)",
                have.label(),
                missing.label()
            )));
        }
        _ => {}
    }
    if !found.contains_key(&Kind::Eleves) && !found.contains_key(&Kind::Sts) {
        return Err(FeedError::new(
            "ni élèves (ElevesSansAdresses.xml + ResponsablesAvecAdresses.xml) ni personnels \
             (sts_emp_<UAI>_<année>.xml) dans la livraison : rien à importer",
        ));
    }
    let mut desired = build(&found, today, &mut warnings)?;
    desired.warnings = warnings;
    Ok(Delivery {
        uai,
        files: files.iter().map(|(n, _)| n.clone()).collect(),
        desired,
    })
}

fn parse_class(file: &Path, line: usize, s: &str) -> Result<ClassCode, FeedError> {
    ClassCode::parse(&code(s)).map_err(|e| FeedError::in_file(file, Some(line), e.to_string()))
}

fn parse_group(file: &Path, line: usize, s: &str) -> Result<GroupCode, FeedError> {
    GroupCode::parse(&code(s)).map_err(|e| FeedError::in_file(file, Some(line), e.to_string()))
}

fn jointure(prefix: &str, id: &str) -> Result<Jointure, FeedError> {
    Jointure::parse(&format!("{prefix}{id}")).map_err(|e| FeedError::new(e.to_string()))
}

/// Profile of a member of staff from the STS `FONCTION`.
fn staff_profile(fonction: &str) -> Profile {
    match fonction {
        "ENS" => Profile::Enseignant,
        "DIR" => Profile::Direction,
        "EDU" | "AED" | "SUR" => Profile::VieScolaire,
        "DOC" => Profile::Documentaliste,
        _ => Profile::Administratif,
    }
}

fn person(
    jointure: Jointure,
    profile: Profile,
    given: &str,
    family: &str,
    email: Option<String>,
    birth_date: Option<time::Date>,
) -> DesiredPerson {
    DesiredPerson {
        jointure,
        profile,
        given_name: first_name_case(given),
        family_name: family.to_owned(),
        email,
        birth_date,
        classes: BTreeSet::new(),
        groups: BTreeSet::new(),
        responsables: BTreeMap::new(),
        in_charge: BTreeSet::new(),
        teachings: BTreeSet::new(),
        principal_of: BTreeSet::new(),
    }
}

/// The desired state from the exports found; the order of the files does not matter.
fn build(
    found: &BTreeMap<Kind, (PathBuf, Element)>,
    today: time::Date,
    warnings: &mut Vec<String>,
) -> Result<Desired, FeedError> {
    let mut d = Desired::default();
    let mut subjects = BTreeMap::new();
    // Group → the classes it draws from.
    let mut group_classes: BTreeMap<GroupCode, BTreeSet<ClassCode>> = BTreeMap::new();
    let mut add_structures = |d: &mut Desired,
                              file: &Path,
                              list: Vec<(bee::Structure, bool)>|
     -> Result<(), FeedError> {
        for (s, is_class) in list {
            if is_class {
                let c = parse_class(file, s.line, &s.code)?;
                d.classes.entry(c).or_insert(s.label);
            } else {
                let g = parse_group(file, s.line, &s.code)?;
                let set = group_classes.entry(g.clone()).or_default();
                for c in &s.divisions {
                    set.insert(parse_class(file, s.line, c)?);
                }
                d.groups.entry(g).or_insert(s.label);
            }
        }
        Ok(())
    };
    if let Some((file, root)) = found.get(&Kind::Structures) {
        add_structures(&mut d, file, bee::structures(file, root)?)?;
    }
    if let Some((file, root)) = found.get(&Kind::Nomenclature) {
        subjects.extend(bee::nomenclature(file, root)?);
    }
    let sts = match found.get(&Kind::Sts) {
        Some((file, root)) => {
            let s = sts::read(file, root)?;
            add_structures(&mut d, file, s.structures.clone())?;
            // STS labels its own subjects; SIECLE's nomenclature fills the gaps.
            for (k, v) in &s.subjects {
                subjects.insert(k.clone(), v.clone());
            }
            if let Some(t) = root.child("PARAMETRES").and_then(|p| p.child("UAJ")) {
                let name = [t.text_of("DENOM_PRINC"), t.text_of("DENOM_COMPL")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                d.name = name;
                d.kind = t.text_of("SIGLE").unwrap_or_default().to_owned();
            }
            Some((file.clone(), s))
        }
        None => None,
    };

    if let (Some((efile, eroot)), Some((rfile, rroot))) =
        (found.get(&Kind::Eleves), found.get(&Kind::Responsables))
    {
        d.categories.insert(Category::Eleve);
        d.categories.insert(Category::PersRelEleve);
        let mut active = BTreeSet::new();
        let mut ines: BTreeMap<String, String> = BTreeMap::new();
        for e in bee::eleves(efile, eroot)? {
            let Some(division) = e.divisions.last() else {
                continue; // not placed in a class yet, or a past pupil
            };
            if division == "Inactifs" || e.left_on.is_some_and(|d| d <= today) {
                continue;
            }
            if e.divisions.len() > 1 {
                warnings.push(format!(
                    "{}, ligne {} : élève {} dans plusieurs divisions ({}), {} retenue",
                    efile.display(),
                    e.line,
                    e.id,
                    e.divisions.join(", "),
                    division
                ));
            }
            let j = jointure("SIECLE", &e.id)?;
            let mut p = person(
                j.clone(),
                Profile::Eleve,
                &e.given_name,
                &e.family_name,
                e.email.clone(),
                e.birth_date,
            );
            let class = parse_class(efile, e.line, division)?;
            d.classes
                .entry(class.clone())
                .or_insert_with(|| class.as_str().to_owned());
            p.classes.insert(class);
            for g in &e.groupes {
                let g = parse_group(efile, e.line, g)?;
                d.groups
                    .entry(g.clone())
                    .or_insert_with(|| g.as_str().to_owned());
                p.groups.insert(g);
            }
            if let Some(ine) = &e.ine
                && let Some(other) = ines.insert(ine.clone(), e.id.clone())
            {
                warnings.push(format!(
                    "{}, ligne {} : INE {ine} partagé par les élèves {other} et {} : \
                     à corriger dans SIECLE",
                    efile.display(),
                    e.line,
                    e.id
                ));
            }
            active.insert(e.id.clone());
            d.people.insert(j, p);
        }
        let (personnes, liens) = bee::responsables(rfile, rroot)?;
        let known: BTreeMap<&str, &bee::Personne> =
            personnes.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut wanted = BTreeSet::new();
        for l in &liens {
            if !active.contains(&l.eleve) {
                continue; // a past pupil's family
            }
            if !known.contains_key(l.personne.as_str()) {
                return Err(FeedError::in_file(
                    rfile,
                    Some(l.line),
                    format!("lien vers la personne {}, absente du fichier", l.personne),
                ));
            }
            let pupil = jointure("SIECLE", &l.eleve)?;
            let parent = jointure("SIECLEP", &l.personne)?;
            let Some(p) = d.people.get_mut(&pupil) else {
                continue;
            };
            match l.tie {
                bee::Tie::Legal(level) => {
                    p.responsables.insert(parent, level);
                }
                bee::Tie::InCharge => {
                    p.in_charge.insert(parent);
                }
                bee::Tie::Contact => {
                    warnings.push(format!(
                        "{}, ligne {} : {} est une personne à contacter pour {} {}, pas un \
                         responsable : pas de compte",
                        rfile.display(),
                        l.line,
                        l.personne,
                        p.given_name,
                        p.family_name
                    ));
                    continue;
                }
            }
            wanted.insert(l.personne.as_str());
        }
        for id in wanted {
            if let Some(p) = known.get(id) {
                let j = jointure("SIECLEP", &p.id)?;
                d.people.insert(
                    j.clone(),
                    person(
                        j,
                        Profile::Responsable,
                        &p.given_name,
                        &p.family_name,
                        p.email.clone(),
                        None,
                    ),
                );
            }
        }
    }

    if let Some((file, s)) = sts {
        d.categories.insert(Category::PersEducNat);
        let mut staff: BTreeMap<String, DesiredPerson> = BTreeMap::new();
        for i in &s.individus {
            let j = jointure("STS", &i.id)?;
            let mut p = person(
                j,
                staff_profile(&i.fonction),
                &i.given_name,
                &i.family_name,
                None,
                i.birth_date,
            );
            for (c, end) in &i.principal_of {
                if end.is_none_or(|e| e >= today) {
                    p.principal_of.insert(parse_class(&file, i.line, c)?);
                }
            }
            if staff.insert(i.id.clone(), p).is_some() {
                return Err(FeedError::in_file(
                    &file,
                    Some(i.line),
                    format!("individu {} en double", i.id),
                ));
            }
        }
        if s.services.is_empty() {
            d.keep_teachings = true;
            warnings.push(format!(
                "{} : aucun service d'enseignement (emploi du temps pas encore remonté dans \
                 STS ?) : les équipes pédagogiques actuelles sont gardées",
                file.display()
            ));
        }
        for sv in &s.services {
            let label = subjects
                .get(&sv.subject)
                .cloned()
                .unwrap_or_else(|| sv.subject.clone());
            for t in &sv.teachers {
                let Some(p) = staff.get_mut(t) else {
                    warnings.push(format!(
                        "{} : service {} de {} confié à l'individu {t}, absent du fichier : ignoré",
                        file.display(),
                        sv.subject,
                        sv.structure
                    ));
                    continue;
                };
                if sv.is_class {
                    p.teachings
                        .insert((parse_class(&file, sv.line, &sv.structure)?, label.clone()));
                } else {
                    let g = parse_group(&file, sv.line, &sv.structure)?;
                    for c in group_classes.get(&g).into_iter().flatten() {
                        p.teachings.insert((c.clone(), label.clone()));
                    }
                    p.groups.insert(g);
                }
            }
        }
        for p in staff.into_values() {
            d.people.insert(p.jointure.clone(), p);
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_codes_lose_their_slash() {
        assert_eq!(code(" 3/1 "), "3-1");
    }

    #[test]
    fn staff_functions_map_to_profiles() {
        assert_eq!(staff_profile("ENS"), Profile::Enseignant);
        assert_eq!(staff_profile("DIR"), Profile::Direction);
        assert_eq!(staff_profile("EDU"), Profile::VieScolaire);
        assert_eq!(staff_profile("DOC"), Profile::Documentaliste);
        assert_eq!(staff_profile("ADF"), Profile::Administratif);
    }
}
