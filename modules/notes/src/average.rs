//! The one average engine: a pupil's average in a subject over a period, with what made it, so
//! that a parent can read « comment est calculée cette moyenne ».
//!
//! The formula is the one the ENTs of the académies use (ODE `calculMoyenne`):
//!
//! ```text
//!             Σᵢ nᵢ·20/dᵢ·cᵢ + Σⱼ nⱼ·cⱼ
//! moyenne = 20 · ─────────────────────────────    (i: brought back to /20, j: kept on /dⱼ)
//!                 Σᵢ 20·cᵢ   + Σⱼ dⱼ·cⱼ
//! ```
//!
//! A mark brought back to /20 weighs its coefficient whatever its scale; a mark kept on its scale
//! weighs in proportion to it (a 4/5 counts a quarter of a mark on /20). Absent, dispensé, non
//! rendu and non noté marks are left out, as are coefficient-0 and formative évaluations; an
//! évaluation that « counts only if it raises the average » is taken, best first, when its mark on
//! /20 is above the average so far. Nothing left: « NN ». The period average is rounded up to the
//! tenth (12,31 → 12,4; 12,3 stays 12,3). Computation is in exact decimals (`rust_decimal`).

use rust_decimal::{Decimal, RoundingStrategy};

/// How an évaluation counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    Always,
    /// Only if its mark raises the average (« bonus »).
    IfItRaises,
    /// Never: formative work.
    Formative,
}

/// An évaluation, as the average needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub id: i64,
    pub coefficient: Decimal,
    /// Marked out of (20, 10, 5…).
    pub out_of: u16,
    /// Brought back to /20 (else it weighs in proportion to its scale).
    pub to_twenty: bool,
    pub counting: Counting,
}

/// A pupil's mark on an évaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Value(Decimal),
    Absent,
    Dispense,
    NotHandedIn,
    NotMarked,
}

/// A period average: a value, or « NN » when nothing counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    NotGraded,
    Value(Decimal),
}

/// Why a mark is not in the average.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Left {
    NoMark,
    CoefficientZero,
    Formative,
    DidNotRaise,
}

/// One évaluation's part in the average.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub id: i64,
    pub mark: Mark,
    /// Points it adds and the most it could have added (same unit).
    pub points: Decimal,
    pub max: Decimal,
    pub left_out: Option<Left>,
}

/// An average and what made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub parts: Vec<Part>,
    pub points: Decimal,
    pub max: Decimal,
    /// 20 · points / max, unrounded.
    pub exact: Option<Decimal>,
    pub average: Average,
}

const TWENTY: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Rounded up to the tenth, as period averages are.
pub fn round_up_tenth(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(1, RoundingStrategy::ToPositiveInfinity)
}

fn contribution(a: &Assessment, n: Decimal) -> (Decimal, Decimal) {
    let d = Decimal::from(a.out_of.max(1));
    if a.to_twenty {
        (n * TWENTY / d * a.coefficient, TWENTY * a.coefficient)
    } else {
        (n * a.coefficient, d * a.coefficient)
    }
}

fn on_twenty(a: &Assessment, n: Decimal) -> Decimal {
    n * TWENTY / Decimal::from(a.out_of.max(1))
}

/// The average of a pupil's marks.
pub fn average(marks: &[(Assessment, Mark)]) -> Explained {
    let mut parts = Vec::with_capacity(marks.len());
    let (mut points, mut max) = (Decimal::ZERO, Decimal::ZERO);
    let mut bonus = Vec::new();
    for (i, (a, m)) in marks.iter().enumerate() {
        let left = match (m, a.counting) {
            (Mark::Value(_), _) if a.coefficient <= Decimal::ZERO => Some(Left::CoefficientZero),
            (Mark::Value(_), Counting::Formative) => Some(Left::Formative),
            (Mark::Value(_), _) => None,
            _ => Some(Left::NoMark),
        };
        let (p, x) = match (m, left) {
            (Mark::Value(n), None) => contribution(a, *n),
            _ => (Decimal::ZERO, Decimal::ZERO),
        };
        if left.is_none() {
            if a.counting == Counting::IfItRaises {
                bonus.push(i);
            } else {
                points += p;
                max += x;
            }
        }
        parts.push(Part {
            id: a.id,
            mark: *m,
            points: if left.is_none() { p } else { Decimal::ZERO },
            max: if left.is_none() { x } else { Decimal::ZERO },
            left_out: left,
        });
    }
    // Bonus marks, best first: each taken if above the average so far.
    bonus.sort_by(|x, y| {
        let v = |i: &usize| match marks[*i].1 {
            Mark::Value(n) => on_twenty(&marks[*i].0, n),
            _ => Decimal::ZERO,
        };
        v(y).cmp(&v(x)).then(marks[*x].0.id.cmp(&marks[*y].0.id))
    });
    for i in bonus {
        let (a, m) = &marks[i];
        let Mark::Value(n) = m else { continue };
        let raises = max.is_zero() || on_twenty(a, *n) > TWENTY * points / max;
        if raises {
            points += parts[i].points;
            max += parts[i].max;
        } else {
            parts[i].points = Decimal::ZERO;
            parts[i].max = Decimal::ZERO;
            parts[i].left_out = Some(Left::DidNotRaise);
        }
    }
    let exact = (!max.is_zero()).then(|| TWENTY * points / max);
    Explained {
        parts,
        points,
        max,
        exact,
        average: exact.map_or(Average::NotGraded, |x| Average::Value(round_up_tenth(x))),
    }
}

/// A class's figures for a subject: the average of its pupils' averages, the lowest, the
/// highest (pupils « NN » left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassFigures {
    pub average: Average,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub graded: usize,
}

pub fn class_figures(averages: &[Average]) -> ClassFigures {
    let values: Vec<Decimal> = averages
        .iter()
        .filter_map(|a| match a {
            Average::Value(v) => Some(*v),
            Average::NotGraded => None,
        })
        .collect();
    let graded = values.len();
    ClassFigures {
        average: if graded == 0 {
            Average::NotGraded
        } else {
            Average::Value(round_up_tenth(
                values.iter().sum::<Decimal>() / Decimal::from(graded),
            ))
        },
        min: values.iter().min().copied(),
        max: values.iter().max().copied(),
        graded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn eval(id: i64, coef: &str, out_of: u16, to_twenty: bool, counting: Counting) -> Assessment {
        Assessment {
            id,
            coefficient: d(coef),
            out_of,
            to_twenty,
            counting,
        }
    }

    fn on20(id: i64, coef: &str) -> Assessment {
        eval(id, coef, 20, true, Counting::Always)
    }

    fn v(s: &str) -> Mark {
        Mark::Value(d(s))
    }

    fn avg(marks: &[(Assessment, Mark)]) -> Average {
        average(marks).average
    }

    #[test]
    fn coefficients_weigh() {
        // (12·1 + 15·2) / 3 = 14
        assert_eq!(
            avg(&[(on20(1, "1"), v("12")), (on20(2, "2"), v("15"))]),
            Average::Value(d("14.0"))
        );
        // A half coefficient: (10·1 + 16·0,5) / 1,5 = 12
        assert_eq!(
            avg(&[(on20(1, "1"), v("10")), (on20(2, "0.5"), v("16"))]),
            Average::Value(d("12.0"))
        );
    }

    #[test]
    fn a_mark_on_five_brought_back_to_twenty_or_kept() {
        // 4/5 brought back is 16/20: (16 + 10) / 2 = 13.
        let back = eval(1, "1", 5, true, Counting::Always);
        assert_eq!(
            avg(&[(back, v("4")), (on20(2, "1"), v("10"))]),
            Average::Value(d("13.0"))
        );
        // Kept on /5 it weighs a quarter: 20 · (4 + 10) / (5 + 20) = 11.2.
        let kept = eval(1, "1", 5, false, Counting::Always);
        let e = average(&[(kept, v("4")), (on20(2, "1"), v("10"))]);
        assert_eq!(e.exact, Some(d("11.2")));
        assert_eq!(e.average, Average::Value(d("11.2")));
    }

    #[test]
    fn coefficient_zero_formative_and_statuses_are_left_out() {
        let e = average(&[
            (on20(1, "0"), v("0")),
            (eval(2, "1", 20, true, Counting::Formative), v("2")),
            (on20(3, "1"), Mark::Absent),
            (on20(4, "1"), Mark::Dispense),
            (on20(5, "1"), Mark::NotHandedIn),
            (on20(6, "1"), Mark::NotMarked),
            (on20(7, "2"), v("13.5")),
        ]);
        assert_eq!(e.average, Average::Value(d("13.5")));
        let why: Vec<Option<Left>> = e.parts.iter().map(|p| p.left_out).collect();
        assert_eq!(
            why,
            vec![
                Some(Left::CoefficientZero),
                Some(Left::Formative),
                Some(Left::NoMark),
                Some(Left::NoMark),
                Some(Left::NoMark),
                Some(Left::NoMark),
                None
            ]
        );
    }

    #[test]
    fn nothing_counts_is_nn() {
        assert_eq!(avg(&[]), Average::NotGraded);
        assert_eq!(
            avg(&[(on20(1, "1"), Mark::Absent), (on20(2, "1"), Mark::Absent)]),
            Average::NotGraded
        );
        assert_eq!(
            avg(&[(eval(1, "1", 20, true, Counting::Formative), v("18"))]),
            Average::NotGraded
        );
        assert_eq!(avg(&[(on20(1, "0"), v("18"))]), Average::NotGraded);
    }

    #[test]
    fn a_bonus_counts_only_if_it_raises() {
        let bonus = |id, n: &str| (eval(id, "1", 20, true, Counting::IfItRaises), v(n));
        let base = (on20(1, "1"), v("10"));
        assert_eq!(
            avg(&[base.clone(), bonus(2, "8")]),
            Average::Value(d("10.0"))
        );
        assert_eq!(
            avg(&[base.clone(), bonus(2, "14")]),
            Average::Value(d("12.0"))
        );
        // Best first: 16 raises 10 to 13, then 12 no longer raises.
        let e = average(&[base, bonus(2, "12"), bonus(3, "16")]);
        assert_eq!(e.average, Average::Value(d("13.0")));
        assert_eq!(e.parts[1].left_out, Some(Left::DidNotRaise));
        assert_eq!(e.parts[2].left_out, None);
        // Alone, a bonus makes the average.
        assert_eq!(avg(&[bonus(1, "9")]), Average::Value(d("9.0")));
    }

    #[test]
    fn rounded_up_to_the_tenth_and_exact() {
        // 12,25 and 12,35: exactly 12,3, which stays.
        assert_eq!(
            avg(&[(on20(1, "1"), v("12.25")), (on20(2, "1"), v("12.35"))]),
            Average::Value(d("12.3"))
        );
        // 37/3 = 12,333… → 12,4; 12,31 → 12,4; 12,39 → 12,4; 12,41 → 12,5.
        assert_eq!(
            avg(&[
                (on20(1, "1"), v("12")),
                (on20(2, "1"), v("12")),
                (on20(3, "1"), v("13"))
            ]),
            Average::Value(d("12.4"))
        );
        assert_eq!(round_up_tenth(d("12.31")), d("12.4"));
        assert_eq!(round_up_tenth(d("12.39")), d("12.4"));
        assert_eq!(round_up_tenth(d("12.41")), d("12.5"));
        assert_eq!(round_up_tenth(d("20")), d("20"));
        assert_eq!(round_up_tenth(d("0")), d("0"));
        // 7/10 brought back is 14/20, beside 11/20 with coefficient 2.
        let e = average(&[
            (eval(1, "1", 10, true, Counting::Always), v("7")),
            (on20(2, "2"), v("11")),
        ]);
        // (14·1 + 11·2) / 3 = 12, exactly.
        assert_eq!(e.exact, Some(d("12")));
    }

    #[test]
    fn the_class_figures_leave_nn_out() {
        let f = class_figures(&[
            Average::Value(d("12.4")),
            Average::NotGraded,
            Average::Value(d("8.0")),
            Average::Value(d("15.1")),
        ]);
        assert_eq!(f.graded, 3);
        // (12,4 + 8 + 15,1) / 3 = 11,833… → 11,9
        assert_eq!(f.average, Average::Value(d("11.9")));
        assert_eq!(f.min, Some(d("8.0")));
        assert_eq!(f.max, Some(d("15.1")));
        assert_eq!(
            class_figures(&[Average::NotGraded]).average,
            Average::NotGraded
        );
    }
}
