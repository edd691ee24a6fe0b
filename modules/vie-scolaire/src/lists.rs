//! `/vie-scolaire/listes`: the établissement's motifs of absence and punitions, which the vie
//! scolaire and the direction add to and withdraw from (withdrawn entries stay on what used
//! them).

use actix_web::{HttpResponse, web};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{CsrfForm, Outcome, chrome, html, see_other_with};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::counting::{Settings, THRESHOLD_MAX, Unit};
use crate::pages::desk;
use crate::templates::{ListsPage, SettingsForm};
use crate::{discipline, messages, presence, store};

const BACK: &str = "/vie-scolaire/listes";
const MAX_LABEL: usize = 120;

async fn allowed(state: &AppState, m: &InModule) -> Result<(), WebError> {
    if desk(&Me::of(state, &m.me).await?) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// `GET /vie-scolaire/listes`.
pub async fn show(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    allowed(&state, &m).await?;
    let (motifs, types, settings) = state
        .store
        .read(|r| {
            Ok((
                store::motifs(r)?,
                discipline::punition_types(r)?,
                presence::settings(r)?,
            ))
        })
        .await?;
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ListsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: q.notice(),
        err: q.error(),
        motifs: motifs
            .into_iter()
            .map(|x| (x.code, x.label, x.justifies))
            .collect(),
        types: types
            .into_iter()
            .map(|t| (t.code, t.label, t.retenue, t.report))
            .collect(),
        settings: SettingsForm {
            units: Unit::ALL
                .into_iter()
                .map(|u| (u.as_str(), u.label(), u == settings.unit))
                .collect(),
            threshold: settings.threshold,
        },
    })
}

#[derive(Deserialize)]
pub struct CountingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unite: String,
    #[serde(default)]
    seuil: String,
}

/// `POST /vie-scolaire/listes/decompte`: the counting unit and the alert threshold.
pub async fn set_counting(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<CountingForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    allowed(&state, &m).await?;
    let unit = Unit::parse(&f.unite);
    let threshold = f
        .seuil
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=THRESHOLD_MAX).contains(n));
    let (Some(unit), Some(threshold)) = (unit, threshold) else {
        return Ok(see_other_with(BACK, Err(messages::BAD_SETTINGS.to_owned())));
    };
    state
        .store
        .write(move |w| presence::set_settings(w, Settings { unit, threshold }))
        .await?;
    Ok(see_other_with(
        BACK,
        Ok(messages::SETTINGS_SAVED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    libelle: String,
    #[serde(default)]
    justifie: String,
    #[serde(default)]
    retenue: String,
    #[serde(default)]
    rapport: String,
}

fn label(f: &EntryForm) -> Option<String> {
    let l: String = f.libelle.trim().chars().take(MAX_LABEL).collect();
    (!l.is_empty()).then_some(l)
}

/// `POST /vie-scolaire/listes/motif`.
pub async fn add_motif(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    allowed(&state, &m).await?;
    let Some(l) = label(&f) else {
        return Ok(see_other_with(BACK, Err(messages::NEED_LABEL.to_owned())));
    };
    let justifies = f.justifie == "1";
    let shown = l.clone();
    state
        .store
        .write(move |w| store::add_motif(w, &l, justifies))
        .await?;
    Ok(see_other_with(BACK, Ok(messages::entry_added(&shown))))
}

/// `POST /vie-scolaire/listes/punition`.
pub async fn add_punition(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    allowed(&state, &m).await?;
    let Some(l) = label(&f) else {
        return Ok(see_other_with(BACK, Err(messages::NEED_LABEL.to_owned())));
    };
    let (retenue, report) = (f.retenue == "1", f.rapport == "1");
    let shown = l.clone();
    state
        .store
        .write(move |w| store::add_punition_type(w, &l, retenue, report))
        .await?;
    Ok(see_other_with(BACK, Ok(messages::entry_added(&shown))))
}

/// `POST /vie-scolaire/listes/{liste}/{code}/retirer` (`motif` or `punition`).
pub async fn withdraw(
    m: InModule,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    allowed(&state, &m).await?;
    let (list, code) = path.into_inner();
    let motif = match list.as_str() {
        "motif" => true,
        "punition" => false,
        _ => return Err(WebError::NotFound),
    };
    if !state
        .store
        .write(move |w| store::withdraw(w, motif, &code))
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(see_other_with(
        BACK,
        Ok(messages::ENTRY_WITHDRAWN.to_owned()),
    ))
}
