//! `/notes/reglages`: the direction sets the year's periods, their lock dates, and the avis the
//! conseil de classe chooses from.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::field;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;

use crate::pages::{Flash, today};
use crate::periods::{TypedPeriod, parse};
use crate::templates::SettingsPage;
use crate::{ID, SETTINGS, messages, store};

/// At most this many avis, each this long.
const MAX_AVIS: usize = 20;
const MAX_AVIS_LEN: usize = 80;

async fn page(
    state: &AppState,
    m: &InModule,
    rows: Vec<TypedPeriod>,
    avis: String,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&SettingsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        rows,
        avis,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /notes/reglages`.
pub async fn show(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    Me::of(&state, &m.me)
        .await?
        .require(Action::Module(SETTINGS), &Target::Etablissement)?;
    let today = today(&state);
    let (periods, avis) = state
        .store
        .read(move |r| Ok((store::periods::periods(r, today)?, store::periods::avis(r)?)))
        .await?;
    let mut rows: Vec<TypedPeriod> = periods.iter().map(TypedPeriod::of).collect();
    rows.resize(3, TypedPeriod::default());
    page(
        &state,
        &m,
        rows,
        avis.join("\n"),
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/reglages`: both parts are read before anything is written; refused, the form
/// comes back as typed.
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    Me::of(&state, &m.me)
        .await?
        .require(Action::Module(SETTINGS), &Target::Etablissement)?;
    let rows: Vec<TypedPeriod> = (1..=3)
        .map(|i| TypedPeriod {
            first: field(&f, &format!("du.{i}")).to_owned(),
            last: field(&f, &format!("au.{i}")).to_owned(),
            lock: field(&f, &format!("verrou.{i}")).to_owned(),
        })
        .collect();
    let avis_typed = field(&f, "avis").to_owned();
    let refuse = |why: String| {
        page(
            &state,
            &m,
            rows.clone(),
            avis_typed.clone(),
            None,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let periods = match parse(&rows) {
        Ok(p) => p,
        Err(why) => return refuse(why).await,
    };
    let mut avis: Vec<String> = Vec::new();
    for l in avis_typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !avis.iter().any(|a| a == l) {
            avis.push(l.to_owned());
        }
    }
    if avis.len() > MAX_AVIS || avis.iter().any(|a| a.chars().count() > MAX_AVIS_LEN) {
        return refuse(messages::BAD_AVIS.to_owned()).await;
    }
    let n = periods.len();
    state
        .store
        .write(move |w| {
            store::periods::set_periods(w, &periods)?;
            store::periods::set_avis(w, &avis)
        })
        .await?;
    tracing::info!(par = %m.me.person.login, periodes = n, "réglages des notes enregistrés");
    Ok(see_other_with(
        &format!("/{ID}/reglages"),
        Ok(messages::SETTINGS_SAVED.to_owned()),
    ))
}
