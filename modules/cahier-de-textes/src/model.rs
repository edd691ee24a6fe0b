//! A séance of the cahier de textes: for a class or a group, a subject, a date; what was
//! done; the work given for a later date with its estimated time; attachments. Prepared
//! ahead, it is published on the day chosen. A school year runs from September to August;
//! past years are archived: kept, read-only.

use time::{Date, Month};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Class(String),
    Group(String),
}

impl Audience {
    pub fn code(&self) -> &str {
        match self {
            Audience::Class(c) | Audience::Group(c) => c,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Travail {
    pub due: Date,
    pub text: String,
    pub minutes: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub id: i64,
    pub name: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seance {
    pub id: i64,
    pub audience: Audience,
    pub subject: String,
    /// Login of the teacher who wrote it.
    pub teacher: String,
    pub date: Date,
    pub title: String,
    pub content: String,
    pub publish_on: Date,
    pub school_year: String,
    pub travail: Option<Travail>,
    pub pieces: Vec<Piece>,
}

impl Seance {
    /// Seen by pupils and parents from its publication day.
    pub fn published(&self, today: Date) -> bool {
        self.publish_on <= today
    }
}

/// What a form gives (a new séance or an edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub audience: Audience,
    pub subject: String,
    pub date: Date,
    pub title: String,
    pub content: String,
    pub publish_on: Date,
    pub travail: Option<Travail>,
}

/// « 2026-2027 » for any date from September 2026 to August 2027.
pub fn school_year(d: Date) -> String {
    let start = if d.month() as u8 >= Month::September as u8 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}-{}", start + 1)
}

/// `2026-2027` as typed in a URL; anything else is refused.
pub fn parse_school_year(s: &str) -> Option<String> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (i32, i32) = (a.parse().ok()?, b.parse().ok()?);
    (cartable_core::dates::YEARS.contains(&a) && b == a + 1 && s.len() == 9)
        .then(|| format!("{a}-{b}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn school_years_in_urls_are_checked() {
        assert_eq!(parse_school_year("2025-2026").as_deref(), Some("2025-2026"));
        for bad in [
            "\0",
            "",
            "2025",
            "2025-2027",
            "9999-10000",
            "+2025-2026",
            "2025-2026\n",
        ] {
            assert_eq!(parse_school_year(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn school_years_start_in_september() {
        assert_eq!(school_year(date!(2026 - 09 - 01)), "2026-2027");
        assert_eq!(school_year(date!(2027 - 08 - 31)), "2026-2027");
        assert_eq!(school_year(date!(2026 - 08 - 31)), "2025-2026");
    }
}
