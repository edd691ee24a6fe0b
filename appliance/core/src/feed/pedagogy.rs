//! What an AAF delivery says of teaching that the annuaire itself does not hold, kept for the
//! GAR export: the MEF (formations) and subjects by code, each pupil's MEF and subjects, each
//! teacher's subjects per class and group, civilités and disciplines de poste.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::aaf::{Category, Operation, Record};

/// One person's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFacts {
    /// `personalTitle`: « M. », « Mme ».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civilite: Option<String>,
    /// A pupil's MEF code (`ENTEleveMEF`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mef: Option<String>,
    /// A pupil's subject codes (`ENTEleveCodeEnseignements`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub subjects: BTreeSet<String>,
    /// A teacher's (class code, subject code) (`ENTAuxEnsClassesMatieres`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub class_subjects: BTreeSet<(String, String)>,
    /// A teacher's (group code, subject code) (`ENTAuxEnsGroupesMatieres`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub group_subjects: BTreeSet<(String, String)>,
    /// Disciplines de poste (`ENTPersonFonctions`' fourth field: `L1600`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub disciplines: BTreeSet<String>,
}

/// What one delivery says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pedagogy {
    /// MEF code → label.
    pub mefs: BTreeMap<String, String>,
    /// Subject code → label.
    pub subjects: BTreeMap<String, String>,
    /// Facts of the people added or modified, by jointure.
    pub people: BTreeMap<String, PersonFacts>,
    /// Jointures deleted.
    pub removed: BTreeSet<String>,
}

/// `structure$a$b` → (a, b).
fn pair(v: &str) -> Option<(String, String)> {
    let f: Vec<&str> = v.split('$').collect();
    match f.as_slice() {
        [_, a, b, ..] if !a.is_empty() && !b.is_empty() => Some(((*a).to_owned(), (*b).to_owned())),
        _ => None,
    }
}

impl PersonFacts {
    fn from_record(r: &Record) -> Self {
        PersonFacts {
            civilite: r.first("personalTitle").map(str::to_owned),
            mef: r.first("ENTEleveMEF").map(str::to_owned),
            subjects: r
                .all("ENTEleveCodeEnseignements")
                .iter()
                .map(|s| s.rsplit('$').next().unwrap_or(s).to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            class_subjects: r
                .all("ENTAuxEnsClassesMatieres")
                .iter()
                .filter_map(|v| pair(v))
                .collect(),
            group_subjects: r
                .all("ENTAuxEnsGroupesMatieres")
                .iter()
                .filter_map(|v| pair(v))
                .collect(),
            disciplines: r
                .all("ENTPersonFonctions")
                .iter()
                .filter_map(|v| v.split('$').nth(3))
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// `self` with what a `modifyRequest` replaces (the attributes it names).
    fn modified_by(mut self, r: &Record) -> Self {
        let new = Self::from_record(r);
        let has = |k: &str| r.attrs.contains_key(k);
        if has("personalTitle") {
            self.civilite = new.civilite;
        }
        if has("ENTEleveMEF") {
            self.mef = new.mef;
        }
        if has("ENTEleveCodeEnseignements") {
            self.subjects = new.subjects;
        }
        if has("ENTAuxEnsClassesMatieres") {
            self.class_subjects = new.class_subjects;
        }
        if has("ENTAuxEnsGroupesMatieres") {
            self.group_subjects = new.group_subjects;
        }
        if has("ENTPersonFonctions") {
            self.disciplines = new.disciplines;
        }
        self
    }
}

impl Pedagogy {
    /// Reads `records`; a modify is applied over `current` (what the store holds of that
    /// person).
    pub fn from_records(records: &[Record], current: &dyn Fn(&str) -> Option<PersonFacts>) -> Self {
        let mut out = Pedagogy::default();
        for r in records {
            match (r.category, r.operation) {
                (Category::MatiereEducNat, Operation::Add | Operation::Modify) => {
                    let label = r.first("ENTLibelleMatiere").unwrap_or(&r.id);
                    out.subjects.insert(r.id.clone(), label.to_owned());
                }
                (Category::MefEducNat, Operation::Add | Operation::Modify) => {
                    let label = r.first("ENTLibelleMef").unwrap_or(&r.id);
                    out.mefs.insert(r.id.clone(), label.to_owned());
                }
                (Category::Eleve | Category::PersEducNat, Operation::Add) => {
                    out.take_labels(r);
                    out.people.insert(r.id.clone(), PersonFacts::from_record(r));
                }
                (Category::Eleve | Category::PersEducNat, Operation::Modify) => {
                    out.take_labels(r);
                    let base = out
                        .people
                        .remove(&r.id)
                        .or_else(|| current(&r.id))
                        .unwrap_or_default();
                    out.people.insert(r.id.clone(), base.modified_by(r));
                }
                (Category::Eleve | Category::PersEducNat, Operation::Delete) => {
                    out.people.remove(&r.id);
                    out.removed.insert(r.id.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// A pupil's MEF label (`ENTEleveLibelleMEF`) names his MEF when no MefEducNat does.
    fn take_labels(&mut self, r: &Record) {
        if let (Some(code), Some(label)) = (
            r.first("ENTEleveMEF"),
            r.first("ENTEleveLibelleMEF")
                .or(r.first("ENTEleveNivFormation")),
        ) {
            self.mefs
                .entry(code.to_owned())
                .or_insert_with(|| label.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(op: Operation, category: Category, id: &str, attrs: &[(&str, &[&str])]) -> Record {
        Record {
            operation: op,
            category,
            id: id.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
            file: "f.xml".into(),
            line: 1,
        }
    }

    #[test]
    fn a_delivery_gives_mefs_subjects_and_each_persons_facts() {
        let records = [
            record(
                Operation::Add,
                Category::Eleve,
                "3000001",
                &[
                    ("ENTEleveMEF", &["10610001110"]),
                    ("ENTEleveLibelleMEF", &["6EME"]),
                    ("ENTEleveCodeEnseignements", &["030201"]),
                    ("personalTitle", &["Mme"]),
                ],
            ),
            record(
                Operation::Add,
                Category::PersEducNat,
                "7000019",
                &[
                    (
                        "ENTAuxEnsClassesMatieres",
                        &["4242$6A$100100", "4242$6D$100100"],
                    ),
                    ("ENTPersonFonctions", &["4242$ENS$ENSEIGNEMENT$L1900$EPS"]),
                ],
            ),
            record(
                Operation::Add,
                Category::MatiereEducNat,
                "100100",
                &[("ENTLibelleMatiere", &["EDUCATION PHYSIQUE ET SPORTIVE"])],
            ),
            record(Operation::Delete, Category::Eleve, "3000099", &[]),
        ];
        let p = Pedagogy::from_records(&records, &|_| None);
        assert_eq!(p.mefs.get("10610001110").map(String::as_str), Some("6EME"));
        assert_eq!(
            p.subjects.get("100100").map(String::as_str),
            Some("EDUCATION PHYSIQUE ET SPORTIVE")
        );
        let pupil = &p.people["3000001"];
        assert_eq!(pupil.mef.as_deref(), Some("10610001110"));
        assert!(pupil.subjects.contains("030201"));
        let teacher = &p.people["7000019"];
        assert!(
            teacher
                .class_subjects
                .contains(&("6D".into(), "100100".into()))
        );
        assert!(teacher.disciplines.contains("L1900"));
        assert!(p.removed.contains("3000099"));
    }

    #[test]
    fn a_modify_replaces_only_what_it_names() {
        let before = PersonFacts {
            civilite: Some("M.".into()),
            mef: Some("10310001110".into()),
            ..PersonFacts::default()
        };
        let records = [record(
            Operation::Modify,
            Category::Eleve,
            "3000020",
            &[("ENTEleveMEF", &["10510001110"])],
        )];
        let p = Pedagogy::from_records(&records, &|j| (j == "3000020").then(|| before.clone()));
        let after = &p.people["3000020"];
        assert_eq!(after.mef.as_deref(), Some("10510001110"));
        assert_eq!(after.civilite.as_deref(), Some("M."));
    }
}
