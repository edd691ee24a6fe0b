//! French text printed by cartabled.

pub const FATAL: &str = "cartabled s'est arrêté sur une erreur";
pub const LISTENING: &str = "cartable écoute sur";
pub const DEMO_READY: &str = "Établissement de démonstration prêt";
pub const DEMO_SEEDED: &str = "Comptes de démonstration créés";
pub const DEMO_KEPT: &str = "Données existantes conservées";
pub const DEMO_ACCOUNTS: &str = "Identifiants de démonstration";
pub const TRUST_CA: &str = "Autorité de certification locale à faire confiance";
pub const CONFIG_OK: &str = "Configuration valide";
pub const STOPPING: &str = "Arrêt demandé : fin des requêtes en cours…";
pub const STOPPED: &str = "cartabled arrêté proprement.";
pub const FROM_ELSEWHERE: &str = "depuis un autre poste :";
