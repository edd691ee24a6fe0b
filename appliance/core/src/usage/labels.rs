//! Services and profiles as the national audience measure names them, said in French.

/// Profiles as stored (`Profile::as_str`), in the plural.
pub const PROFILES: &[(&str, &str)] = &[
    ("eleve", "Élèves"),
    ("responsable", "Parents"),
    ("enseignant", "Enseignants"),
    ("direction", "Direction"),
    ("vie-scolaire", "Vie scolaire"),
    ("documentaliste", "Documentalistes"),
    ("administratif", "Administratifs"),
    ("admin", "Administrateurs ENT"),
    (SMALL_PROFILES, "Autres profils"),
];

/// Where the profiles too small to be shown on their own are put together (hours, devices).
pub const SMALL_PROFILES: &str = "autres";

/// Services as the national measure names them.
pub const SERVICES: &[(&str, &str)] = &[
    ("accueil", "Accueil (portail)"),
    ("cahier_textes", "Cahier de textes"),
    ("absences", "Vie scolaire"),
    ("notes", "Notes"),
    ("stockage_partage", "Espace de stockage"),
    ("courrier_electronique", "Messagerie"),
    ("actualites", "Actualités"),
    ("reservation_salles_materiels", "Réservations"),
    ("agenda", "Agenda"),
    ("emploi_du_temps", "Emploi du temps"),
    ("ressources_numeriques", "Médiacentre"),
];

pub fn service_label(s: &str) -> String {
    SERVICES
        .iter()
        .find(|(k, _)| *k == s)
        .map_or_else(|| s.to_owned(), |(_, l)| (*l).to_owned())
}

pub fn profile_label(p: &str) -> String {
    PROFILES
        .iter()
        .find(|(k, _)| *k == p)
        .map_or_else(|| p.to_owned(), |(_, l)| (*l).to_owned())
}

/// Where the profiles come in the tables: as [`PROFILES`] lists them.
pub fn profile_rank(p: &str) -> usize {
    PROFILES
        .iter()
        .position(|(k, _)| *k == p)
        .unwrap_or(PROFILES.len())
}
