//! An évaluation's settings as a form carries them, checked the same way when it is created and
//! when its teacher changes them (`/notes/evaluation/{id}/modifier`); and its deletion, asked
//! twice (`/notes/evaluation/{id}/supprimer`). A closed period's évaluations do neither.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::dates::{day_and_date, iso, parse_iso};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::field;
use cartable_web::pages::see_other_with;
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use rust_decimal::Decimal;

use crate::average::{Counting, Mark};
use crate::model::{Evaluation, counting_code, parse_counting, parse_decimal};
use crate::pages::{grid_page, locked, number, own};
use crate::templates::EvalForm;
use crate::{ID, messages, store};

const MAX_TITLE: usize = 120;

/// The form's fields as typed.
pub(crate) fn typed_of(form: &[(String, String)]) -> EvalForm {
    let f = |k: &str| field(form, k).to_owned();
    EvalForm {
        course: f("cours"),
        title: f("titre"),
        day: f("jour"),
        coefficient: f("coefficient"),
        out_of: f("sur"),
        to_twenty: f("ramener") == "1",
        counting: f("compte"),
        visible: f("visible"),
        marked: f("notee") == "1",
        skills: form
            .iter()
            .filter(|(k, _)| k == "competence")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

/// An évaluation's form filled with what it is.
pub(crate) fn form_of(e: &Evaluation, skills: &[String]) -> EvalForm {
    EvalForm {
        course: String::new(),
        title: e.title.clone(),
        day: iso(e.day),
        coefficient: number(e.coefficient),
        out_of: e.out_of.to_string(),
        to_twenty: e.to_twenty,
        counting: counting_code(e.counting).to_owned(),
        visible: iso(e.visible_from),
        marked: e.marked,
        skills: skills.to_vec(),
    }
}

/// Settings that passed every check.
pub(crate) struct Checked {
    pub title: String,
    pub day: time::Date,
    pub coefficient: Decimal,
    pub out_of: u16,
    pub to_twenty: bool,
    pub counting: Counting,
    pub visible_from: time::Date,
    pub marked: bool,
    pub skills: Vec<String>,
}

/// Checks a form's settings; the refusal says what is wrong, in French.
pub(crate) async fn checked(
    state: &AppState,
    f: &EvalForm,
) -> Result<Result<Checked, String>, WebError> {
    let no = |m: &str| Ok(Err(m.to_owned()));
    let title = f.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return no(messages::NEED_TITLE);
    }
    let Some(day) = parse_iso(&f.day) else {
        return no(messages::BAD_DAY);
    };
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    if let Some(why) = calendar.closed(day) {
        return Ok(Err(messages::day_off(&day_and_date(day), &why)));
    }
    if let Some(why) = locked(state, day).await? {
        return Ok(Err(why));
    }
    let Some(coefficient) = parse_decimal(&f.coefficient)
        .filter(|c| *c <= Decimal::from(20) && c.normalize().scale() <= 2)
    else {
        return no(messages::BAD_COEFFICIENT);
    };
    let Some(out_of) = f
        .out_of
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|n| (1..=100).contains(n))
    else {
        return no(messages::BAD_OUT_OF);
    };
    let Some(counting) = parse_counting(&f.counting) else {
        return no(messages::BAD_COUNTING);
    };
    let Some(visible_from) = parse_iso(&f.visible) else {
        return no(messages::BAD_VISIBLE);
    };
    let mut skills: Vec<String> = Vec::new();
    for c in &f.skills {
        if !crate::skills::is_code(c) {
            return no(messages::BAD_SKILL);
        }
        if !skills.contains(c) {
            skills.push(c.clone());
        }
    }
    if !f.marked && skills.is_empty() {
        return no(messages::NOTHING_ASSESSED);
    }
    Ok(Ok(Checked {
        title,
        day,
        coefficient: coefficient.normalize(),
        out_of,
        to_twenty: f.to_twenty,
        counting,
        visible_from,
        marked: f.marked,
        skills,
    }))
}

/// `POST /notes/evaluation/{id}/modifier`: new settings for the teacher's évaluation. Refused
/// (as typed, the form open) in a closed period, below a mark already given, or unmarked while
/// marks are there; a composante no longer assessed loses its levels, as the form says.
pub async fn modify(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&form, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let e = own(&state, &ctx, id.into_inner()).await?;
    let typed = typed_of(&form);
    let refuse = |why: String| refused(&state, &m, &e, Some(typed.clone()), why);
    if let Some(why) = locked(&state, e.day).await? {
        return refuse(why).await;
    }
    let c = match checked(&state, &typed).await? {
        Ok(c) => c,
        Err(why) => return refuse(why).await,
    };
    let eid = e.id;
    let marks = state.store.read(move |r| store::marks(r, eid)).await?;
    if !c.marked && !marks.is_empty() {
        return refuse(messages::MARKS_THERE.to_owned()).await;
    }
    let above = marks
        .iter()
        .filter(|(_, m)| matches!(m, Mark::Value(v) if *v > Decimal::from(c.out_of)))
        .count();
    if above > 0 {
        return refuse(messages::above_scale(above, c.out_of)).await;
    }
    let changed = Evaluation {
        title: c.title,
        day: c.day,
        coefficient: c.coefficient,
        out_of: c.out_of,
        to_twenty: c.to_twenty,
        counting: c.counting,
        visible_from: c.visible_from,
        marked: c.marked,
        ..e.clone()
    };
    let skills = c.skills;
    state
        .store
        .write(move |w| {
            store::update(w, &changed)?;
            store::skills::set_skills(w, eid, &skills)
        })
        .await?;
    tracing::info!(par = %ctx.person.login, evaluation = eid, "évaluation modifiée");
    // Seen earlier now: told at once.
    if let Err(e) = crate::told::due(&state).await {
        tracing::warn!("nouvelles notes : {e}");
    }
    Ok(see_other_with(
        &format!("/{ID}/evaluation/{eid}"),
        Ok(messages::MODIFIED.to_owned()),
    ))
}

/// `POST /notes/evaluation/{id}/supprimer`: the évaluation and its marks, once confirmed; not
/// in a closed period.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&form, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let e = own(&state, &ctx, id.into_inner()).await?;
    let refuse = |why: String| refused(&state, &m, &e, None, why);
    if let Some(why) = locked(&state, e.day).await? {
        return refuse(why).await;
    }
    if field(&form, "confirme") != "1" {
        return refuse(messages::CONFIRM_DELETE.to_owned()).await;
    }
    let eid = e.id;
    let n = state
        .store
        .write(move |w| store::delete_evaluation(w, eid))
        .await?;
    tracing::info!(par = %ctx.person.login, evaluation = eid, notes = n, "évaluation supprimée");
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::deleted(&e.title, n)),
    ))
}

/// The évaluation's page again with why its settings or its deletion were refused, and the
/// settings as typed, if any.
async fn refused(
    state: &AppState,
    m: &InModule,
    e: &Evaluation,
    typed: Option<EvalForm>,
    why: String,
) -> Result<HttpResponse, WebError> {
    grid_page(
        state,
        m,
        e,
        typed,
        None,
        None,
        String::new(),
        None,
        Some(why),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
