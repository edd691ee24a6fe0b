//! Every French sentence of the messagerie.

use cartable_core::directory::Profile;

use crate::rules::Scope;

pub const TITLE: &str = "Messagerie";
pub const RETENTION_WHAT: &str = "Messages, pièces jointes, dossiers, signalements";
pub const RETENTION_HOW_LONG: &str = "Chacun garde ses messages tant qu'il ne les supprime pas, deux ans au plus ; la corbeille est vidée après 30 jours ; la messagerie d'une personne partie est supprimée avec son compte ; un message signalé est gardé jusqu'au traitement du signalement.";

pub const MESSAGE_KIND: &str = "Nouveau message dans la messagerie";
pub const REPORT_KIND: &str = "Message signalé (messagerie)";
pub const ALERT_KIND: &str = "Limite d'envoi atteinte (messagerie)";

pub fn scope_label(s: Scope) -> &'static str {
    match s {
        Scope::OwnChildren => "ses enfants",
        Scope::OwnParents => "ses responsables",
        Scope::ClassPupils => "les élèves de ses classes",
        Scope::ClassTeachers => "les enseignants de ses classes",
        Scope::ClassParents => "les parents des élèves de ses classes",
        Scope::Staff => "les personnels (direction, vie scolaire, documentation, administration)",
        Scope::AllTeachers => "tous les enseignants",
        Scope::AllPupils => "tous les élèves",
        Scope::AllParents => "tous les parents",
        Scope::ClassLists => "les listes de ses classes (en copie cachée)",
        Scope::AllLists => {
            "les listes de toutes les classes, des niveaux et de l'établissement (en copie cachée)"
        }
    }
}

/// « Un élève », « Un parent »… : the subject of a sentence about a profile.
pub fn a_profile(p: Profile) -> &'static str {
    match p {
        Profile::Eleve => "Un élève",
        Profile::Responsable => "Un parent",
        Profile::Enseignant => "Un enseignant",
        Profile::Direction => "La direction",
        Profile::VieScolaire => "La vie scolaire",
        Profile::Documentaliste => "Un documentaliste",
        Profile::Administratif => "Un personnel administratif",
        Profile::Admin => "Le RUPN",
    }
}

/// A scope as a profile reads it: « de sa classe » for a pupil, « de ses enfants » for a
/// parent, « de ses classes » for a teacher.
pub fn scope_label_for(s: Scope, p: Profile) -> &'static str {
    match (s, p) {
        (Scope::ClassPupils, Profile::Eleve) => "les élèves de sa classe",
        (Scope::ClassTeachers, Profile::Eleve) => "les enseignants de sa classe",
        (Scope::ClassParents, Profile::Eleve) => "les parents des élèves de sa classe",
        (Scope::ClassLists, Profile::Eleve) => "les listes de sa classe (en copie cachée)",
        (Scope::ClassPupils, Profile::Responsable) => "les élèves des classes de ses enfants",
        (Scope::ClassTeachers, Profile::Responsable) => "les enseignants de ses enfants",
        (Scope::ClassParents, Profile::Responsable) => "les parents des classes de ses enfants",
        (Scope::ClassLists, Profile::Responsable) => {
            "les listes des classes de ses enfants (en copie cachée)"
        }
        _ => scope_label(s),
    }
}

/// « Un élève peut écrire à : … » for the preview and for a refusal; a scope another one
/// allowed contains (« les élèves de ses classes » beside « tous les élèves ») is not said.
pub fn may_write_to(p: Profile, scopes: &[Scope]) -> String {
    let has = |s: Scope| scopes.contains(&s);
    let shown: Vec<&str> = scopes
        .iter()
        .filter(|s| {
            !matches!(
                (
                    s,
                    has(Scope::AllPupils),
                    has(Scope::AllTeachers),
                    has(Scope::AllParents),
                    has(Scope::AllLists)
                ),
                (Scope::ClassPupils, true, _, _, _)
                    | (Scope::ClassTeachers, _, true, _, _)
                    | (Scope::ClassParents, _, _, true, _)
                    | (Scope::ClassLists, _, _, _, true)
            )
        })
        .map(|s| scope_label_for(*s, p))
        .collect();
    if shown.is_empty() {
        return format!("{} ne peut écrire à personne.", a_profile(p));
    }
    format!("{} peut écrire à : {}.", a_profile(p), shown.join(", "))
}

pub fn refused_person(name: &str, p: Profile, scopes: &[Scope]) -> String {
    format!(
        "Vous ne pouvez pas écrire à {name} : les règles de l'établissement ne le prévoient pas. {}",
        may_write_to(p, scopes)
    )
}

pub fn refused_list(label: &str) -> String {
    format!(
        "Vous ne pouvez pas écrire à « {label} » : les règles de l'établissement ne le prévoient pas."
    )
}

pub const UNKNOWN_PERSON: &str =
    "Un destinataire n'existe pas ou n'a plus de compte actif : retirez-le.";
pub const NOT_TO_SELF: &str = "Vous ne pouvez pas vous écrire à vous-même.";
pub const NO_RECIPIENT: &str = "Choisissez au moins un destinataire.";
pub const NEED_SUBJECT: &str = "Donnez un objet au message.";
pub const TOO_MANY_CHOSEN: &str =
    "Trop de destinataires choisis un par un (50 au plus) : utilisez une liste.";
pub const TOO_MANY_REACHED: &str =
    "Ce message atteindrait plus de 5 000 personnes : choisissez des listes plus petites.";
pub const NO_REPLY: &str = "L'expéditeur a demandé qu'on ne réponde pas à ce message.";
pub const PIECE_TOO_BIG: &str = "Les pièces jointes dépassent la taille permise pour un message.";
pub const DRAFT_SAVED: &str = "Brouillon enregistré.";
pub const ALREADY_SENT: &str = "Ce message a déjà été envoyé.";

pub fn sent(n: i64) -> String {
    format!(
        "Message envoyé à {}.",
        cartable_core::messages::count(n as usize, "personne", "personnes")
    )
}

pub fn over_quota(used: &str, quota: &str) -> String {
    format!(
        "Pièces jointes : votre messagerie en garde déjà {used} sur {quota}. Videz la corbeille ou supprimez des messages avec pièces jointes."
    )
}

pub fn suspended(who: &str, since: &str) -> String {
    format!(
        "L'envoi de messages est suspendu par l'établissement pour {who} depuis le {since}. Vous pouvez toujours lire vos messages."
    )
}

pub fn rate_limited(what: &str, until: &str) -> String {
    format!(
        "Vous avez atteint la limite d'envoi fixée par l'établissement ({what} par heure). Vous pourrez envoyer de nouveau à {until}."
    )
}

pub fn alert_text(name: &str, what: &str) -> String {
    format!("{name} a atteint la limite d'envoi de la messagerie ({what} par heure).")
}

pub fn limit_what(messages: i64, recipients: i64) -> String {
    format!(
        "{} ou {}",
        cartable_core::messages::count(messages as usize, "message", "messages"),
        cartable_core::messages::count(recipients as usize, "destinataire", "destinataires")
    )
}

/// Who a suspension is for (« les élèves »).
pub fn suspension_who(code: &str) -> &'static str {
    match code {
        "eleve" => "les élèves",
        "responsable" => "les parents",
        "enseignant" => "les enseignants",
        "documentaliste" => "les documentalistes",
        "administratif" => "les personnels administratifs",
        "tous" => "tout le monde sauf les personnels",
        _ => "ce profil",
    }
}

pub const THROUGH_A_LIST: &str = "vous (par une liste de diffusion)";
pub const RECALLED_SUBJECT: &str = "Message rappelé par son expéditeur";
pub const RECALL_TOO_LATE: &str =
    "Ce message ne peut plus être rappelé : il a été envoyé il y a plus de 60 minutes.";

pub fn recalled(withdrawn: usize, read: usize) -> String {
    let w = cartable_core::messages::count(withdrawn, "destinataire", "destinataires");
    if read == 0 {
        format!("Message rappelé : retiré chez {w}.")
    } else {
        format!(
            "Message rappelé : retiré chez {w} ; {} l'avai{} déjà lu.",
            cartable_core::messages::count(read, "destinataire", "destinataires"),
            if read == 1 { "t" } else { "ent" }
        )
    }
}

pub const MOVED_TO_TRASH: &str = "Message mis à la corbeille.";
pub const RESTORED: &str = "Message remis à sa place.";
pub const DELETED: &str = "Message supprimé définitivement.";
pub const MARKED_UNREAD: &str = "Message marqué non lu.";
pub const MOVED: &str = "Message rangé.";

pub fn trash_emptied(n: usize) -> String {
    format!(
        "Corbeille vidée : {} supprimé{} définitivement.",
        cartable_core::messages::count(n, "message", "messages"),
        if n > 1 { "s" } else { "" }
    )
}

pub const FOLDER_ADDED: &str = "Dossier créé.";
pub const FOLDER_EXISTS: &str = "Vous avez déjà un dossier de ce nom.";
pub const BAD_FOLDER_NAME: &str = "Nom du dossier : de 1 à 60 caractères.";
pub const FOLDER_DELETED: &str =
    "Dossier supprimé : ses messages sont revenus dans la boîte de réception.";

pub const REPORTED: &str =
    "Message signalé : il a quitté votre messagerie, la direction et le RUPN l'examinent.";
pub const NEED_REPORT_REASON: &str = "Dites en quelques mots ce qui ne va pas dans ce message.";
pub const REPORT_HANDLED: &str = "Signalement marqué comme traité.";

pub fn report_title(reporter: &str) -> String {
    format!("Message signalé par {reporter}")
}

pub const RULES_SAVED: &str = "Règles de communication enregistrées.";
pub const RULES_RESET: &str = "Règles de communication remises à celles par défaut.";
/// « Envoi suspendu pour les élèves. »
pub fn suspension_done(suspended: bool, code: &str) -> String {
    format!(
        "Envoi {} pour {}.",
        if suspended { "suspendu" } else { "rétabli" },
        suspension_who(code)
    )
}
pub const LIMITS_SAVED: &str = "Limites enregistrées.";
pub const BAD_LIMITS: &str =
    "Limites : un nombre de messages de 1 à 1 000 et de destinataires de 1 à 10 000 par heure.";

pub fn new_message_title(sender: &str, subject: &str) -> String {
    format!("Message de {sender} : {subject}")
}

pub fn unread_tile(n: i64) -> String {
    match n {
        0 => "Aucun message non lu".to_owned(),
        1 => "1 message non lu".to_owned(),
        n => format!("{n} messages non lus"),
    }
}

pub const LIST_CLASS_PUPILS: &str = "Les élèves de la";
pub const LIST_CLASS_PARENTS: &str = "Les parents de la";
pub const LIST_CLASS_TEAM: &str = "L'équipe pédagogique de la";
pub const LIST_MY_CHILD_TEACHERS: &str = "Les enseignants de mon enfant";

pub fn level_label(level: &str) -> String {
    match level {
        "6" => "6e".to_owned(),
        "5" => "5e".to_owned(),
        "4" => "4e".to_owned(),
        "3" => "3e".to_owned(),
        "2" => "2de".to_owned(),
        "1" => "1re".to_owned(),
        "T" => "Terminale".to_owned(),
        other => other.to_owned(),
    }
}
