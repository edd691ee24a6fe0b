//! The tool's errors, in French for the technician.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} : {1}")]
    Io(PathBuf, std::io::Error),
    #[error("fichier de site {file} : {reason}")]
    Site { file: PathBuf, reason: String },
    #[error("« {0} » a échoué : {1}")]
    Command(String, String),
    #[error("interruption simulée pendant l'étape « {0} »")]
    Interrupted(String),
    #[error(
        "étape « {0} » : {1} (les fichiers de cette étape ont été remis comme avant ; relancez install pour reprendre)"
    )]
    Step(String, Box<Error>),
}
