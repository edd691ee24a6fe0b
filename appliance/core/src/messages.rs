//! User-facing French text of cartable-core, in one place.

/// Profile names as shown to people.
pub const PROFILE_ELEVE: &str = "Élève";
pub const PROFILE_RESPONSABLE: &str = "Parent";
pub const PROFILE_ENSEIGNANT: &str = "Enseignant";
pub const PROFILE_DIRECTION: &str = "Direction";
pub const PROFILE_VIE_SCOLAIRE: &str = "Vie scolaire";
pub const PROFILE_DOCUMENTALISTE: &str = "Documentaliste";
pub const PROFILE_ADMINISTRATIF: &str = "Personnel administratif";
pub const PROFILE_ADMIN: &str = "Administrateur ENT";

/// Why a sign-in was refused, as told to the person (deliberately vague about which part
/// was wrong, so logins cannot be probed).
pub const LOGIN_REFUSED: &str = "Identifiant ou mot de passe incorrect.";
pub const ACCOUNT_DISABLED: &str =
    "Ce compte est désactivé. Adressez-vous à l'administrateur ENT de l'établissement.";
