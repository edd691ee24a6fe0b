//! The one error type of cartable-core. Variants say what failed and carry the file, key or
//! field involved; the web layer turns them into a French message in one place.

use std::path::PathBuf;

use crate::config::ConfigErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file is invalid; every problem is listed.
    #[error("{0}")]
    Config(#[from] ConfigErrors),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A failure of the SQLite store, with what was being done.
    #[error("store: {context}: {message}")]
    Store {
        context: &'static str,
        message: String,
    },

    /// The store's worker is gone (daemon shutting down).
    #[error("store: the database worker has stopped")]
    StoreClosed,

    /// The database was written by a newer cartable.
    #[error("store: database schema version {found} is newer than this build knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },

    /// A feed refused before anything was written.
    #[error("{0}")]
    Feed(#[from] crate::feed::FeedError),

    #[error("directory: {0}")]
    Directory(String),

    /// The Samba AD domain controller refused or could not be reached.
    #[error("domaine: {0}")]
    Domain(String),

    /// A name that would be ambiguous or is malformed, with the field.
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    #[error("not found: {0}")]
    NotFound(String),

    /// A password refused by the policy; the text is French, for the person.
    #[error("{0}")]
    Policy(String),

    #[error("password hashing: {0}")]
    PasswordHash(String),

    /// Too many password checks are waiting: try again in a few seconds.
    #[error("too many password checks waiting")]
    Busy,

    /// A blocking task panicked or was cancelled.
    #[error("background task failed: {0}")]
    Task(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Runs blocking work (hashing, file generation) on the blocking pool.
pub async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Task(e.to_string()))?
}
