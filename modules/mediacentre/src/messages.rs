//! What the médiacentre says, in French, in one place.

pub const TITLE: &str = "Médiacentre";
pub const TILE: &str = "Les ressources numériques de l'établissement et mes signets";
pub const RETENTION_WHAT: &str = "les ressources déclarées par l'établissement, les favoris et les signets de chacun (titre, adresse, classe avec laquelle un enseignant les partage)";
pub const RETENTION_HOW_LONG: &str =
    "tant que le compte existe ; les signets et favoris d'une personne partie sont effacés";

pub const KIND_LINK: &str = "Site en accès libre";
pub const KIND_ENT: &str = "Service connecté à l'ENT (sans second mot de passe)";
pub const KIND_BOUQUET: &str = "Ressource du bouquet de la collectivité";

pub const NO_RESOURCE: &str = "Aucune ressource ne vous est proposée pour l'instant.";
pub const NO_MATCH: &str = "Aucune ressource ne correspond à cette recherche.";
pub const NO_FAVORITE: &str =
    "Aucun favori : cliquez sur « Ajouter aux favoris » sous une ressource pour la retrouver ici.";
pub const NO_SIGNET: &str = "Aucun signet pour l'instant.";
pub const NO_CLASS_SIGNET: &str = "Aucun lien partagé avec votre classe pour l'instant.";
pub const NO_RESOURCE_DECLARED: &str =
    "Aucune ressource déclarée : ajoutez la première avec le formulaire ci-dessous.";

pub const NEED_TITLE: &str = "Donnez un titre.";
pub const TITLE_TOO_LONG: &str = "Le titre est trop long (200 caractères au plus).";
pub const DESCRIPTION_TOO_LONG: &str = "La description est trop longue (1 000 caractères au plus).";
pub const NEED_URL: &str = "Donnez l'adresse (elle commence par https://).";
pub const URL_TOO_LONG: &str = "L'adresse est trop longue (2 000 caractères au plus).";
pub const URL_SCHEME: &str = "L'adresse doit commencer par https:// ou http://.";
pub const URL_INVALID: &str =
    "Cette adresse n'est pas valide : vérifiez-la (pas d'espace, un nom de site après https://).";
pub const NOT_A_CAS_SERVICE: &str = "Cette adresse n'est pas celle d'un service relié à l'ENT : le RUPN le déclare d'abord (section [cas] de la configuration), ou choisissez « Site en accès libre ».";
pub const NEED_KIND: &str = "Choisissez comment la ressource s'ouvre.";
pub const NEED_AUDIENCE: &str =
    "Choisissez au moins un profil, une classe ou un niveau à qui proposer la ressource.";
pub const NEED_CLASS: &str = "Choisissez une de vos classes.";
pub const TOO_MANY_SIGNETS: &str =
    "Vous avez déjà 200 signets : supprimez-en un avant d'en ajouter un autre.";
pub const CONFIRM: &str = "Cochez la case pour confirmer la suppression.";

pub const SIGNET_ADDED: &str = "Signet ajouté.";
pub const SHARED: &str =
    "Lien partagé avec la classe : ses élèves le trouvent dans leur médiacentre.";
pub const SIGNET_DELETED: &str = "Signet supprimé.";
pub const FAVORITE_ADDED: &str = "Ajouté à vos favoris.";
pub const FAVORITE_REMOVED: &str = "Retiré de vos favoris.";
pub const RESOURCE_SAVED: &str =
    "Ressource enregistrée : elle apparaît dans le médiacentre de ceux à qui elle est proposée.";
pub const RESOURCE_DELETED: &str = "Ressource supprimée du médiacentre.";

/// « 12 ressources, 3 favoris » on the portal's tile.
pub fn tile_count(resources: usize, favorites: &[String]) -> String {
    let r = match resources {
        0 => "Aucune ressource".to_owned(),
        1 => "1 ressource".to_owned(),
        n => format!("{n} ressources"),
    };
    if favorites.is_empty() {
        r
    } else {
        format!("{r} — favoris : {}", favorites.join(", "))
    }
}

/// « Pour : Enseignants, 6e A, niveau 5e ».
pub fn audience(parts: &[String]) -> String {
    format!("Pour : {}", parts.join(", "))
}
