//! Configuration problems, each naming its key and line, reported all at once.

use std::fmt;
use std::path::PathBuf;

/// One problem in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Dotted TOML key (`directory.backend`), empty when the file itself is unreadable.
    pub key: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong, in French.
    pub message: String,
}

/// Every problem found in one configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors {
    pub file: PathBuf,
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "configuration refusée ({}) : {} problème{}",
            self.file.display(),
            n,
            if n > 1 { "s" } else { "" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - ")?;
            if let Some(line) = p.line {
                write!(f, "ligne {line}, ")?;
            }
            if !p.key.is_empty() {
                write!(f, "clé `{}` : ", p.key)?;
            }
            write!(f, "{}", p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}
