//! The ENT modules this build carries; the configuration says which are mounted.

use std::sync::Arc;

use cartable_web::module::{Module, Mounted};

/// Every module of this build, in the order the portal shows them.
pub fn available() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(cartable_actualites::Actualites),
        Arc::new(cartable_emploi_du_temps::EmploiDuTemps),
        Arc::new(cartable_cahier_de_textes::CahierDeTextes),
        Arc::new(cartable_agenda::Agenda),
        Arc::new(cartable_vie_scolaire::VieScolaire),
        Arc::new(cartable_messagerie::Messagerie),
        Arc::new(cartable_carnet::Carnet),
        Arc::new(cartable_forums::Forums),
        Arc::new(cartable_blogs::Blogs),
        Arc::new(cartable_reservations::Reservations),
        Arc::new(cartable_mediacentre::Mediacentre),
        Arc::new(cartable_notes::Notes),
    ]
}

/// The modules the configuration mounts; an unknown id names the key.
pub fn mounted(config: &cartable_core::config::ModulesConfig) -> anyhow::Result<Mounted> {
    Mounted::from_config(available(), config).map_err(anyhow::Error::msg)
}
