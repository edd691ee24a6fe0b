//! The five GAR-ENT flows (schema version 1.7), built from the annuaire and the teaching facts
//! the AAF import kept: the établissement with its MEF and subjects, the pupils, the teachers and
//! documentalistes, the divisions and groups with who is in them and who teaches what, the
//! assignment managers. Only what the schema asks for leaves: no address, no parent, no phone;
//! a pupil's birth date (the GAR uses it to tell homonyms apart).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::directory::{ClassRef, GroupKind, GroupRef, Person, Profile, Relations};
use crate::store::KeptPedagogy;

pub const NAMESPACE: &str = "http://data.education.fr/ns/gar";
pub const VERSION: &str = "1.7";

/// Longest identifier the schema accepts (`GARPersonIdentifiantType`).
const MAX_ID: usize = 64;
/// Longest code and label of a MEF, subject or group.
const MAX_CODE: usize = 255;
/// Longest name (`GARPersonNomType`…).
const MAX_NAME: usize = 500;

/// One element of a flow, with what identifies it across exports (for the dry run's diff)
/// and how to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub element: &'static str,
    pub key: String,
    pub label: String,
    pub xml: String,
}

/// One flow: its file's name part (`Eleve`), its root element, its elements in schema order.
#[derive(Debug, Clone)]
pub struct Flow {
    pub name: &'static str,
    pub root: &'static str,
    pub entries: Vec<Entry>,
}

impl Flow {
    /// The flow as its XML file.
    pub fn document(&self) -> String {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{} xmlns=\"{NAMESPACE}\" Version=\"{VERSION}\">\n",
            self.root
        );
        for e in &self.entries {
            out.push_str("  ");
            out.push_str(&e.xml);
            out.push('\n');
        }
        let _ = writeln!(out, "</{}>", self.root);
        out
    }
}

/// A person of the établissement as the export needs them.
#[derive(Debug, Clone)]
pub struct Member {
    pub person: Person,
    pub relations: Relations,
}

/// What the flows are built from.
pub struct Input<'a> {
    pub uai: &'a str,
    pub name: &'a str,
    pub pupils: &'a [Member],
    /// Teachers and documentalistes.
    pub teachers: &'a [Member],
    pub classes: &'a [ClassRef],
    pub groups: &'a [GroupRef],
    pub pedagogy: &'a KeptPedagogy,
    /// Members of the assignment managers' group.
    pub managers: &'a [Person],
}

/// An element with text children, in order; empty values are left out.
struct Element {
    name: &'static str,
    xml: String,
}

impl Element {
    fn new(name: &'static str) -> Self {
        Element {
            name,
            xml: format!("<{name}>"),
        }
    }

    fn text(mut self, name: &str, value: &str) -> Self {
        if !value.is_empty() {
            let _ = write!(self.xml, "<{name}>{}</{name}>", escape(value));
        }
        self
    }

    fn texts<'v>(self, name: &str, values: impl IntoIterator<Item = &'v str>) -> Self {
        values.into_iter().fold(self, |e, v| e.text(name, v))
    }

    fn child(mut self, inner: Element) -> Self {
        self.xml.push_str(&inner.done());
        self
    }

    fn done(mut self) -> String {
        let _ = write!(self.xml, "</{}>", self.name);
        self.xml
    }

    fn entry(self, key: String, label: String) -> Entry {
        Entry {
            element: self.name,
            key,
            label,
            xml: self.done(),
        }
    }
}

fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The GAR's name of a profile.
fn gar_profile(p: Profile) -> &'static str {
    match p {
        Profile::Eleve => "National_elv",
        Profile::Documentaliste => "National_doc",
        _ => "National_ens",
    }
}

fn who(m: &Member) -> String {
    format!("{} {}", m.person.given_name, m.person.family_name)
}

/// The identity part common to pupils and teachers (`GARIdentite`), then the établissement.
fn identity(
    name: &'static str,
    id: &str,
    m: &Member,
    uai: &str,
    civilite: Option<&str>,
) -> Element {
    let profils = Element::new("GARPersonProfils")
        .text("GARStructureUAI", uai)
        .text("GARPersonProfil", gar_profile(m.person.profile));
    Element::new(name)
        .text("GARPersonIdentifiant", id)
        .child(profils)
        .text("GARPersonNom", &cut(&m.person.family_name, MAX_NAME))
        .text("GARPersonPrenom", &cut(&m.person.given_name, MAX_NAME))
        .text(
            "GARPersonAutresPrenoms",
            &cut(&m.person.given_name, MAX_NAME),
        )
        .text("GARPersonCivilite", &cut(civilite.unwrap_or(""), 30))
        .text("GARPersonStructRattach", uai)
        .text("GARPersonEtab", uai)
}

/// The jointure of a member the GAR can know: from the académie's feed, and not too long.
fn gar_id(m: &Member, warnings: &mut Vec<String>) -> Option<String> {
    let j = m.person.jointure.as_ref()?.to_string();
    if j.chars().count() > MAX_ID {
        warnings.push(crate::messages::gar_id_too_long(m.person.login.as_str()));
        return None;
    }
    Some(j)
}

/// The five flows, and what was left out and why.
pub fn build(input: &Input<'_>) -> (Vec<Flow>, Vec<String>) {
    let mut warnings = Vec::new();
    let uai = input.uai;
    let kept = input.pedagogy;
    let class_label: BTreeMap<&str, &str> = input
        .classes
        .iter()
        .map(|c| (c.code.as_str(), c.label.as_str()))
        .collect();
    let groups: Vec<&GroupRef> = input
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Groupe)
        .collect();
    let group_label: BTreeMap<&str, &str> = groups
        .iter()
        .map(|g| (g.code.as_str(), g.label.as_str()))
        .collect();

    // Pupils.
    let mut eleves = Vec::new();
    let mut mefs_used = BTreeSet::new();
    let mut subjects_used = BTreeSet::new();
    let mut person_groups = Vec::new();
    for m in input.pupils {
        let Some(id) = gar_id(m, &mut warnings) else {
            continue;
        };
        let facts = kept.people.get(&id).cloned().unwrap_or_default();
        let birth = m
            .person
            .birth_date
            .map(crate::dates::iso)
            .unwrap_or_default();
        eleves.push(
            identity("GAREleve", &id, m, uai, facts.civilite.as_deref())
                .text("GARPersonDateNaissance", &birth)
                .entry(id.clone(), crate::messages::gar_pupil(&who(m))),
        );
        if let Some(mef) = &facts.mef {
            mefs_used.insert(mef.clone());
            eleves.push(
                Element::new("GARPersonMEF")
                    .text("GARStructureUAI", uai)
                    .text("GARPersonIdentifiant", &id)
                    .text("GARMEFCode", mef)
                    .entry(
                        format!("{id} {mef}"),
                        crate::messages::gar_in(&who(m), kept.mefs.get(mef).unwrap_or(mef)),
                    ),
            );
        }
        for s in &facts.subjects {
            subjects_used.insert(s.clone());
            eleves.push(
                Element::new("GAREleveEnseignement")
                    .text("GARStructureUAI", uai)
                    .text("GARPersonIdentifiant", &id)
                    .text("GARMatiereCode", s)
                    .entry(
                        format!("{id} {s}"),
                        crate::messages::gar_in(&who(m), kept.subjects.get(s).unwrap_or(s)),
                    ),
            );
        }
        let codes = m
            .relations
            .classes
            .iter()
            .map(|c| (c.code.to_string(), c.label.clone()))
            .chain(
                m.relations
                    .groups
                    .iter()
                    .filter(|g| group_label.contains_key(g.code.as_str()))
                    .map(|g| (g.code.to_string(), g.label.clone())),
            );
        for (code, label) in codes {
            person_groups.push(
                Element::new("GARPersonGroupe")
                    .text("GARStructureUAI", uai)
                    .text("GARPersonIdentifiant", &id)
                    .text("GARGroupeCode", &code)
                    .entry(
                        format!("{id} {code}"),
                        crate::messages::gar_in(&who(m), &label),
                    ),
            );
        }
    }
    // Order by element, as the schema's sequence wants.
    eleves.sort_by_key(|e| element_rank(e.element));

    // Teachers and documentalistes.
    let mut enseignants = Vec::new();
    let mut class_subjects = Vec::new();
    let mut group_subjects = Vec::new();
    for m in input.teachers {
        let Some(id) = gar_id(m, &mut warnings) else {
            continue;
        };
        let facts = kept.people.get(&id).cloned().unwrap_or_default();
        let mut e = identity("GAREnseignant", &id, m, uai, facts.civilite.as_deref());
        if !facts.disciplines.is_empty() {
            e = e.child(
                Element::new("GAREnsDisciplinesPostes")
                    .text("GARStructureUAI", uai)
                    .texts(
                        "GAREnsDisciplinePosteCode",
                        facts.disciplines.iter().map(String::as_str),
                    ),
            );
        }
        let mail = m.person.email.as_deref().map(|s| cut(s, MAX_CODE));
        enseignants.push(
            e.text("GARPersonMail", mail.as_deref().unwrap_or(""))
                .entry(id.clone(), crate::messages::gar_teacher(&who(m))),
        );
        for (place, pairs, labels, out, element) in [
            (
                "classe",
                &facts.class_subjects,
                &class_label,
                &mut class_subjects,
                "GAREnsClasseMatiere",
            ),
            (
                "groupe",
                &facts.group_subjects,
                &group_label,
                &mut group_subjects,
                "GAREnsGroupeMatiere",
            ),
        ] {
            let mut by_place: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (code, subject) in pairs {
                if labels.contains_key(code.as_str()) {
                    by_place.entry(code).or_default().push(subject);
                }
            }
            for (code, subjects) in by_place {
                subjects_used.extend(subjects.iter().map(|s| (*s).to_owned()));
                let named: Vec<&str> = subjects
                    .iter()
                    .map(|s| kept.subjects.get(*s).map_or(*s, String::as_str))
                    .collect();
                let e = Element::new(element)
                    .text("GARStructureUAI", uai)
                    .text("GARPersonIdentifiant", &id)
                    .text("GARGroupeCode", code)
                    .texts("GARMatiereCode", subjects.iter().copied());
                let label = crate::messages::gar_teaches(
                    &who(m),
                    &named.join(", "),
                    labels.get(code).copied().unwrap_or(code),
                );
                out.push(e.entry(format!("{id} {place} {code}"), label));
            }
        }
    }

    // Divisions and groups.
    let mut groupe = Vec::new();
    for c in input.classes {
        groupe.push(
            Element::new("GARGroupe")
                .text("GARGroupeCode", &cut(c.code.as_str(), MAX_CODE))
                .text("GARStructureUAI", uai)
                .text("GARGroupeLibelle", &cut(&c.label, MAX_CODE))
                .text("GARGroupeStatut", "DIVISION")
                .entry(c.code.to_string(), crate::messages::gar_division(&c.label)),
        );
    }
    for g in &groups {
        groupe.push(
            Element::new("GARGroupe")
                .text("GARGroupeCode", &cut(g.code.as_str(), MAX_CODE))
                .text("GARStructureUAI", uai)
                .text("GARGroupeLibelle", &cut(&g.label, MAX_CODE))
                .text("GARGroupeStatut", "GROUPE")
                .entry(g.code.to_string(), crate::messages::gar_group(&g.label)),
        );
    }
    groupe.extend(person_groups);
    groupe.extend(group_subjects);
    groupe.extend(class_subjects);

    // The établissement, its MEF and subjects (those named, labelled if the feed did).
    let mut etab = vec![
        Element::new("GAREtab")
            .text("GARStructureUAI", uai)
            .text("GARStructureNomCourant", &cut(input.name, MAX_NAME))
            .entry(uai.to_owned(), crate::messages::gar_etab(input.name)),
    ];
    for code in kept
        .mefs
        .keys()
        .cloned()
        .chain(mefs_used)
        .collect::<BTreeSet<_>>()
    {
        let label = kept
            .mefs
            .get(&code)
            .cloned()
            .unwrap_or_else(|| code.clone());
        etab.push(
            Element::new("GARMEF")
                .text("GARStructureUAI", uai)
                .text("GARMEFCode", &cut(&code, MAX_CODE))
                .text("GARMEFLibelle", &cut(&label, MAX_CODE))
                .entry(code, crate::messages::gar_mef(&label)),
        );
    }
    let subjects: BTreeSet<String> = kept.subjects.keys().cloned().chain(subjects_used).collect();
    for code in subjects {
        let label = kept
            .subjects
            .get(&code)
            .cloned()
            .unwrap_or_else(|| code.clone());
        etab.push(
            Element::new("GARMatiere")
                .text("GARStructureUAI", uai)
                .text("GARMatiereCode", &cut(&code, MAX_CODE))
                .text("GARMatiereLibelle", &cut(&label, MAX_CODE))
                .entry(code, crate::messages::gar_subject(&label)),
        );
    }

    // The assignment managers: the GAR writes to them, so an address is required.
    let mut resp = Vec::new();
    for p in input.managers {
        let (Some(j), Some(mail)) = (&p.jointure, &p.email) else {
            warnings.push(crate::messages::gar_manager_left_out(&p.display_name()));
            continue;
        };
        let id = j.to_string();
        resp.push(
            Element::new("GARRespAff")
                .text("GARPersonIdentifiant", &id)
                .text("GARPersonNom", &cut(&p.family_name, MAX_NAME))
                .text("GARPersonPrenom", &cut(&p.given_name, MAX_NAME))
                .text("GARPersonMail", &cut(mail, MAX_CODE))
                .text("GARRespAffEtab", uai)
                .entry(id, crate::messages::gar_manager(&p.display_name())),
        );
    }

    let flows = vec![
        Flow {
            name: "Etab",
            root: "GAR-ENT-Etab",
            entries: etab,
        },
        Flow {
            name: "Eleve",
            root: "GAR-ENT-Eleve",
            entries: eleves,
        },
        Flow {
            name: "Enseignant",
            root: "GAR-ENT-Enseignant",
            entries: enseignants,
        },
        Flow {
            name: "Groupe",
            root: "GAR-ENT-Groupe",
            entries: groupe,
        },
        Flow {
            name: "RespAff",
            root: "GAR-ENT-RespAff",
            entries: resp,
        },
    ];
    (flows, warnings)
}

/// Where an element of the pupils' flow comes in its sequence.
fn element_rank(element: &str) -> u8 {
    match element {
        "GAREleve" => 0,
        "GARPersonMEF" => 1,
        _ => 2,
    }
}
