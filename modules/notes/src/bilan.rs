//! `/notes/bilan/{classe}`: the bilan de fin de cycle (6e for cycle 3, 3e for cycle 4): per
//! pupil, the level of each of the socle's eight composantes, proposed from the year's
//! évaluations and settled by the professeur principal or the direction; its points (out of
//! 400, as the DNB counts them).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{ClassCode, DirectoryRead};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::field;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use time::Duration;

use crate::pages::{Flash, pupils, today};
use crate::periods::year_start;
use crate::skills::{COMPOSANTES, LEVELS, cycle_ended_by, parse_level, period_level, points};
use crate::templates::{BilanPage, BilanPupil};
use crate::{ID, SYNTHESE, messages, store};

async fn class_of(
    state: &AppState,
    ctx: &Me,
    code: &str,
) -> Result<(ClassCode, String, u8), WebError> {
    let code = ClassCode::parse(code).map_err(|_| WebError::NotFound)?;
    let cycle = cycle_ended_by(code.as_str()).ok_or(WebError::NotFound)?;
    if !ctx.may(Action::Module(SYNTHESE), &Target::Class(&code)) {
        return Err(WebError::NotFound);
    }
    let label = state
        .directory
        .classes()
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(WebError::NotFound)?
        .label;
    Ok((code, label, cycle))
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    code: &str,
    typed: Option<BTreeMap<String, String>>,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (class, label, cycle) = class_of(state, ctx, code).await?;
    let list = pupils(state, class.as_str()).await?;
    let logins: Vec<String> = list.iter().map(|p| p.login.to_string()).collect();
    let from = year_start(today(state));
    let to = from + Duration::days(364);
    let audiences = crate::course::of_class(state, class.as_str(), &list).await?;
    let (year, saved) = state
        .store
        .read(move |r| {
            Ok((
                store::skills::class_levels(r, &audiences, from, to, None)?,
                store::skills::bilan(r, &logins)?,
            ))
        })
        .await?;
    let pupils = list
        .iter()
        .map(|p| {
            let login = p.login.to_string();
            let mut chosen = Vec::new();
            let cells = COMPOSANTES
                .iter()
                .map(|(code, name)| {
                    let key = (login.clone(), (*code).to_owned());
                    let proposed = year.get(&key).and_then(|l| period_level(l));
                    let value = match &typed {
                        Some(t) => t
                            .get(&format!("{code}.{login}"))
                            .cloned()
                            .unwrap_or_default(),
                        None => saved
                            .get(&key)
                            .copied()
                            .or(proposed)
                            .map(|l| l.to_string())
                            .unwrap_or_default(),
                    };
                    if let Ok(Some(l)) = parse_level(&value) {
                        chosen.push(l);
                    }
                    (
                        (*code).to_owned(),
                        (*name).to_owned(),
                        value,
                        proposed.map_or_else(
                            || messages::NO_PROPOSAL.to_owned(),
                            |l| messages::proposed(crate::skills::level_label(l)),
                        ),
                    )
                })
                .collect();
            BilanPupil {
                name: p.display_name(),
                settled: COMPOSANTES
                    .iter()
                    .all(|(c, _)| saved.contains_key(&(login.clone(), (*c).to_owned()))),
                points: points(&chosen),
                login,
                cells,
            }
        })
        .collect();
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut r = html(&BilanPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        class: class.to_string(),
        label,
        cycle,
        pupils,
        levels: LEVELS
            .iter()
            .enumerate()
            .map(|(i, l)| ((i + 1).to_string(), l.1))
            .collect(),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /notes/bilan/{classe}`.
pub async fn show(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    page(
        &state,
        &m,
        &ctx,
        &code,
        None,
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/bilan/{classe}`: every level the form carries (`niveau.<code>.<login>`).
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let (class, _, _) = class_of(&state, &ctx, &code).await?;
    let list = pupils(&state, class.as_str()).await?;
    let typed: BTreeMap<String, String> = f
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("niveau.").map(|l| (l.to_owned(), v.clone())))
        .collect();
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for p in &list {
        for (c, _) in COMPOSANTES {
            let Some(v) = typed.get(&format!("{c}.{}", p.login)) else {
                continue;
            };
            match parse_level(v) {
                Ok(l) => rows.push((p.login.to_string(), c.to_owned(), l)),
                Err(_) => bad.push(p.display_name()),
            }
        }
    }
    if !bad.is_empty() {
        bad.dedup();
        return page(
            &state,
            &m,
            &ctx,
            class.as_str(),
            Some(typed),
            None,
            Some(messages::bad_levels(&bad)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (by, at) = (
        ctx.person.login.to_string(),
        state.clock.now().unix_timestamp(),
    );
    let n = state
        .store
        .write(move |w| store::skills::set_bilan(w, &rows, &by, at))
        .await?;
    tracing::info!(par = %ctx.person.login, classe = %class, niveaux = n, "bilan de fin de cycle enregistré");
    Ok(see_other_with(
        &format!("/{ID}/bilan/{class}"),
        Ok(messages::bilan_saved(n)),
    ))
}
