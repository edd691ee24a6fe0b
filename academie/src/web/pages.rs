//! The dashboard's pages: every établissement at a glance, one établissement's history, the
//! usage of the ENT by week with charts, and the DNMA-shaped export.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse};
use cartable_core::charts::{Series, stacked_bars, thousands};
use cartable_core::dates::{french_date_time, iso, long_date, today_in_france};
use cartable_core::usage::labels::{profile_label, service_label};
use cartable_core::usage::year::{school_year, week_label, year_bounds};
use time::{Date, OffsetDateTime};

use super::Hub;
use super::session::Staff;
use super::templates::{
    Banner, ErrorPage, EtabPage, FluxLine, Line, OverviewPage, UsageLine, UsagesPage, render,
};
use crate::alerts;
use crate::db::read::{EtabState, UsageRow};
use crate::error::{Error, Result};
use crate::text;

const STYLESHEET: &str = include_str!("../../../appliance/web/static/cartable.css");

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Content-Type-Options", "nosniff"))
}

pub fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLESHEET)
}

fn error_page(status: StatusCode, title: &str, message: &str) -> HttpResponse {
    render(
        status,
        &ErrorPage {
            banner: Banner::anonymous("Académie"),
            title,
            message,
        },
    )
}

pub fn not_found() -> HttpResponse {
    error_page(StatusCode::NOT_FOUND, "Page introuvable", text::NOT_FOUND)
}

pub fn forbidden(message: &str) -> HttpResponse {
    error_page(StatusCode::FORBIDDEN, "Action refusée", message)
}

pub fn failure(e: Error) -> HttpResponse {
    tracing::error!("{e}");
    error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Service indisponible",
        text::SERVER_ERROR,
    )
}

pub fn to_sign_in(req: &HttpRequest) -> HttpResponse {
    let next = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let q = serde_urlencoded::to_string([("suite", next)]).unwrap_or_default();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/connexion?{q}")))
        .finish()
}

pub async fn health(hub: &Hub) -> Result<HttpResponse> {
    let v = hub.db.version().await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("ok — schéma {v}\n")))
}

fn when(t: Option<OffsetDateTime>, now: OffsetDateTime) -> String {
    match t {
        None => "jamais".into(),
        Some(t) => format!(
            "{} ({})",
            french_date_time(t.unix_timestamp()),
            text::days_ago((now - t).whole_days())
        ),
    }
}

fn line(state: EtabState, now: OffsetDateTime) -> Line {
    let alerts = alerts::of(&state, now);
    let dernier_import = match (&state.livraison, state.livraison_le, &state.refus) {
        (Some(l), Some(t), None) => format!("{l}, {}", french_date_time(t.unix_timestamp())),
        (Some(l), Some(t), Some(_)) => {
            format!("{l} refusé le {}", french_date_time(t.unix_timestamp()))
        }
        _ => match state.dernier_import {
            Some(t) => french_date_time(t.unix_timestamp()),
            None => "aucun".into(),
        },
    };
    let sauvegarde = match (state.sauvegarde_configuree, state.derniere_sauvegarde) {
        (_, Some(t)) => when(Some(t), now),
        (Some(false), None) => "non configurées".into(),
        (_, None) if state.version.is_none() => "inconnue".into(),
        (_, None) => "aucune".into(),
    };
    let disque = match state.disque_utilise() {
        Some(p) => format!("{p} %"),
        None => "inconnu".into(),
    };
    Line {
        dernier_message: when(state.dernier_message, now),
        dernier_import,
        sauvegarde,
        disque,
        alerts,
        state,
    }
}

pub async fn overview(hub: &Hub, staff: &Staff) -> Result<HttpResponse> {
    let now = hub.clock.now();
    let mut lines: Vec<Line> = hub
        .db
        .overview()
        .await?
        .into_iter()
        .map(|s| line(s, now))
        .collect();
    // Those needing attention first, then by UAI.
    lines.sort_by(|a, b| {
        b.alerts
            .len()
            .min(1)
            .cmp(&a.alerts.len().min(1))
            .then_with(|| a.state.uai.cmp(&b.state.uai))
    });
    let in_alert = lines.iter().filter(|l| !l.alerts.is_empty()).count();
    let silent = lines
        .iter()
        .filter(|l| l.alerts.iter().any(|a| a.kind == "silence"))
        .count();
    Ok(render(
        StatusCode::OK,
        &OverviewPage {
            banner: Banner::of(&hub.config.nom, staff),
            lines,
            in_alert,
            silent,
        },
    ))
}

/// The school year that `d` is in, named by the year it starts (September to August).
/// A figure per (week, service or profile).
type Cells = BTreeMap<(Date, String), i64>;

/// Sums `rows` by week and by `key` (service or profile), the measure chosen.
fn pivot(
    rows: &[UsageRow],
    key: impl Fn(&UsageRow) -> String,
    visitors: bool,
) -> (Vec<Date>, Vec<String>, Cells) {
    let mut cells: Cells = BTreeMap::new();
    let mut keys: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        let v = if visitors { r.visiteurs } else { r.visites };
        *cells.entry((r.semaine, key(r))).or_default() += v;
        *keys.entry(key(r)).or_default() += v;
    }
    let mut weeks: Vec<Date> = cells.keys().map(|(w, _)| *w).collect();
    weeks.dedup();
    // Largest first: the chart's legend reads in order of importance.
    let mut keys: Vec<(String, i64)> = keys.into_iter().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (weeks, keys.into_iter().map(|(k, _)| k).collect(), cells)
}

fn table(weeks: &[Date], keys: &[String], cells: &Cells) -> Vec<UsageLine> {
    weeks
        .iter()
        .map(|w| {
            let figures: Vec<i64> = keys
                .iter()
                .map(|k| cells.get(&(*w, k.clone())).copied().unwrap_or(0))
                .collect();
            UsageLine {
                semaine: format!("semaine du {}", long_date(*w)),
                total: thousands(figures.iter().sum()),
                figures: figures.into_iter().map(thousands).collect(),
            }
        })
        .collect()
}

fn chart(
    id: &str,
    title: &str,
    weeks: &[Date],
    keys: &[String],
    labels: &[String],
    cells: &Cells,
) -> String {
    let values: Vec<Vec<i64>> = keys
        .iter()
        .map(|k| {
            weeks
                .iter()
                .map(|w| cells.get(&(*w, k.clone())).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let series: Vec<Series<'_>> = labels
        .iter()
        .zip(&values)
        .map(|(name, v)| Series { name, values: v })
        .collect();
    let x: Vec<String> = weeks.iter().map(|w| week_label(*w)).collect();
    stacked_bars(id, title, &x, &series)
}

fn query(req: &HttpRequest) -> Vec<(String, String)> {
    req.uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub async fn etablissement(hub: &Hub, staff: &Staff, uai: &str) -> Result<HttpResponse> {
    let now = hub.clock.now();
    let Some(state) = hub.db.etablissement(uai).await? else {
        return Ok(not_found());
    };
    let annee = school_year(today_in_france(now));
    let (from, to) = year_bounds(annee);
    let rows = hub.db.usage(Some(uai), from, to, false).await?;
    let (weeks, keys, cells) = pivot(&rows, |r| r.profil.clone(), false);
    let labels: Vec<String> = keys.iter().map(|k| profile_label(k)).collect();
    let chart = chart(
        "graphique-etablissement",
        &format!(
            "Visites par semaine et par profil, année {annee}-{}",
            annee + 1
        ),
        &weeks,
        &keys,
        &labels,
        &cells,
    );
    let etats = hub
        .db
        .etats(uai, 30)
        .await?
        .into_iter()
        .map(|e| {
            let comptes = e
                .comptes
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter(|(_, v)| v.as_u64().unwrap_or(0) > 0)
                        .map(|(k, v)| format!("{} {}", thousands(v.as_i64().unwrap_or(0)), k))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            (long_date(e.jour), e, comptes)
        })
        .collect();
    // Read once: the last 20 for the list, all of them for the feeds' outcome.
    let imports_all = hub.db.imports(uai, 1000).await?;
    let imports = imports_all
        .iter()
        .take(20)
        .cloned()
        .map(|i| {
            let summary = match &i.refus {
                Some(r) => format!("refusé : {r}"),
                None => {
                    let n = |k: &str| i.resultat.get(k).and_then(|v| v.as_i64()).unwrap_or(0);
                    format!(
                        "{} créés, {} mis à jour, {} désactivés",
                        n("created"),
                        n("updated"),
                        n("disabled")
                    )
                }
            };
            (french_date_time(i.le.unix_timestamp()), i, summary)
        })
        .collect();
    let fetched = hub.db.fetched_files(uai).await?;
    let (root, u) = (hub.config.flux.clone(), uai.to_owned());
    // Every file there, settled or not: the académie sees what it deposited.
    let later = now + crate::flux::SETTLE;
    let files = tokio::task::spawn_blocking(move || crate::flux::offered(&root, &u, later))
        .await
        .map_err(|e| Error::Refused(e.to_string()))?
        .unwrap_or_default();
    let flux = files
        .into_iter()
        .map(|f| {
            let applique = match imports_all.iter().find(|i| i.livraison == f.livraison) {
                Some(i) if i.refus.is_some() => "refusée".to_owned(),
                Some(i) => format!("appliquée le {}", french_date_time(i.le.unix_timestamp())),
                None => "pas encore".to_owned(),
            };
            FluxLine {
                taille: format!("{} octets", thousands(f.octets as i64)),
                depose: french_date_time(f.depose_le),
                retire: fetched.get(&f.nom).map_or_else(
                    || "pas encore".to_owned(),
                    |t| french_date_time(t.unix_timestamp()),
                ),
                livraison: f.livraison,
                nom: f.nom,
                applique,
            }
        })
        .collect();
    let gar = hub
        .db
        .exports_gar(uai, 10)
        .await?
        .into_iter()
        .map(|g| (french_date_time(g.le.unix_timestamp()), g))
        .collect();
    Ok(render(
        StatusCode::OK,
        &EtabPage {
            banner: Banner::of(&hub.config.nom, staff),
            line: line(state, now),
            etats,
            imports,
            gar,
            messages: hub.db.message_counts(uai).await?,
            flux,
            chart,
            annee,
        },
    ))
}

pub async fn usages(req: &HttpRequest, hub: &Hub, staff: &Staff) -> Result<HttpResponse> {
    let now = hub.clock.now();
    let q = query(req);
    let current = school_year(today_in_france(now));
    let annee = param(&q, "annee")
        .and_then(|a| a.parse::<i32>().ok())
        .filter(|a| (2000..=current).contains(a))
        .unwrap_or(current);
    let all = hub.db.overview().await?;
    let uai = param(&q, "uai")
        .filter(|u| all.iter().any(|e| e.uai == *u))
        .unwrap_or_default()
        .to_owned();
    let visitors = param(&q, "mesure") == Some("visiteurs");
    let (from, to) = year_bounds(annee);
    let rows = hub
        .db
        .usage((!uai.is_empty()).then_some(uai.as_str()), from, to, false)
        .await?;
    let measure = if visitors { "Visiteurs" } else { "Visites" };
    let (weeks, services, cells) = pivot(&rows, |r| r.service.clone(), visitors);
    let slabels: Vec<String> = services.iter().map(|k| service_label(k)).collect();
    let chart_services = chart(
        "graphique-services",
        &format!("{measure} par semaine et par service"),
        &weeks,
        &services,
        &slabels,
        &cells,
    );
    let lines = table(&weeks, &services, &cells);
    let (pweeks, profiles, pcells) = pivot(&rows, |r| r.profil.clone(), visitors);
    let plabels: Vec<String> = profiles.iter().map(|p| profile_label(p)).collect();
    let chart_profils = chart(
        "graphique-profils",
        &format!("{measure} par semaine et par profil"),
        &pweeks,
        &profiles,
        &plabels,
        &pcells,
    );
    let profile_lines = table(&pweeks, &profiles, &pcells);
    let csv = format!(
        "/usages.csv?{}",
        serde_urlencoded::to_string([("annee", annee.to_string()), ("uai", uai.clone())])
            .unwrap_or_default()
    );
    let mut etablissements: Vec<(String, String)> =
        all.into_iter().map(|e| (e.uai, e.nom)).collect();
    etablissements.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
    Ok(render(
        StatusCode::OK,
        &UsagesPage {
            banner: Banner::of(&hub.config.nom, staff),
            annee,
            annees: (current - 4..=current).rev().collect(),
            uai,
            etablissements,
            mesure: if visitors { "visiteurs" } else { "visites" }.into(),
            chart_services,
            chart_profils,
            columns: slabels,
            lines,
            profile_columns: plabels,
            profile_lines,
            csv,
        },
    ))
}

/// Per UAI and week, visits and visitors per service and profile: the shape of the national
/// audience measurement's datasets (one line per UAI, week, service, profile).
pub async fn usages_csv(req: &HttpRequest, hub: &Hub) -> Result<HttpResponse> {
    let q = query(req);
    let current = school_year(today_in_france(hub.clock.now()));
    let annee = param(&q, "annee")
        .and_then(|a| a.parse::<i32>().ok())
        .filter(|a| (2000..=current).contains(a))
        .unwrap_or(current);
    let uai = param(&q, "uai").filter(|u| !u.is_empty());
    let (from, to) = year_bounds(annee);
    let rows = hub.db.usage(uai, from, to, true).await?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let header = [
        "uai",
        "semaine",
        "service",
        "profil",
        "visites",
        "visiteurs",
    ];
    let mut out = w
        .write_record(header)
        .map_err(|e| Error::Refused(e.to_string()));
    for r in &rows {
        if out.is_err() {
            break;
        }
        out = w
            .write_record([
                r.uai.as_deref().unwrap_or_default(),
                &iso(r.semaine),
                &r.service,
                &r.profil,
                &r.visites.to_string(),
                &r.visiteurs.to_string(),
            ])
            .map_err(|e| Error::Refused(e.to_string()));
    }
    out?;
    let body = w.into_inner().map_err(|e| Error::Refused(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"usages-{annee}-{}{}.csv\"",
                annee + 1,
                uai.map(|u| format!("-{u}")).unwrap_or_default()
            ),
        ))
        .body(body))
}
