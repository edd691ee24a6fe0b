//! How absences count: by demi-journée (the legal unit, L.131-8), by hour of course or by day,
//! as the établissement sets; what excuses a pupil from a course (a sortie he takes part in,
//! a dispense without attendance); the alert threshold. Pure: the pages load, this counts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Date;

use crate::model::{Half, JustState, Justification, MarkKind, PupilMark};

/// The counting unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    DemiJournee,
    /// One per course missed.
    Heure,
    Journee,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Unit::DemiJournee, Unit::Heure, Unit::Journee];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::DemiJournee => "demi-journee",
            Unit::Heure => "heure",
            Unit::Journee => "journee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The unit's name, singular and plural.
    pub fn forms(self) -> (&'static str, &'static str) {
        match self {
            Unit::DemiJournee => ("demi-journée", "demi-journées"),
            Unit::Heure => ("heure", "heures"),
            Unit::Journee => ("journée", "journées"),
        }
    }

    /// « 3 demi-journées », « 1 heure », « 2 journées ».
    pub fn count(self, n: usize) -> String {
        let (one, many) = self.forms();
        cartable_core::messages::count(n, one, many)
    }

    pub fn label(self) -> &'static str {
        match self {
            Unit::DemiJournee => "Par demi-journée (le décompte légal)",
            Unit::Heure => "Par heure de cours manquée",
            Unit::Journee => "Par journée",
        }
    }
}

/// The établissement's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub unit: Unit,
    /// Unjustified units over `ALERT_DAYS` that raise an alert.
    pub threshold: usize,
}

/// The window of an alert: « dans le mois ».
pub const ALERT_DAYS: i64 = 30;
/// Bounds of the threshold a form accepts.
pub const THRESHOLD_MAX: usize = 100;

impl Default for Settings {
    /// The national threshold: 4 demi-journées non justifiées in a month.
    fn default() -> Self {
        Settings {
            unit: Unit::DemiJournee,
            threshold: 4,
        }
    }
}

/// A class's or group's sortie, with the pupils taking part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sortie {
    pub id: i64,
    pub label: String,
    pub audience: String,
    pub is_group: bool,
    pub from: (Date, u16),
    pub to: (Date, u16),
    pub pupils: BTreeSet<String>,
    pub by: String,
    pub cancelled: bool,
}

impl Sortie {
    /// Covers a course of `day` from `start` to `end` (even in part: a coach leaving at 10:30
    /// takes the pupils out of the 10:00 course).
    pub fn covers(&self, day: Date, start: u16, end: u16) -> bool {
        !self.cancelled && (day, end) > self.from && (day, start) < self.to
    }
}

/// A pupil dispensed from a subject over some days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispense {
    pub id: i64,
    pub pupil: String,
    pub subject: String,
    pub from: Date,
    pub to: Date,
    /// He still attends the course.
    pub attendance: bool,
    pub note: String,
    pub by: String,
}

impl Dispense {
    pub fn covers(&self, day: Date, subject: &str) -> bool {
        self.from <= day && day <= self.to && same_subject(&self.subject, subject)
    }
}

/// Subjects compare without case or surrounding blanks: « EPS » is « eps ».
fn same_subject(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Why a pupil is not expected, or not only, in a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excuse {
    Sortie(String),
    Dispense { subject: String, attendance: bool },
}

impl Excuse {
    /// Not expected in the course: an absence there is not one.
    pub fn frees(&self) -> bool {
        match self {
            Excuse::Sortie(_) => true,
            Excuse::Dispense { attendance, .. } => !attendance,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Excuse::Sortie(l) => format!("En sortie : {l}"),
            Excuse::Dispense {
                subject,
                attendance: true,
            } => format!("Dispensé ({subject}), présent au cours"),
            Excuse::Dispense {
                subject,
                attendance: false,
            } => format!("Dispensé ({subject}), non attendu au cours"),
        }
    }
}

/// The sorties and dispenses of a period.
#[derive(Debug, Clone, Default)]
pub struct Excuses {
    pub sorties: Vec<Sortie>,
    pub dispenses: Vec<Dispense>,
}

impl Excuses {
    /// What excuses `pupil` from a course; a sortie first (it frees him).
    pub fn of(
        &self,
        pupil: &str,
        day: Date,
        start: u16,
        end: u16,
        subject: &str,
    ) -> Option<Excuse> {
        if let Some(s) = self
            .sorties
            .iter()
            .find(|s| s.pupils.contains(pupil) && s.covers(day, start, end))
        {
            return Some(Excuse::Sortie(s.label.clone()));
        }
        self.dispenses
            .iter()
            .filter(|d| d.pupil == pupil && d.covers(day, subject))
            .min_by_key(|d| d.attendance)
            .map(|d| Excuse::Dispense {
                subject: d.subject.clone(),
                attendance: d.attendance,
            })
    }

    /// The sortie an appel's whole audience is on.
    pub fn sortie_of(&self, audience: &str, day: Date, start: u16, end: u16) -> Option<&Sortie> {
        self.sorties
            .iter()
            .find(|s| s.audience == audience && s.covers(day, start, end))
    }

    /// The absences that count: excused ones are not.
    pub fn counted<'a>(&self, marks: &'a [PupilMark]) -> Vec<&'a PupilMark> {
        marks
            .iter()
            .filter(|pm| pm.mark.kind == MarkKind::Absent)
            .filter(|pm| {
                !self
                    .of(
                        &pm.mark.pupil,
                        pm.appel.day,
                        pm.appel.start,
                        pm.appel.end,
                        &pm.appel.subject,
                    )
                    .is_some_and(|e| e.frees())
            })
            .collect()
    }
}

/// A demi-journée the vie scolaire reported absent: (pupil, day, half, note).
pub type Reported = (String, Date, Half, String);

/// A pupil's missed demi-journées: courses missed in each (0 for a demi-journée reported
/// without an appel marking him).
pub type Missed = BTreeMap<(String, Date, Half), usize>;

/// The demi-journées missed, from the counted absences and those reported.
pub fn missed(counted: &[&PupilMark], reported: &[Reported]) -> Missed {
    let mut out = Missed::new();
    for (p, d, h, _) in reported {
        out.entry((p.clone(), *d, *h)).or_insert(0);
    }
    for pm in counted {
        *out.entry((
            pm.mark.pupil.clone(),
            pm.appel.day,
            Half::of(pm.appel.start),
        ))
        .or_insert(0) += 1;
    }
    out
}

/// The state of each demi-journée: the newest justification's (they come newest first).
pub fn decided(justs: &[Justification]) -> HashMap<(String, Date, Half), JustState> {
    let mut out = HashMap::new();
    for j in justs {
        out.entry((j.pupil.clone(), j.day, j.half))
            .or_insert(j.state);
    }
    out
}

/// Units missed and unjustified ones, per pupil.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub missed: usize,
    pub unjustified: usize,
}

/// Counts per pupil in `unit`. A demi-journée counts once, whatever the courses missed; an
/// hour is a course missed (a demi-journée reported with no appel marking him counts the
/// courses of that demi-journée given in `hours_reported`, at least one); a day counts once and
/// is unjustified when one of its demi-journées is. An accepted justification takes a
/// demi-journée off.
pub fn count(
    unit: Unit,
    missed: &Missed,
    decided: &HashMap<(String, Date, Half), JustState>,
    hours_reported: &dyn Fn(&str, Date, Half) -> usize,
) -> HashMap<String, Count> {
    let mut out: HashMap<String, Count> = HashMap::new();
    let mut days: BTreeMap<(String, Date), bool> = BTreeMap::new();
    for ((pupil, day, half), courses) in missed {
        let unjustified = decided.get(&(pupil.clone(), *day, *half)) != Some(&JustState::Acceptee);
        match unit {
            Unit::DemiJournee | Unit::Heure => {
                let n = match unit {
                    Unit::Heure if *courses == 0 => hours_reported(pupil, *day, *half).max(1),
                    Unit::Heure => *courses,
                    _ => 1,
                };
                let c = out.entry(pupil.clone()).or_default();
                c.missed += n;
                if unjustified {
                    c.unjustified += n;
                }
            }
            Unit::Journee => {
                *days.entry((pupil.clone(), *day)).or_default() |= unjustified;
            }
        }
    }
    for ((pupil, _), unjustified) in days {
        let c = out.entry(pupil).or_default();
        c.missed += 1;
        if unjustified {
            c.unjustified += 1;
        }
    }
    out
}

/// A class's level, read from its code as French établissements write them: « 6A » → 6e,
/// « 2NDE1 » → 2de, « 1G3 » → 1re, « TSTI » → Terminale; anything else on its own.
pub fn level_of(code: &str, label: &str) -> String {
    let up = code.to_uppercase();
    match up.chars().next() {
        Some(c @ '3'..='6') => format!("{c}e"),
        Some('2') => "2de".to_owned(),
        Some('1') => "1re".to_owned(),
        Some('T') if up.starts_with("TERM") || up.len() <= 6 => "Terminale".to_owned(),
        _ => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Appel, Mark};
    use time::macros::date;

    fn absent(pupil: &str, day: Date, start: u16, subject: &str) -> PupilMark {
        PupilMark {
            appel: Appel {
                id: 0,
                day,
                start,
                end: start + 55,
                audience: "4B".into(),
                is_group: false,
                subject: subject.into(),
                teacher: "t".into(),
                added: false,
                version: 1,
                taken_by: None,
                taken_at: None,
            },
            mark: Mark {
                pupil: pupil.into(),
                kind: MarkKind::Absent,
                minutes: None,
                note: String::new(),
            },
        }
    }

    fn accepted(pupil: &str, day: Date, half: Half) -> Justification {
        Justification {
            id: 0,
            pupil: pupil.into(),
            day,
            half,
            motif: "maladie".into(),
            message: String::new(),
            piece_name: None,
            sent_by: "p".into(),
            sent_at: 0,
            state: JustState::Acceptee,
            decided_at: None,
        }
    }

    #[test]
    fn each_unit_counts_the_same_absences_its_own_way() {
        let mon = date!(2026 - 11 - 30);
        let tue = date!(2026 - 12 - 01);
        // Monday: three morning courses and one afternoon; Tuesday morning reported.
        let marks = vec![
            absent("a", mon, 8 * 60, "Français"),
            absent("a", mon, 9 * 60, "Maths"),
            absent("a", mon, 10 * 60, "Anglais"),
            absent("a", mon, 14 * 60, "EPS"),
        ];
        let reported = vec![("a".to_owned(), tue, Half::Matin, String::new())];
        let none = Excuses::default();
        let m = missed(&none.counted(&marks), &reported);
        let justs = vec![accepted("a", mon, Half::ApresMidi)];
        let d = decided(&justs);
        let three = |_: &str, _: Date, _: Half| 3;
        let half = count(Unit::DemiJournee, &m, &d, &three)["a"];
        assert_eq!(
            half,
            Count {
                missed: 3,
                unjustified: 2
            }
        );
        let hours = count(Unit::Heure, &m, &d, &three)["a"];
        // 4 courses on Monday (the afternoon's justified), 3 courses reported on Tuesday.
        assert_eq!(
            hours,
            Count {
                missed: 7,
                unjustified: 6
            }
        );
        let days = count(Unit::Journee, &m, &d, &three)["a"];
        // Monday's morning is unjustified, so the day is.
        assert_eq!(
            days,
            Count {
                missed: 2,
                unjustified: 2
            }
        );
        assert_eq!(Unit::Heure.count(1), "1 heure");
        assert_eq!(Unit::DemiJournee.count(2), "2 demi-journées");
    }

    #[test]
    fn a_sortie_and_a_dispense_without_attendance_excuse_a_course() {
        let mon = date!(2026 - 11 - 30);
        let marks = vec![
            absent("a", mon, 8 * 60, "Français"),
            absent("a", mon, 10 * 60, "Maths"),
            absent("a", mon, 14 * 60, "EPS"),
            absent("b", mon, 14 * 60, "eps "),
            absent("c", mon, 8 * 60, "Français"),
        ];
        let ex = Excuses {
            sorties: vec![Sortie {
                id: 1,
                label: "Musée".into(),
                audience: "4B".into(),
                is_group: false,
                from: (mon, 9 * 60 + 30),
                to: (mon, 12 * 60),
                pupils: ["a".to_owned()].into(),
                by: "cpe".into(),
                cancelled: false,
            }],
            dispenses: vec![
                Dispense {
                    id: 1,
                    pupil: "a".into(),
                    subject: "EPS".into(),
                    from: mon,
                    to: mon,
                    attendance: false,
                    note: String::new(),
                    by: "cpe".into(),
                },
                Dispense {
                    id: 2,
                    pupil: "b".into(),
                    subject: "EPS".into(),
                    from: mon,
                    to: mon,
                    attendance: true,
                    note: String::new(),
                    by: "cpe".into(),
                },
            ],
        };
        let counted: Vec<(String, u16)> = ex
            .counted(&marks)
            .iter()
            .map(|pm| (pm.mark.pupil.clone(), pm.appel.start))
            .collect();
        // a: 8:00 before the sortie counts; 10:00 on sortie and EPS dispensed do not.
        // b: dispensed but expected at the course: absent. c: not on the sortie.
        assert_eq!(
            counted,
            vec![
                ("a".to_owned(), 8 * 60),
                ("b".to_owned(), 14 * 60),
                ("c".to_owned(), 8 * 60)
            ]
        );
        assert!(ex.sortie_of("4B", mon, 11 * 60, 12 * 60).is_some());
        assert!(ex.sortie_of("4B", mon, 12 * 60, 13 * 60).is_none());
        let mut cancelled = ex.clone();
        cancelled.sorties[0].cancelled = true;
        assert_eq!(cancelled.counted(&marks).len(), 4);
    }

    #[test]
    fn levels_from_class_codes() {
        assert_eq!(level_of("6A", "6e A"), "6e");
        assert_eq!(level_of("3B", "3e B"), "3e");
        assert_eq!(level_of("2NDE1", "Seconde 1"), "2de");
        assert_eq!(level_of("1G3", "Première G3"), "1re");
        assert_eq!(level_of("TSTI2", "Terminale STI2"), "Terminale");
        assert_eq!(level_of("ULIS", "ULIS"), "ULIS");
    }
}
