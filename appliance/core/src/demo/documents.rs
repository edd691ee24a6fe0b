//! Documents in every file space of the demo, as in mid-term: the common documents, each
//! class's documents and shared work, each group's, and a few in everyone's own space. Written
//! where missing, once (a marker file says when); what people change or delete afterwards is
//! left alone.

use std::path::PathBuf;

use crate::Result;
use crate::config::FilesConfig;
use crate::directory::{
    AccountState, AnyDirectory, DirectoryRead, GroupKind, PersonQuery, Profile,
};
use crate::error::{Error, blocking};
use crate::files::tree::{ClassPart, Tree, has_space};

/// The marker's name under the data folder; its text says what was written.
const MARKER: &str = "demo-documents";

const COMMUN: &[(&str, &str)] = &[
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
    (
        "Charte informatique.txt",
        "Charte d'usage du numérique\n\n- Mon mot de passe est personnel : je ne le prête pas.\n\
         - Je me déconnecte en quittant un poste.\n- Je respecte les autres en ligne.\n",
    ),
    (
        "Calendrier du trimestre.txt",
        "Calendrier du premier trimestre\n\n- Conseils de classe : semaine du 7 décembre\n\
         - Remise des bulletins : avant les vacances de Noël\n",
    ),
];

const CLASS_DOCUMENTS: &[(&str, &str)] = &[
    (
        "Fournitures de la rentrée.txt",
        "Fournitures\n\n- un cahier 24 x 32 grands carreaux par matière\n\
         - une calculatrice collège\n- un agenda\n",
    ),
    (
        "Sortie scolaire - autorisation.txt",
        "Autorisation de sortie\n\nÀ rendre signée au professeur principal avant vendredi.\n",
    ),
];

const CLASS_WORK: (&str, &str) = (
    "Exposés/Consignes.txt",
    "Exposés\n\nDéposez ici votre exposé (un fichier par groupe), nommé\n\
     « Nom1 Nom2 - sujet ».\n",
);

const GROUP_DOCUMENT: (&str, &str) = (
    "Présentation.txt",
    "Ce dossier est partagé par les membres du groupe.\n",
);

const EQUIPE_DOCUMENT: (&str, &str) = (
    "Compte rendu du conseil pédagogique.txt",
    "Compte rendu\n\n- Projets de l'année\n- Dates des évaluations communes\n",
);

fn personal(profile: Profile) -> &'static [(&'static str, &'static str)] {
    match profile {
        Profile::Eleve => &[
            (
                "Français/Brouillon de rédaction.txt",
                "Il était une fois, au fond d'une forêt…\n",
            ),
            (
                "Histoire-géographie/Exposé - notes.txt",
                "Mes notes pour l'exposé.\n",
            ),
        ],
        Profile::Enseignant => &[
            (
                "Progression annuelle.txt",
                "Progression\n\nPériode 1 : chapitres 1 à 3\nPériode 2 : chapitres 4 à 6\n",
            ),
            (
                "Évaluations/Contrôle du chapitre 3.txt",
                "Contrôle — chapitre 3\n\nExercice 1 (5 points)…\n",
            ),
        ],
        _ => &[("Notes.txt", "Notes de réunion.\n")],
    }
}

/// Writes the demo's documents where they are missing, once.
pub async fn seed(
    config: &FilesConfig,
    marker_dir: &std::path::Path,
    directory: &AnyDirectory,
) -> Result<()> {
    let marker = marker_dir.join(MARKER);
    let done = {
        let m = marker.clone();
        blocking(move || Ok(std::fs::read(&m).is_ok_and(|t| !t.is_empty()))).await?
    };
    if done {
        return Ok(());
    }
    let tree = Tree::new(config.root.clone());
    // (space, path within it, text).
    let mut files: Vec<(PathBuf, &'static str, &'static str)> = COMMUN
        .iter()
        .map(|(n, t)| (tree.commun(), *n, *t))
        .collect();
    for class in directory.classes().await? {
        for (n, t) in CLASS_DOCUMENTS {
            files.push((tree.class_part(&class.code, ClassPart::Donnees), n, t));
        }
        files.push((
            tree.class_part(&class.code, ClassPart::Travail),
            CLASS_WORK.0,
            CLASS_WORK.1,
        ));
    }
    for group in directory.groups().await? {
        let (n, t) = match group.kind {
            GroupKind::Equipe => EQUIPE_DOCUMENT,
            _ => GROUP_DOCUMENT,
        };
        files.push((tree.group(&group.code), n, t));
    }
    let mut page = 0;
    loop {
        let found = directory
            .search(&PersonQuery {
                state: Some(AccountState::Active),
                page,
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            })
            .await?;
        for p in found.people.iter().filter(|p| has_space(p.profile)) {
            for (n, t) in personal(p.profile) {
                files.push((tree.perso(&p.login), n, t));
            }
        }
        if found.people.len() < PersonQuery::MAX_PAGE {
            break;
        }
        page += 1;
    }
    blocking(move || {
        let mut written = 0usize;
        for (space, name, text) in &files {
            // Only into spaces that exist (laid out by the files pass), never over a file.
            let path = space.join(name);
            if !space.is_dir() || path.exists() {
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            written += 1;
        }
        let note = format!("documents de démonstration écrits : {written}\n");
        std::fs::write(&marker, note).map_err(|e| Error::io(&marker, e))
    })
    .await
}
