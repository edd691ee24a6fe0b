//! The audit: the machine and the site file checked against what the install needs, then two
//! documents for the three-day window, blocking points first: the compte rendu d'audit and the
//! feuille de route. Each is written in Markdown (to keep) and HTML (to print).

use serde::Serialize;

use crate::host::Host;
use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Bloquant,
    Attention,
    Ok,
}

impl Level {
    fn label(self) -> &'static str {
        match self {
            Level::Bloquant => "BLOQUANT",
            Level::Attention => "à vérifier",
            Level::Ok => "conforme",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub level: Level,
    pub subject: String,
    pub seen: String,
    /// What to do about it (empty when conforme).
    pub action: String,
}

/// Minimums for a collège.
const MIN_MEMORY_MIB: u64 = 3500;
const MIN_FREE_SRV_MIB: u64 = 50 * 1024;

fn f(level: Level, subject: &str, seen: String, action: &str) -> Finding {
    Finding {
        level,
        subject: subject.to_owned(),
        seen,
        action: action.to_owned(),
    }
}

/// Every check, blocking points first.
pub fn check(host: &Host, site: &Site, root: &std::path::Path) -> Vec<Finding> {
    use Level::*;
    let mut out = Vec::new();
    out.push(match host.debian_version.as_deref() {
        Some("12") => f(
            Ok,
            "Système",
            host.pretty_name.clone().unwrap_or_default(),
            "",
        ),
        v => f(
            Bloquant,
            "Système",
            format!(
                "{} (Debian 12 attendu)",
                host.pretty_name
                    .clone()
                    .or(v.map(str::to_owned))
                    .unwrap_or_else(|| "inconnu".into())
            ),
            "Installer Debian 12 (bookworm) avant le jour 1.",
        ),
    });
    out.push(if host.cpus >= 2 {
        f(Ok, "Processeurs", format!("{} cœurs", host.cpus), "")
    } else {
        f(
            Attention,
            "Processeurs",
            format!("{} cœur", host.cpus),
            "2 cœurs au moins sont conseillés.",
        )
    });
    out.push(if host.memory_mib >= MIN_MEMORY_MIB {
        f(Ok, "Mémoire", format!("{} Mo", host.memory_mib), "")
    } else {
        f(
            Bloquant,
            "Mémoire",
            format!("{} Mo", host.memory_mib),
            "4 Go de mémoire au moins : ajouter de la mémoire ou changer de machine.",
        )
    });
    out.push(match host.free_srv_mib {
        Some(m) if m >= MIN_FREE_SRV_MIB => f(
            Ok,
            "Disque des fichiers (/srv)",
            format!("{} Go libres", m / 1024),
            "",
        ),
        Some(m) => f(
            Bloquant,
            "Disque des fichiers (/srv)",
            format!("{} Go libres", m / 1024),
            "50 Go libres au moins pour les espaces de fichiers (1 Go par élève).",
        ),
        None => f(
            Attention,
            "Disque des fichiers (/srv)",
            "inconnu".into(),
            "Vérifier l'espace libre.",
        ),
    });
    let expected = site.reseau.nom.split('.').next().unwrap_or_default();
    out.push(match host.hostname.as_deref() {
        Some(h) if h == expected || h == site.reseau.nom => {
            f(Ok, "Nom de la machine", h.to_owned(), "")
        }
        h => f(
            Attention,
            "Nom de la machine",
            format!(
                "« {} » (le fichier de site dit « {} »)",
                h.unwrap_or("?"),
                site.reseau.nom
            ),
            "Donner à la machine le nom du fichier de site (hostnamectl set-hostname).",
        ),
    });
    out.push(if host.time_synchronized {
        f(Ok, "Heure", "synchronisée".into(), "")
    } else {
        f(
            Attention,
            "Heure",
            "non synchronisée".into(),
            "Activer systemd-timesyncd (les tickets CAS et les journaux en dépendent).",
        )
    });
    for (port, what, blocking) in [
        (443, "HTTPS", true),
        (80, "HTTP", false),
        (445, "SMB", false),
        (389, "LDAP", false),
    ] {
        if host.listening.contains(&port) {
            let owned = (port == 389 && host.slapd_present) || (port == 445 && host.samba_present);
            out.push(if owned {
                f(
                    Attention,
                    &format!("Port {port} ({what})"),
                    "occupé par le service déjà présent".into(),
                    "Sa configuration sera reprise par l'installation (sauvegarde faite avant).",
                )
            } else {
                f(
                    if blocking { Bloquant } else { Attention },
                    &format!("Port {port} ({what})"),
                    "déjà occupé".into(),
                    "Arrêter le service qui l'occupe (ss -ltnp pour le trouver).",
                )
            });
        }
    }
    if host.slapd_present {
        out.push(f(
            Attention,
            "Annuaire existant",
            "slapd est déjà configuré".into(),
            "Une base pour l'établissement y sera ajoutée ; les autres bases ne sont pas touchées.",
        ));
    }
    if host.samba_present {
        out.push(f(
            Attention,
            "Samba existant",
            "/etc/samba/smb.conf existe".into(),
            "Il sera sauvegardé puis remplacé.",
        ));
    }
    if let Some(d) = &site.domaine {
        let interface = d
            .interface
            .clone()
            .or_else(|| crate::domain::default_interface(root));
        out.push(match interface {
            Some(i) => f(
                Ok,
                "Domaine Windows",
                format!(
                    "contrôleur dc.{} à l'adresse {} (interface {i})",
                    d.royaume.to_ascii_lowercase(),
                    d.adresse
                ),
                "",
            ),
            None => f(
                Bloquant,
                "Domaine Windows",
                "aucune route par défaut : interface réseau inconnue".into(),
                "Indiquer l'interface du réseau des postes dans domaine.interface (ip -br link).",
            ),
        });
        out.push(f(
            Attention,
            "Domaine Windows : DNS des postes",
            format!("les postes doivent interroger {} (le contrôleur)", d.adresse),
            "Donner le contrôleur comme serveur DNS aux postes (DHCP), ou faire déléguer la zone du domaine par le DNS de l'académie ; vérifier que l'adresse est libre (aucune réponse à ping).",
        ));
    }
    if let Some(t) = &site.tls {
        let read = |p: &str| std::fs::read_to_string(root.join(p.trim_start_matches('/')));
        let cert_ok = read(&t.certificat).is_ok_and(|c| c.contains("-----BEGIN CERTIFICATE-----"));
        let key_ok = read(&t.cle).is_ok_and(|k| k.contains("PRIVATE KEY-----"));
        out.push(if cert_ok && key_ok {
            f(
                Ok,
                "Certificat fourni",
                format!("{} et {}", t.certificat, t.cle),
                "",
            )
        } else {
            f(
                Bloquant,
                "Certificat fourni",
                format!(
                    "{} : {} ; {} : {}",
                    t.certificat,
                    if cert_ok { "lisible" } else { "absent ou pas un certificat PEM" },
                    t.cle,
                    if key_ok { "lisible" } else { "absente ou pas une clé PEM" }
                ),
                "Copier le certificat (chaîne complète) et sa clé aux chemins du fichier de site, ou retirer la section [tls] pour que cartable crée sa propre autorité.",
            )
        });
    }
    out.sort_by_key(|x| x.level);
    out
}

/// A document: title, then sections of lines.
pub struct Doc {
    pub title: String,
    pub sections: Vec<(String, Vec<String>)>,
}

impl Doc {
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n", self.title);
        for (h, lines) in &self.sections {
            s.push_str(&format!("\n## {h}\n\n"));
            for l in lines {
                s.push_str(&format!("- {l}\n"));
            }
        }
        s
    }

    pub fn html(&self) -> String {
        let e = |t: &str| {
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut s = format!(
            "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{t}</title>\
             <style>body{{font-family:sans-serif;max-width:50rem;margin:2rem auto}}li{{margin:.3rem 0}}</style>\
             </head><body>\n<h1>{t}</h1>\n",
            t = e(&self.title)
        );
        for (h, lines) in &self.sections {
            s.push_str(&format!("<h2>{}</h2>\n<ul>\n", e(h)));
            for l in lines {
                s.push_str(&format!("<li>{}</li>\n", e(l)));
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</body></html>\n");
        s
    }
}

fn line(x: &Finding) -> String {
    if x.action.is_empty() {
        format!("[{}] {} : {}", x.level.label(), x.subject, x.seen)
    } else {
        format!(
            "[{}] {} : {} — {}",
            x.level.label(),
            x.subject,
            x.seen,
            x.action
        )
    }
}

pub fn compte_rendu(site: &Site, findings: &[Finding], date: &str) -> Doc {
    let e = &site.etablissement;
    let blocking: Vec<String> = findings
        .iter()
        .filter(|x| x.level == Level::Bloquant)
        .map(line)
        .collect();
    let mut sections = vec![(
        "Établissement".to_owned(),
        vec![
            format!("{} ({}), académie de {}", e.nom, e.uai, e.academie),
            format!("Serveur : {}", site.reseau.nom),
            format!(
                "RUPN : {} {}{}",
                site.rupn.prenom,
                site.rupn.nom,
                site.rupn
                    .courriel
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
            format!("Audit du {date}"),
        ],
    )];
    sections.push((
        "Points bloquants".to_owned(),
        if blocking.is_empty() {
            vec!["Aucun : l'installation peut commencer.".to_owned()]
        } else {
            blocking
        },
    ));
    sections.push((
        "Constats".to_owned(),
        findings
            .iter()
            .filter(|x| x.level != Level::Bloquant)
            .map(line)
            .collect(),
    ));
    Doc {
        title: format!("Compte rendu d'audit — {}", e.nom),
        sections,
    }
}

pub fn feuille_de_route(site: &Site, findings: &[Finding]) -> Doc {
    let mut first: Vec<String> = findings
        .iter()
        .filter(|x| x.level == Level::Bloquant)
        .map(|x| format!("Lever : {} — {}", x.subject, x.action))
        .collect();
    if first.is_empty() {
        first.push("Aucun point bloquant.".to_owned());
    }
    Doc {
        title: format!("Feuille de route — {}", site.etablissement.nom),
        sections: vec![
            ("Avant tout".to_owned(), first),
            (
                "Jour 1 — installer".to_owned(),
                vec![
                    "cartable-provision audit --site site.toml (ce document)".to_owned(),
                    "cartable-provision plan --site site.toml : relire les changements prévus".to_owned(),
                    "cartable-provision install --site site.toml : paquets, annuaire, Samba, certificats, service".to_owned(),
                    "cartable-provision status : toutes les étapes « faites »".to_owned(),
                ],
            ),
            (
                "Jour 2 — les comptes".to_owned(),
                vec![
                    "cartable-provision import --aaf DOSSIER (ou --siecle, --csv) : premier import des comptes".to_owned(),
                    "Imprimer les courriers de connexion par classe (console, page de la classe)".to_owned(),
                    "Sur deux postes de l'établissement : lecteur réseau \\\\serveur\\identifiant, connexion avec le mot de passe de l'ENT".to_owned(),
                ],
            ),
            (
                "Jour 3 — vérifier et remettre".to_owned(),
                vec![
                    "cartable-provision verify : chaque service essayé comme un utilisateur".to_owned(),
                    "Une sauvegarde écrite et relue (cartabled backup)".to_owned(),
                    format!("Remise des accès et prise en main de la console par {} {}", site.rupn.prenom, site.rupn.nom),
                ],
            ),
        ],
    }
}
