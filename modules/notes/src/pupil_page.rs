//! `/notes/eleve/{login}`: a pupil's marks of a period, subject by subject, with his averages,
//! the class's, and how each average is computed; his published bulletins. One read of the
//! class's period makes the page.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{day_and_date, long_date};
use cartable_core::directory::{DirectoryRead, Login, Person, Profile};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, encode_query, html};
use cartable_web::policy::Me;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::average::{Assessment, Average, ClassFigures, Counting, Mark, average};
use crate::model::Evaluation;
use crate::pages::{number, shown, today};
use crate::periods::{Period, current};
use crate::results::ClassResults;
use crate::templates::{ExplainPage, Line, PupilPage, Subject, Tab, Term};
use crate::{ID, SEE, messages, store};

/// The pupil named in the path, seen by someone who may see his marks.
pub(crate) struct Seen {
    pub person: Person,
    /// His class's label.
    pub label: String,
    /// The viewer is his family (who sees an évaluation only from its day).
    pub family: bool,
    /// His class and his teaching groups.
    pub audiences: Vec<crate::store::Audience>,
}

pub(crate) async fn seen(state: &AppState, ctx: &Me, login: &str) -> Result<Seen, WebError> {
    let login = Login::parse(login).map_err(|_| WebError::NotFound)?;
    let p = state
        .directory
        .person(&login)
        .await?
        .filter(|p| p.profile == Profile::Eleve)
        .ok_or(WebError::NotFound)?;
    let rel = state.directory.relations(&login).await?;
    if !ctx.may(Action::Module(SEE), &Target::Person(&p, &rel)) {
        return Err(WebError::NotFound);
    }
    let class = rel.classes.first().cloned().ok_or(WebError::NotFound)?;
    let family =
        ctx.person.login == p.login || ctx.relations.children.iter().any(|c| c.login == p.login);
    Ok(Seen {
        audiences: crate::course::of_pupil(class.code.as_str(), &rel),
        person: p,
        label: class.label,
        family,
    })
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    periode: Option<String>,
    #[serde(default)]
    matiere: String,
}

/// The periods and the one asked for (`?periode=2`), else the current one.
pub(crate) async fn period_asked(
    state: &AppState,
    asked: Option<&str>,
) -> Result<(Vec<Period>, Period), WebError> {
    let today = today(state);
    let all = state
        .store
        .read(move |r| store::periods::periods(r, today))
        .await?;
    let chosen = match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(a) => {
            let n: u8 = a.parse().map_err(|_| WebError::NotFound)?;
            all.iter().find(|p| p.position == n).cloned()
        }
        None => current(&all, today).cloned(),
    }
    .ok_or(WebError::NotFound)?;
    Ok((all, chosen))
}

/// What a pupil's page is made of: the class's évaluations of the period (those the family
/// sees, for the family) with every mark, and the results computed from them.
struct Loaded {
    evaluations: Vec<(Evaluation, Vec<(String, Mark)>)>,
    results: ClassResults,
    /// (pupil, composante) → the levels reached.
    levels: std::collections::BTreeMap<(String, String), Vec<u8>>,
}

async fn load(state: &AppState, s: &Seen, period: &Period) -> Result<Loaded, WebError> {
    let visible_on = s.family.then(|| today(state));
    let (audiences, from, to) = (s.audiences.clone(), period.first_day, period.last_day);
    let (evaluations, levels) = state
        .store
        .read(move |r| {
            Ok((
                store::of_audiences(r, &audiences, from, to, visible_on)?,
                store::skills::class_levels(r, &audiences, from, to, visible_on)?,
            ))
        })
        .await?;
    let results = ClassResults::of(&evaluations);
    Ok(Loaded {
        evaluations,
        results,
        levels,
    })
}

/// A pupil's level per composante over the period: (label, level's label, how many
/// évaluations), in the LSU's order.
pub(crate) fn skill_lines(
    levels: &std::collections::BTreeMap<(String, String), Vec<u8>>,
    pupil: &str,
) -> Vec<(String, String, usize)> {
    crate::skills::COMPOSANTES
        .iter()
        .filter_map(|(code, label)| {
            let reached = levels.get(&(pupil.to_owned(), (*code).to_owned()))?;
            let level = crate::skills::period_level(reached)?;
            Some((
                (*label).to_owned(),
                crate::skills::level_label(level).to_owned(),
                reached.len(),
            ))
        })
        .collect()
}

fn mine<'a>(loaded: &'a Loaded, pupil: &str, subject: &str) -> Vec<(&'a Evaluation, Option<Mark>)> {
    loaded
        .evaluations
        .iter()
        .filter(|(e, _)| e.subject == subject)
        .map(|(e, marks)| (e, marks.iter().find(|(p, _)| p == pupil).map(|(_, m)| *m)))
        .collect()
}

pub(crate) fn status_label(m: &Mark) -> &'static str {
    match m {
        Mark::Value(_) => "",
        Mark::Absent => "absent",
        Mark::Dispense => "dispensé",
        Mark::NotHandedIn => "non rendu",
        Mark::NotMarked => "non noté",
    }
}

/// « 11,8 (de 6,5 à 17) ».
pub(crate) fn figures(f: &ClassFigures) -> String {
    match (f.average, f.min, f.max) {
        (Average::Value(_), Some(lo), Some(hi)) => format!(
            "{} (de {} à {})",
            shown(f.average),
            number(lo.round_dp(1)),
            number(hi.round_dp(1))
        ),
        _ => shown(f.average),
    }
}

pub(crate) fn tabs(all: &[Period], chosen: &Period, base: &str) -> Vec<Tab> {
    all.iter()
        .map(|p| Tab {
            label: p.name(),
            href: format!("{base}periode={}", p.position),
            current: p.position == chosen.position,
        })
        .collect()
}

/// `GET /notes/eleve/{login}?periode=N`.
pub async fn pupil(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let s = seen(&state, &ctx, &login).await?;
    let (all, period) = period_asked(&state, q.periode.as_deref()).await?;
    let loaded = load(&state, &s, &period).await?;
    let (p, label, family) = (s.person, s.label, s.family);
    let login = p.login.to_string();
    let mut subjects = Vec::new();
    for (name, fig) in &loaded.results.by_subject {
        let list = mine(&loaded, &login, name);
        subjects.push(Subject {
            name: name.clone(),
            average: shown(loaded.results.of_pupil(&login, name)),
            class_average: figures(fig),
            lines: list
                .iter()
                .map(|(e, mk)| Line {
                    title: e.title.clone(),
                    day: day_and_date(e.day),
                    mark: match mk {
                        Some(Mark::Value(v)) => format!("{} / {}", number(*v), e.out_of),
                        Some(other) => status_label(other).to_owned(),
                        None => "—".to_owned(),
                    },
                    coefficient: number(e.coefficient),
                    note: match e.counting {
                        Counting::Always => String::new(),
                        c => messages::counting_label(c).to_owned(),
                    },
                })
                .collect(),
            explain: format!(
                "/{ID}/eleve/{login}/moyenne?periode={}&matiere={}",
                period.position,
                encode_query(name)
            ),
        });
    }
    let published_by = family.then(|| today(&state));
    let who = login.clone();
    let bulletins = state
        .store
        .read(move |r| store::bulletins::of_pupil(r, &who, published_by))
        .await?
        .into_iter()
        .filter(|b| b.published_from.is_some())
        .map(|b| {
            let name = all
                .iter()
                .find(|p| p.position == b.period)
                .map_or_else(|| format!("Période {}", b.period), Period::name);
            (
                format!("/{ID}/bulletin/{}", b.id),
                messages::bulletin_label(
                    &name,
                    b.version,
                    &b.published_from.map(long_date).unwrap_or_default(),
                ),
            )
        })
        .collect();
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&PupilPage {
        chrome: &chrome,
        name: p.display_name(),
        class: label,
        period: format!("{}, {}", period.name(), period.span()),
        tabs: tabs(&all, &period, &format!("/{ID}/eleve/{login}?")),
        general: shown(loaded.results.general(&login)),
        class_general: figures(&loaded.results.class_general()),
        skills: skill_lines(&loaded.levels, &login),
        subjects,
        family_view: family,
        bulletins,
    })
}

/// `GET /notes/eleve/{login}/moyenne?periode=N&matiere=…`: the marks, coefficients and
/// formula that make the average.
pub async fn explain(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let s = seen(&state, &ctx, &login).await?;
    let (_, period) = period_asked(&state, q.periode.as_deref()).await?;
    let loaded = load(&state, &s, &period).await?;
    let p = s.person;
    let login = p.login.to_string();
    // A subject without évaluations yet this period explains itself too: « NN ».
    let list = mine(&loaded, &login, &q.matiere);
    let items: Vec<(Assessment, Mark)> = list
        .iter()
        .map(|(e, mk)| (e.assessment(), mk.unwrap_or(Mark::NotMarked)))
        .collect();
    let x = average(&items);
    let terms = list
        .iter()
        .zip(&x.parts)
        .map(|((e, mk), part)| Term {
            title: format!("{} ({})", e.title, day_and_date(e.day)),
            mark: match mk {
                Some(Mark::Value(v)) => format!(
                    "{} / {}{}",
                    number(*v),
                    e.out_of,
                    if e.to_twenty && e.out_of != 20 {
                        " ramenée sur 20"
                    } else {
                        ""
                    }
                ),
                Some(other) => status_label(other).to_owned(),
                None => "—".to_owned(),
            },
            coefficient: number(e.coefficient),
            points: number(part.points.round_dp(2)),
            max: number(part.max.round_dp(2)),
            status: messages::left_label(part.left_out).to_owned(),
        })
        .collect();
    let (formula, result) = match x.exact {
        Some(exact) => (
            format!(
                "20 × {} ÷ {} = {}",
                number(x.points.round_dp(2)),
                number(x.max.round_dp(2)),
                number(exact.round_dp(3))
            ),
            format!(
                "Moyenne : {} (arrondie au dixième supérieur)",
                shown(x.average)
            ),
        ),
        None => (String::new(), messages::NN_HELP.to_owned()),
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ExplainPage {
        chrome: &chrome,
        back: format!("/{ID}/eleve/{login}?periode={}", period.position),
        name: p.display_name(),
        subject: format!("{} — {}", q.matiere, period.name()),
        terms,
        points: number(x.points.round_dp(2)),
        max: number(x.max.round_dp(2)),
        formula,
        result,
    })
}
