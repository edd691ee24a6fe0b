//! The demo's médiacentre: the collectivité's bouquet (a dictionary, an encyclopedia), free
//! sites for pupils and families, the collège's Moodle through the ENT's CAS; a 6A teacher's
//! link shared with his class.

use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{Kind, Resource, Signet};
use crate::store;

/// (title, editor, description, address, kind, profiles, levels).
type Offer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Kind,
    &'static [Profile],
    &'static [&'static str],
);

const OFFERS: &[Offer] = &[
    (
        "Dictionnaire Le Robert Collège",
        "Le Robert",
        "Définitions, synonymes, conjugaison et étymologie, avec la prononciation des mots.",
        "https://college.lerobert.com/",
        Kind::Bouquet,
        &[Profile::Enseignant, Profile::Documentaliste],
        &["6", "5", "4", "3"],
    ),
    (
        "Encyclopædia Universalis Junior",
        "Encyclopædia Universalis",
        "L'encyclopédie des 8-14 ans : articles, cartes, médias et dossiers pour les exposés.",
        "https://junior.universalis-edu.com/",
        Kind::Bouquet,
        &[Profile::Eleve, Profile::Enseignant, Profile::Documentaliste],
        &[],
    ),
    (
        "Moodle du collège",
        "Le collège",
        "Les cours en ligne de vos enseignants : exercices, quiz et documents de la classe.",
        "https://moodle.college-les-tilleuls.invalid/my/",
        Kind::Ent,
        &[Profile::Eleve, Profile::Enseignant],
        &[],
    ),
    (
        "Portail du CDI",
        "e-sidoc",
        "Le catalogue du CDI : chercher un livre, voir s'il est disponible, le réserver.",
        "https://cdi.college-demo.fr/",
        Kind::Link,
        &[
            Profile::Eleve,
            Profile::Enseignant,
            Profile::Documentaliste,
            Profile::VieScolaire,
            Profile::Direction,
        ],
        &[],
    ),
    (
        "Lumni",
        "France Télévisions et l'INA",
        "Vidéos, jeux et articles pour réviser, du CP au lycée.",
        "https://www.lumni.fr/college",
        Kind::Link,
        &[Profile::Eleve, Profile::Enseignant, Profile::Responsable],
        &[],
    ),
    (
        "Pix",
        "GIP Pix",
        "Évaluer et certifier ses compétences numériques (certification en 3e).",
        "https://pix.fr/",
        Kind::Link,
        &[Profile::Enseignant],
        &["4", "3"],
    ),
    (
        "Vikidia",
        "Association Wikimédia France",
        "L'encyclopédie collaborative pour les 8-13 ans.",
        "https://fr.vikidia.org/",
        Kind::Link,
        &[Profile::Eleve],
        &[],
    ),
];

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    if !state.store.read(store::resources).await?.is_empty() {
        return Ok(());
    }
    let now = state.clock.now().unix_timestamp();
    // A service of the ENT only if the CAS knows it (the demo's Moodle); else left out.
    let offers: Vec<Offer> = OFFERS
        .iter()
        .filter(|o| o.4 != Kind::Ent || state.config.cas.service_for(o.3).is_some())
        .copied()
        .collect();
    let teacher = match ClassCode::parse("6A") {
        Ok(code) => state
            .directory
            .search(&PersonQuery {
                class: Some(code),
                profile: Some(Profile::Enseignant),
                per_page: 1,
                ..PersonQuery::default()
            })
            .await?
            .people
            .first()
            .map(|p| p.login.to_string()),
        Err(_) => None,
    };
    state
        .store
        .write(move |w| {
            for (title, editor, description, url, kind, profiles, levels) in &offers {
                store::save_resource(
                    w,
                    &Resource {
                        id: 0,
                        title: (*title).into(),
                        description: (*description).into(),
                        editor: (*editor).into(),
                        url: (*url).into(),
                        kind: *kind,
                        profiles: profiles.to_vec(),
                        classes: Vec::new(),
                        levels: levels.iter().map(|l| (*l).to_owned()).collect(),
                        created_by: "demo".into(),
                        updated: now,
                    },
                )?;
            }
            if let Some(t) = teacher {
                store::add_signet(
                    w,
                    &Signet {
                        id: 0,
                        owner: t,
                        class: Some("6A".into()),
                        title: "La Rome antique (Vikidia) — pour l'exposé du 15".into(),
                        url: "https://fr.vikidia.org/wiki/Rome_antique".into(),
                        created: now,
                    },
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
