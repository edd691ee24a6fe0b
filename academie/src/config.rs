//! `/etc/cartable-academie/academie.toml`, checked key by key: an error names its key.
//!
//! ```toml
//! nom = "Académie de Poitiers"
//! ecoute = "0.0.0.0:8443"
//! postgresql = "host=/run/postgresql dbname=cartable_academie user=cartable-academie"
//! certificat = "/etc/cartable-academie/serveur.crt"     # the hub's HTTPS certificate
//! cle = "/etc/cartable-academie/serveur.key"
//! ca_etablissements = "/etc/cartable-academie/etablissements.crt"  # signs their certificates
//! ca_etablissements_cle = "/etc/cartable-academie/etablissements.key"  # to issue them
//! flux = "/srv/cartable-academie/flux"                  # AAF deliveries, one folder per UAI
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result, file_error};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    nom: Option<String>,
    ecoute: Option<String>,
    postgresql: Option<String>,
    certificat: Option<PathBuf>,
    cle: Option<PathBuf>,
    ca_etablissements: Option<PathBuf>,
    ca_etablissements_cle: Option<PathBuf>,
    flux: Option<PathBuf>,
}

/// The hub's configuration, checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The académie's name, in the banner.
    pub nom: String,
    pub ecoute: SocketAddr,
    pub postgresql: tokio_postgres::Config,
    pub certificat: PathBuf,
    pub cle: PathBuf,
    pub ca_etablissements: PathBuf,
    pub ca_etablissements_cle: Option<PathBuf>,
    pub flux: PathBuf,
}

impl Config {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let bad = |key: &str, reason: String| Error::Config {
            file: path.to_owned(),
            key: key.to_owned(),
            reason,
        };
        let f: File = toml::from_str(text).map_err(|e| {
            // toml names an unknown key in its message; say it as ours.
            let msg = e.message().to_owned();
            let key = msg.split('`').nth(1).unwrap_or("(fichier)").to_owned();
            bad(&key, msg)
        })?;
        let required = |key: &str, v: Option<PathBuf>| -> Result<PathBuf> {
            let p = v.ok_or_else(|| bad(key, "obligatoire".into()))?;
            if p.is_relative() {
                return Err(bad(
                    key,
                    format!("« {} » : un chemin absolu est attendu", p.display()),
                ));
            }
            Ok(p)
        };
        let ecoute = f
            .ecoute
            .unwrap_or_else(|| "0.0.0.0:8443".into())
            .parse()
            .map_err(|e| bad("ecoute", format!("adresse:port attendu ({e})")))?;
        let url = f
            .postgresql
            .ok_or_else(|| bad("postgresql", "obligatoire".into()))?;
        let postgresql: tokio_postgres::Config = url
            .parse()
            .map_err(|e| bad("postgresql", format!("chaîne de connexion illisible ({e})")))?;
        if postgresql.get_dbname().is_none() {
            return Err(bad("postgresql", "dbname manquant".into()));
        }
        let ca_etablissements_cle = match f.ca_etablissements_cle {
            Some(p) => Some(required("ca_etablissements_cle", Some(p))?),
            None => None,
        };
        Ok(Self {
            nom: f.nom.unwrap_or_else(|| "Académie".into()),
            ecoute,
            postgresql,
            certificat: required("certificat", f.certificat)?,
            cle: required("cle", f.cle)?,
            ca_etablissements: required("ca_etablissements", f.ca_etablissements)?,
            ca_etablissements_cle,
            flux: required("flux", f.flux)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "postgresql = \"host=/run/postgresql dbname=hub\"\ncertificat = \"/e/s.crt\"\ncle = \"/e/s.key\"\nca_etablissements = \"/e/ca.crt\"\nflux = \"/srv/flux\"\n";

    fn key_of(text: &str) -> String {
        match Config::parse(Path::new("academie.toml"), text) {
            Err(Error::Config { key, .. }) => key,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn each_wrong_key_is_named() {
        assert!(Config::parse(Path::new("a.toml"), GOOD).is_ok());
        assert_eq!(key_of(&GOOD.replace("dbname=hub", "")), "postgresql");
        assert_eq!(key_of(&format!("{GOOD}ecoute = \"partout\"\n")), "ecoute");
        assert_eq!(key_of(&GOOD.replace("/srv/flux", "flux")), "flux");
        assert_eq!(key_of(&GOOD.replace("cle = \"/e/s.key\"\n", "")), "cle");
        assert_eq!(key_of(&format!("{GOOD}certficat = \"/x\"\n")), "certficat");
    }
}
