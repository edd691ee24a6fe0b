//! What an établissement sends the académie's hub, as types both sides share: the outbox
//! serialises them, `cartable-academie` reads them back. Each message names its établissement
//! (`uai`); the hub accepts it only from that établissement's certificate. Adding a field is
//! compatible both ways (unknown fields are ignored, missing optional ones are `None`).

use serde::{Deserialize, Serialize};

use super::audience::DayFigure;

/// The header carrying a message's idempotency key.
pub const KEY_HEADER: &str = "Idempotency-Key";
/// The header naming a message's kind.
pub const KIND_HEADER: &str = "X-Cartable-Type";

/// One message, tagged by its `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    Indicateurs(Indicateurs),
    Etat(Etat),
    Import(Import),
    Gar(Gar),
}

impl Message {
    pub fn uai(&self) -> &str {
        match self {
            Message::Indicateurs(m) => &m.uai,
            Message::Etat(m) => &m.uai,
            Message::Import(m) => &m.uai,
            Message::Gar(m) => &m.uai,
        }
    }

    /// The kind, as in the `type` field and the kind header.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Indicateurs(_) => "indicateurs",
            Message::Etat(_) => "etat",
            Message::Import(_) => "import",
            Message::Gar(_) => "gar",
        }
    }
}

/// One past day's usage: visits and distinct visitors per service and profile (no names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicateurs {
    pub uai: String,
    /// `AAAA-MM-JJ`.
    pub jour: String,
    pub services: Vec<DayFigure>,
}

/// Free and total bytes of the data's file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Disque {
    pub libre_octets: u64,
    pub total_octets: u64,
}

/// The daily status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Etat {
    pub uai: String,
    pub jour: String,
    pub version: String,
    /// Unix seconds.
    pub genere_le: i64,
    /// Unix seconds of the last import, if any.
    pub dernier_import: Option<i64>,
    /// Active accounts per profile.
    pub comptes_actifs: std::collections::BTreeMap<String, u64>,
    pub disque: Disque,
    pub messages_en_attente: u64,
    /// Unix seconds of the newest complete backup, if any (absent from older versions).
    #[serde(default)]
    pub derniere_sauvegarde: Option<i64>,
    /// Whether daily backups are set up (`[backup] dest`).
    #[serde(default)]
    pub sauvegarde_configuree: Option<bool>,
}

/// How a feed delivery went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Import {
    pub uai: String,
    /// The delivery's name (`ENT2026_0860001A_Complet_20260901`).
    pub livraison: String,
    /// Unix seconds.
    pub le: i64,
    /// The import's counts, or `{"refus": …}` when the delivery was refused.
    pub resultat: serde_json::Value,
}

impl Import {
    /// Why the delivery was refused, if it was.
    pub fn refus(&self) -> Option<&str> {
        self.resultat.get("refus").and_then(|r| r.as_str())
    }
}

/// How a GAR export went (counts and errors only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gar {
    pub uai: String,
    /// Unix seconds.
    pub le: i64,
    pub ok: bool,
    pub resume: String,
    pub archive: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_back_as_it_was_written() {
        let m = Message::Indicateurs(Indicateurs {
            uai: "0860001A".into(),
            jour: "2026-12-01".into(),
            services: vec![DayFigure {
                service: "accueil".into(),
                profil: "eleve".into(),
                visites: 12,
                visiteurs: 7,
            }],
        });
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains("\"type\":\"indicateurs\""), "{text}");
        let back: Message = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.uai(), "0860001A");
    }

    #[test]
    fn an_older_status_without_backup_fields_is_read() {
        let old = r#"{"type":"etat","uai":"0860001A","jour":"2026-12-01","version":"0.1.0","genere_le":1,"dernier_import":null,"comptes_actifs":{"eleve":3},"disque":{"libre_octets":1,"total_octets":2},"messages_en_attente":0}"#;
        match serde_json::from_str::<Message>(old) {
            Ok(Message::Etat(e)) => assert_eq!(e.derniere_sauvegarde, None),
            other => panic!("{other:?}"),
        }
    }
}
