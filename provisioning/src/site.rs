//! The site file the technician fills in before the install window: who the établissement
//! is, its network name, which services, who the RUPN is. Errors name the key.

use std::path::Path;

use serde::Deserialize;

use crate::Error;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub etablissement: Etablissement,
    pub reseau: Reseau,
    #[serde(default)]
    pub services: Services,
    pub rupn: Rupn,
    /// A certificate provided for the server; without it, cartable makes its own CA.
    pub tls: Option<Tls>,
    /// The établissement's Windows domain (Samba AD), if it has one.
    pub domaine: Option<Domaine>,
    /// The académie's hub (`cartable-academie`), if the académie runs one.
    pub academie: Option<Academie>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Academie {
    /// Adresse du service académique (`https://suivi.ac-exemple.fr:8443`).
    pub url: String,
    /// Dossier, sur le serveur, remis par « cartable-academie etablissement ajouter » :
    /// `<UAI>.crt`, `<UAI>.key`, `academie-ca.crt`.
    pub certificats: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domaine {
    /// Nom DNS du domaine, qui est aussi le royaume Kerberos (`college.lan`).
    pub royaume: String,
    /// Adresse IP propre au contrôleur de domaine, sur le réseau du serveur.
    pub adresse: String,
    /// Interface réseau du serveur ; par défaut celle de la route par défaut.
    pub interface: Option<String>,
    /// Serveur DNS auquel le contrôleur transmet les noms qu'il ne connaît pas.
    pub relais_dns: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    /// Chemin du certificat (PEM, chaîne complète) sur le serveur.
    pub certificat: String,
    /// Chemin de la clé privée (PEM) sur le serveur.
    pub cle: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Etablissement {
    pub uai: String,
    pub nom: String,
    pub academie: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reseau {
    /// Nom complet du serveur (FQDN), celui des adresses de l'ENT.
    pub nom: String,
    /// Adresse IP fixe du serveur, si connue.
    pub adresse: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    #[serde(default = "yes")]
    pub samba: bool,
    #[serde(default = "yes")]
    pub sauvegardes: bool,
}

fn yes() -> bool {
    true
}

impl Default for Services {
    fn default() -> Self {
        Self {
            samba: true,
            sauvegardes: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rupn {
    pub nom: String,
    pub prenom: String,
    pub courriel: Option<String>,
}

impl Site {
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io(path.to_owned(), e))?;
        let site: Site = toml::from_str(&text).map_err(|e| Error::Site {
            file: path.to_owned(),
            reason: e.to_string(),
        })?;
        let bad = |key: &str, reason: String| Error::Site {
            file: path.to_owned(),
            reason: format!("{key} : {reason}"),
        };
        cartable_core::directory::Uai::parse(&site.etablissement.uai)
            .map_err(|e| bad("etablissement.uai", e.to_string()))?;
        let n = &site.reseau.nom;
        if !n.contains('.')
            || !n
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(bad(
                "reseau.nom",
                format!("« {n} » : un nom complet (ent.college.fr) est attendu"),
            ));
        }
        if let Some(t) = &site.tls {
            for (key, p) in [("tls.certificat", &t.certificat), ("tls.cle", &t.cle)] {
                if !p.starts_with('/') || p.contains('"') {
                    return Err(bad(key, format!("« {p} » : un chemin absolu est attendu")));
                }
            }
        }
        if let Some(a) = &site.academie {
            let host = a.url.strip_prefix("https://").unwrap_or_default();
            if host.is_empty() || host.contains(['"', ' ', '?', '#']) {
                return Err(bad(
                    "academie.url",
                    format!("« {} » : une adresse https://... est attendue", a.url),
                ));
            }
            if !a.certificats.starts_with('/') || a.certificats.contains('"') {
                return Err(bad(
                    "academie.certificats",
                    format!("« {} » : un chemin absolu est attendu", a.certificats),
                ));
            }
        }
        if let Some(d) = &site.domaine {
            cartable_core::ad::account::Domain::new(&d.royaume, "cartable")
                .map_err(|e| bad("domaine.royaume", e.to_string()))?;
            let ip = d.adresse.parse::<std::net::Ipv4Addr>().map_err(|_| {
                bad(
                    "domaine.adresse",
                    format!("« {} » : une adresse IPv4 est attendue", d.adresse),
                )
            })?;
            if site.reseau.adresse.as_deref() == Some(d.adresse.as_str()) {
                return Err(bad(
                    "domaine.adresse",
                    format!(
                        "« {ip} » est l'adresse du serveur : le contrôleur de domaine a besoin d'une adresse à lui"
                    ),
                ));
            }
            if let Some(r) = &d.relais_dns
                && r.parse::<std::net::IpAddr>().is_err()
            {
                return Err(bad(
                    "domaine.relais_dns",
                    format!("« {r} » : une adresse IP est attendue"),
                ));
            }
            if let Some(i) = &d.interface
                && (i.is_empty()
                    || i.len() > 15
                    || !i
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c)))
            {
                return Err(bad(
                    "domaine.interface",
                    format!("« {i} » : un nom d'interface réseau est attendu (eth0, ens18)"),
                ));
            }
            if !site.services.samba {
                return Err(bad(
                    "domaine",
                    "les postes du domaine trouvent leurs fichiers sur le serveur Samba : \
                     services.samba doit rester activé"
                        .to_owned(),
                ));
            }
        }
        Ok(site)
    }

    /// The LDAP base DN, from the network name (`ent.clg-tilleuls.fr` → `dc=clg-tilleuls,dc=fr`).
    pub fn base_dn(&self) -> String {
        let parts: Vec<&str> = self.reseau.nom.split('.').collect();
        let tail = if parts.len() > 2 {
            &parts[1..]
        } else {
            &parts[..]
        };
        tail.iter()
            .map(|p| format!("dc={p}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}
