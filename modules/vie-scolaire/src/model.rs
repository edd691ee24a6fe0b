//! An appel and its marks, demi-journées, justifications.

use time::Date;

/// What a teacher notes of a pupil; present pupils have no mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Absent,
    Retard,
    /// Left before the end of the course.
    Depart,
    Remarque,
}

impl MarkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Absent => "absent",
            MarkKind::Retard => "retard",
            MarkKind::Depart => "depart",
            MarkKind::Remarque => "remarque",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Absent, Self::Retard, Self::Depart, Self::Remarque]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub pupil: String,
    pub kind: MarkKind,
    /// Minutes late, for a retard.
    pub minutes: Option<u16>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appel {
    pub id: i64,
    pub day: Date,
    pub start: u16,
    pub end: u16,
    pub audience: String,
    pub is_group: bool,
    pub subject: String,
    pub teacher: String,
    pub added: bool,
    /// 0: not taken yet.
    pub version: i64,
    pub taken_by: Option<String>,
    pub taken_at: Option<i64>,
}

/// Morning or afternoon: absences are counted by demi-journée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Half {
    Matin,
    ApresMidi,
}

impl Half {
    /// A course starting before noon is in the morning.
    pub fn of(start: u16) -> Self {
        if start < 12 * 60 {
            Half::Matin
        } else {
            Half::ApresMidi
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Half::Matin => "matin",
            Half::ApresMidi => "apres-midi",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "matin" => Some(Half::Matin),
            "apres-midi" => Some(Half::ApresMidi),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Half::Matin => "matin",
            Half::ApresMidi => "après-midi",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motif {
    pub code: String,
    pub label: String,
    pub justifies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JustState {
    Attente,
    Acceptee,
    Refusee,
}

impl JustState {
    pub fn as_str(self) -> &'static str {
        match self {
            JustState::Attente => "attente",
            JustState::Acceptee => "acceptee",
            JustState::Refusee => "refusee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "attente" => Some(Self::Attente),
            "acceptee" => Some(Self::Acceptee),
            "refusee" => Some(Self::Refusee),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Justification {
    pub id: i64,
    pub pupil: String,
    pub day: Date,
    pub half: Half,
    pub motif: String,
    pub message: String,
    pub piece_name: Option<String>,
    pub sent_by: String,
    pub sent_at: i64,
    pub state: JustState,
    pub decided_at: Option<i64>,
}

/// A pupil's mark with the course it was taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilMark {
    pub appel: Appel,
    pub mark: Mark,
}

/// A justificatif's kind, from its first bytes: PDF, PNG or JPEG only.
pub fn piece_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("pdf", "application/pdf"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demi_journees_and_pieces() {
        assert_eq!(Half::of(8 * 60), Half::Matin);
        assert_eq!(Half::of(11 * 60 + 59), Half::Matin);
        assert_eq!(Half::of(12 * 60), Half::ApresMidi);
        assert_eq!(
            piece_kind(b"%PDF-1.7 ..."),
            Some(("pdf", "application/pdf"))
        );
        assert_eq!(piece_kind(b"<html>"), None);
        assert_eq!(MarkKind::parse("retard"), Some(MarkKind::Retard));
        assert_eq!(MarkKind::parse("present"), None);
    }
}
