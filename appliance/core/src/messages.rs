//! User-facing French text of cartable-core, in one place.

/// Profile names as shown to people.
/// « 1 élève », « 24 élèves », « 0 élève »: French puts 0 and 1 in the singular.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n <= 1 { one } else { many })
}

/// « de Marc », « d'Océane », « d'Hélène »: the elision before a vowel or a mute h (first
/// names starting with h nearly all have one).
pub fn de(name: &str) -> String {
    let elides = name.chars().next().is_some_and(|c| {
        let base: String = c.to_lowercase().collect();
        "aàâäeéèêëiîïoôöuùûüyÿhæœ".contains(base.as_str())
    });
    if elides {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// A day off because it is Saturday or Sunday.
pub const WEEKEND: &str = "week-end";

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

/// The password policy, in words.
pub fn password_policy(min_len: usize, min_classes: usize) -> String {
    format!(
        "Au moins {min_len} caractères, mêlant au moins {min_classes} types parmi : minuscules, \
         majuscules, chiffres, autres signes ; pas de mot de passe courant, de suite de touches \
         («\u{a0}azerty\u{a0}»), de date ni de votre nom. Le plus simple : trois ou quatre mots sans \
         rapport, séparés par des tirets."
    )
}

pub const PASSWORD_GUESSABLE: &str = "Mot de passe trop facile à deviner (mot courant, suite de \
    touches comme «\u{a0}azerty\u{a0}», date, prénom ou nom) : choisissez plutôt trois ou quatre mots sans \
    rapport entre eux, séparés par des tirets.";

pub fn password_too_long(max_len: usize) -> String {
    format!("Mot de passe trop long : {max_len} caractères au plus.")
}

pub fn password_too_short(min_len: usize) -> String {
    format!("Mot de passe trop court : au moins {min_len} caractères.")
}

pub fn password_too_simple(min_classes: usize) -> String {
    format!(
        "Mot de passe trop simple : mêlez au moins {min_classes} types de caractères \
         (minuscules, majuscules, chiffres, autres signes)."
    )
}

// Notifications.
pub const DELIVERY_IMMEDIATE: &str = "Tout de suite";
pub const DELIVERY_DAILY: &str = "Dans un résumé quotidien";
pub const DELIVERY_NEVER: &str = "Jamais";
pub const BAD_ADDRESS: &str =
    "cette adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.fr)";
pub const CHECK_ADDRESS_SUBJECT: &str = "Confirmez votre adresse e-mail pour l'ENT";
pub const MAIL_QUEUED: &str = "courriel en cours d'envoi";

pub fn mail_sent(when: &str) -> String {
    format!("courriel envoyé le {when}")
}

pub fn mail_failed(why: &str) -> String {
    format!("échec : {why}")
}

pub fn mail_waits_until(when: &str) -> String {
    format!("courriel prévu le {when} (heures calmes)")
}

pub fn mail_retrying(why: &str) -> String {
    format!("courriel en attente, nouvel essai bientôt ({why})")
}

/// The e-mail that carries one notification.
pub fn notification_mail(
    given_name: &str,
    title: &str,
    body: &str,
    link: Option<&str>,
    prefs: &str,
    signature: &str,
) -> String {
    let mut out = format!("Bonjour {given_name},\n\n{title}\n");
    if !body.is_empty() {
        out.push_str(&format!("\n{body}\n"));
    }
    if let Some(l) = link {
        out.push_str(&format!("\nVoir dans l'ENT : {l}\n"));
    }
    out.push_str(&format!(
        "\n-- \n{signature}\nVous recevez ce message selon vos préférences de notification ; \
         pour les changer : {prefs}\n"
    ));
    out
}

/// The e-mail with the link that checks an address.
pub fn check_address_mail(given_name: &str, link: &str, signature: &str) -> String {
    format!(
        "Bonjour {given_name},\n\nVous avez demandé à recevoir les notifications de l'ENT à \
         cette adresse. Pour la confirmer, ouvrez ce lien dans les 48 heures :\n\n{link}\n\n\
         Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera \
         envoyé à cette adresse.\n\n-- \n{signature}\n"
    )
}

pub fn digest_subject(n: usize) -> String {
    format!(
        "Votre résumé du jour : {}",
        count(n, "notification", "notifications")
    )
}

/// The daily summary: one line per notification (title, then its link).
pub fn digest_mail(
    items: &[(String, Option<String>)],
    more: usize,
    all: &str,
    prefs: &str,
    signature: &str,
) -> String {
    let mut out = String::from("Bonjour,\n\nVoici ce qui s'est passé aujourd'hui dans l'ENT :\n\n");
    for (title, link) in items {
        out.push_str(&format!("- {title}\n"));
        if let Some(l) = link {
            out.push_str(&format!("  {l}\n"));
        }
    }
    if more > 0 {
        out.push_str(&format!("\n… et {more} de plus.\n"));
    }
    out.push_str(&format!(
        "\nToutes vos notifications : {all}\n\n-- \n{signature}\nPour changer ce que vous \
         recevez : {prefs}\n"
    ));
    out
}

// The GAR export: how each element is said in the dry run's list of changes, what was left
// out, how a run went.

pub fn gar_pupil(name: &str) -> String {
    format!("Élève {name}")
}
pub fn gar_teacher(name: &str) -> String {
    format!("Enseignant {name}")
}
pub fn gar_manager(name: &str) -> String {
    format!("Responsable d'affectation {name}")
}
pub fn gar_in(name: &str, what: &str) -> String {
    format!("{name} — {what}")
}
pub fn gar_teaches(name: &str, subjects: &str, place: &str) -> String {
    format!("{name} enseigne {subjects} en {place}")
}
pub fn gar_division(label: &str) -> String {
    format!("Classe {label}")
}
pub fn gar_group(label: &str) -> String {
    format!("Groupe {label}")
}
pub fn gar_etab(name: &str) -> String {
    format!("Établissement {name}")
}
pub fn gar_mef(label: &str) -> String {
    format!("Formation (MEF) {label}")
}
pub fn gar_subject(label: &str) -> String {
    format!("Matière {label}")
}
pub fn gar_id_too_long(login: &str) -> String {
    format!("{login} : identifiant de plus de 64 caractères, laissé hors de l'export")
}
pub fn gar_manager_left_out(name: &str) -> String {
    format!(
        "{name} : responsable d'affectation sans identifiant académique ou sans adresse e-mail, \
         laissé hors de l'export (le GAR lui écrit)"
    )
}
pub fn gar_manager_unknown(login: &str) -> String {
    format!(
        "{login} : responsable d'affectation sans compte actif dans l'annuaire, laissé hors de l'export"
    )
}
pub const GAR_NO_STRUCTURE: &str =
    "aucun établissement dans l'annuaire : importez d'abord le flux de l'académie";
pub const GAR_NOTHING_CHANGED: &str = "rien n'a changé depuis le dernier export";
pub const GAR_FIRST: &str = "premier export : tout est nouveau pour le GAR";

/// « Eleve : 2 ajoutés, 1 retiré, 3 modifiés ».
pub fn gar_changes(flow: &str, added: usize, removed: usize, changed: usize) -> String {
    format!(
        "{flow} : {}, {}, {}",
        count(added, "ajouté", "ajoutés"),
        count(removed, "retiré", "retirés"),
        count(changed, "modifié", "modifiés")
    )
}

// The console's « Serveur » page.

pub const PROBE_UNREACHABLE: &str = "injoignable : ";
pub const PROBE_TIMEOUT: &str = "pas de réponse en 3 secondes";
pub const PROBE_UNEXPECTED: &str = "réponse inattendue : ";
pub const PROBE_NOT_SMB: &str = "ce n'est pas un serveur de partages (SMB)";

pub const SERVICE_ANNUAIRE: &str = "Annuaire";
pub const SERVICE_BASE: &str = "Base de données de l'ENT";
pub const SERVICE_PARTAGES: &str = "Partages des postes (Samba)";
pub const SERVICE_DOMAINE: &str = "Contrôleur de domaine Windows";
pub const SERVICE_COURRIEL: &str = "Relais de courriel";
pub const SERVICE_ACADEMIE: &str = "Liaison avec l'académie";
pub const SERVICE_SAUVEGARDES: &str = "Sauvegardes";
pub const SERVICE_DISQUE: &str = "Espace disque";

pub const HEALTH_DOWN: &str = "En panne";
pub const HEALTH_WARNING: &str = "À surveiller";
pub const HEALTH_OK: &str = "En service";
pub const HEALTH_OFF: &str = "Non utilisé";

pub const AREA_ANNUAIRE: &str = "Annuaire";
pub const AREA_BASE: &str = "Base de données";
pub const AREA_SAUVEGARDE: &str = "Sauvegarde";
pub const AREA_ACADEMIE: &str = "Liaison avec l'académie";
pub const AREA_COURRIEL: &str = "Courriels";
pub const AREA_DOMAINE: &str = "Domaine Windows";
pub const AREA_FICHIERS: &str = "Espaces de fichiers";
pub const AREA_IMPORT: &str = "Import de l'annuaire";
pub const AREA_GAR: &str = "Export vers le GAR";
pub const AREA_PAGES: &str = "Pages de l'ENT";
pub const AREA_TACHES: &str = "Tâches du serveur";

pub const ANSWERS: &str = "Répond";
pub const ANNUAIRE_EMBEDDED: &str = "annuaire intégré";
pub const ANNUAIRE_DOWN: &str =
    "Ne répond pas : personne ne peut se connecter à l'ENT ni aux postes";
pub const BASE_DOWN: &str = "La base de données de l'ENT ne répond pas";
pub const SAMBA_OFF: &str = "Pas de partages pour les postes sur ce serveur";
pub const SAMBA_DOWN: &str =
    "Ne répond pas : les postes de l'établissement n'ouvrent plus les dossiers";
pub const DOMAIN_OFF: &str = "Pas de domaine Windows sur ce serveur";
pub const DOMAIN_DOWN: &str =
    "Ne répond pas : les mots de passe changés attendent d'y être recopiés";
pub const MAIL_OFF: &str = "Aucun relais configuré : l'ENT n'envoie pas de courriel";
pub const RELAY_ANSWERS: &str = "Le relais répond";
pub const RELAY_DOWN: &str = "Le relais ne répond pas";
pub const MAIL_NONE_WAITING: &str = "aucun courriel en attente";
pub const ACADEMIE_OFF: &str = "Ce serveur n'est pas relié au service académique";
pub const ACADEMIE_NOTHING_YET: &str = "aucun message encore reçu par l'académie";
pub const BACKUP_NOT_CONFIGURED: &str = "Aucune sauvegarde n'est programmée : rien ne permettrait de revenir en arrière après une panne";
pub const BACKUP_NONE_YET: &str = "Aucune sauvegarde encore";
pub const DISK_DATA: &str = "Données de l'ENT";
pub const DISK_FILES: &str = "Espaces de fichiers";
pub const DISK_UNREAD: &str = "L'espace disque n'a pas pu être lu";

/// « Dernier message reçu par l'académie le 05/12/2026 08:00 ».
pub fn academie_acknowledged(at: i64) -> String {
    format!(
        "dernier message reçu par l'académie le {}",
        crate::dates::french_date_time(at)
    )
}

/// « 3 messages en attente depuis le 05/12/2026 08:00 ».
pub fn waiting_since(n: u64, oldest: i64) -> String {
    format!(
        "{} en attente depuis le {}",
        count(n as usize, "message", "messages"),
        crate::dates::french_date_time(oldest)
    )
}

pub fn mails_waiting_since(n: u64, oldest: i64) -> String {
    format!(
        "{} en attente depuis le {}",
        count(n as usize, "courriel", "courriels"),
        crate::dates::french_date_time(oldest)
    )
}

pub fn backup_failed(at: i64) -> String {
    format!(
        "La dernière sauvegarde, le {}, a échoué",
        crate::dates::french_date_time(at)
    )
}

pub fn backup_newest(at: i64, size: &str) -> String {
    format!(
        "Dernière sauvegarde le {} ({size})",
        crate::dates::french_date_time(at)
    )
}

pub fn backup_running(since: i64) -> String {
    format!(
        "une sauvegarde est en cours depuis {}",
        crate::dates::french_date_time(since)
    )
}

/// « Données de l'ENT : 42 % utilisés, 12 Go libres sur 20 Go ».
pub fn disk_line(label: &str, percent: u8, free: &str, total: &str) -> String {
    format!("{label} : {percent} % utilisés, {free} libres sur {total}")
}

pub fn store_size(size: &str) -> String {
    format!("base de données : {size}")
}

pub fn disk_warning(percent: u8) -> String {
    format!(
        "Plus de {percent} % du disque est utilisé : libérez de la place ou agrandissez le disque avant qu'il ne soit plein (plus aucun dépôt ni sauvegarde possible)."
    )
}

/// « 312 créés, 4 mis à jour, 0 réactivé, 2 désactivés ».
pub fn import_counts(
    created: usize,
    updated: usize,
    reactivated: usize,
    disabled: usize,
) -> String {
    format!(
        "{}, {}, {}, {}",
        count(created, "créé", "créés"),
        count(updated, "mis à jour", "mis à jour"),
        count(reactivated, "réactivé", "réactivés"),
        count(disabled, "désactivé", "désactivés"),
    )
}

pub const SERVICE_IMPORTS: &str = "Imports de l'annuaire";
pub const IMPORTS_UNREAD: &str = "Les comptes rendus d'import n'ont pas pu être lus";
pub const IMPORTS_NONE_YET: &str =
    "Aucun import encore : l'annuaire se remplit par le flux de l'académie ou par un import";

pub fn import_last(at: i64, counts: &str) -> String {
    format!(
        "Dernier import le {} : {counts}",
        crate::dates::french_date_time(at)
    )
}

pub fn import_refused(name: &str, at: i64) -> String {
    format!(
        "Le flux {name} a été refusé le {} : rien n'en a été appliqué, l'annuaire est resté tel qu'il était",
        crate::dates::french_date_time(at)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn elision_before_vowels_and_mute_h() {
        assert_eq!(super::de("Océane LACROIX"), "d'Océane LACROIX");
        assert_eq!(super::de("Hélène"), "d'Hélène");
        assert_eq!(super::de("Évan"), "d'Évan");
        assert_eq!(super::de("Marc"), "de Marc");
        assert_eq!(super::de("6e A"), "de 6e A");
    }

    #[test]
    fn zero_and_one_are_singular() {
        assert_eq!(super::count(0, "élève", "élèves"), "0 élève");
        assert_eq!(super::count(1, "élève", "élèves"), "1 élève");
        assert_eq!(super::count(24, "élève", "élèves"), "24 élèves");
    }
}
