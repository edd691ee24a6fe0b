//! `/usages`: how the ENT is used, for the RUPN and the direction — accounts opened by
//! profile (parents first), people and visits per week, by service and profile, the hours
//! people come, their devices; each chart an accessible SVG followed by its table, a school
//! year at a time, no person in them and no count under 5; the weekly lines as CSV.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{long_date, today_in_france};
use cartable_core::usage::grid::{Table, shown};
use cartable_core::usage::labels::{profile_label, service_label};
use cartable_core::usage::report::{self, YearUsage};
use cartable_core::usage::year::{school_year, week_label, year_label};
use cartable_core::usage::{Device, Grid};
use serde::Deserialize;

use super::{chrome, html};
use crate::error::WebError;
use crate::policy::Me;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::{AccountsLine, ClassAccountsLine, CouncilPage, UsageChart, UsagesPage};

/// Years offered back from the current one.
const YEARS_BACK: i32 = 4;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    annee: Option<String>,
}

/// The year asked, checked: one of the last few, or the current one.
fn year_of(q: &YearQuery, current: i32) -> Result<i32, WebError> {
    match q.annee.as_deref().map(str::trim) {
        None | Some("") => Ok(current),
        Some(a) => match a.parse::<i32>() {
            Ok(y) if (current - YEARS_BACK..=current).contains(&y) => Ok(y),
            _ => Err(WebError::BadRequest(format!("annee « {a} »"))),
        },
    }
}

fn device_label(k: &str) -> String {
    Device::parse(k).map_or_else(|| k.to_owned(), |d| d.label().to_owned())
}

fn charts(u: &YearUsage) -> Vec<UsageChart> {
    let year = year_label(u.annee);
    let week_row = |w: &time::Date| format!("semaine du {}", long_date(*w));
    let hour = |h: &u8| format!("{h} h");
    let chart = |id: &str, title: String, svg: String, table: Table, first: &str| UsageChart {
        id: id.to_owned(),
        title,
        svg,
        table,
        first_column: first.to_owned(),
    };
    vec![
        chart(
            "personnes",
            format!("Personnes venues chaque semaine, par profil — {year}"),
            u.visitors_by_profile.chart(
                "graphique-personnes",
                &format!("Personnes venues chaque semaine, par profil, {year}"),
                |w| week_label(*w),
                profile_label,
            ),
            u.visitors_by_profile.table(week_row, profile_label),
            "Semaine",
        ),
        chart(
            "services",
            format!("Visites par semaine et par service — {year}"),
            u.visits_by_service.chart(
                "graphique-services",
                &format!("Visites par semaine et par service, {year}"),
                |w| week_label(*w),
                service_label,
            ),
            u.visits_by_service.table(week_row, service_label),
            "Semaine",
        ),
        chart(
            "heures",
            format!("Heures de venue : visites de l'année par heure, par profil — {year}"),
            u.hours.chart(
                "graphique-heures",
                &format!("Visites par heure de la journée, par profil, {year}"),
                |h| format!("{h}h"),
                profile_label,
            ),
            u.hours.table(hour, profile_label),
            "Heure",
        ),
        chart(
            "appareils",
            format!("Appareils utilisés, par profil — {year}"),
            u.devices.chart(
                "graphique-appareils",
                &format!("Visites par appareil et par profil, {year}"),
                |p| profile_label(p),
                device_label,
            ),
            u.devices.table(|p| profile_label(p), device_label),
            "Profil",
        ),
    ]
}

async fn allowed(state: &AppState, me: &SignedIn) -> Result<(), WebError> {
    Me::of(state, me)
        .await?
        .require(Action::ViewUsage, &Target::Etablissement)
}

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    allowed(&state, &me).await?;
    let today = today_in_france(state.clock.now());
    let current = school_year(today);
    let annee = year_of(&q, current)?;
    let usage = report::year(&state.store, annee, today).await?;
    let kept = state
        .usage_accounts
        .get(&state.directory, state.clock.now().unix_timestamp())
        .await?;
    let accounts = kept.by_profile.clone();
    // Drawn: the profiles with enough accounts to show; all of them are in the table.
    let drawn: Vec<_> = accounts
        .iter()
        .filter(|a| a.active as i64 >= cartable_core::usage::grid::MIN_SHOWN)
        .collect();
    let mut grid = Grid::new(
        drawn
            .iter()
            .map(|a| a.profile.as_str().to_owned())
            .collect(),
    );
    for a in &drawn {
        grid.add(
            a.profile.as_str().to_owned(),
            "connecte",
            a.signed_in as i64,
        );
        grid.add(a.profile.as_str().to_owned(), "jamais", a.never() as i64);
    }
    let state_label = |k: &str| {
        if k == "connecte" {
            "Déjà connectés".to_owned()
        } else {
            "Jamais connectés".to_owned()
        }
    };
    let accounts_chart = grid.chart(
        "graphique-comptes",
        "Comptes actifs, connectés au moins une fois ou jamais, par profil",
        |p| profile_label(p),
        state_label,
    );
    let lines = accounts
        .iter()
        .map(|a| AccountsLine {
            profile: profile_label(a.profile.as_str()),
            active: shown(a.active as i64),
            signed_in: shown(a.signed_in as i64),
            never: shown(a.never() as i64),
            percent: if a.active >= 5 {
                format!("{} %", a.signed_in * 100 / a.active)
            } else {
                "—".to_owned()
            },
        })
        .collect();
    let parents_never = accounts
        .iter()
        .find(|a| a.profile == cartable_core::directory::Profile::Responsable)
        .map(|a| a.never());
    let chrome = chrome(&state, Some(&me)).await?;
    html(&UsagesPage {
        chrome: &chrome,
        annee,
        year: year_label(annee),
        years: (current - YEARS_BACK..=current)
            .rev()
            .map(|y| (y, year_label(y)))
            .collect(),
        empty: usage.visitors_by_profile.is_empty() && usage.visits_by_service.is_empty(),
        charts: charts(&usage),
        accounts_chart,
        accounts: lines,
        accounts_at: super::when(kept.at),
        classes: kept
            .by_class
            .into_iter()
            .map(|c| ClassAccountsLine {
                label: c.label,
                pupils: shown(c.pupils as i64),
                pupils_in: shown(c.pupils_in as i64),
                parents: shown(c.parents as i64),
                parents_never: shown((c.parents - c.parents_in) as i64),
            })
            .collect(),
        parents_never: parents_never.map(|n| shown(n as i64)),
        console: me.person.profile == cartable_core::directory::Profile::Admin,
    })
}

/// The weekly lines as CSV (`semaine;service;profil;visites;visiteurs`), small counts as
/// « < 5 ».
pub async fn csv(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    allowed(&state, &me).await?;
    let today = today_in_france(state.clock.now());
    let annee = year_of(&q, school_year(today))?;
    let usage = report::year(&state.store, annee, today).await?;
    let mut out = String::from("semaine;service;profil;visites;visiteurs\n");
    for r in &usage.rows {
        let service = if r.service.is_empty() {
            "Ensemble de l'ENT".to_owned()
        } else {
            service_label(&r.service)
        };
        out.push_str(&format!(
            "{};{};{};{};{}\n",
            r.week,
            service,
            profile_label(&r.profile),
            shown(r.visits).replace('\u{202f}', ""),
            shown(r.visitors).replace('\u{202f}', ""),
        ));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"usages-{}.csv\"", year_label(annee)),
        ))
        .body(out))
}

async fn council_of(
    state: &AppState,
    me: &SignedIn,
    q: &YearQuery,
) -> Result<cartable_core::usage::council::Council, WebError> {
    allowed(state, me).await?;
    let today = today_in_france(state.clock.now());
    let annee = year_of(q, school_year(today))?;
    let usage = report::year(&state.store, annee, today).await?;
    let accounts = state
        .usage_accounts
        .get(&state.directory, state.clock.now().unix_timestamp())
        .await?
        .by_profile;
    let name = chrome(state, Some(me)).await?.etablissement;
    Ok(cartable_core::usage::council::build(
        &name,
        &usage,
        &accounts,
        &long_date(today),
    ))
}

/// The conseil d'administration's report, as a page to read or print.
pub async fn council(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    let report = council_of(&state, &me, &q).await?;
    let annee = year_of(&q, school_year(today_in_france(state.clock.now())))?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&CouncilPage {
        chrome: &chrome,
        annee,
        report: &report,
    })
}

/// The same report as a PDF.
pub async fn council_pdf(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    let report = council_of(&state, &me, &q).await?;
    let annee = year_of(&q, school_year(today_in_france(state.clock.now())))?;
    let bytes = cartable_core::error::blocking(move || Ok(report.pdf())).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"bilan-ent-{}.pdf\"",
                year_label(annee)
            ),
        ))
        .body(bytes))
}
