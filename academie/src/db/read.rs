//! What the dashboard reads. Every query is bounded by an index on UAI or day: 200
//! établissements × a school year of days stays a range scan.

use time::{Date, OffsetDateTime};

use super::Db;
use crate::error::Result;

/// An établissement's latest state, as the dashboard's list shows it.
#[derive(Debug, Clone, Default)]
pub struct EtabState {
    pub uai: String,
    pub nom: String,
    pub revoque_le: Option<OffsetDateTime>,
    pub dernier_message: Option<OffsetDateTime>,
    pub version: Option<String>,
    pub etat_du: Option<Date>,
    pub dernier_import: Option<OffsetDateTime>,
    pub derniere_sauvegarde: Option<OffsetDateTime>,
    pub sauvegarde_configuree: Option<bool>,
    pub disque_libre: Option<i64>,
    pub disque_total: Option<i64>,
    pub en_attente: Option<i64>,
    /// The last delivery imported or refused.
    pub livraison: Option<String>,
    pub livraison_le: Option<OffsetDateTime>,
    pub refus: Option<String>,
}

impl EtabState {
    /// Disk used, in percent, when known.
    pub fn disque_utilise(&self) -> Option<i64> {
        match (self.disque_libre, self.disque_total) {
            (Some(free), Some(total)) if total > 0 => Some(100 - free * 100 / total),
            _ => None,
        }
    }
}

/// One day's status in an établissement's history.
#[derive(Debug, Clone)]
pub struct EtatJour {
    pub jour: Date,
    pub version: String,
    pub disque_utilise: Option<i64>,
    pub en_attente: i64,
    pub derniere_sauvegarde: Option<OffsetDateTime>,
    pub comptes: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct ImportRow {
    pub livraison: String,
    pub le: OffsetDateTime,
    pub refus: Option<String>,
    pub resultat: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct GarRow {
    pub le: OffsetDateTime,
    pub ok: bool,
    pub resume: String,
}

/// Visits and visitors of one week, service and profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    pub uai: Option<String>,
    /// The week's Monday.
    pub semaine: Date,
    pub service: String,
    pub profil: String,
    pub visites: i64,
    pub visiteurs: i64,
}

const STATE: &str = "SELECT e.uai, e.nom, e.revoque_le, e.dernier_message,
       s.version, s.jour, s.dernier_import, s.derniere_sauvegarde, s.sauvegarde_configuree,
       s.disque_libre, s.disque_total, s.en_attente, i.livraison, i.le, i.refus
  FROM etablissements e
  LEFT JOIN LATERAL (SELECT * FROM etats WHERE uai = e.uai ORDER BY jour DESC LIMIT 1) s ON true
  LEFT JOIN LATERAL (SELECT livraison, le, refus FROM imports WHERE uai = e.uai ORDER BY le DESC LIMIT 1) i ON true";

fn state(r: &tokio_postgres::Row) -> EtabState {
    EtabState {
        uai: r.get(0),
        nom: r.get(1),
        revoque_le: r.get(2),
        dernier_message: r.get(3),
        version: r.get(4),
        etat_du: r.get(5),
        dernier_import: r.get(6),
        derniere_sauvegarde: r.get(7),
        sauvegarde_configuree: r.get(8),
        disque_libre: r.get(9),
        disque_total: r.get(10),
        en_attente: r.get(11),
        livraison: r.get(12),
        livraison_le: r.get(13),
        refus: r.get(14),
    }
}

impl Db {
    /// Every établissement with its latest state, by UAI.
    pub async fn overview(&self) -> Result<Vec<EtabState>> {
        let c = self.client().await?;
        let rows = c.query(&format!("{STATE} ORDER BY e.uai"), &[]).await?;
        Ok(rows.iter().map(state).collect())
    }

    pub async fn etablissement(&self, uai: &str) -> Result<Option<EtabState>> {
        let c = self.client().await?;
        let row = c
            .query_opt(&format!("{STATE} WHERE e.uai = $1"), &[&uai])
            .await?;
        Ok(row.as_ref().map(state))
    }

    /// The last `n` daily statuses, newest first.
    pub async fn etats(&self, uai: &str, n: i64) -> Result<Vec<EtatJour>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT jour, version, disque_libre, disque_total, en_attente, derniere_sauvegarde, comptes
                   FROM etats WHERE uai = $1 ORDER BY jour DESC LIMIT $2",
                &[&uai, &n],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let (free, total): (i64, i64) = (r.get(2), r.get(3));
                EtatJour {
                    jour: r.get(0),
                    version: r.get(1),
                    disque_utilise: (total > 0).then(|| 100 - free * 100 / total),
                    en_attente: r.get(4),
                    derniere_sauvegarde: r.get(5),
                    comptes: r.get(6),
                }
            })
            .collect())
    }

    pub async fn imports(&self, uai: &str, n: i64) -> Result<Vec<ImportRow>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT livraison, le, refus, resultat FROM imports WHERE uai = $1 ORDER BY le DESC LIMIT $2",
                &[&uai, &n],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| ImportRow {
                livraison: r.get(0),
                le: r.get(1),
                refus: r.get(2),
                resultat: r.get(3),
            })
            .collect())
    }

    pub async fn exports_gar(&self, uai: &str, n: i64) -> Result<Vec<GarRow>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT le, ok, resume FROM exports_gar WHERE uai = $1 ORDER BY le DESC LIMIT $2",
                &[&uai, &n],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| GarRow {
                le: r.get(0),
                ok: r.get(1),
                resume: r.get(2),
            })
            .collect())
    }

    /// How many messages an établissement sent, by kind.
    pub async fn message_counts(&self, uai: &str) -> Result<Vec<(String, i64)>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT type, count(*) FROM messages WHERE uai = $1 GROUP BY type ORDER BY type",
                &[&uai],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Weekly usage between `from` (included) and `to` (excluded), for one établissement or
    /// all; `per_uai` keeps établissements apart (the DNMA export), else they are summed.
    pub async fn usage(
        &self,
        uai: Option<&str>,
        from: Date,
        to: Date,
        per_uai: bool,
    ) -> Result<Vec<UsageRow>> {
        let c = self.client().await?;
        let who = if per_uai { "uai" } else { "NULL::text" };
        let sql = format!(
            "SELECT {who}, date_trunc('week', jour)::date AS semaine, service, profil,
                    sum(visites)::bigint, sum(visiteurs)::bigint
               FROM indicateurs
              WHERE jour >= $1 AND jour < $2 AND ($3::text IS NULL OR uai = $3)
              GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        );
        let rows = c.query(&sql, &[&from, &to, &uai]).await?;
        Ok(rows
            .iter()
            .map(|r| UsageRow {
                uai: r.get(0),
                semaine: r.get(1),
                service: r.get(2),
                profil: r.get(3),
                visites: r.get(4),
                visiteurs: r.get(5),
            })
            .collect())
    }
}
