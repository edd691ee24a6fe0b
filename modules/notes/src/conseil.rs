//! The conseil de classe of a period: each teacher's appréciations of his pupils in his
//! subject (`/notes/appreciations`), then the class's grid on one screen for the professeur
//! principal, the CPE and the direction (`/notes/conseil/{classe}`): every pupil's averages
//! and appréciations, the PP's synthèse, the CPE's appréciation, the conseil's avis.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{ClassCode, DirectoryRead};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::field;
use cartable_web::pages::{chrome, encode_query, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::course::{Course, pupils_of};
use crate::pages::{locked, pupils, shown};
use crate::periods::Period;
use crate::pupil_page::{period_asked, tabs};
use crate::results::ClassResults;
use crate::store::Audience;
use crate::store::conseil::Conseil;
use crate::templates::{AppreciationRow, AppreciationsPage, ConseilPage, ConseilPupil};
use crate::{CONSEIL, CPE, ID, SYNTHESE, messages, store};

/// Longest appréciation of a teacher, of the CPE; longest synthèse (the bulletin's boxes).
pub const MAX_APPRECIATION: usize = 400;
pub const MAX_SYNTHESE: usize = 600;

#[derive(Deserialize)]
pub struct CourseQuery {
    #[serde(default)]
    cours: String,
    #[serde(default)]
    periode: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// The teacher's course the page names, if it is one of his.
fn course_of(ctx: &Me, cours: &str) -> Result<Course, WebError> {
    crate::course::find(ctx, cours).ok_or(WebError::NotFound)
}

/// Results over a period, every évaluation counted (the staff's view).
async fn results(
    state: &AppState,
    audiences: Vec<Audience>,
    p: &Period,
) -> Result<ClassResults, WebError> {
    let (from, to) = (p.first_day, p.last_day);
    let evaluations = state
        .store
        .read(move |r| store::of_audiences(r, &audiences, from, to, None))
        .await?;
    Ok(ClassResults::of(&evaluations))
}

#[allow(clippy::too_many_arguments)]
async fn appreciations_page(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    cours: &str,
    asked: Option<&str>,
    typed: Option<BTreeMap<String, String>>,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let course = course_of(ctx, cours)?;
    let subject = course.subject.clone();
    let (all, period) = period_asked(state, asked).await?;
    let list = pupils_of(state, &course.code, course.is_group).await?;
    let res = results(state, vec![(course.code.clone(), course.is_group)], &period).await?;
    let logins: Vec<String> = list.iter().map(|p| p.login.to_string()).collect();
    let pos = period.position;
    let saved = state
        .store
        .read(move |r| store::conseil::appreciations(r, pos, &logins))
        .await?;
    let rows = list
        .iter()
        .map(|p| {
            let login = p.login.to_string();
            let text = match &typed {
                Some(t) => t.get(&login).cloned().unwrap_or_default(),
                None => saved
                    .get(&(login.clone(), subject.clone()))
                    .cloned()
                    .unwrap_or_default(),
            };
            AppreciationRow {
                average: shown(res.of_pupil(&login, &subject)),
                name: p.display_name(),
                login,
                text,
            }
        })
        .collect();
    let label = course.label.clone();
    let closed = locked(state, period.last_day).await?;
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut r = html(&AppreciationsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        title: label,
        period: format!("{}, {}", period.name(), period.span()),
        tabs: tabs(
            &all,
            &period,
            &format!("/{ID}/appreciations?cours={}&", encode_query(cours)),
        ),
        cours: cours.to_owned(),
        position: period.position,
        class_average: shown(
            res.by_subject
                .get(&subject)
                .map_or(crate::average::Average::NotGraded, |f| f.average),
        ),
        rows,
        max: MAX_APPRECIATION,
        locked: closed,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /notes/appreciations?cours=5B|Mathématiques&periode=N`.
pub async fn appreciations(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<CourseQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    appreciations_page(
        &state,
        &m,
        &ctx,
        &q.cours,
        q.periode.as_deref(),
        None,
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/appreciations`: every pupil's appréciation (`appreciation.<login>`); one too
/// long refuses the form, as typed.
pub async fn save_appreciations(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let cours = field(&f, "cours").to_owned();
    let course = course_of(&ctx, &cours)?;
    let subject = course.subject.clone();
    let asked = field(&f, "periode").to_owned();
    let (_, period) = period_asked(&state, Some(&asked)).await?;
    let list = pupils_of(&state, &course.code, course.is_group).await?;
    let typed: BTreeMap<String, String> = list
        .iter()
        .filter_map(|p| {
            let key = format!("appreciation.{}", p.login);
            f.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (p.login.to_string(), v.trim().to_owned()))
        })
        .collect();
    let refuse = |why: String| {
        appreciations_page(
            &state,
            &m,
            &ctx,
            &cours,
            Some(&asked),
            Some(typed.clone()),
            None,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if !typed.is_empty()
        && let Some(why) = locked(&state, period.last_day).await?
    {
        return refuse(why).await;
    }
    let long: Vec<String> = list
        .iter()
        .filter(|p| {
            typed
                .get(p.login.as_str())
                .is_some_and(|t| t.chars().count() > MAX_APPRECIATION)
        })
        .map(|p| p.display_name())
        .collect();
    if !long.is_empty() {
        return refuse(messages::too_long(&long, MAX_APPRECIATION)).await;
    }
    let texts: Vec<(String, String)> = typed.clone().into_iter().collect();
    let (by, at, pos, subj) = (
        ctx.person.login.to_string(),
        state.clock.now().unix_timestamp(),
        period.position,
        subject.clone(),
    );
    let n = state
        .store
        .write(move |w| store::conseil::set_appreciations(w, pos, &subj, &texts, &by, at))
        .await?;
    tracing::info!(par = %ctx.person.login, cours = %course.code, appreciations = n, "appréciations enregistrées");
    Ok(see_other_with(
        &format!(
            "/{ID}/appreciations?cours={}&periode={pos}",
            encode_query(&cours)
        ),
        Ok(messages::appreciations_saved(n)),
    ))
}

#[derive(Deserialize)]
pub struct ConseilQuery {
    #[serde(default)]
    periode: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// The class named in the path, if the viewer sits on its conseil: its code and label.
async fn class_of(state: &AppState, ctx: &Me, code: &str) -> Result<(ClassCode, String), WebError> {
    let code = ClassCode::parse(code).map_err(|_| WebError::NotFound)?;
    if !ctx.may(Action::Module(CONSEIL), &Target::Class(&code)) {
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
    Ok((code, label))
}

#[allow(clippy::too_many_arguments)]
async fn conseil_page(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    code: &str,
    asked: Option<&str>,
    typed: Option<BTreeMap<String, Conseil>>,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (class, label) = class_of(state, ctx, code).await?;
    let (all, period) = period_asked(state, asked).await?;
    let list = pupils(state, class.as_str()).await?;
    let audiences = crate::course::of_class(state, class.as_str(), &list).await?;
    let res = results(state, audiences, &period).await?;
    let logins: Vec<String> = list.iter().map(|p| p.login.to_string()).collect();
    let pos = period.position;
    let (apps, saved, avis) = state
        .store
        .read(move |r| {
            Ok((
                store::conseil::appreciations(r, pos, &logins)?,
                store::conseil::conseils(r, pos, &logins)?,
                store::periods::avis(r)?,
            ))
        })
        .await?;
    let subjects: Vec<String> = res.by_subject.keys().cloned().collect();
    let pupils = list
        .iter()
        .map(|p| {
            let login = p.login.to_string();
            let c = match &typed {
                Some(t) => t.get(&login).cloned().unwrap_or_default(),
                None => saved.get(&login).cloned().unwrap_or_default(),
            };
            ConseilPupil {
                name: p.display_name(),
                general: shown(res.general(&login)),
                subjects: subjects
                    .iter()
                    .map(|s| {
                        (
                            s.clone(),
                            shown(res.of_pupil(&login, s)),
                            apps.get(&(login.clone(), s.clone()))
                                .cloned()
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                login,
                conseil: c,
            }
        })
        .collect();
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut r = html(&ConseilPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        class: class.to_string(),
        label,
        period: format!("{}, {}", period.name(), period.span()),
        position: period.position,
        tabs: tabs(&all, &period, &format!("/{ID}/conseil/{class}?")),
        class_averages: subjects
            .iter()
            .map(|s| (s.clone(), shown(res.by_subject[s].average)))
            .collect(),
        class_general: shown(res.class_general().average),
        pupils,
        avis,
        may_synthese: ctx.may(Action::Module(SYNTHESE), &Target::Class(&class)),
        may_cpe: ctx.may(Action::Module(CPE), &Target::Class(&class)),
        may_bulletins: ctx.may(Action::Module(crate::BULLETINS), &Target::Class(&class)),
        bilan: crate::skills::cycle_ended_by(class.as_str())
            .filter(|_| ctx.may(Action::Module(SYNTHESE), &Target::Class(&class)))
            .map(|cycle| (format!("/{ID}/bilan/{class}"), cycle)),
        max: MAX_SYNTHESE,
        max_cpe: MAX_APPRECIATION,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /notes/conseil/{classe}?periode=N`.
pub async fn conseil(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<ConseilQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    conseil_page(
        &state,
        &m,
        &ctx,
        &code,
        q.periode.as_deref(),
        None,
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/conseil/{classe}`: the fields the viewer may write (the PP and the direction
/// the synthèse and the avis, the CPE his appréciation); the others keep what they have.
pub async fn save_conseil(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let (class, _) = class_of(&state, &ctx, &code).await?;
    let may_synthese = ctx.may(Action::Module(SYNTHESE), &Target::Class(&class));
    let may_cpe = ctx.may(Action::Module(CPE), &Target::Class(&class));
    if !may_synthese && !may_cpe {
        return Err(WebError::Forbidden);
    }
    let asked = field(&f, "periode").to_owned();
    let (_, period) = period_asked(&state, Some(&asked)).await?;
    let list = pupils(&state, class.as_str()).await?;
    let logins: Vec<String> = list.iter().map(|p| p.login.to_string()).collect();
    let pos = period.position;
    let (saved, avis) = {
        let l = logins.clone();
        state
            .store
            .read(move |r| {
                Ok((
                    store::conseil::conseils(r, pos, &l)?,
                    store::periods::avis(r)?,
                ))
            })
            .await?
    };
    let mut typed: BTreeMap<String, Conseil> = BTreeMap::new();
    let mut bad = Vec::new();
    for p in &list {
        let login = p.login.to_string();
        let had = saved.get(&login).cloned().unwrap_or_default();
        let mut c = had.clone();
        // A field the form does not carry keeps what it has.
        let get = |k: &str| {
            let key = format!("{k}.{login}");
            f.iter()
                .find(|(n, _)| *n == key)
                .map(|(_, v)| v.trim().to_owned())
        };
        if may_synthese {
            if let Some(v) = get("synthese") {
                c.synthese = v;
            }
            if let Some(v) = get("avis") {
                c.avis = v;
            }
            // An avis of the list, or the one it had (the list changed since).
            if !c.avis.is_empty() && !avis.contains(&c.avis) && c.avis != had.avis {
                bad.push(p.display_name());
            }
        }
        if may_cpe && let Some(v) = get("cpe") {
            c.cpe = v;
        }
        if c.synthese.chars().count() > MAX_SYNTHESE || c.cpe.chars().count() > MAX_APPRECIATION {
            bad.push(p.display_name());
        }
        typed.insert(login, c);
    }
    if !bad.is_empty() {
        return conseil_page(
            &state,
            &m,
            &ctx,
            class.as_str(),
            Some(&asked),
            Some(typed),
            None,
            Some(messages::conseil_refused(
                &bad,
                MAX_SYNTHESE,
                MAX_APPRECIATION,
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let rows: Vec<(String, Conseil)> = typed.into_iter().collect();
    let (by, at) = (
        ctx.person.login.to_string(),
        state.clock.now().unix_timestamp(),
    );
    let n = state
        .store
        .write(move |w| store::conseil::set_conseils(w, pos, &rows, &by, at))
        .await?;
    tracing::info!(par = %ctx.person.login, classe = %class, eleves = n, "conseil de classe enregistré");
    Ok(see_other_with(
        &format!("/{ID}/conseil/{class}?periode={pos}"),
        Ok(messages::conseil_saved(n)),
    ))
}
