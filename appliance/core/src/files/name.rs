//! One file or folder name, as a school PC (Windows, through Samba) and Linux both accept it.

use std::fmt;

/// A name that is safe to create anywhere in a space.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeName(String);

/// Why a name is refused, in French for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    Dots(String),
    TooLong(String),
    Forbidden { name: String, what: String },
    TrailingDotOrSpace(String),
    Reserved(String),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "nom vide"),
            NameError::Dots(n) => write!(f, "« {n} » n'est pas un nom de fichier"),
            NameError::TooLong(n) => {
                write!(f, "le nom « {n}… » est trop long (255 octets au plus)")
            }
            NameError::Forbidden { name, what } => {
                write!(f, "le nom « {name} » contient {what}, refusé par Windows")
            }
            NameError::TrailingDotOrSpace(n) => write!(
                f,
                "le nom « {n} » finit par un point ou une espace, que Windows supprime"
            ),
            NameError::Reserved(n) => write!(f, "« {n} » est un nom réservé par Windows"),
        }
    }
}

impl std::error::Error for NameError {}

/// Device names Windows reserves, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

impl SafeName {
    pub fn parse(s: &str) -> Result<Self, NameError> {
        if s.is_empty() {
            return Err(NameError::Empty);
        }
        if s == "." || s == ".." {
            return Err(NameError::Dots(s.to_owned()));
        }
        if s.len() > 255 {
            return Err(NameError::TooLong(s.chars().take(40).collect()));
        }
        for c in s.chars() {
            let what = match c {
                '/' | '\\' => Some("une barre oblique".to_owned()),
                '<' | '>' | ':' | '"' | '|' | '?' | '*' => Some(format!("le caractère « {c} »")),
                c if c.is_control() => Some("un caractère de contrôle".to_owned()),
                _ => None,
            };
            if let Some(what) = what {
                return Err(NameError::Forbidden {
                    name: s.chars().filter(|c| !c.is_control()).collect(),
                    what,
                });
            }
        }
        if s.ends_with('.') || s.ends_with(' ') {
            return Err(NameError::TrailingDotOrSpace(s.to_owned()));
        }
        let stem = s.split('.').next().unwrap_or(s).trim_end();
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
            return Err(NameError::Reserved(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SafeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_french_names_pass() {
        for n in [
            "Exposé d'histoire.odt",
            "TP n°3 (version 2).pdf",
            "été 2026",
            ".cache",
            "a..b",
            "Œuvres complètes",
        ] {
            assert!(SafeName::parse(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn what_windows_or_linux_refuse_is_refused() {
        for n in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "a:b",
            "why?",
            "star*",
            "pipe|",
            "q\"",
            "<x>",
            "tab\there",
            "fin.",
            "fin ",
            "CON",
            "con.txt",
            "Lpt1.doc",
            "NUL",
        ] {
            assert!(SafeName::parse(n).is_err(), "{n:?} accepted");
        }
        assert!(SafeName::parse(&"é".repeat(200)).is_err());
        let msg = SafeName::parse("a:b").map(|_| ()).unwrap_err().to_string();
        assert!(msg.contains("« : »") && msg.contains("Windows"), "{msg}");
    }
}
