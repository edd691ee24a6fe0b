//! What the forums say, in French, in one place.

pub const TITLE: &str = "Forums";
pub const TILE: &str = "Les discussions de mes classes et de mes groupes";
pub const RETENTION_WHAT: &str = "les sujets et messages des forums de classe et de groupe (auteur, date, texte), les signalements et ce qu'en ont fait les modérateurs";
pub const RETENTION_HOW_LONG: &str = "un an après le dernier message d'un sujet ; le texte des messages d'une personne partie de l'établissement est effacé";
pub const NO_FORUM: &str =
    "Vous n'êtes dans aucune classe ni aucun groupe : pas de forum pour vous.";
pub const NO_SUBJECT: &str = "Aucun sujet pour l'instant : ouvrez le premier.";
pub const FORMER_MEMBER: &str = "Ancien membre";
pub const NO_REPORT: &str = "Aucun signalement à traiter.";

pub const REPORT_KIND: &str = "Message signalé dans un forum que vous modérez";

pub const NEED_TITLE: &str = "Donnez un titre au sujet.";
pub const NEED_BODY: &str = "Écrivez votre message.";
pub const BODY_TOO_LONG: &str = "Le message est trop long (20 000 caractères au plus).";
pub const LOCKED: &str = "Ce sujet est verrouillé : on ne peut plus y répondre.";
pub const FULL: &str = "Ce sujet a atteint 1 000 messages : ouvrez-en un autre.";
pub const CONFIRM: &str = "Cochez la case pour confirmer la suppression.";
pub const NEED_REASON: &str = "Dites pourquoi (quelques mots suffisent).";

pub const SUBJECT_OPENED: &str = "Sujet ouvert.";
pub const REPLIED: &str = "Réponse publiée.";
pub const PINNED: &str = "Sujet épinglé en tête du forum.";
pub const UNPINNED: &str = "Sujet désépinglé.";
pub const LOCKED_NOW: &str = "Sujet verrouillé : plus personne ne peut y répondre.";
pub const UNLOCKED: &str = "Sujet déverrouillé.";
pub const SUBJECT_DELETED: &str = "Sujet supprimé avec ses messages.";
pub const HIDDEN: &str = "Message masqué ; les signalements qui le visaient sont traités.";
pub const KEPT: &str = "Message gardé ; le signalement est traité.";
pub const DELETED: &str = "Message supprimé.";
pub const REPORTED: &str = "Merci : les modérateurs du forum sont prévenus.";
pub const ALREADY_REPORTED: &str =
    "Vous avez déjà signalé ce message ; les modérateurs sont prévenus.";

pub fn hidden_by(who: &str, why: &str) -> String {
    format!("Message masqué par {who} : {why}")
}

pub fn subjects(n: i64) -> String {
    match n {
        0 => "aucun sujet".into(),
        1 => "1 sujet".into(),
        n => format!("{n} sujets"),
    }
}

pub fn reports(n: usize) -> String {
    match n {
        1 => "1 signalement à traiter".into(),
        n => format!("{n} signalements à traiter"),
    }
}

pub fn report_title(forum: &str) -> String {
    format!("Message signalé dans le forum {forum}")
}
