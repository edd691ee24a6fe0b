//! What an établissement sends, stored: the message once per (UAI, key), and in the same
//! transaction its projection into the tables the dashboard reads.

use cartable_core::academie::exchange::{Etat, Gar, Import, Indicateurs, Message};
use time::OffsetDateTime;

use super::Db;
use crate::error::{Error, Result};
use crate::text;

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored now.
    New,
    /// Already had it (a resend after a lost answer): acknowledged, nothing changed.
    Again,
}

fn day(field: &str, s: &str) -> Result<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| Error::Refused(text::bad_field(field, s)))
}

fn instant(field: &str, secs: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| Error::Refused(text::bad_field(field, &secs.to_string())))
}

/// Checks what a message says before anything is stored: dates, instants, bounded names and
/// non-negative counts; the error names the field.
pub fn check(m: &Message) -> Result<()> {
    match m {
        Message::Indicateurs(i) => {
            day("jour", &i.jour)?;
            if i.services.len() > 10_000 {
                return Err(Error::Refused(text::bad_field(
                    "services",
                    "trop de lignes",
                )));
            }
            for f in &i.services {
                if f.service.is_empty()
                    || f.service.len() > 64
                    || f.profil.is_empty()
                    || f.profil.len() > 32
                    || f.visites < 0
                    || f.visiteurs < 0
                {
                    return Err(Error::Refused(text::bad_field("services", &f.service)));
                }
            }
        }
        Message::Etat(e) => {
            day("jour", &e.jour)?;
            instant("genere_le", e.genere_le)?;
            if let Some(t) = e.dernier_import {
                instant("dernier_import", t)?;
            }
            if let Some(t) = e.derniere_sauvegarde {
                instant("derniere_sauvegarde", t)?;
            }
            if e.version.len() > 64 {
                return Err(Error::Refused(text::bad_field("version", &e.version)));
            }
        }
        Message::Import(i) => {
            instant("le", i.le)?;
            if i.livraison.is_empty() || i.livraison.len() > 200 {
                return Err(Error::Refused(text::bad_field("livraison", &i.livraison)));
            }
        }
        Message::Gar(g) => {
            instant("le", g.le)?;
        }
    }
    Ok(())
}

impl Db {
    /// Stores `body` sent by `uai` (from its certificate) under `key`. Refused: a body that is
    /// not a message, a message about another UAI, an unknown or revoked établissement.
    pub async fn receive(
        &self,
        uai: &str,
        key: &str,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<Received> {
        if key.is_empty() || key.len() > 200 {
            return Err(Error::Refused(text::BAD_KEY.into()));
        }
        let message: Message = serde_json::from_slice(body)
            .map_err(|e| Error::Refused(format!("{} ({e})", text::NOT_A_MESSAGE)))?;
        if message.uai() != uai {
            return Err(Error::Forbidden(text::other_uai(uai, message.uai())));
        }
        check(&message)?;
        // Kept as read (unknown fields dropped), without parsing the body a second time.
        let corps = serde_json::to_value(&message).map_err(|e| Error::Refused(e.to_string()))?;
        let mut c = self.client().await?;
        let t = c.transaction().await?;
        let known = t
            .query_opt(
                "SELECT revoque_le FROM etablissements WHERE uai = $1 FOR UPDATE",
                &[&uai],
            )
            .await?;
        match known {
            None => return Err(Error::Forbidden(text::unknown_uai(uai))),
            Some(row) if row.get::<_, Option<OffsetDateTime>>(0).is_some() => {
                return Err(Error::Forbidden(text::revoked(uai)));
            }
            Some(_) => {}
        }
        let inserted = t
            .execute(
                "INSERT INTO messages (uai, cle, type, corps, recu_le) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (uai, cle) DO NOTHING",
                &[&uai, &key, &message.kind(), &corps, &now],
            )
            .await?;
        t.execute(
            "UPDATE etablissements SET dernier_message = $2 WHERE uai = $1",
            &[&uai, &now],
        )
        .await?;
        if inserted == 0 {
            t.commit().await?;
            return Ok(Received::Again);
        }
        match &message {
            Message::Indicateurs(m) => indicateurs(&t, m).await?,
            Message::Etat(m) => etat(&t, m).await?,
            Message::Import(m) => import(&t, m).await?,
            Message::Gar(m) => gar(&t, m).await?,
        }
        t.commit().await?;
        Ok(Received::New)
    }
}

async fn indicateurs(t: &deadpool_postgres::Transaction<'_>, m: &Indicateurs) -> Result<()> {
    let jour = day("jour", &m.jour)?;
    let (mut services, mut profils, mut visites, mut visiteurs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for f in &m.services {
        services.push(f.service.as_str());
        profils.push(f.profil.as_str());
        visites.push(f.visites);
        visiteurs.push(f.visiteurs);
    }
    t.execute(
        "INSERT INTO indicateurs (uai, jour, service, profil, visites, visiteurs)
         SELECT $1, $2, s, p, v, u FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS x(s, p, v, u)
         ON CONFLICT (uai, jour, service, profil) DO UPDATE
           SET visites = EXCLUDED.visites, visiteurs = EXCLUDED.visiteurs",
        &[&m.uai, &jour, &services, &profils, &visites, &visiteurs],
    )
    .await?;
    Ok(())
}

async fn etat(t: &deadpool_postgres::Transaction<'_>, m: &Etat) -> Result<()> {
    let jour = day("jour", &m.jour)?;
    let genere = instant("genere_le", m.genere_le)?;
    let import = m
        .dernier_import
        .map(|s| instant("dernier_import", s))
        .transpose()?;
    let sauvegarde = m
        .derniere_sauvegarde
        .map(|s| instant("derniere_sauvegarde", s))
        .transpose()?;
    let comptes =
        serde_json::to_value(&m.comptes_actifs).map_err(|e| Error::Refused(e.to_string()))?;
    let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    t.execute(
        "INSERT INTO etats (uai, jour, version, genere_le, dernier_import, derniere_sauvegarde,
                            sauvegarde_configuree, disque_libre, disque_total, en_attente, comptes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (uai, jour) DO UPDATE SET version = EXCLUDED.version,
           genere_le = EXCLUDED.genere_le, dernier_import = EXCLUDED.dernier_import,
           derniere_sauvegarde = EXCLUDED.derniere_sauvegarde,
           sauvegarde_configuree = EXCLUDED.sauvegarde_configuree,
           disque_libre = EXCLUDED.disque_libre, disque_total = EXCLUDED.disque_total,
           en_attente = EXCLUDED.en_attente, comptes = EXCLUDED.comptes",
        &[
            &m.uai,
            &jour,
            &m.version,
            &genere,
            &import,
            &sauvegarde,
            &m.sauvegarde_configuree,
            &as_i64(m.disque.libre_octets),
            &as_i64(m.disque.total_octets),
            &as_i64(m.messages_en_attente),
            &comptes,
        ],
    )
    .await?;
    Ok(())
}

async fn import(t: &deadpool_postgres::Transaction<'_>, m: &Import) -> Result<()> {
    let le = instant("le", m.le)?;
    t.execute(
        "INSERT INTO imports (uai, livraison, le, refus, resultat) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (uai, livraison) DO UPDATE
           SET le = EXCLUDED.le, refus = EXCLUDED.refus, resultat = EXCLUDED.resultat",
        &[&m.uai, &m.livraison, &le, &m.refus(), &m.resultat],
    )
    .await?;
    Ok(())
}

async fn gar(t: &deadpool_postgres::Transaction<'_>, m: &Gar) -> Result<()> {
    let le = instant("le", m.le)?;
    t.execute(
        "INSERT INTO exports_gar (uai, le, ok, resume, archive) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (uai, le) DO NOTHING",
        &[&m.uai, &le, &m.ok, &m.resume, &m.archive],
    )
    .await?;
    Ok(())
}

impl Db {
    /// Registers an établissement (or renames it, and lifts a revocation).
    pub async fn add_etablissement(&self, uai: &str, nom: &str, now: OffsetDateTime) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO etablissements (uai, nom, ajoute_le) VALUES ($1, $2, $3)
             ON CONFLICT (uai) DO UPDATE SET nom = EXCLUDED.nom, revoque_le = NULL",
            &[&uai, &nom, &now],
        )
        .await?;
        Ok(())
    }

    /// Refuses from now on what `uai` sends (a stolen certificate); true when it was known.
    pub async fn revoke(&self, uai: &str, now: OffsetDateTime) -> Result<bool> {
        let c = self.client().await?;
        Ok(c.execute(
            "UPDATE etablissements SET revoque_le = $2 WHERE uai = $1",
            &[&uai, &now],
        )
        .await?
            == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_field_is_named() {
        let m: Message = serde_json::from_str(
            r#"{"type":"indicateurs","uai":"0860001A","jour":"2026-13-01","services":[]}"#,
        )
        .unwrap();
        assert!(check(&m).unwrap_err().to_string().contains("« jour »"));
        let m: Message = serde_json::from_str(
            r#"{"type":"indicateurs","uai":"0860001A","jour":"2026-12-01","services":[{"service":"accueil","profil":"eleve","visites":-1,"visiteurs":0}]}"#,
        )
        .unwrap();
        assert!(check(&m).unwrap_err().to_string().contains("« services »"));
        let m: Message = serde_json::from_str(
            r#"{"type":"gar","uai":"0860001A","le":99999999999999,"ok":true,"resume":"","archive":null}"#,
        )
        .unwrap();
        assert!(check(&m).unwrap_err().to_string().contains("« le »"));
    }
}
