//! `/notes`: a teacher's évaluations and their grids; a pupil's marks with his averages, and
//! how each average is computed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{day_and_date, iso, today_in_france};
use cartable_core::directory::{DirectoryRead, Login, Person, Profile, Relations};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::average::{Average, Mark, average, class_figures};
use crate::model::{Evaluation, cell_text, parse_cell};
use crate::templates::{EvalForm, GridPage, HomePage, Row};
use crate::{ID, messages, store};

pub(crate) fn today(state: &AppState) -> time::Date {
    today_in_france(state.clock.now())
}

pub(crate) fn number(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

pub(crate) fn shown(a: Average) -> String {
    match a {
        Average::Value(v) => format!("{:.1}", v).replace('.', ","),
        Average::NotGraded => messages::NN.to_owned(),
    }
}

/// Why marks of `day` may no longer change: its period is locked (None: they may).
pub(crate) async fn locked(state: &AppState, day: time::Date) -> Result<Option<String>, WebError> {
    let today = today(state);
    let all = state
        .store
        .read(move |r| store::periods::periods(r, today))
        .await?;
    Ok(crate::periods::containing(&all, day)
        .filter(|p| p.locked_on(today))
        .map(|p| messages::locked(&p.name(), &cartable_core::dates::long_date(p.locked_after))))
}

/// A teacher's courses as a form offers them: (value, label).
fn courses(rel: &Relations) -> Vec<(String, String)> {
    crate::course::of_teacher(rel)
        .into_iter()
        .map(|c| (c.value(), c.label))
        .collect()
}

#[derive(Deserialize)]
pub struct Flash {
    pub(crate) ok: Option<String>,
    pub(crate) err: Option<String>,
}

async fn home_page(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    form: EvalForm,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let courses = courses(&ctx.relations);
    let teacher = ctx.person.login.to_string();
    let mine = if courses.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .read(move |r| {
                let mut out = Vec::new();
                for e in store::of_teacher(r, &teacher)? {
                    let n = store::marks(r, e.id)?.len();
                    out.push((e, n));
                }
                Ok(out)
            })
            .await?
    };
    let mut labels: BTreeMap<String, String> = ctx
        .relations
        .teachings
        .iter()
        .map(|t| (t.class.code.to_string(), t.class.label.clone()))
        .collect();
    labels.extend(
        ctx.relations
            .groups
            .iter()
            .map(|g| (g.code.to_string(), g.label.clone())),
    );
    // The conseils one sits on: all classes for the direction and the vie scolaire, his
    // own for a professeur principal.
    let everyone = ctx.may(
        cartable_core::authz::Action::Module(crate::CONSEIL),
        &cartable_core::authz::Target::Etablissement,
    );
    let conseils: Vec<(String, String)> = if everyone {
        state
            .directory
            .classes()
            .await?
            .into_iter()
            .map(|c| (format!("/{ID}/conseil/{}", c.code), c.label))
            .collect()
    } else {
        ctx.relations
            .teachings
            .iter()
            .filter(|t| t.principal)
            .map(|t| {
                (
                    format!("/{ID}/conseil/{}", t.class.code),
                    t.class.label.clone(),
                )
            })
            .collect()
    };
    let appreciations = courses
        .iter()
        .map(|(v, l)| {
            (
                format!(
                    "/{ID}/appreciations?cours={}",
                    cartable_web::pages::encode_query(v)
                ),
                l.clone(),
            )
        })
        .collect();
    let manage = ctx.may(Action::Module(crate::BULLETINS), &Target::Etablissement);
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&HomePage {
        conseils,
        appreciations,
        manage,
        composantes: crate::skills::COMPOSANTES
            .iter()
            .map(|(c, l)| (*c, *l, form.skills.iter().any(|s| s == c)))
            .collect(),
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        courses,
        form,
        evaluations: mine
            .into_iter()
            .map(|(e, n)| {
                let class = labels.get(&e.class).cloned().unwrap_or(e.class.clone());
                (e.id, day_and_date(e.day), class, e.subject, e.title, n)
            })
            .collect(),
        children: ctx
            .relations
            .children
            .iter()
            .map(|c| (c.login.to_string(), c.display_name.clone()))
            .collect(),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /notes`: a pupil goes to his marks, a parent of one child to the child's; a teacher
/// finds his évaluations.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let go = |login: &str| {
        Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/{ID}/eleve/{login}")))
            .finish())
    };
    if ctx.person.profile == Profile::Eleve {
        return go(ctx.person.login.as_str());
    }
    if let [only] = ctx.relations.children.as_slice()
        && ctx.relations.teachings.is_empty()
        && ctx.person.profile == Profile::Responsable
    {
        return go(only.login.as_str());
    }
    // The last school day (a teacher entering Friday's test on Sunday).
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    let mut day = today(&state);
    for _ in 0..30 {
        if calendar.closed(day).is_none() {
            break;
        }
        day -= time::Duration::days(1);
    }
    let d = iso(day);
    let form = EvalForm {
        day: d.clone(),
        visible: d,
        coefficient: "1".to_owned(),
        out_of: "20".to_owned(),
        to_twenty: true,
        counting: "compte".to_owned(),
        marked: true,
        ..EvalForm::default()
    };
    home_page(
        &state,
        &m,
        &ctx,
        form,
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/evaluations`: a new évaluation of one of the teacher's courses; refused, the
/// form comes back as typed.
pub async fn create(
    m: InModule,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, cartable_web::module::form::field(&form, "csrf"))?;
    let typed = crate::edit::typed_of(&form);
    let ctx = Me::of(&state, &m.me).await?;
    // Only a teacher has courses to evaluate.
    if ctx.relations.teachings.is_empty() {
        return Err(WebError::Forbidden);
    }
    let refuse = |why: String| {
        home_page(
            &state,
            &m,
            &ctx,
            typed.clone(),
            None,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(course) = crate::course::find(&ctx, &typed.course) else {
        return refuse(messages::BAD_COURSE.to_owned()).await;
    };
    let c = match crate::edit::checked(&state, &typed).await? {
        Ok(c) => c,
        Err(why) => return refuse(why).await,
    };
    let e = Evaluation {
        id: 0,
        teacher: ctx.person.login.to_string(),
        class: course.code.clone(),
        is_group: course.is_group,
        subject: course.subject.clone(),
        title: c.title,
        day: c.day,
        coefficient: c.coefficient,
        out_of: c.out_of,
        to_twenty: c.to_twenty,
        counting: c.counting,
        visible_from: c.visible_from,
        marked: c.marked,
    };
    let (at, skills) = (state.clock.now().unix_timestamp(), c.skills);
    let id = state
        .store
        .write(move |w| {
            let id = store::create(w, &e, at)?;
            store::skills::set_skills(w, id, &skills)?;
            Ok(id)
        })
        .await?;
    tracing::info!(par = %ctx.person.login, evaluation = id, "évaluation créée");
    Ok(see_other_with(
        &format!("/{ID}/evaluation/{id}"),
        Ok(messages::CREATED.to_owned()),
    ))
}

/// The évaluation, if it is the teacher's and he still teaches its class.
pub(crate) async fn own(state: &AppState, ctx: &Me, id: i64) -> Result<Evaluation, WebError> {
    let e = state
        .store
        .read(move |r| store::evaluation(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let course = crate::course::Course {
        code: e.class.clone(),
        is_group: e.is_group,
        subject: e.subject.clone(),
        label: String::new(),
    };
    if e.teacher != ctx.person.login.as_str() || !course.allowed(ctx) {
        return Err(WebError::NotFound);
    }
    Ok(e)
}

/// A class's active pupils.
pub(crate) async fn pupils(state: &AppState, class: &str) -> Result<Vec<Person>, WebError> {
    crate::course::pupils_of(state, class, false).await
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn grid_page(
    state: &AppState,
    m: &InModule,
    e: &Evaluation,
    edit: Option<EvalForm>,
    cells: Option<BTreeMap<String, String>>,
    typed_levels: Option<BTreeMap<String, String>>,
    column: String,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let id = e.id;
    let (marks, skills, levels) = state
        .store
        .read(move |r| {
            Ok((
                store::marks(r, id)?,
                store::skills::skills_of(r, id)?,
                store::skills::levels(r, id)?,
            ))
        })
        .await?;
    let marks: BTreeMap<String, Mark> = marks.into_iter().collect();
    let list = crate::course::pupils_of(state, &e.class, e.is_group).await?;
    let rows = list
        .iter()
        .map(|p| Row {
            login: p.login.to_string(),
            name: p.display_name(),
            cell: match &cells {
                Some(c) => c.get(p.login.as_str()).cloned().unwrap_or_default(),
                None => marks
                    .get(p.login.as_str())
                    .map(cell_text)
                    .unwrap_or_default(),
            },
            levels: skills
                .iter()
                .map(|code| {
                    let chosen = match &typed_levels {
                        Some(t) => t
                            .get(&format!("{code}.{}", p.login))
                            .cloned()
                            .unwrap_or_default(),
                        None => levels
                            .get(&(p.login.to_string(), code.clone()))
                            .map(|l| l.to_string())
                            .unwrap_or_default(),
                    };
                    (code.clone(), crate::skills::label(code).to_owned(), chosen)
                })
                .collect(),
        })
        .collect();
    // This évaluation's figures on /20, over the marks that are values.
    let on20: Vec<Average> = marks
        .values()
        .filter(|m| matches!(m, Mark::Value(_)))
        .map(|m| {
            let mut a = e.assessment();
            a.counting = crate::average::Counting::Always;
            a.coefficient = Decimal::ONE;
            a.to_twenty = true;
            average(&[(a, *m)]).average
        })
        .collect();
    let f = class_figures(&on20);
    let figures = match (f.average, f.min, f.max) {
        (Average::Value(a), Some(lo), Some(hi)) => format!(
            "{} notes : moyenne {} / 20, de {} à {}.",
            f.graded,
            shown(Average::Value(a)),
            number(lo),
            number(hi)
        ),
        _ => String::new(),
    };
    let locked = locked(state, e.day).await?;
    let chrome = chrome(state, Some(&m.me)).await?;
    // « 6e A — Mathématiques »; a group's name is its subject.
    let audience = if e.is_group {
        String::new()
    } else {
        let label = state
            .directory
            .classes()
            .await?
            .into_iter()
            .find(|c| c.code.as_str() == e.class)
            .map_or_else(|| e.class.clone(), |c| c.label);
        format!("{label} — ")
    };
    let edit_open = edit.is_some();
    let edit = edit.unwrap_or_else(|| crate::edit::form_of(e, &skills));
    let mut res = html(&GridPage {
        edit_open,
        composantes: crate::skills::COMPOSANTES
            .iter()
            .map(|(c, l)| (*c, *l, edit.skills.iter().any(|s| s == c)))
            .collect(),
        edit,
        locked,
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        id,
        title: e.title.clone(),
        what: format!(
            "{}{} — {} — coefficient {}, sur {}{} — {} — visible à partir du {}",
            audience,
            e.subject,
            day_and_date(e.day),
            number(e.coefficient),
            e.out_of,
            if e.to_twenty && e.out_of != 20 {
                " ramenée sur 20"
            } else {
                ""
            },
            messages::counting_label(e.counting),
            day_and_date(e.visible_from)
        ),
        out_of: e.out_of,
        marked: e.marked,
        skills: skills
            .iter()
            .map(|c| (c.clone(), crate::skills::label(c).to_owned()))
            .collect(),
        levels: crate::skills::LEVELS
            .iter()
            .enumerate()
            .map(|(i, l)| ((i + 1).to_string(), l.0, l.1))
            .collect(),
        rows,
        column,
        figures,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /notes/evaluation/{id}`: the grid of the class.
pub async fn grid(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let e = own(&state, &ctx, id.into_inner()).await?;
    grid_page(
        &state,
        &m,
        &e,
        None,
        None,
        None,
        String::new(),
        shown_ok(&q.ok),
        shown_err(&q.err),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/evaluation/{id}`: the grid (`note.<login>`), or a column pasted from a
/// spreadsheet (one line per pupil, in the list's order). A cell it cannot read refuses the
/// whole grid, as typed.
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let field = |k: &str| cartable_web::module::form::field(&f, k);
    csrf::check(&m.me.csrf, field("csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let e = own(&state, &ctx, id.into_inner()).await?;
    let list = crate::course::pupils_of(&state, &e.class, e.is_group).await?;
    let column = field("colonne").to_owned();
    let eid = e.id;
    let skills = state
        .store
        .read(move |r| store::skills::skills_of(r, eid))
        .await?;
    // The levels the form carries, by `code.login`.
    let typed_levels: BTreeMap<String, String> = f
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("niveau.").map(|l| (l.to_owned(), v.clone())))
        .collect();
    if let Some(why) = locked(&state, e.day).await? {
        let typed = f
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("note.").map(|l| (l.to_owned(), v.clone())))
            .collect();
        return grid_page(
            &state,
            &m,
            &e,
            None,
            Some(typed),
            Some(typed_levels),
            column,
            None,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Only the cells the form carries: a pupil without one (joined since the page was
    // loaded) keeps what he has.
    let mut cells: BTreeMap<String, String> = list
        .iter()
        .filter_map(|p| {
            let login = p.login.to_string();
            let key = format!("note.{login}");
            f.iter()
                .find(|(n, _)| *n == key)
                .map(|(_, v)| (login, v.clone()))
        })
        .collect();
    let pasted: Vec<&str> = column.trim_end().lines().collect();
    if !column.trim().is_empty() {
        if pasted.len() > list.len() {
            return grid_page(
                &state,
                &m,
                &e,
                None,
                Some(cells),
                Some(typed_levels),
                column.clone(),
                None,
                Some(messages::too_many_lines(pasted.len(), list.len())),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        for (p, line) in list.iter().zip(&pasted) {
            // A spreadsheet's cell: the first column of the line.
            let v = line
                .split('\t')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            cells.insert(p.login.to_string(), v);
        }
    }
    let mut grid = Vec::new();
    let mut levels = Vec::new();
    let mut bad = Vec::new();
    for p in &list {
        for code in &skills {
            let Some(typed) = typed_levels.get(&format!("{code}.{}", p.login)) else {
                continue;
            };
            match crate::skills::parse_level(typed) {
                Ok(l) => levels.push((p.login.to_string(), code.clone(), l)),
                Err(_) => bad.push(format!("{} (« {} »)", p.display_name(), typed.trim())),
            }
        }
        if !e.marked {
            continue;
        }
        let Some(typed) = cells.get(p.login.as_str()).cloned() else {
            continue;
        };
        match parse_cell(&typed, e.out_of) {
            Ok(mark) => grid.push((p.login.to_string(), mark)),
            Err(_) => bad.push(format!("{} (« {} »)", p.display_name(), typed.trim())),
        }
    }
    if !bad.is_empty() {
        return grid_page(
            &state,
            &m,
            &e,
            None,
            Some(cells),
            Some(typed_levels),
            column,
            None,
            Some(messages::bad_cells(&bad, e.out_of)),
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
        .write(move |w| {
            Ok(store::save_marks(w, eid, &grid, &by, at)?
                + store::skills::save_levels(w, eid, &levels, &by, at)?)
        })
        .await?;
    tracing::info!(par = %ctx.person.login, evaluation = eid, notes = n, "notes saisies");
    // Marks already visible are told now (each by the person's preference); a failure is
    // logged and the daemon's next round tells them.
    if let Err(e) = crate::told::due(&state).await {
        tracing::warn!("nouvelles notes : {e}");
    }
    Ok(see_other_with(
        &format!("/{ID}/evaluation/{eid}"),
        Ok(messages::saved(n)),
    ))
}

/// What the module holds about a person: a pupil's marks; a teacher's évaluations.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let (marks, mine) = state
        .store
        .read(move |r| {
            Ok((
                store::marked_of_pupil(r, &login, None)?,
                store::of_teacher(r, &login)?,
            ))
        })
        .await?;
    Ok(serde_json::json!({
        "notes": marks.iter().map(|(e, m)| serde_json::json!({
            "matiere": e.subject,
            "evaluation": e.title,
            "date": iso(e.day),
            "note": cell_text(m),
            "sur": e.out_of,
            "coefficient": number(e.coefficient),
        })).collect::<Vec<_>>(),
        "evaluations": mine.iter().map(|e| serde_json::json!({
            "classe": e.class,
            "matiere": e.subject,
            "titre": e.title,
            "date": iso(e.day),
        })).collect::<Vec<_>>(),
    }))
}

/// The marks of pupils no longer in the annuaire.
pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let mut n = 0;
    for p in state.store.read(store::pupils).await? {
        let gone = match Login::parse(&p) {
            Ok(l) => state.directory.person(&l).await?.is_none(),
            Err(_) => true,
        };
        if gone {
            n += state.store.write(move |w| store::forget(w, &p)).await?;
        }
    }
    Ok(n)
}
