//! What needs the académie's attention, from an établissement's latest state and the time:
//! silent for two days, its last delivery refused, no backup for three days, a disk over 90 %.
//! Time is a parameter, so each threshold is tested at its edge.

use time::{Duration, OffsetDateTime};

use crate::db::read::EtabState;
use crate::text::days_ago;

pub const SILENT: Duration = Duration::days(2);
pub const BACKUP_AGE: Duration = Duration::days(3);
pub const DISK_PERCENT: i64 = 90;

/// One alert: a short label for the list, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Stable, for the page's class and the tests: `silence`, `import`, `sauvegarde`, `disque`.
    pub kind: &'static str,
    pub text: String,
}

fn whole_days(d: Duration) -> i64 {
    d.whole_days()
}

pub fn of(s: &EtabState, now: OffsetDateTime) -> Vec<Alert> {
    let mut out = Vec::new();
    if s.revoque_le.is_some() {
        return out; // no longer followed
    }
    match s.dernier_message {
        None => out.push(Alert {
            kind: "silence",
            text: "Aucun message reçu depuis l'inscription".into(),
        }),
        Some(t) if now - t >= SILENT => out.push(Alert {
            kind: "silence",
            text: format!(
                "Silencieux : dernier message {}",
                days_ago(whole_days(now - t))
            ),
        }),
        Some(_) => {}
    }
    if let Some(reason) = &s.refus {
        out.push(Alert {
            kind: "import",
            text: format!(
                "Dernier flux refusé ({}) : {}",
                s.livraison.as_deref().unwrap_or("livraison"),
                reason.chars().take(160).collect::<String>()
            ),
        });
    }
    if s.version.is_some() {
        match (s.sauvegarde_configuree, s.derniere_sauvegarde) {
            (Some(false), _) => out.push(Alert {
                kind: "sauvegarde",
                text: "Sauvegardes non configurées".into(),
            }),
            (_, None) => out.push(Alert {
                kind: "sauvegarde",
                text: "Aucune sauvegarde".into(),
            }),
            (_, Some(t)) if now - t >= BACKUP_AGE => out.push(Alert {
                kind: "sauvegarde",
                text: format!("Dernière sauvegarde {}", days_ago(whole_days(now - t))),
            }),
            _ => {}
        }
    }
    if let Some(p) = s.disque_utilise()
        && p > DISK_PERCENT
    {
        out.push(Alert {
            kind: "disque",
            text: format!("Disque occupé à {p} %"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy(now: OffsetDateTime) -> EtabState {
        EtabState {
            uai: "0860001A".into(),
            nom: "Collège".into(),
            dernier_message: Some(now - Duration::hours(3)),
            version: Some("0.1.0".into()),
            derniere_sauvegarde: Some(now - Duration::hours(20)),
            sauvegarde_configuree: Some(true),
            disque_libre: Some(50),
            disque_total: Some(100),
            ..EtabState::default()
        }
    }

    fn kinds(s: &EtabState, now: OffsetDateTime) -> Vec<&'static str> {
        of(s, now).iter().map(|a| a.kind).collect()
    }

    #[test]
    fn each_alert_at_its_threshold() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let s = healthy(now);
        assert!(kinds(&s, now).is_empty());

        let mut silent = s.clone();
        silent.dernier_message = Some(now - Duration::days(2) + Duration::minutes(1));
        assert!(kinds(&silent, now).is_empty(), "not yet two days");
        silent.dernier_message = Some(now - Duration::days(2));
        assert_eq!(kinds(&silent, now), ["silence"]);
        assert_eq!(
            of(&silent, now)[0].text,
            "Silencieux : dernier message il y a 2 jours"
        );

        let mut refused = s.clone();
        refused.refus = Some("fichier Eleve illisible".into());
        refused.livraison = Some("ENT_0860001A_Complet_20260901".into());
        assert_eq!(kinds(&refused, now), ["import"]);

        let mut old = s.clone();
        old.derniere_sauvegarde = Some(now - Duration::days(3));
        assert_eq!(kinds(&old, now), ["sauvegarde"]);
        old.sauvegarde_configuree = Some(false);
        assert_eq!(of(&old, now)[0].text, "Sauvegardes non configurées");

        let mut full = s.clone();
        full.disque_libre = Some(10);
        assert!(kinds(&full, now).is_empty(), "90 % is not over 90 %");
        full.disque_libre = Some(9);
        assert_eq!(kinds(&full, now), ["disque"]);

        let mut revoked = silent.clone();
        revoked.revoque_le = Some(now);
        assert!(kinds(&revoked, now).is_empty());
    }
}
