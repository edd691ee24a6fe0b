//! The hub's one error type.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration key is wrong; names the key.
    #[error("{file} : clé « {key} » : {reason}")]
    Config {
        file: PathBuf,
        key: String,
        reason: String,
    },
    #[error("{path} : {message}")]
    File { path: PathBuf, message: String },
    #[error("PostgreSQL : {0}")]
    Database(String),
    #[error("certificat : {0}")]
    Certificate(String),
    /// The caller may not do this (another établissement's UAI, a revoked certificate).
    #[error("{0}")]
    Forbidden(String),
    /// Something the caller gave is refused; the message says what, in French.
    #[error("{0}")]
    Refused(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's own message (a constraint, a missing role) says more than the wrapper.
        match e.as_db_error() {
            Some(db) => Error::Database(db.message().to_owned()),
            None => Error::Database(e.to_string()),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Error::Database(e.to_string())
    }
}

pub fn file_error(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    Error::File {
        path: path.to_owned(),
        message: e.to_string(),
    }
}
