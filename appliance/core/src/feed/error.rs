//! A refused feed: which file, which line, what is wrong — in French, for the technician.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError {
    /// The file at fault (its name), when one is.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    pub message: String,
}

impl FeedError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            message: message.into(),
        }
    }

    pub fn in_file(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: Some(file.into()),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flux refusé : ")?;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ", ligne {line}")?;
            }
            write!(f, " : ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for FeedError {}
