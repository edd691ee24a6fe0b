//! User-facing French text of the web host, in one place. Page text lives in templates.

use cartable_core::messages::count;

pub const CSRF_EXPIRED: &str = "Cette page a expiré. Rechargez-la puis recommencez votre saisie.";
pub const FORBIDDEN: &str = "Vous n'avez pas accès à cette page.";
pub const NOT_FOUND: &str = "Cette page n'existe pas.";
/// The banner's name when the établissement's is not known.
pub const ENT: &str = "Espace numérique de travail";

/// An error page's title, by status.
pub fn error_title(status: u16) -> &'static str {
    match status {
        400 => "Demande incorrecte",
        403 => "Accès refusé",
        404 => "Page introuvable",
        503 => "Service momentanément occupé",
        _ => "Erreur",
    }
}
pub const INTERNAL: &str = "Une erreur est survenue sur le serveur. Réessayez dans un instant ; \
                            si elle persiste, donnez le numéro d'incident à l'administrateur ENT.";
pub const LOGIN_MISSING_FIELDS: &str = "Saisissez votre identifiant et votre mot de passe.";
pub const LOGGED_OUT: &str = "Vous êtes déconnecté. À bientôt !";
pub const SESSION_EXPIRED: &str = "Votre session a expiré : reconnectez-vous.";
pub const NO_SERVICE_YET: &str = "Aucun service n'est encore activé pour votre profil.";
pub const PASSWORD_CHANGE_REQUIRED: &str = "Choisissez d'abord votre mot de passe.";
pub const PASSWORD_MISMATCH: &str = "Les deux saisies du nouveau mot de passe diffèrent.";
pub const PASSWORD_SAME: &str = "Le nouveau mot de passe doit être différent de l'actuel.";
pub const PASSWORD_CURRENT_WRONG: &str = "Le mot de passe actuel n'est pas le bon.";
pub const PASSWORD_CHANGED: &str = "Votre mot de passe est changé.";
pub const CAS_REFUSED_TITLE: &str = "Service non autorisé";
pub const CAS_UNKNOWN_SERVICE: &str = "Ce service n'est pas autorisé à utiliser la connexion de \
                                       l'ENT. Si vous pensez qu'il devrait l'être, prévenez \
                                       l'administrateur ENT de l'établissement.";
pub const CAS_NOT_FOR_PROFILE: &str = "Ce service n'est pas ouvert à votre profil dans \
                                       l'établissement.";
pub const ETABLISSEMENT_SAVED: &str = "Modifications enregistrées.";
pub const LOGO_TOO_BIG: &str = "Le logo dépasse 256 Ko : réduisez l'image.";
pub const LOGO_NOT_AN_IMAGE: &str = "Le logo doit être une image PNG ou JPEG.";
pub const NAME_TOO_LONG: &str = "Le nom est trop long (120 caractères au plus).";
pub const BUSY: &str = "Beaucoup de connexions en ce moment : votre demande n'a pas pu être \
                        traitée. Réessayez dans quelques secondes.";
pub const BAD_REQUEST: &str = "La demande envoyée est incomplète ou mal formée.";

/// Sign-in refused by throttling, with the wait in minutes.
pub fn too_many_attempts(seconds: i64) -> String {
    format!(
        "Trop de mots de passe erronés pour ce compte : par sécurité, attendez {seconds} \
         seconde{} avant de réessayer.",
        if seconds > 1 { "s" } else { "" }
    )
}

// The file manager.
pub const FILES_SENT_ONE: &str = "Fichier envoyé";
pub const FILES_SENT_MANY: &str = "fichiers envoyés";
pub const FILES_NONE_SENT: &str = "Choisissez au moins un fichier à envoyer.";
pub const FILES_FOLDER_CREATED: &str = "Dossier créé";
pub const FILES_RENAMED: &str = "Renommé en";
pub const FILES_MOVED: &str = "Déplacé dans";
pub const FILES_TRASHED: &str = "mis à la corbeille";
pub const FILES_RESTORED: &str = "Restauré dans";
pub const FILES_TRASH_EMPTIED: &str = "La corbeille est vidée.";
pub const FILES_EXISTS: &str = "Ce nom est déjà pris dans ce dossier.";
pub const FILES_GONE: &str =
    "Ce fichier ou ce dossier n'existe plus (supprimé ou déplacé entre-temps ?).";
pub const FILES_INTO_ITSELF: &str = "Un dossier ne peut pas aller dans lui-même.";
pub const FILES_FAILED: &str =
    "L'opération n'a pas pu être faite. Si cela se reproduit, prévenez l'administrateur ENT.";
pub const FILES_ROOT: &str =
    "La racine de l'espace ne peut pas être renommée, déplacée ni supprimée.";
pub const FILES_SPACE_ROOT_NAME: &str = "Racine";

/// An upload that would go over the quota.
pub fn too_many_files(max: usize) -> String {
    format!("Au plus {max} fichiers par envoi : les suivants n'ont pas été envoyés.")
}

pub fn space_full(name: &str, free: &str) -> String {
    format!(
        "« {name} » n'a pas été enregistré : cet espace partagé est plein (il reste {free}). \
         Demandez à l'enseignant ou à l'administrateur ENT de faire de la place."
    )
}

pub fn over_quota(name: &str, free: &str) -> String {
    format!(
        "« {name} » n'a pas été enregistré : votre quota est atteint (il reste {free}, ce que \
         vous avez déposé dans les espaces de classe et de groupe compte aussi). \
         Libérez de la place (pensez à vider la corbeille) ou demandez plus d'espace à \
         l'administrateur ENT."
    )
}

/// An upload over the size limit.
pub fn too_big(name: &str, max: &str) -> String {
    format!("« {name} » n'a pas été enregistré : un fichier envoyé ne peut dépasser {max}.")
}

/// A name refused, with why.
pub fn bad_name(reason: &str) -> String {
    format!("Nom refusé : {reason}.")
}

// Devoirs.
pub const DEVOIR_NO_AUDIENCE: &str = "Choisissez une de vos classes ou un de vos groupes.";

pub fn devoir_distributed(pupils: usize, exam: bool) -> String {
    if exam {
        format!(
            "Épreuve préparée pour {} : ils ne la voient pas avant l'ouverture.",
            count(pupils, "élève", "élèves")
        )
    } else {
        format!("Devoir distribué à {}.", count(pupils, "élève", "élèves"))
    }
}
pub fn devoir_released(pupils: usize) -> String {
    format!(
        "Épreuve ouverte : {} {}.",
        count(pupils, "élève", "élèves"),
        if pupils <= 1 { "la voit" } else { "la voient" }
    )
}
pub fn devoir_collected(pupils: usize, handed_in: usize) -> String {
    format!(
        "Copies ramassées : {} sur {pupils}.",
        count(handed_in, "rendue", "rendues")
    )
}
pub fn devoir_returned(pupils: usize) -> String {
    format!(
        "Copies corrigées restituées à {}.",
        count(pupils, "élève", "élèves")
    )
}
pub fn copy_status(s: &str) -> &'static str {
    match s {
        "prepare" => "préparé (invisible)",
        "distribue" => "distribué",
        "rendu" => "rendu",
        "pas-rendu" => "pas rendu",
        "restitue" => "restitué",
        _ => "?",
    }
}

pub fn module_saved(title: &str) -> String {
    format!("« {title} » : profils enregistrés, effectif immédiatement.")
}

pub const FEED_REVOKED: &str =
    "Adresse d'abonnement supprimée : les agendas qui l'utilisaient ne reçoivent plus rien.";
pub const FEED_NONE: &str = "Vous n'aviez pas d'adresse d'abonnement.";

/// What an action of the journal is, in words; a code unknown here is shown as it is.
/// The journal's actions, by code, in words; the journal's « Action » filter offers these.
pub const JOURNAL_ACTIONS: &[(&str, &str)] = &[
    ("account.created", "compte créé"),
    ("account.updated", "compte modifié"),
    ("account.disabled", "compte désactivé"),
    ("account.enabled", "compte réactivé"),
    ("account.deleted", "compte supprimé"),
    ("password.set", "mot de passe changé"),
    ("quota", "quota"),
    ("class.saved", "classe enregistrée"),
    ("class.member_added", "élève ajouté à une classe"),
    ("class.member_removed", "élève retiré d'une classe"),
    ("group.saved", "groupe enregistré"),
    ("group.member_added", "ajouté à un groupe"),
    ("group.member_removed", "retiré d'un groupe"),
    ("responsable.linked", "responsable lié à un élève"),
    ("responsable.unlinked", "responsable détaché d'un élève"),
    ("teaching.added", "enseignement ajouté"),
    ("teaching.removed", "enseignement retiré"),
    ("principal.set", "professeur principal nommé"),
    ("principal.unset", "professeur principal retiré"),
    ("structure.saved", "établissement enregistré"),
    ("etablissement.modifier", "établissement modifié"),
    ("module.profils", "profils d'un module"),
    ("calendrier.ajouter", "vacances ajoutées au calendrier"),
    ("calendrier.supprimer", "vacances retirées du calendrier"),
    ("calendrier.importer", "calendrier scolaire importé"),
    ("sauvegarde", "sauvegarde demandée"),
];

pub fn journal_action(code: &str) -> &str {
    JOURNAL_ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, words)| words)
}

// Confirmations before what cannot be undone.
pub const CONFIRM_RESET_TITLE: &str = "Nouveau mot de passe\u{a0}?";
pub const CONFIRM_RESET_BUTTON: &str = "Créer le nouveau mot de passe et le courrier";
pub const CONFIRM_RESET_CLASS_TITLE: &str = "Nouveaux mots de passe pour la classe\u{a0}?";
pub const CONFIRM_RESET_CLASS_BUTTON: &str = "Créer les nouveaux mots de passe et les courriers";
pub const CONFIRM_RESET_AFTER: &str = "Le courrier (PDF) se télécharge aussitôt : imprimez-le et \
    remettez-le en main propre. Le nouveau mot de passe devra être changé à la première connexion.";
pub const CONFIRM_DISABLE_TITLE: &str = "Désactiver le compte\u{a0}?";
pub const CONFIRM_DISABLE_BUTTON: &str = "Désactiver le compte";
pub const CONFIRM_DISABLE_AFTER: &str = "Le compte pourra être réactivé depuis sa fiche tant qu'il \
    n'est pas supprimé ; passé le délai de grâce, il est supprimé avec ses données.";

pub fn confirm_reset_person(name: &str) -> String {
    format!(
        "{name} recevra un nouveau mot de passe : l'actuel ne fonctionnera plus et ses sessions \
         ouvertes seront fermées."
    )
}

pub fn confirm_reset_class(class: &str, pupils: usize, parents: bool) -> String {
    let who = match pupils {
        1 => "L'élève".to_owned(),
        n => format!("Les {n} élèves"),
    };
    format!(
        "{who} de la classe {class}{} recevront un nouveau mot de passe : les actuels ne \
         fonctionneront plus et les sessions ouvertes seront fermées.",
        if parents {
            " et leurs responsables"
        } else {
            ""
        }
    )
}

pub fn confirm_disable(name: &str) -> String {
    format!(
        "{name} ne pourra plus se connecter à l'ENT ni aux postes de l'établissement ; ses \
         sessions ouvertes seront fermées."
    )
}

/// A connected service's tile on the portal.
pub const CONNECTED_SERVICE: &str = "Ouvert avec votre compte ENT, sans autre mot de passe";

pub const DEVOIR_DUE_PAST: &str =
    "« Pour le » : la date est passée ; choisissez aujourd'hui ou un jour à venir.";
pub const DEVOIR_DUE_BAD: &str = "« Pour le » : date incomprise (jj/mm/aaaa attendu).";
pub const WORK_OPEN: &str = "à rendre : déposez votre travail dans ce dossier";

// The school calendar.
pub fn holiday_name(max: usize) -> String {
    format!("« Nom » : de 1 à {max} caractères, par exemple « Vacances d'hiver ».")
}
pub const HOLIDAY_FIRST: &str = "« Du » : date incomprise (jj/mm/aaaa attendu).";
pub const HOLIDAY_LAST: &str = "« Au » : date incomprise (jj/mm/aaaa attendu).";
pub const HOLIDAY_ORDER: &str = "« Au » : le dernier jour est avant le premier.";
pub const HOLIDAY_TOO_LONG: &str = "« Au » : une période de vacances dure cent jours au plus.";
pub const HOLIDAY_ALREADY: &str = "Cette période était déjà dans le calendrier.";
pub const HOLIDAY_GONE: &str = "Cette période n'est plus dans le calendrier.";
pub const CALENDAR_NO_FILE: &str = "Choisissez le fichier du calendrier (.ics) avant d'importer.";
pub fn holiday_added(name: &str, first: &str, last: &str) -> String {
    format!("« {name} » ajoutée : du {first} au {last}, sans cours ni travail à rendre.")
}
pub fn holiday_deleted(name: &str) -> String {
    format!("« {name} » retirée du calendrier.")
}
pub fn calendar_file(why: &str) -> String {
    format!("Calendrier non importé, rien n'a changé : {why}.")
}
pub fn calendar_imported(added: usize, total: usize) -> String {
    format!(
        "Calendrier importé : {} sur {total} ({} déjà présente{}).",
        cartable_core::messages::count(added, "période ajoutée", "périodes ajoutées"),
        total - added,
        if total - added > 1 { "s" } else { "" }
    )
}
pub fn devoir_due_day_off(day: &str, why: &str) -> String {
    format!("« À rendre pour le » : pas de cours le {day} ({why}) ; choisissez un jour de classe.")
}

pub const QUOTA_BAD: &str = "« Quota en Mo » : un nombre de 1 à 16 777 216 est attendu (vide : le quota du profil). Rien n'a changé.";
pub fn quota_set(name: &str, limit: Option<&str>) -> String {
    match limit {
        Some(l) => format!("Quota {} : {l}.", cartable_core::messages::de(name)),
        None => format!("{name} a de nouveau le quota de son profil."),
    }
}
pub fn disabled(name: &str) -> String {
    format!(
        "Compte {} désactivé : plus de connexion, ni à l'ENT ni sur les postes.",
        cartable_core::messages::de(name)
    )
}
pub fn enabled(name: &str) -> String {
    format!("Compte {} réactivé.", cartable_core::messages::de(name))
}

// Notifications.
pub const BAD_QUIET_HOURS: &str =
    "Heures calmes : choisissez une heure de début et une heure de fin.";
pub const BAD_ADDRESS_FIELD: &str = "Adresse e-mail : elle n'est pas valable (exemple : prenom.nom@exemple.fr). Rien n'a été changé.";
pub const PREFS_SAVED: &str = "Vos choix de notification sont enregistrés.";
pub const ADDRESS_REMOVED: &str = "Cette adresse ne sera plus utilisée ; les e-mails iront à l'adresse connue de l'établissement, s'il y en a une.";
pub const ADDRESS_CHECKED: &str =
    "Votre adresse e-mail est confirmée : les notifications y seront envoyées.";
pub const CHECK_LINK_BAD: &str = "Ce lien n'est plus valable (déjà utilisé, trop ancien, ou pour un autre compte) : demandez-en un nouveau.";

pub fn check_link_sent(address: &str) -> String {
    format!("Un lien de confirmation a été envoyé à {address} : ouvrez-le dans les 48 heures.")
}

pub fn marked_read(n: usize) -> String {
    match n {
        0 => "Rien de nouveau : tout était déjà lu.".to_owned(),
        1 => "1 notification marquée comme lue.".to_owned(),
        n => format!("{n} notifications marquées comme lues."),
    }
}

/// A devoir handed out, as its pupils are told.
pub fn devoir_notice(title: &str, due: Option<time::Date>) -> String {
    match due {
        Some(d) => format!(
            "Travail à rendre : {title}, pour {}",
            cartable_core::dates::day_and_date(d)
        ),
        None => format!("Travail à rendre : {title}"),
    }
}

// The console's « Serveur » page.

pub const BACKUP_NOT_CONFIGURED: &str = "Aucune destination de sauvegarde n'est configurée (section [backup] de la configuration) : rien n'a été lancé.";
pub const BACKUP_ALREADY_RUNNING: &str =
    "Une sauvegarde est déjà en cours : elle apparaîtra ci-dessous une fois écrite.";
pub const BACKUP_STARTED: &str = "Sauvegarde lancée. Elle apparaîtra ci-dessous une fois écrite \
    (quelques minutes selon la taille des fichiers) ; rechargez la page pour la voir.";
pub const BACKUP_FAILED: &str = "échouée";
pub const ANNUAIRE_DOWN: &str = "L'annuaire de l'établissement ne répond pas : l'ENT ne peut \
    pas savoir qui vous êtes. Réessayez dans quelques minutes ; si cela dure, prévenez \
    l'administrateur ENT.";

/// The page's first line: all is well, or how many parts need looking at.
pub fn server_summary(problems: usize) -> String {
    match problems {
        0 => "Tout fonctionne.".to_owned(),
        1 => "Un point demande votre attention.".to_owned(),
        n => format!("{n} points demandent votre attention."),
    }
}

pub fn backup_trigger(code: &str) -> &'static str {
    match code {
        "manuelle" => "demandée depuis la console",
        _ => "programmée",
    }
}

/// « réussie : 1,2 Go en 42 s ».
pub fn backup_done(size: &str, seconds: i64) -> String {
    let took = match seconds {
        s if s < 60 => format!("{} s", s.max(1)),
        s => format!("{} min {:02} s", s / 60, s % 60),
    };
    format!("réussie : {size} en {took}")
}

/// The line the RUPN reads under « Problèmes signalés » for a page that failed.
pub fn page_failed(incident: &str, error: &str) -> String {
    format!("Une page n'a pas pu s'afficher (incident {incident}) : {error}")
}

pub fn incident_repeated(count: u32, first: &str) -> String {
    format!("{count} fois depuis le {first}")
}

/// The RUPN's portal, when the server's last checks found something.
pub const PORTAL_SERVER_PROBLEMS: &str = "Le serveur signale un problème";
