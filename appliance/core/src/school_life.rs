//! What one service tells another about a pupil's school life, through the host: the vie
//! scolaire's counts of a period, as a bulletin prints them.

/// A pupil's attendance over a period, counted the way the établissement set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    /// Units missed (demi-journées, hours or days, as the établissement counts).
    pub missed: usize,
    /// Of which not justified.
    pub unjustified: usize,
    pub lates: usize,
    /// « demi-journée », and its plural.
    pub unit: (&'static str, &'static str),
}

impl Attendance {
    /// « 3 demi-journées d'absence dont 1 non justifiée ; 2 retards ».
    pub fn sentence(&self) -> String {
        let unit = if self.missed == 1 {
            self.unit.0
        } else {
            self.unit.1
        };
        let absences = if self.missed == 0 {
            "Aucune absence".to_owned()
        } else if self.unjustified == 0 {
            let all = if self.missed == 1 {
                "justifiée"
            } else {
                "toutes justifiées"
            };
            format!("{} {unit} d'absence, {all}", self.missed)
        } else {
            format!(
                "{} {unit} d'absence dont {} non justifiée{}",
                self.missed,
                self.unjustified,
                if self.unjustified > 1 { "s" } else { "" }
            )
        };
        let lates = match self.lates {
            0 => "aucun retard".to_owned(),
            1 => "1 retard".to_owned(),
            n => format!("{n} retards"),
        };
        format!("{absences} ; {lates}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_counts_in_french() {
        let a = Attendance {
            missed: 3,
            unjustified: 1,
            lates: 2,
            unit: ("demi-journée", "demi-journées"),
        };
        assert_eq!(
            a.sentence(),
            "3 demi-journées d'absence dont 1 non justifiée ; 2 retards."
        );
        let none = Attendance {
            unit: ("heure", "heures"),
            ..Attendance::default()
        };
        assert_eq!(none.sentence(), "Aucune absence ; aucun retard.");
    }
}
