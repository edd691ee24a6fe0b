//! `/admin/serveur`: the RUPN's view of the server — each service checked as he would check
//! it, disks, backups with « Sauvegarder maintenant », the last imports with their reports,
//! the problems logged lately, the version. Read-only but for the backup button.

use actix_web::{HttpResponse, web};
use cartable_core::server::backups::Trigger;
use cartable_core::server::{Health, Service, Snapshot};
use cartable_core::store::AuditEntry;

use super::{Outcome, chrome, html, see_other_with, when};
use crate::error::WebError;
use crate::messages;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{
    BackupLine, ConsoleServerPage, ImportLine, IncidentLine, RefusedLine, RunLine, ServiceLine,
};

const BACK: &str = "/admin/serveur";
/// Lines shown of each list.
const SHOWN: usize = 10;
const INCIDENTS_SHOWN: usize = 30;

pub fn service_lines(s: &Snapshot) -> Vec<ServiceLine> {
    s.checks
        .iter()
        .map(|c| ServiceLine {
            id: c.service.id(),
            label: c.service.label(),
            health: c.health.label(),
            class: c.health.class(),
            summary: c.summary.clone(),
            detail: c.detail.clone(),
        })
        .collect()
}

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let watch = &state.server;
    let snapshot = watch.check().await;
    let problems = snapshot.problems().count();
    let (listed, running) = match &watch.backups {
        Some(b) => (b.listed().await?, b.running_since()),
        None => (Vec::new(), None),
    };
    let runs = state
        .store
        .read(|r| r.backup_runs(SHOWN as i64))
        .await
        .unwrap_or_default();
    let data_dir = state.config.data_dir.clone();
    let (imports, refused) = cartable_core::error::blocking(move || {
        Ok((
            cartable_core::server::imports::latest(&data_dir, SHOWN),
            cartable_core::server::imports::refused(&data_dir, SHOWN),
        ))
    })
    .await?;
    let version = env!("CARGO_PKG_VERSION");
    let upgrade = cartable_core::server::upgrade::available(version).await;
    let upgrade_changes = match &upgrade {
        Some(v) => cartable_core::server::upgrade::changes(
            std::path::Path::new(cartable_core::server::upgrade::ARCHIVES),
            v,
            version,
        )
        .await
        .unwrap_or_default(),
        None => Vec::new(),
    };
    let human = cartable_core::files::quota::human;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ConsoleServerPage {
        chrome: &chrome,
        ok: outcome.notice(),
        err: outcome.error(),
        checked_at: when(snapshot.at),
        summary: messages::server_summary(problems),
        all_well: problems == 0,
        any_down: snapshot.checks.iter().any(|c| c.health == Health::Down),
        annuaire_down: me.annuaire_down,
        services: service_lines(&snapshot),
        backups_configured: watch.backups.is_some(),
        backup_dest: watch
            .backups
            .as_ref()
            .map(|b| b.dest().display().to_string())
            .unwrap_or_default(),
        running: running.map(when),
        backups: listed
            .iter()
            .take(SHOWN)
            .map(|b| BackupLine {
                when: when(b.created_at),
                size: human(b.bytes),
                name: b.name.clone(),
            })
            .collect(),
        runs: runs
            .iter()
            .map(|r| RunLine {
                when: when(r.at),
                trigger: messages::backup_trigger(&r.trigger),
                outcome: match (r.ok, r.bytes) {
                    (true, Some(b)) => messages::backup_done(&human(b), r.seconds),
                    (true, None) => messages::backup_done("?", r.seconds),
                    (false, _) => messages::BACKUP_FAILED.to_owned(),
                },
                ok: r.ok,
                detail: r.error.clone(),
            })
            .collect(),
        imports: imports
            .iter()
            .map(|i| ImportLine {
                name: i.name.clone(),
                when: when(i.at),
                counts: cartable_core::messages::import_counts(
                    i.created,
                    i.updated,
                    i.reactivated,
                    i.disabled,
                ),
            })
            .collect(),
        refused: refused
            .into_iter()
            .map(|r| RefusedLine {
                when: when(r.at),
                name: r.name,
                reason: r.reason,
            })
            .collect(),
        incidents: watch
            .incidents
            .latest(INCIDENTS_SHOWN)
            .into_iter()
            .map(|i| IncidentLine {
                area: i.area.label(),
                when: when(i.last_at),
                repeated: (i.count > 1)
                    .then(|| messages::incident_repeated(i.count, &when(i.first_at))),
                text: i.text,
                error: i.error,
            })
            .collect(),
        incidents_since: when(watch.incidents.since()),
        version,
        upgrade,
        upgrade_changes,
    })
}

#[derive(serde::Deserialize)]
pub struct BackupForm {
    #[serde(default)]
    csrf: String,
}

/// « Sauvegarder maintenant »: starts a backup in the background and comes back; the page
/// shows it running, then in the list.
pub async fn backup_now(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<BackupForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    crate::policy::require_rupn(&state, &me).await?;
    let Some(backups) = &state.server.backups else {
        return Ok(see_other_with(
            BACK,
            Err(messages::BACKUP_NOT_CONFIGURED.to_owned()),
        ));
    };
    if !backups.start(Trigger::Asked) {
        return Ok(see_other_with(
            BACK,
            Err(messages::BACKUP_ALREADY_RUNNING.to_owned()),
        ));
    }
    let entry = AuditEntry {
        at: state.clock.now().unix_timestamp(),
        actor: me.person.login.to_string(),
        action: "sauvegarde".into(),
        target: "serveur".into(),
        detail: backups.dest().display().to_string(),
    };
    // The journal line is kept if the store answers; the backup is started either way.
    if let Err(e) = state.store.write(move |w| w.append_audit(&entry)).await {
        tracing::warn!("journal : sauvegarde demandée non notée : {e}");
    }
    tracing::info!(by = %me.person.login, "sauvegarde demandée depuis la console");
    Ok(see_other_with(
        BACK,
        Ok(messages::BACKUP_STARTED.to_owned()),
    ))
}

/// An import's report (`rapport.csv`), for the RUPN to open in a spreadsheet.
pub async fn import_report(
    me: SignedIn,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let data_dir = state.config.data_dir.clone();
    let name = name.into_inner();
    let file = name.clone();
    let bytes = cartable_core::error::blocking(move || {
        match cartable_core::server::imports::report_path(&data_dir, &file) {
            Some(p) => std::fs::read(&p)
                .map(Some)
                .map_err(|e| cartable_core::Error::Io { path: p, source: e }),
            None => Ok(None),
        }
    })
    .await?
    .ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"rapport-{name}.csv\""),
        ))
        .body(bytes))
}

/// The RUPN's portal: what the last checks found wrong, if anything (no probe on a view;
/// the daemon checks every minute), and the annuaire when this very request found it down.
pub fn portal_problems(state: &AppState, annuaire_down: bool) -> Vec<String> {
    let mut out: Vec<String> = state
        .server
        .latest()
        .map(|s| {
            s.checks
                .iter()
                .filter(|c| c.health == Health::Down || c.health == Health::Warning)
                .filter(|c| !(annuaire_down && c.service == Service::Annuaire))
                .map(|c| format!("{} : {}", c.service.label(), c.summary))
                .collect()
        })
        .unwrap_or_default();
    if annuaire_down {
        out.insert(
            0,
            format!(
                "{} : {}",
                Service::Annuaire.label(),
                cartable_core::messages::ANNUAIRE_DOWN
            ),
        );
    }
    out
}
