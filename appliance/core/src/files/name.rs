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
    Forbidden {
        name: String,
        what: String,
    },
    TrailingDotOrSpace(String),
    Reserved(String),
    /// Starts with a dot: hidden, and the service keeps its own such names (`.corbeille`…).
    Hidden(String),
    /// Holds a character that changes how the name reads (bidi override, zero width).
    Deceptive(String),
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
            NameError::Hidden(n) => write!(
                f,
                "« {n} » commence par un point : ces noms sont cachés ou réservés à l'ENT"
            ),
            NameError::Deceptive(n) => write!(
                f,
                "le nom « {n} » contient un caractère invisible ou qui inverse le sens de \
                 lecture, refusé"
            ),
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

    /// A name a person gives from the web: what [`Self::parse`] accepts, but not hidden (the
    /// web lists no dot-name and the service keeps its own, like `.corbeille`) and without
    /// characters that make it read as another name (`facture\u{202E}fdp.exe`).
    pub fn parse_new(s: &str) -> Result<Self, NameError> {
        let name = Self::parse(s)?;
        if s.starts_with('.') {
            return Err(NameError::Hidden(s.to_owned()));
        }
        if s.chars().any(deceptive) {
            return Err(NameError::Deceptive(
                s.chars().filter(|c| !deceptive(*c)).collect(),
            ));
        }
        Ok(name)
    }

    /// A folder name made from a title a person typed: what Windows cannot show (« : », « / »,
    /// « ? »…) becomes « - », invisible characters go, trailing dots and spaces too; a
    /// reserved or empty result becomes `fallback`. The title itself is kept as typed.
    pub fn from_title(title: &str, fallback: &str) -> Self {
        let mut out = String::new();
        for c in title.trim().chars() {
            match c {
                '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' => {
                    if !out.ends_with('-') && !out.ends_with(" - ") {
                        out.push_str(if out.ends_with(' ') { "- " } else { " - " });
                    }
                }
                c if c.is_control() || deceptive(c) => {}
                c => out.push(c),
            }
        }
        let mut out: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        out = out.chars().take(100).collect();
        let out = out
            .trim_start_matches(['.', ' ', '-'])
            .trim_end_matches(['.', ' ', '-'])
            .to_owned();
        Self::parse_new(&out)
            .or_else(|_| Self::parse_new(fallback))
            .unwrap_or_else(|_| Self("devoir".to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Format characters that are invisible or reorder the text around them.
fn deceptive(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
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
    fn titles_become_folder_names_windows_can_show() {
        let f = |t: &str| SafeName::from_title(t, "Devoir").as_str().to_owned();
        assert_eq!(f("DM n° 3 : les fractions"), "DM n° 3 - les fractions");
        assert_eq!(f("Pourquoi ? Comment ?"), "Pourquoi - Comment");
        assert_eq!(f("a/b\\c"), "a - b - c");
        assert_eq!(f("CON"), "Devoir");
        assert_eq!(f("  ...  "), "Devoir");
        assert_eq!(f("exposé\u{202E}fdp"), "exposéfdp");
        assert_eq!(f(&"x".repeat(300)).len(), 100);
    }

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
        for n in [
            ".corbeille",
            ".envoi-1",
            "devoir\u{202E}fdp.exe",
            "a\u{200B}b",
            "\u{FEFF}x",
        ] {
            assert!(SafeName::parse_new(n).is_err(), "{n:?} accepted");
        }
        assert!(SafeName::parse_new("Exposé d'histoire.odt").is_ok());
        let msg = SafeName::parse("a:b").map(|_| ()).unwrap_err().to_string();
        assert!(msg.contains("« : »") && msg.contains("Windows"), "{msg}");
    }
}
