//! A class's results over a period, from one read of its évaluations and marks (and its
//! teaching groups'): each pupil's average per subject (the engine's), the figures per subject
//! (a group's subject over the group), each pupil's general
//! average (the mean of his subject averages, as ODE and the LSU compute it) — what the
//! pupil's page, the conseil's grid and the bulletins show.

use std::collections::{BTreeMap, BTreeSet};

use crate::average::{Assessment, Average, ClassFigures, Mark, average, class_figures};
use crate::model::Evaluation;

#[derive(Debug, Default)]
pub struct ClassResults {
    /// pupil → subject → his average.
    pub by_pupil: BTreeMap<String, BTreeMap<String, Average>>,
    /// subject → the class's figures.
    pub by_subject: BTreeMap<String, ClassFigures>,
    /// subject → who set its évaluations.
    pub teachers: BTreeMap<String, BTreeSet<String>>,
    /// The class's pupils: those marked on an évaluation of the class (a teaching group's
    /// members from other classes are not).
    pub members: BTreeSet<String>,
}

impl ClassResults {
    pub fn of(evaluations: &[(Evaluation, Vec<(String, Mark)>)]) -> Self {
        let mut marks: BTreeMap<(String, String), Vec<(Assessment, Mark)>> = BTreeMap::new();
        let mut out = ClassResults::default();
        for (e, list) in evaluations {
            out.teachers
                .entry(e.subject.clone())
                .or_default()
                .insert(e.teacher.clone());
            out.by_subject
                .entry(e.subject.clone())
                .or_insert_with(|| class_figures(&[]));
            for (pupil, m) in list {
                if !e.is_group {
                    out.members.insert(pupil.clone());
                }
                marks
                    .entry((pupil.clone(), e.subject.clone()))
                    .or_default()
                    .push((e.assessment(), *m));
            }
        }
        for ((pupil, subject), list) in marks {
            out.by_pupil
                .entry(pupil)
                .or_default()
                .insert(subject, average(&list).average);
        }
        let subjects: Vec<String> = out.by_subject.keys().cloned().collect();
        for s in subjects {
            let averages: Vec<Average> = out
                .by_pupil
                .values()
                .filter_map(|m| m.get(&s).copied())
                .collect();
            out.by_subject.insert(s, class_figures(&averages));
        }
        out
    }

    /// A pupil's general average: the mean of his subject averages (« NN » ones left out),
    /// rounded up to the tenth.
    pub fn general(&self, pupil: &str) -> Average {
        let averages: Vec<Average> = self
            .by_pupil
            .get(pupil)
            .map(|m| m.values().copied().collect())
            .unwrap_or_default();
        class_figures(&averages).average
    }

    /// The class's general figures: over its pupils' general averages.
    pub fn class_general(&self) -> ClassFigures {
        let all: Vec<Average> = self.members.iter().map(|p| self.general(p)).collect();
        class_figures(&all)
    }

    pub fn of_pupil(&self, pupil: &str, subject: &str) -> Average {
        self.by_pupil
            .get(pupil)
            .and_then(|m| m.get(subject))
            .copied()
            .unwrap_or(Average::NotGraded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::average::Counting;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use time::macros::date;

    fn eval(id: i64, subject: &str, coefficient: &str) -> Evaluation {
        Evaluation {
            id,
            teacher: format!("prof-{subject}"),
            class: "5B".into(),
            is_group: false,
            subject: subject.into(),
            title: "DS".into(),
            day: date!(2026 - 11 - 02),
            coefficient: Decimal::from_str(coefficient).expect("d"),
            out_of: 20,
            to_twenty: true,
            counting: Counting::Always,
            visible_from: date!(2026 - 11 - 02),
            marked: true,
        }
    }

    fn v(s: &str) -> Mark {
        Mark::Value(Decimal::from_str(s).expect("d"))
    }

    #[test]
    fn general_averages_are_means_of_subject_averages() {
        let evals = vec![
            (
                eval(1, "Mathématiques", "1"),
                vec![("a".into(), v("10")), ("b".into(), v("16"))],
            ),
            (
                eval(2, "Mathématiques", "3"),
                vec![("a".into(), v("14")), ("b".into(), Mark::Absent)],
            ),
            (eval(3, "Français", "1"), vec![("a".into(), v("11.05"))]),
            // The LV2 group: a with z, a pupil of another class.
            (
                Evaluation {
                    is_group: true,
                    ..eval(4, "Espagnol LV2", "1")
                },
                vec![("a".into(), v("12")), ("z".into(), v("4"))],
            ),
        ];
        let r = ClassResults::of(&evals);
        let d = |s: &str| Average::Value(Decimal::from_str(s).expect("d"));
        // a: (10 + 3×14) / 4 = 13 in maths, 11.05 → 11.1 in French; b: 16, NN.
        assert_eq!(r.of_pupil("a", "Mathématiques"), d("13.0"));
        assert_eq!(r.of_pupil("a", "Français"), d("11.1"));
        assert_eq!(r.of_pupil("b", "Français"), Average::NotGraded);
        // a: (13 + 11.1 + 12) / 3 = 12.03… → 12.1; b: 16.
        assert_eq!(r.general("a"), d("12.1"));
        // The group's figures are the group's; z is not of the class.
        assert_eq!(r.by_subject["Espagnol LV2"].average, d("8.0"));
        assert_eq!(r.general("b"), d("16.0"));
        let maths = r.by_subject["Mathématiques"];
        assert_eq!(maths.average, d("14.5"));
        assert_eq!(maths.graded, 2);
        assert_eq!(r.by_subject["Français"].graded, 1);
        assert_eq!(r.class_general().average, d("14.1"));
        assert_eq!(r.general("nobody"), Average::NotGraded);
    }
}
