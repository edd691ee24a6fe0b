//! What the actualités say, in French, in one place.

pub const TITLE: &str = "Actualités";
pub const TILE: &str = "La vie de l'établissement : informations, menus de la cantine";
pub const RETENTION_WHAT: &str = "les actualités (titre, texte, publics, auteur, dates), qui les a lues quand une lecture est demandée, et les rédacteurs de chaque rubrique";
pub const RETENTION_HOW_LONG: &str = "deux ans après la fin de leur publication ; les lectures et les rôles d'une personne disparaissent avec son compte";
pub const NOTHING: &str = "Aucune actualité pour vous en ce moment.";
pub const NOTHING_WAITING: &str = "Rien n'attend votre validation.";
pub const NO_CHANNEL: &str = "Aucune rubrique où vous pouvez écrire. La direction ou l'administrateur de l'ENT vous en ouvre une.";

pub const NEW_KIND: &str = "Nouvelle actualité pour vous";
pub const WAITING_KIND: &str = "Actualité à valider dans une rubrique dont vous êtes publieur";
pub const DECIDED_KIND: &str = "Votre actualité validée ou refusée";

pub const NEED_TITLE: &str = "Donnez un titre à l'actualité.";
pub const NEED_BODY: &str = "Écrivez le texte de l'actualité.";
pub const BODY_TOO_LONG: &str = "Le texte est trop long (20 000 caractères au plus).";
pub const NEED_AUDIENCE: &str = "Choisissez au moins un public : tout le monde, les personnels, les élèves, les parents, un niveau, une classe ou les parents d'une classe.";
pub const UNKNOWN_CLASS: &str = "Classe ou niveau inconnu de l'annuaire.";
pub const UNKNOWN_CHANNEL: &str = "Choisissez une rubrique où vous pouvez écrire.";
pub const BAD_FROM: &str = "Date ou heure de publication invalide (jj/mm/aaaa, 08h00).";
pub const BAD_UNTIL: &str = "Date ou heure de fin invalide, ou avant le début de la publication.";
pub const BAD_IMAGE: &str = "Image introuvable dans vos documents.";
pub const IMAGE_TOO_BIG: &str = "Image trop lourde (8 Mo au plus).";
pub const NOT_AN_IMAGE: &str = "Ce fichier n'est pas une image (PNG, JPEG, GIF ou WebP).";
pub const NEED_REASON: &str = "Dites à l'auteur pourquoi l'actualité est refusée.";
pub const ALREADY_DECIDED: &str = "Un autre publieur a déjà décidé de cette actualité.";
pub const NEED_CHANNEL_NAME: &str = "Donnez un nom à la rubrique.";
pub const CHANNEL_EXISTS: &str = "Une rubrique porte déjà ce nom.";
pub const UNKNOWN_PERSON: &str = "Identifiant inconnu de l'annuaire, ou celui d'un élève : les élèves n'écrivent pas les actualités.";

pub const PUBLISHED: &str = "Actualité publiée.";
pub const SCHEDULED: &str = "Actualité programmée : elle paraîtra à la date choisie.";
pub const SUBMITTED: &str = "Actualité envoyée à la validation d'un publieur de la rubrique.";
pub const ACCEPTED: &str = "Actualité validée et publiée.";
pub const REFUSED: &str = "Actualité refusée ; son auteur en est averti avec votre motif.";
pub const DELETED: &str = "Actualité supprimée.";
pub const MARKED_READ: &str = "Merci : votre lecture est enregistrée.";
pub const CHANNEL_ADDED: &str = "Rubrique créée.";
pub const ROLE_SET: &str = "Rôle enregistré.";
pub const ROLE_REMOVED: &str = "Rôle retiré.";

pub fn read_by(read: usize, of: usize, who: &str) -> String {
    format!("Lu par {read} {who} sur {of}")
}

pub fn menu_title(monday: &str) -> String {
    format!("Menu de la cantine, semaine du {monday}")
}

pub fn waiting(n: usize) -> String {
    match n {
        1 => "1 actualité attend votre validation".into(),
        n => format!("{n} actualités attendent votre validation"),
    }
}

pub fn refused_body(reason: &str) -> String {
    format!("Motif : {reason}")
}
