//! `/vie-scolaire/sorties`: a class's or group's sortie, entered by the vie scolaire; its
//! participants (all the pupils by default) are not absent from the courses it covers.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::dates::{day_and_date, hhmm, iso, parse_iso, parse_time};
use cartable_core::directory::{ClassCode, DirectoryRead, GroupCode};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{ConfirmSpec, Outcome, chrome, confirm, html, see_other_with};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::counting::Sortie;
use crate::pages::{desk, today};
use crate::presence::{self, NewSortie};
use crate::templates::{SortieItem, SortiePage, SortiesPage};
use crate::{ID, messages};

const MAX_LABEL: usize = 120;
/// Longest sortie: a school trip abroad.
const MAX_DAYS: i64 = 21;

async fn allowed(state: &AppState, m: &InModule) -> Result<Me, WebError> {
    let ctx = Me::of(state, &m.me).await?;
    if desk(&ctx) {
        Ok(ctx)
    } else {
        Err(WebError::NotFound)
    }
}

/// Classes and groups by code, and the form's choices (`classe:4B`, label), sorted.
async fn audiences(
    state: &AppState,
) -> Result<(HashMap<String, String>, Vec<(String, String)>), WebError> {
    let mut choices = Vec::new();
    let mut labels = HashMap::new();
    let mut classes = state.directory.classes().await?;
    classes.sort_by(|a, b| cartable_core::collation::compare(&a.label, &b.label));
    for c in classes {
        choices.push((format!("classe:{}", c.code), c.label.clone()));
        labels.insert(c.code.to_string(), c.label);
    }
    let mut groups = state.directory.groups().await?;
    groups.retain(|g| g.kind == cartable_core::directory::GroupKind::Groupe);
    groups.sort_by(|a, b| cartable_core::collation::compare(&a.label, &b.label));
    for g in groups {
        choices.push((format!("groupe:{}", g.code), g.label.clone()));
        labels.insert(g.code.to_string(), g.label);
    }
    Ok((labels, choices))
}

/// « lundi 7 décembre, 9 h 30 – 16 h 00 » or over several days.
fn when(s: &Sortie) -> String {
    if s.from.0 == s.to.0 {
        format!(
            "{}, {} – {}",
            day_and_date(s.from.0),
            hhmm(s.from.1),
            hhmm(s.to.1)
        )
    } else {
        format!(
            "du {} {} au {} {}",
            day_and_date(s.from.0),
            hhmm(s.from.1),
            day_and_date(s.to.0),
            hhmm(s.to.1)
        )
    }
}

pub(crate) fn item(s: &Sortie, labels: &HashMap<String, String>) -> SortieItem {
    SortieItem {
        id: s.id,
        label: s.label.clone(),
        audience: labels
            .get(&s.audience)
            .cloned()
            .unwrap_or(s.audience.clone()),
        when: when(s),
        state: if s.cancelled {
            messages::SORTIE_CANCELLED.to_owned()
        } else {
            cartable_core::messages::count(s.pupils.len(), "élève", "élèves")
        },
        cancelled: s.cancelled,
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_list(
    state: &AppState,
    m: &InModule,
    typed: [String; 6],
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let day = today(state);
    let (from, to) = (
        day - time::Duration::days(60),
        day + time::Duration::days(365),
    );
    let sorties = state
        .store
        .read(move |r| presence::sorties_between(r, from, to))
        .await?;
    let (labels, choices) = audiences(state).await?;
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&SortiesPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        sorties: sorties.iter().map(|s| item(s, &labels)).collect(),
        audiences: choices
            .into_iter()
            .map(|(v, l)| {
                let chosen = v == typed[1];
                (v, l, chosen)
            })
            .collect(),
        typed,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /vie-scolaire/sorties`: the sorties of the last two months and to come, and the form.
pub async fn list(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    allowed(&state, &m).await?;
    let d = iso(today(&state));
    let typed = [
        String::new(),
        String::new(),
        d.clone(),
        "08:00".to_owned(),
        d,
        "17:00".to_owned(),
    ];
    render_list(&state, &m, typed, q.notice(), q.error(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    libelle: String,
    #[serde(default)]
    pour: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    du_heure: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    au_heure: String,
}

/// `POST /vie-scolaire/sorties`: a sortie for every pupil of the class or group; then its
/// page, to untick those who stay.
pub async fn create(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<NewForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = allowed(&state, &m).await?;
    let typed = [
        f.libelle.clone(),
        f.pour.clone(),
        f.du.clone(),
        f.du_heure.clone(),
        f.au.clone(),
        f.au_heure.clone(),
    ];
    let label: String = f.libelle.trim().chars().take(MAX_LABEL).collect();
    let (class, group) = match f.pour.split_once(':') {
        Some(("classe", c)) => (ClassCode::parse(c).ok(), None),
        Some(("groupe", g)) => (None, GroupCode::parse(g).ok()),
        _ => (None, None),
    };
    let from = parse_iso(&f.du).zip(parse_time(&f.du_heure));
    let to = parse_iso(&f.au).zip(parse_time(&f.au_heure));
    let refused = |msg: &'static str| (msg, typed.clone());
    let problem = if label.is_empty() {
        Some(refused(messages::SORTIE_NEED_LABEL))
    } else if class.is_none() && group.is_none() {
        Some(refused(messages::SORTIE_NEED_AUDIENCE))
    } else {
        match (from, to) {
            (Some(a), Some(b)) if b > a && (b.0 - a.0).whole_days() <= MAX_DAYS => None,
            _ => Some(refused(messages::SORTIE_BAD_TIMES)),
        }
    };
    if let Some((msg, typed)) = problem {
        return render_list(
            &state,
            &m,
            typed,
            None,
            Some(msg.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(WebError::BadRequest("dates".into()));
    };
    let (audience, is_group) = match (&class, &group) {
        (Some(c), _) => (c.to_string(), false),
        (_, Some(g)) => (g.to_string(), true),
        _ => return Err(WebError::BadRequest("pour".into())),
    };
    let pupils: Vec<String> = cartable_web::people::pupils_in(&state, &audience, is_group)
        .await?
        .into_iter()
        .map(|p| p.login.to_string())
        .collect();
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let n = pupils.len();
    let id = state
        .store
        .write(move |w| {
            presence::add_sortie(
                w,
                &NewSortie {
                    label: &label,
                    audience: &audience,
                    is_group,
                    from,
                    to,
                    pupils: &pupils,
                    by: &by,
                    at,
                },
            )
        })
        .await?;
    tracing::info!(by = %ctx.person.login, sortie = id, pupils = n, "sortie");
    Ok(see_other_with(
        &format!("/{ID}/sortie/{id}"),
        Ok(messages::sortie_saved(n)),
    ))
}

/// `GET /vie-scolaire/sortie/{id}`: who takes part.
pub async fn show(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    allowed(&state, &m).await?;
    let id = id.into_inner();
    let s = state
        .store
        .read(move |r| presence::sortie(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let (labels, _) = audiences(&state).await?;
    let mut people = pupils_of(&state, &s).await?;
    people.sort_by(cartable_core::collation::people);
    let mut pupils: Vec<(String, String, bool)> = people
        .iter()
        .map(|p| {
            let login = p.login.to_string();
            let part = s.pupils.contains(&login);
            (login, p.display_name(), part)
        })
        .collect();
    // Participants who left the class since stay listed.
    for l in &s.pupils {
        if !pupils.iter().any(|p| &p.0 == l) {
            pupils.push((l.clone(), l.clone(), true));
        }
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&SortiePage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: q.notice(),
        err: q.error(),
        sortie: item(&s, &labels),
        pupils,
    })
}

/// A sortie not cancelled; anything else is not found.
async fn open_sortie(state: &AppState, id: i64) -> Result<Sortie, WebError> {
    state
        .store
        .read(move |r| presence::sortie(r, id))
        .await?
        .filter(|s| !s.cancelled)
        .ok_or(WebError::NotFound)
}

async fn pupils_of(
    state: &AppState,
    s: &Sortie,
) -> Result<Vec<cartable_core::directory::Person>, WebError> {
    cartable_web::people::pupils_in(state, &s.audience, s.is_group).await
}

/// `POST /vie-scolaire/sortie/{id}` (`eleve` repeated): who takes part, among the audience's
/// pupils and those already listed.
pub async fn participants(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let token = f
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    csrf::check(&m.me.csrf, token)?;
    allowed(&state, &m).await?;
    let id = id.into_inner();
    let s = open_sortie(&state, id).await?;
    let known: Vec<String> = pupils_of(&state, &s)
        .await?
        .into_iter()
        .map(|p| p.login.to_string())
        .chain(s.pupils.iter().cloned())
        .collect();
    let chosen: Vec<String> = f
        .iter()
        .filter(|(k, v)| k == "eleve" && known.contains(v))
        .map(|(_, v)| v.clone())
        .collect();
    let n = chosen.len();
    state
        .store
        .write(move |w| presence::set_participants(w, id, &chosen))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/sortie/{id}"),
        Ok(messages::participants_saved(n)),
    ))
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirme: String,
}

/// `POST /vie-scolaire/sortie/{id}/annuler`: asks first; then its pupils are expected again.
pub async fn cancel(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CancelForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = allowed(&state, &m).await?;
    let id = id.into_inner();
    let s = open_sortie(&state, id).await?;
    let page = format!("/{ID}/sortie/{id}");
    if f.confirme != "1" {
        let what = messages::cancel_sortie_what(&s.label, &when(&s));
        return confirm(
            &state,
            &m.me,
            ConfirmSpec {
                title: messages::CANCEL_SORTIE_TITLE,
                what: &what,
                after: messages::CANCEL_SORTIE_AFTER,
                button: messages::CANCEL_SORTIE_BUTTON,
                action: &format!("{page}/annuler"),
                fields: Vec::new(),
                back: &page,
            },
        )
        .await;
    }
    state
        .store
        .write(move |w| presence::cancel_sortie(w, id))
        .await?;
    tracing::info!(by = %ctx.person.login, sortie = id, "sortie annulée");
    Ok(see_other_with(
        &page,
        Ok(messages::SORTIE_CANCEL_DONE.to_owned()),
    ))
}
