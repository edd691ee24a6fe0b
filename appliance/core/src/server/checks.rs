//! Each part of the server checked as a user would: the annuaire answers a read, Samba an SMB
//! negotiation, the domain controller an LDAPS bind, the mail relay its greeting; the
//! académie link by what it acknowledged; backups by their age; disks by their use. Each
//! check is bounded in time and says what it found in French.

use std::time::Duration;

use crate::files::quota::human;
use crate::messages as m;

/// How long one check may take before it counts as « pas de réponse ».
pub const CHECK_WITHIN: Duration = Duration::from_secs(3);
/// Messages waiting longer than this make the académie link or the mail relay a warning.
pub const LATE_SECS: i64 = 3600;
/// No backup for longer than this is a warning (one a day is the schedule).
pub const BACKUP_LATE_SECS: i64 = 36 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Annuaire,
    Base,
    Partages,
    Domaine,
    Courriel,
    Academie,
    Sauvegardes,
    Imports,
    Disque,
}

impl Service {
    pub fn label(self) -> &'static str {
        match self {
            Service::Annuaire => m::SERVICE_ANNUAIRE,
            Service::Base => m::SERVICE_BASE,
            Service::Partages => m::SERVICE_PARTAGES,
            Service::Domaine => m::SERVICE_DOMAINE,
            Service::Courriel => m::SERVICE_COURRIEL,
            Service::Academie => m::SERVICE_ACADEMIE,
            Service::Sauvegardes => m::SERVICE_SAUVEGARDES,
            Service::Imports => m::SERVICE_IMPORTS,
            Service::Disque => m::SERVICE_DISQUE,
        }
    }

    /// A stable id for the page (`etat-annuaire`).
    pub fn id(self) -> &'static str {
        match self {
            Service::Annuaire => "annuaire",
            Service::Base => "base",
            Service::Partages => "partages",
            Service::Domaine => "domaine",
            Service::Courriel => "courriel",
            Service::Academie => "academie",
            Service::Sauvegardes => "sauvegardes",
            Service::Imports => "imports",
            Service::Disque => "disque",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Health {
    /// Does not answer, or failed: people are affected now.
    Down,
    /// Answers, but something needs looking at (late messages, old backup, disk filling).
    Warning,
    Ok,
    /// Not part of this server's configuration.
    Off,
}

impl Health {
    pub fn label(self) -> &'static str {
        match self {
            Health::Down => m::HEALTH_DOWN,
            Health::Warning => m::HEALTH_WARNING,
            Health::Ok => m::HEALTH_OK,
            Health::Off => m::HEALTH_OFF,
        }
    }

    /// The CSS word for its badge.
    pub fn class(self) -> &'static str {
        match self {
            Health::Down => "panne",
            Health::Warning => "attention",
            Health::Ok => "ok",
            Health::Off => "sans-objet",
        }
    }

    pub fn is_problem(self) -> bool {
        matches!(self, Health::Down | Health::Warning)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub service: Service,
    pub health: Health,
    /// What was found, in a sentence.
    pub summary: String,
    /// The technical reason, for whoever the RUPN calls.
    pub detail: Option<String>,
}

impl Check {
    pub fn new(service: Service, health: Health, summary: impl Into<String>) -> Self {
        Self {
            service,
            health,
            summary: summary.into(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Every check at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Unix seconds.
    pub at: i64,
    pub checks: Vec<Check>,
}

impl Snapshot {
    pub fn problems(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.health.is_problem())
    }

    pub fn get(&self, service: Service) -> Option<&Check> {
        self.checks.iter().find(|c| c.service == service)
    }
}

/// What an outbox's state says, for the académie link and the mail relay.
pub fn outbox_health(w: &crate::store::Waiting, now: i64) -> Health {
    match w.oldest {
        Some(oldest) if now - oldest > LATE_SECS => Health::Warning,
        _ => Health::Ok,
    }
}

/// The académie link, from its outbox.
pub fn academie(w: &crate::store::Waiting, now: i64) -> Check {
    let health = outbox_health(w, now);
    let acknowledged = match w.last_sent {
        Some(t) => m::academie_acknowledged(t),
        None => m::ACADEMIE_NOTHING_YET.to_owned(),
    };
    let summary = match (w.count, w.oldest) {
        (0, _) | (_, None) => acknowledged,
        (n, Some(oldest)) => format!("{} ; {acknowledged}", m::waiting_since(n, oldest)),
    };
    let c = Check::new(Service::Academie, health, summary);
    match (&w.last_error, w.count) {
        (Some(e), n) if n > 0 => c.with_detail(e.clone()),
        _ => c,
    }
}

/// The mail relay: whether it greets, and what waits for it.
pub fn courriel(
    relay: Result<(), super::probe::Failure>,
    at: &str,
    w: &crate::store::Waiting,
    now: i64,
) -> Check {
    let waiting = match (w.count, w.oldest) {
        (0, _) | (_, None) => m::MAIL_NONE_WAITING.to_owned(),
        (n, Some(oldest)) => m::mails_waiting_since(n, oldest),
    };
    match relay {
        Ok(()) => {
            let c = Check::new(
                Service::Courriel,
                outbox_health(w, now),
                format!("{} ({at}) ; {waiting}", m::RELAY_ANSWERS),
            );
            match (&w.last_error, w.count) {
                (Some(e), n) if n > 0 => c.with_detail(e.clone()),
                _ => c,
            }
        }
        Err(f) => Check::new(
            Service::Courriel,
            Health::Down,
            format!("{} ({at}) ; {waiting}", m::RELAY_DOWN),
        )
        .with_detail(f.to_string()),
    }
}

/// Backups, from the newest on the destination and the last run.
pub fn sauvegardes(
    configured: bool,
    newest: Option<&super::backups::Listed>,
    last_run: Option<&crate::store::BackupRun>,
    running_since: Option<i64>,
    now: i64,
) -> Check {
    if !configured {
        return Check::new(
            Service::Sauvegardes,
            Health::Warning,
            m::BACKUP_NOT_CONFIGURED,
        );
    }
    if let Some(run) = last_run.filter(|r| !r.ok) {
        let c = Check::new(
            Service::Sauvegardes,
            Health::Warning,
            m::backup_failed(run.at),
        );
        return match &run.error {
            Some(e) => c.with_detail(e.clone()),
            None => c,
        };
    }
    let summary = match newest {
        Some(b) => m::backup_newest(b.created_at, &human(b.bytes)),
        None => m::BACKUP_NONE_YET.to_owned(),
    };
    let late = match newest {
        Some(b) => now - b.created_at > BACKUP_LATE_SECS,
        None => true,
    };
    let summary = match running_since {
        Some(t) => format!("{summary} ; {}", m::backup_running(t)),
        None => summary,
    };
    Check::new(
        Service::Sauvegardes,
        if late && running_since.is_none() {
            Health::Warning
        } else {
            Health::Ok
        },
        summary,
    )
}

/// Imports: the last one applied, unless a delivery was refused since.
pub fn imports(
    latest: Option<&super::imports::ImportReport>,
    refused: Option<&super::imports::Refused>,
) -> Check {
    match (latest, refused) {
        (l, Some(r)) if l.is_none_or(|l| r.at > l.at) => Check::new(
            Service::Imports,
            Health::Warning,
            m::import_refused(&r.name, r.at),
        )
        .with_detail(r.reason.clone()),
        (Some(l), _) => Check::new(
            Service::Imports,
            Health::Ok,
            m::import_last(
                l.at,
                &m::import_counts(l.created, l.updated, l.reactivated, l.disabled),
            ),
        ),
        (None, _) => Check::new(Service::Imports, Health::Ok, m::IMPORTS_NONE_YET),
    }
}

/// Disks: the data's file system and, when it is another one, the file spaces'.
pub fn disque(
    data: Option<super::disk::Usage>,
    files: Option<super::disk::Usage>,
    store_bytes: u64,
) -> Check {
    let line = |label: &str, u: super::disk::Usage| {
        m::disk_line(label, u.used_percent(), &human(u.free), &human(u.total))
    };
    let mut parts = Vec::new();
    let mut warning = false;
    if let Some(u) = data {
        parts.push(line(m::DISK_DATA, u));
        warning |= u.warning();
    }
    if let Some(u) = files {
        parts.push(line(m::DISK_FILES, u));
        warning |= u.warning();
    }
    parts.push(m::store_size(&human(store_bytes)));
    let c = Check::new(
        Service::Disque,
        if warning { Health::Warning } else { Health::Ok },
        parts.join(" ; "),
    );
    if warning {
        c.with_detail(m::disk_warning(super::disk::WARNING_PERCENT))
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::backups::Listed;
    use crate::server::disk::Usage;
    use crate::store::{BackupRun, Waiting};

    const NOW: i64 = 1_796_000_000;

    #[test]
    fn late_messages_warn_and_say_why() {
        let quiet = Waiting {
            last_sent: Some(NOW - 60),
            ..Default::default()
        };
        assert_eq!(academie(&quiet, NOW).health, Health::Ok);
        let late = Waiting {
            count: 3,
            oldest: Some(NOW - 2 * 3600),
            last_error: Some("connexion refusée".into()),
            last_sent: Some(NOW - 3 * 3600),
            refused: 0,
        };
        let c = academie(&late, NOW);
        assert_eq!(c.health, Health::Warning);
        assert!(c.summary.contains("3 messages en attente"), "{}", c.summary);
        assert_eq!(c.detail.as_deref(), Some("connexion refusée"));
        let relay_down = courriel(
            Err(crate::server::probe::Failure::Timeout),
            "smtp.example:25",
            &late,
            NOW,
        );
        assert_eq!(relay_down.health, Health::Down);
        assert!(relay_down.summary.contains("3 courriels en attente"));
    }

    #[test]
    fn backups_warn_when_old_failed_or_absent() {
        let fresh = Listed {
            name: "cartable-x".into(),
            created_at: NOW - 3600,
            bytes: 1_500_000_000,
        };
        let old = Listed {
            created_at: NOW - 40 * 3600,
            ..fresh.clone()
        };
        let failed = BackupRun {
            at: NOW - 600,
            seconds: 4,
            trigger: "manuelle".into(),
            ok: false,
            folder: None,
            bytes: None,
            error: Some("disque plein".into()),
        };
        let c = sauvegardes(true, Some(&fresh), None, None, NOW);
        assert_eq!(c.health, Health::Ok);
        assert!(c.summary.contains("1,4 Go"), "{}", c.summary);
        assert_eq!(
            sauvegardes(true, Some(&old), None, None, NOW).health,
            Health::Warning
        );
        let c = sauvegardes(true, Some(&fresh), Some(&failed), None, NOW);
        assert_eq!(c.health, Health::Warning);
        assert_eq!(c.detail.as_deref(), Some("disque plein"));
        assert_eq!(
            sauvegardes(false, None, None, None, NOW).health,
            Health::Warning
        );
        assert_eq!(
            sauvegardes(true, None, None, Some(NOW - 5), NOW).health,
            Health::Ok,
            "the first one is being taken"
        );
    }

    #[test]
    fn a_filling_disk_warns() {
        let ok = Usage {
            free: 50,
            total: 100,
        };
        let full = Usage {
            free: 5,
            total: 100,
        };
        assert_eq!(disque(Some(ok), None, 1024).health, Health::Ok);
        let c = disque(Some(ok), Some(full), 1024);
        assert_eq!(c.health, Health::Warning);
        assert!(c.summary.contains("95 %"), "{}", c.summary);
    }
}
