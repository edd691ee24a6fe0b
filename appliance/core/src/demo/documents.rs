//! A few documents so the demo's file spaces are not empty: in `commun` and in a class's
//! `donnees`. Written once; what people change or delete afterwards is left alone.

use crate::Result;
use crate::config::FilesConfig;
use crate::directory::ClassCode;
use crate::error::{Error, blocking};
use crate::files::tree::{ClassPart, Tree};

const DOCUMENTS: &[(&str, &str)] = &[
    (
        "Bienvenue.txt",
        "Bienvenue sur l'espace numérique de travail du collège !\n\n\
         Vos documents personnels sont dans « Mes documents » : vous les retrouvez sur tous\n\
         les ordinateurs du collège (lecteur réseau) et depuis chez vous sur l'ENT.\n",
    ),
    (
        "Règlement intérieur.txt",
        "Règlement intérieur (extrait)\n\n1. Les cours commencent à 8 h 05.\n\
         2. Le carnet de correspondance est toujours dans le cartable.\n",
    ),
];

const CLASS_DOCUMENT: (&str, &str) = (
    "Fournitures de la rentrée.txt",
    "Fournitures de 6e\n\n- un cahier 24 x 32 grands carreaux par matière\n\
     - une calculatrice collège\n- un agenda\n",
);

/// Writes the demo's documents where they are missing, once.
pub async fn seed(config: &FilesConfig, marker_dir: &std::path::Path) -> Result<()> {
    let tree = Tree::new(config.root.clone());
    let marker = marker_dir.join("demo-documents");
    blocking(move || {
        if marker.exists() {
            return Ok(());
        }
        let class = ClassCode::parse("6A")?;
        let mut files: Vec<(std::path::PathBuf, &str)> = DOCUMENTS
            .iter()
            .map(|(n, t)| (tree.commun().join(n), *t))
            .collect();
        files.push((
            tree.class_part(&class, ClassPart::Donnees)
                .join(CLASS_DOCUMENT.0),
            CLASS_DOCUMENT.1,
        ));
        for (path, text) in files {
            if path.parent().is_some_and(|d| d.is_dir()) && !path.exists() {
                std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            }
        }
        std::fs::write(&marker, "").map_err(|e| Error::io(&marker, e))
    })
    .await
}
