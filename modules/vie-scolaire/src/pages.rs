//! The vie scolaire's pages: a teacher's appels of the day and the appel itself, a pupil's
//! absences and retards with the family's justifications, and the vie scolaire's board.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{
    day_and_date, hhmm, in_france, iso, parse_iso, parse_time, today_in_france,
};
use cartable_core::directory::{
    ClassCode, DirectoryRead, GroupCode, Login, Person, Profile, Relations,
};
use cartable_core::notify::{Notice, audience};
use cartable_core::store::CourseRow;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::notify::{Whom, write_and_tell};
use cartable_web::pages::{Outcome, chrome, html, read_multipart, see_other_with};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;
use time::Date;

use crate::counting::Excuses;
use crate::model::{Appel, Half, JustState, Justification, Mark, MarkKind, piece_kind};
use crate::record::{Halves, Record};
use crate::templates::{
    AbsentItem, AppelItem, AppelPage, ChildItem, HalfItem, HomePage, JustItem, PupilPage, Row,
};
use crate::{
    ABSENCE_KIND, ANY_APPEL, DECISION_KIND, DESK, ID, JUSTIFY, PUNISH, SEE, messages, presence,
    store,
};

/// Largest justificatif.
const MAX_PIECE: usize = 5 * 1024 * 1024;
const MAX_MESSAGE: usize = 2000;

pub(crate) fn today(state: &AppState) -> Date {
    today_in_france(state.clock.now())
}

/// Minutes since midnight, French time.
fn minutes_now(state: &AppState) -> u16 {
    let t = in_france(state.clock.now());
    u16::from(t.hour()) * 60 + u16::from(t.minute())
}

pub fn tiles(person: &Person) -> Vec<Tile> {
    let (description, href) = match person.profile {
        Profile::Enseignant => (messages::TILE_TEACHER, format!("/{ID}")),
        Profile::Responsable => (messages::TILE_FAMILY, format!("/{ID}")),
        Profile::Eleve => (
            messages::TILE_PUPIL,
            format!("/{ID}/eleve/{}", person.login),
        ),
        Profile::VieScolaire | Profile::Direction => (messages::TILE_DESK, format!("/{ID}")),
        _ => return Vec::new(),
    };
    vec![Tile {
        title: messages::TITLE.to_owned(),
        description: description.to_owned(),
        href,
        icon: "vie-scolaire",
    }]
}

/// Labels of classes and groups by code.
async fn labels(state: &AppState) -> Result<HashMap<String, String>, WebError> {
    let mut out: HashMap<String, String> = state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect();
    for g in state.directory.groups().await? {
        out.insert(g.code.to_string(), g.label);
    }
    Ok(out)
}

pub(crate) use cartable_web::people::names;

pub(crate) fn desk(ctx: &Me) -> bool {
    ctx.may(Action::Module(DESK), &Target::Etablissement)
}

/// May take (or correct) this appel: his own course, or the vie scolaire.
fn may_take(ctx: &Me, a: &Appel) -> bool {
    if a.teacher == ctx.person.login.as_str() {
        return true;
    }
    if a.is_group {
        GroupCode::parse(&a.audience)
            .is_ok_and(|g| ctx.may(Action::Module(ANY_APPEL), &Target::Group(&g)))
    } else {
        ClassCode::parse(&a.audience)
            .is_ok_and(|c| ctx.may(Action::Module(ANY_APPEL), &Target::Class(&c)))
    }
}

fn appel_state(a: &Appel, absents: usize) -> String {
    match (a.version, a.taken_at) {
        (0, _) | (_, None) => "à faire".to_owned(),
        (_, Some(at)) => {
            let t = in_france(
                time::OffsetDateTime::from_unix_timestamp(at)
                    .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
            );
            format!(
                "fait à {} ({})",
                hhmm(u16::from(t.hour()) * 60 + u16::from(t.minute())),
                cartable_core::messages::count(absents, "absent", "absents")
            )
        }
    }
}

pub(crate) async fn pupils_of(state: &AppState, a: &Appel) -> Result<Vec<Person>, WebError> {
    cartable_web::people::pupils_in(state, &a.audience, a.is_group).await
}

async fn items(
    state: &AppState,
    appels: Vec<Appel>,
    labels: &HashMap<String, String>,
    excuses: &Excuses,
) -> Result<Vec<AppelItem>, WebError> {
    let teachers = names(state, appels.iter().map(|a| a.teacher.clone())).await;
    let mut out = Vec::new();
    for a in appels {
        let a2 = a.clone();
        let marks = state.store.read(move |r| store::marks(r, &a2)).await?;
        let absents = marks.iter().filter(|m| m.kind == MarkKind::Absent).count();
        // A class out on a sortie has no appel to take.
        let out_on = (a.version == 0)
            .then(|| excuses.sortie_of(&a.audience, a.day, a.start, a.end))
            .flatten();
        out.push(AppelItem {
            id: a.id,
            time: format!("{} – {}", hhmm(a.start), hhmm(a.end)),
            subject: a.subject.clone(),
            audience: labels
                .get(&a.audience)
                .cloned()
                .unwrap_or(a.audience.clone()),
            state: match out_on {
                Some(s) => format!("en sortie : {}", s.label),
                None => appel_state(&a, absents),
            },
            done: a.version > 0 || out_on.is_some(),
            teacher: teachers.get(&a.teacher).cloned().unwrap_or_default(),
            start: a.start,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct HomeQuery {
    /// The board's day (vie scolaire, direction).
    jour: Option<String>,
    #[serde(flatten)]
    outcome: Outcome,
}

/// `GET /vie-scolaire`: a teacher's appels, a parent's children, the vie scolaire's board.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    if ctx.person.profile == Profile::Eleve {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/{ID}/eleve/{}", ctx.person.login)))
            .finish());
    }
    let is_desk = desk(&ctx);
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    // The board shows the day asked for; by default today, or the last school day when there
    // is no school today (a Monday morning looks at Friday's).
    let day = match q.jour.as_deref().and_then(parse_iso) {
        Some(d) if is_desk => d,
        _ => {
            let mut d = today(&state);
            for _ in 0..30 {
                if calendar.closed(d).is_none() || !is_desk {
                    break;
                }
                d -= time::Duration::days(1);
            }
            d
        }
    };
    let teacher = ctx.person.profile == Profile::Enseignant;
    let labels = labels(&state).await?;
    let mut excuses = Excuses::default();
    let mut mine = Vec::new();
    let mut all = Vec::new();
    let mut audiences = Vec::new();
    if teacher || is_desk {
        // Each course of the day is an appel; created the first time someone looks.
        let me = ctx.person.login.to_string();
        let courses: Vec<CourseRow> = state
            .store
            .read(move |r| r.courses_on(day))
            .await?
            .into_iter()
            .filter(|c| is_desk || c.teacher == me)
            .collect();
        if calendar.closed(day).is_none() {
            let scope = (!is_desk).then(|| ctx.person.login.to_string());
            state
                .store
                .write(move |w| store::ensure_day(w, day, &courses, scope.as_deref()))
                .await?;
        }
        let (appels, ex) = state
            .store
            .read(move |r| {
                Ok((
                    store::appels_of_day(r, day)?,
                    presence::excuses(r, day, day)?,
                ))
            })
            .await?;
        excuses = ex;
        if teacher {
            let me = ctx.person.login.as_str();
            mine = items(
                &state,
                appels.iter().filter(|a| a.teacher == me).cloned().collect(),
                &labels,
                &excuses,
            )
            .await?;
            for t in &ctx.relations.teachings {
                audiences.push((format!("classe:{}", t.class.code), t.class.label.clone()));
            }
            for g in &ctx.relations.groups {
                audiences.push((format!("groupe:{}", g.code), g.label.clone()));
            }
        }
        if is_desk {
            all = items(&state, appels, &labels, &excuses).await?;
        }
    }
    // Past the start of a course: for a past day, all of them.
    let now = match day.cmp(&today(&state)) {
        std::cmp::Ordering::Less => 24 * 60,
        std::cmp::Ordering::Equal => minutes_now(&state),
        std::cmp::Ordering::Greater => 0,
    };
    let late: Vec<AppelItem> = all
        .iter()
        .filter(|a| !a.done && a.start <= now)
        .map(|a| AppelItem {
            id: a.id,
            time: a.time.clone(),
            subject: a.subject.clone(),
            audience: a.audience.clone(),
            state: a.state.clone(),
            done: a.done,
            teacher: a.teacher.clone(),
            start: a.start,
        })
        .collect();
    let mut missing = 0;
    let mut absents = Vec::new();
    let mut waiting = Vec::new();
    let mut alerts = Vec::new();
    let mut alert_rule = String::new();
    let mut no_alert = String::new();
    let mut sorties = Vec::new();
    if is_desk {
        missing = late.len();
        let marks = state
            .store
            .read(move |r| store::pupil_marks(r, None, Some(day)))
            .await?;
        let who = names(&state, marks.iter().map(|m| m.mark.pupil.clone())).await;
        for pm in marks.iter().filter(|pm| {
            matches!(pm.mark.kind, MarkKind::Absent | MarkKind::Retard)
                && !excuses
                    .of(
                        &pm.mark.pupil,
                        pm.appel.day,
                        pm.appel.start,
                        pm.appel.end,
                        &pm.appel.subject,
                    )
                    .is_some_and(|e| e.frees())
        }) {
            absents.push(AbsentItem {
                login: pm.mark.pupil.clone(),
                name: who.get(&pm.mark.pupil).cloned().unwrap_or_default(),
                audience: labels
                    .get(&pm.appel.audience)
                    .cloned()
                    .unwrap_or(pm.appel.audience.clone()),
                what: what(pm),
            });
        }
        absents.sort_by(|a, b| (&a.audience, &a.name).cmp(&(&b.audience, &b.name)));
        let (js, all_motifs) = state
            .store
            .read(|r| Ok((store::waiting_justifications(r)?, store::all_motifs(r)?)))
            .await?;
        waiting = just_items(&state, js, &all_motifs).await?;
        let (settings, found) = crate::assiduite::alerts_on(&state, day).await?;
        let threshold = settings.unit.count(settings.threshold);
        alert_rule = messages::alert_rule(&threshold);
        no_alert = messages::no_alert(&threshold);
        alerts = found
            .into_iter()
            .map(|(l, n, c)| (l, n, settings.unit.count(c)))
            .collect();
        let all_labels = labels.clone();
        sorties = excuses
            .sorties
            .iter()
            .filter(|s| !s.cancelled)
            .map(|s| {
                let it = crate::sorties::item(s, &all_labels);
                (it.id, it.label, it.audience, it.when)
            })
            .collect();
    }
    let mut children = Vec::new();
    for c in &ctx.relations.children {
        let login = c.login.to_string();
        let (settings, count) = crate::assiduite::pupil_count(&state, &login).await?;
        children.push(ChildItem {
            login,
            name: c.display_name.clone(),
            unjustified: if count.unjustified == 0 {
                String::new()
            } else {
                messages::child_badge(&settings.unit.count(count.unjustified))
            },
        });
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&HomePage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: q.outcome.notice(),
        err: q.outcome.error(),
        today: day_and_date(day),
        teacher,
        mine,
        audiences,
        children,
        desk: is_desk,
        all,
        missing,
        late,
        absents,
        waiting,
        alerts,
        alert_rule,
        no_alert,
        sorties,
        day_iso: iso(day),
        month_start: iso(day - time::Duration::days(crate::counting::ALERT_DAYS - 1)),
    })
}

#[derive(Deserialize)]
pub struct Period {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// `GET /vie-scolaire/export?du=…&au=…`: every absence, retard, départ and remarque of the
/// period as CSV (`;`, UTF-8 with BOM, as a spreadsheet in French opens it).
pub async fn export_csv(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Period>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    if !desk(&ctx) {
        return Err(WebError::NotFound);
    }
    let (Some(from), Some(to)) = (parse_iso(&q.du), parse_iso(&q.au)) else {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::BAD_PERIOD.to_owned()),
        ));
    };
    if to < from || (to - from).whole_days() > 366 {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::BAD_PERIOD.to_owned()),
        ));
    }
    let (mut marks, justs, excuses) = state
        .store
        .read(move |r| {
            Ok((
                store::marks_between(r, from, to)?,
                store::justifications_between(r, from, to)?,
                presence::excuses(r, from, to)?,
            ))
        })
        .await?;
    marks.reverse();
    let labels = labels(&state).await?;
    let who = names(&state, marks.iter().map(|pm| pm.mark.pupil.clone())).await;
    let mut decided: HashMap<(String, Date, Half), JustState> = HashMap::new();
    for j in &justs {
        decided
            .entry((j.pupil.clone(), j.day, j.half))
            .or_insert(j.state);
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let bad = |e: csv::Error| WebError::BadRequest(e.to_string());
    w.write_record(messages::CSV_HEADER).map_err(bad)?;
    for pm in &marks {
        let excuse = excuses
            .of(
                &pm.mark.pupil,
                pm.appel.day,
                pm.appel.start,
                pm.appel.end,
                &pm.appel.subject,
            )
            .filter(|e| e.frees());
        let justification = if let Some(e) = &excuse
            && pm.mark.kind == MarkKind::Absent
        {
            match e {
                crate::counting::Excuse::Sortie(_) => "excusée (sortie)",
                crate::counting::Excuse::Dispense { .. } => "excusée (dispense)",
            }
        } else if pm.mark.kind == MarkKind::Absent {
            match decided.get(&(
                pm.mark.pupil.clone(),
                pm.appel.day,
                Half::of(pm.appel.start),
            )) {
                Some(JustState::Acceptee) => "justifiée",
                Some(JustState::Attente) => "en attente",
                Some(JustState::Refusee) | None => "non justifiée",
            }
        } else {
            ""
        };
        w.write_record([
            iso(pm.appel.day).as_str(),
            &hhmm(pm.appel.start),
            labels
                .get(&pm.appel.audience)
                .map_or(pm.appel.audience.as_str(), String::as_str),
            who.get(&pm.mark.pupil).map_or("", String::as_str),
            &pm.mark.pupil,
            pm.mark.kind.as_str(),
            &pm.mark.minutes.map(|n| n.to_string()).unwrap_or_default(),
            &pm.appel.subject,
            &pm.mark.note,
            justification,
        ])
        .map_err(bad)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"absences-{}-{}.csv\"",
                iso(from),
                iso(to)
            ),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

fn what(pm: &crate::model::PupilMark) -> String {
    let at = format!("{} ({})", hhmm(pm.appel.start), pm.appel.subject);
    match pm.mark.kind {
        MarkKind::Absent => format!("absent à {at}"),
        MarkKind::Retard => format!(
            "retard de {} min à {at}",
            pm.mark.minutes.unwrap_or_default()
        ),
        MarkKind::Depart => format!("parti avant la fin, {at}"),
        MarkKind::Remarque => format!("remarque à {at} : {}", pm.mark.note),
    }
}

/// `GET /vie-scolaire/appel/{id}`.
pub async fn appel(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let id = id.into_inner();
    let a = state
        .store
        .read(move |r| store::appel(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if !may_take(&ctx, &a) && !desk(&ctx) {
        return Err(WebError::NotFound);
    }
    render_appel(
        &state,
        &m,
        &ctx,
        &a,
        None,
        q.notice(),
        q.error(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_appel(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    a: &Appel,
    typed: Option<&HashMap<String, (String, String, String)>>,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (a2, day) = (a.clone(), a.day);
    let (marks, excuses) = state
        .store
        .read(move |r| Ok((store::marks(r, &a2)?, presence::excuses(r, day, day)?)))
        .await?;
    let pupils = pupils_of(state, a).await?;
    let labels = labels(state).await?;
    let rows = pupils
        .iter()
        .map(|p| {
            let login = p.login.to_string();
            let excuse = excuses.of(&login, a.day, a.start, a.end, &a.subject);
            let freed = excuse.as_ref().is_some_and(|e| e.frees());
            let excuse = excuse.map(|e| e.label()).unwrap_or_default();
            if let Some((state, minutes, note)) = typed.and_then(|t| t.get(&login)) {
                return Row {
                    name: p.display_name(),
                    state: match state.as_str() {
                        "absent" => "absent",
                        "retard" => "retard",
                        "depart" => "depart",
                        _ => "present",
                    },
                    minutes: minutes.clone(),
                    note: note.clone(),
                    login,
                    excuse,
                    freed,
                };
            }
            let mine: Vec<&Mark> = marks.iter().filter(|m| m.pupil == login).collect();
            let kind = mine
                .iter()
                .find(|m| m.kind != MarkKind::Remarque)
                .map(|m| m.kind);
            Row {
                name: p.display_name(),
                state: kind.map_or("present", |k| k.as_str()),
                minutes: mine
                    .iter()
                    .find_map(|m| m.minutes)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                note: mine
                    .iter()
                    .find(|m| m.kind == MarkKind::Remarque)
                    .map(|m| m.note.clone())
                    .unwrap_or_default(),
                login,
                excuse,
                freed,
            }
        })
        .collect();
    let absents = marks.iter().filter(|m| m.kind == MarkKind::Absent).count();
    let state_label = match excuses.sortie_of(&a.audience, a.day, a.start, a.end) {
        Some(s) if a.version == 0 => format!("en sortie : {}", s.label),
        _ => appel_state(a, absents),
    };
    let editable = may_take(ctx, a) && (a.day == today(state) || desk(ctx) && may_take(ctx, a));
    let title = format!(
        "{}, {} – {} : {} — {}",
        day_and_date(a.day),
        hhmm(a.start),
        hhmm(a.end),
        a.subject,
        labels
            .get(&a.audience)
            .cloned()
            .unwrap_or(a.audience.clone())
    );
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&AppelPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        id: a.id,
        title,
        state: state_label,
        rows,
        editable,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `POST /vie-scolaire/appel/{id}`: `etat.<login>` (present, absent, retard, depart; absent
/// field: present), `minutes.<login>` for a retard, `remarque.<login>`. A new version each time.
pub async fn take(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let field = |k: &str| cartable_web::module::form::field(&f, k);
    csrf::check(&m.me.csrf, field("csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let id = id.into_inner();
    let a = state
        .store
        .read(move |r| store::appel(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if !may_take(&ctx, &a) {
        return Err(WebError::NotFound);
    }
    let vs = ctx.may(Action::Module(ANY_APPEL), &Target::Etablissement) || desk(&ctx);
    if a.day != today(&state) && !vs {
        return render_appel(
            &state,
            &m,
            &ctx,
            &a,
            None,
            None,
            Some(messages::NOT_TODAY.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let pupils = pupils_of(&state, &a).await?;
    let day = a.day;
    let excuses = state
        .store
        .read(move |r| presence::excuses(r, day, day))
        .await?;
    let mut typed = HashMap::new();
    let mut marks = Vec::new();
    let mut bad = false;
    for p in &pupils {
        let login = p.login.to_string();
        // On a sortie or dispensed without attendance: not expected, nothing to mark.
        let freed = excuses
            .of(&login, a.day, a.start, a.end, &a.subject)
            .is_some_and(|e| e.frees());
        let st = if freed {
            String::new()
        } else {
            field(&format!("etat.{login}")).to_owned()
        };
        let minutes = field(&format!("minutes.{login}")).trim().to_owned();
        let note: String = field(&format!("remarque.{login}"))
            .trim()
            .chars()
            .take(200)
            .collect();
        match st.as_str() {
            "absent" | "depart" => marks.push(Mark {
                pupil: login.clone(),
                kind: MarkKind::parse(&st).unwrap_or(MarkKind::Absent),
                minutes: None,
                note: String::new(),
            }),
            "retard" => match minutes.parse::<u16>() {
                Ok(n @ 1..=240) => marks.push(Mark {
                    pupil: login.clone(),
                    kind: MarkKind::Retard,
                    minutes: Some(n),
                    note: String::new(),
                }),
                _ => bad = true,
            },
            _ => {}
        }
        if !note.is_empty() {
            marks.push(Mark {
                pupil: login.clone(),
                kind: MarkKind::Remarque,
                minutes: None,
                note: note.clone(),
            });
        }
        typed.insert(login, (st, minutes, note));
    }
    if bad {
        return render_appel(
            &state,
            &m,
            &ctx,
            &a,
            Some(&typed),
            None,
            Some(messages::BAD_MINUTES.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Each absent or late pupil's responsables (and himself) are told, once per demi-journée:
    // who, found before the write; told in the same commit as the appel.
    let mut notices = Vec::new();
    for mk in marks
        .iter()
        .filter(|m| matches!(m.kind, MarkKind::Absent | MarkKind::Retard))
    {
        let Some(p) = pupils.iter().find(|p| p.login.as_str() == mk.pupil) else {
            continue;
        };
        let half = Half::of(a.start);
        let when = format!("{}, {}", day_and_date(a.day), half.label());
        let (key, title) = match mk.kind {
            MarkKind::Absent => (
                format!("vs:absence:{}:{}:{}", p.login, iso(a.day), half.as_str()),
                messages::absence_title(&p.display_name(), &when),
            ),
            _ => (
                format!("vs:retard:{}:{}:{}", p.login, iso(a.day), half.as_str()),
                messages::retard_title(&p.display_name(), mk.minutes.unwrap_or_default(), &when),
            ),
        };
        let to = audience::pupil_and_parents(&state.directory, p).await?;
        notices.push((
            to,
            Notice {
                kind: &ABSENCE_KIND,
                key,
                title,
                body: messages::mark_body(&a.subject, &hhmm(a.start)),
                link: Some(format!("/{ID}/eleve/{}", p.login)),
            },
        ));
    }
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let listed = pupils.len();
    let written = marks.clone();
    let notifier = state.notifier.clone();
    let told = state
        .store
        .write(move |w| {
            store::take(w, id, &by, at, listed, &written)?;
            let mut told = cartable_core::notify::Told::default();
            for (to, notice) in &notices {
                let t = notifier.write_in(w, to, notice)?;
                told.notifications += t.notifications;
                told.mails += t.mails;
            }
            Ok(told)
        })
        .await?;
    state.notifier.woken(told);
    let absents = marks.iter().filter(|m| m.kind == MarkKind::Absent).count();
    let late = marks.iter().filter(|m| m.kind == MarkKind::Retard).count();
    tracing::info!(by = %ctx.person.login, appel = id, absents, retards = late, "appel");
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::appel_saved(absents, late)),
    ))
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pour: String,
    #[serde(default)]
    matiere: String,
    #[serde(default)]
    debut: String,
    #[serde(default)]
    fin: String,
}

/// `POST /vie-scolaire/ajouter`: a course not in the timetable, today, for one of his classes
/// or groups; then its appel.
pub async fn add(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<AddForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    if ctx.person.profile != Profile::Enseignant {
        return Err(WebError::Forbidden);
    }
    let back = format!("/{ID}");
    let refuse = |msg: &str| Ok(see_other_with(&back, Err(msg.to_owned())));
    let (group, code) = match f.pour.split_once(':') {
        Some(("classe", c)) => (false, c.to_owned()),
        Some(("groupe", g)) => (true, g.to_owned()),
        _ => return refuse(messages::BAD_COURSE),
    };
    let teaches = if group {
        ctx.relations
            .groups
            .iter()
            .any(|g| g.code.to_string() == code)
    } else {
        ctx.relations
            .teachings
            .iter()
            .any(|t| t.class.code.to_string() == code)
    };
    if !teaches {
        return Err(WebError::Forbidden);
    }
    let subject: String = f.matiere.trim().chars().take(80).collect();
    let (Some(start), Some(end)) = (parse_time(&f.debut), parse_time(&f.fin)) else {
        return refuse(messages::BAD_COURSE);
    };
    if subject.is_empty() || end <= start {
        return refuse(messages::BAD_COURSE);
    }
    let day = today(&state);
    let row = CourseRow {
        teacher: ctx.person.login.to_string(),
        audience: code,
        group,
        subject,
        day: day.weekday().number_from_monday(),
        start,
        end,
        weeks: "H".to_owned(),
        // A course added by hand (a replacement): its room is not the timetable's to know.
        room: String::new(),
    };
    match state
        .store
        .write(move |w| store::add_appel(w, day, &row))
        .await?
    {
        Some(id) => Ok(see_other_with(
            &format!("/{ID}/appel/{id}"),
            Ok(messages::COURSE_ADDED.to_owned()),
        )),
        None => refuse(messages::COURSE_EXISTS),
    }
}

/// A pupil's absent demi-journées.
async fn halves_of(state: &AppState, pupil: &str) -> Result<Halves, WebError> {
    Ok(Record::load(state, pupil).await?.halves())
}

async fn just_items(
    state: &AppState,
    js: Vec<Justification>,
    all_motifs: &[crate::model::Motif],
) -> Result<Vec<JustItem>, WebError> {
    let motifs: HashMap<&str, &str> = all_motifs
        .iter()
        .map(|m| (m.code.as_str(), m.label.as_str()))
        .collect();
    let who = names(state, js.iter().map(|j| j.pupil.clone())).await;
    Ok(js
        .into_iter()
        .map(|j| JustItem {
            id: j.id,
            pupil: who.get(&j.pupil).cloned().unwrap_or_default(),
            pupil_login: j.pupil.clone(),
            when: format!("{}, {}", day_and_date(j.day), j.half.label()),
            motif: motifs
                .get(j.motif.as_str())
                .map_or_else(|| j.motif.clone(), |l| (*l).to_owned()),
            message: j.message,
            has_piece: j.piece_name.is_some(),
            state: match j.state {
                JustState::Attente => "en attente de la vie scolaire".to_owned(),
                JustState::Acceptee => "acceptée".to_owned(),
                JustState::Refusee => "refusée".to_owned(),
            },
            waiting: j.state == JustState::Attente,
        })
        .collect())
}

/// A pupil by login, with his relations; anyone else is not found.
async fn pupil_named(state: &AppState, login: &str) -> Result<(Person, Relations), WebError> {
    let login = Login::parse(login).map_err(|_| WebError::NotFound)?;
    let p = state
        .directory
        .person(&login)
        .await?
        .filter(|p| p.profile == Profile::Eleve)
        .ok_or(WebError::NotFound)?;
    let rel = state.directory.relations(&login).await?;
    Ok((p, rel))
}

/// The pupil named in the path, if the viewer may see his absences.
async fn seen_pupil(
    state: &AppState,
    ctx: &Me,
    login: &str,
) -> Result<(Person, Relations), WebError> {
    let (p, rel) = pupil_named(state, login).await?;
    if !ctx.may(Action::Module(SEE), &Target::Person(&p, &rel)) {
        return Err(WebError::NotFound);
    }
    Ok((p, rel))
}

/// The pupil named in the path, for the vie scolaire's own actions (file, letter, absence
/// reported): others who see him are refused, the rest do not find him.
pub(crate) async fn desk_pupil(
    state: &AppState,
    m: &InModule,
    login: &str,
) -> Result<(Me, Person, Relations), WebError> {
    let ctx = Me::of(state, &m.me).await?;
    let (p, rel) = seen_pupil(state, &ctx, login).await?;
    if !desk(&ctx) {
        return Err(WebError::Forbidden);
    }
    Ok((ctx, p, rel))
}

/// The pupil named in the path, for whoever sees his absences or may give him a punition.
pub(crate) async fn pupil_for_discipline(
    state: &AppState,
    ctx: &Me,
    login: &str,
) -> Result<(Person, Relations), WebError> {
    let (p, rel) = pupil_named(state, login).await?;
    let target = Target::Person(&p, &rel);
    if !ctx.may(Action::Module(SEE), &target) && !ctx.may(Action::Module(PUNISH), &target) {
        return Err(WebError::NotFound);
    }
    Ok((p, rel))
}

/// What was typed in a form of the pupil's page, shown again when it is refused.
#[derive(Default, Clone)]
pub(crate) struct Typed {
    pub half: String,
    pub motif: String,
    pub message: String,
    /// The dispense form: subject, from, to, attendance (`oui`/`non`), note.
    pub dispense: [String; 5],
    /// The punition form: punition, motif, rapport, retenue's day, start, end, supervisor.
    pub punition: [String; 7],
    /// The sanction form: instance, sanction, durée, sursis, sursis days, motif, informé le,
    /// observations.
    pub sanction: [String; 8],
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn render_pupil(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    p: &Person,
    rel: &Relations,
    typed: Typed,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let login = p.login.to_string();
    let sees = ctx.may(Action::Module(SEE), &Target::Person(p, rel));
    // What a teacher who may only punish is shown: nothing of the absences.
    let record = if sees {
        Some(Record::load(state, &login).await?)
    } else {
        None
    };
    let halves = record.as_ref().map(Record::halves).unwrap_or_default();
    let label = |code: &str| {
        record
            .as_ref()
            .map_or_else(|| code.to_owned(), |r| r.motif_label(code))
    };
    let items: Vec<HalfItem> = halves
        .iter()
        .rev()
        .map(|((day, half), (courses, st, motif))| HalfItem {
            key: format!("{}|{}", iso(*day), half.as_str()),
            when: format!("{}, {}", day_and_date(*day), half.label()),
            courses: courses.join(", "),
            state: match st {
                Some(JustState::Acceptee) => format!(
                    "Justifiée ({})",
                    label(motif.as_deref().unwrap_or_default())
                ),
                Some(JustState::Attente) => "Justification envoyée, en attente".to_owned(),
                Some(JustState::Refusee) => "Non justifiée (justification refusée)".to_owned(),
                None => "Non justifiée".to_owned(),
            },
            justifiable: matches!(st, None | Some(JustState::Refusee)),
            told: String::new(),
        })
        .collect();
    // Where it matters: the vie scolaire sees whether each family was reached.
    let mut items = items;
    if desk(ctx) {
        let now = state.clock.now().unix_timestamp();
        for h in items.iter_mut() {
            let key = format!("vs:absence:{login}:{}", h.key.replace('|', ":"));
            let told = state.notifier.deliveries(&key).await?;
            let who = names(state, told.iter().map(|(l, _)| l.clone())).await;
            h.told = told
                .iter()
                .filter(|(l, _)| *l != login)
                .map(|(l, mail)| {
                    format!(
                        "{} : {}",
                        who.get(l).cloned().unwrap_or_default(),
                        mail.as_ref().map_or_else(
                            || messages::TOLD_IN_ENT_ONLY.to_owned(),
                            |m| cartable_core::notify::mail_state(m, now)
                        )
                    )
                })
                .collect::<Vec<_>>()
                .join(" ; ");
        }
    }
    let mut discipline = crate::discipline_pages::view(state, ctx, p, rel).await?;
    discipline.typed_punition = typed.punition;
    discipline.typed_sanction = typed.sanction;
    let (summary, dispenses, sorties, subjects) = match &record {
        Some(r) => presence_of(state, r, rel, desk(ctx)).await?,
        None => Default::default(),
    };
    let (marks, justs, motifs, all_motifs) = match record {
        Some(r) => (r.marks, r.justs, r.motifs, r.all_motifs),
        None => Default::default(),
    };
    let retards = marks
        .iter()
        .filter(|pm| pm.mark.kind == MarkKind::Retard)
        .map(|pm| {
            (
                format!("{}, {}", day_and_date(pm.appel.day), hhmm(pm.appel.start)),
                format!(
                    "{} min en {}",
                    pm.mark.minutes.unwrap_or_default(),
                    pm.appel.subject
                ),
            )
        })
        .collect();
    let follow = if desk(ctx) {
        let l3 = p.login.to_string();
        let rows = state.store.read(move |r| store::follow_ups(r, &l3)).await?;
        let by = names(state, rows.iter().map(|f| f.by.clone())).await;
        rows.into_iter()
            .map(|f| {
                (
                    day_and_date(f.day),
                    messages::follow_up_label(&f.kind, &f.means),
                    f.note,
                    by.get(&f.by).cloned().unwrap_or_default(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&PupilPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        login,
        name: p.display_name(),
        justifiable: items.iter().any(|h| h.justifiable),
        halves: items,
        retards,
        justifications: just_items(state, justs, &all_motifs).await?,
        may_justify: ctx.may(Action::Module(JUSTIFY), &Target::Person(p, rel)),
        motifs: motifs.into_iter().map(|m| (m.code, m.label)).collect(),
        typed_half: typed.half,
        typed_motif: typed.motif,
        typed_message: typed.message,
        typed_dispense: if typed.dispense.iter().all(String::is_empty) {
            let d = iso(today(state));
            [String::new(), d.clone(), d, "oui".to_owned(), String::new()]
        } else {
            typed.dispense
        },
        desk: desk(ctx),
        follow,
        today_iso: iso(today(state)),
        sees,
        summary,
        dispenses,
        sorties,
        subjects,
        discipline,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// What a pupil's page says of his counts, dispenses and sorties, and the subjects of his
/// timetable (for the dispense form).
type Presence = (
    String,
    Vec<(i64, String, String, String, String)>,
    Vec<(String, String)>,
    Vec<String>,
);

async fn presence_of(
    state: &AppState,
    record: &Record,
    rel: &Relations,
    with_subjects: bool,
) -> Result<Presence, WebError> {
    let since = crate::assiduite::school_year_start(today(state));
    let loaded = record.since(since);
    let settings = loaded.settings;
    let count = crate::assiduite::counts(state, &loaded)
        .await?
        .into_values()
        .next()
        .unwrap_or_default();
    let summary = messages::pupil_summary(
        &settings.unit.count(count.missed),
        count.unjustified,
        &cartable_core::dates::long_date(since),
    );
    let monday = cartable_core::dates::monday_of(today(state));
    let audiences: Vec<String> = rel
        .classes
        .iter()
        .map(|c| c.code.to_string())
        .chain(rel.groups.iter().map(|g| g.code.to_string()))
        .collect();
    // The week's subjects, for the vie scolaire's dispense form only.
    let subjects = if with_subjects {
        state
            .store
            .read(move |r| {
                let mut subjects = std::collections::BTreeSet::new();
                for i in 0..7 {
                    for c in r.courses_on(monday + time::Duration::days(i))? {
                        if audiences.contains(&c.audience) {
                            subjects.insert(c.subject);
                        }
                    }
                }
                Ok(subjects)
            })
            .await?
    } else {
        Default::default()
    };
    let excuses = &record.excuses;
    let labels = if excuses.sorties.iter().any(|s| !s.cancelled) {
        labels(state).await?
    } else {
        HashMap::new()
    };
    let dispenses = excuses
        .dispenses
        .iter()
        .map(|d| {
            (
                d.id,
                d.subject.clone(),
                if d.from == d.to {
                    day_and_date(d.from)
                } else {
                    format!("du {} au {}", day_and_date(d.from), day_and_date(d.to))
                },
                if d.attendance {
                    messages::DISPENSE_ATTENDS.to_owned()
                } else {
                    messages::DISPENSE_FREED.to_owned()
                },
                d.note.clone(),
            )
        })
        .collect();
    let sorties = excuses
        .sorties
        .iter()
        .filter(|s| !s.cancelled)
        .map(|s| {
            let it = crate::sorties::item(s, &labels);
            (it.label, it.when)
        })
        .collect();
    Ok((summary, dispenses, sorties, subjects.into_iter().collect()))
}

/// `GET /vie-scolaire/eleve/{login}`.
pub async fn pupil(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    q: web::Query<Outcome>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let (p, rel) = pupil_for_discipline(&state, &ctx, &login).await?;
    render_pupil(
        &state,
        &m,
        &ctx,
        &p,
        &rel,
        Default::default(),
        q.notice(),
        q.error(),
        StatusCode::OK,
    )
    .await
}

/// `POST /vie-scolaire/eleve/{login}/justifier` (multipart: `demi`, `motif`, `message`,
/// `piece`).
pub async fn justify(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    mut form: Multipart,
) -> Result<HttpResponse, WebError> {
    // Who may send is known before anything is read.
    let ctx = Me::of(&state, &m.me).await?;
    let (p, rel) = seen_pupil(&state, &ctx, &login).await?;
    if !ctx.may(Action::Module(JUSTIFY), &Target::Person(&p, &rel)) {
        return Err(WebError::Forbidden);
    }
    let fields = read_multipart(&mut form, MAX_PIECE + 1, 8).await?;
    csrf::check(&m.me.csrf, &fields.text("csrf"))?;
    let half_key = fields.text("demi");
    let motif = fields.text("motif");
    let message: String = fields.text("message").chars().take(MAX_MESSAGE).collect();
    let typed = Typed {
        half: half_key.clone(),
        motif: motif.clone(),
        message: message.clone(),
        ..Typed::default()
    };
    let refuse = |msg: &'static str| {
        let (state, m, ctx, p, rel, typed) = (&state, &m, &ctx, &p, &rel, typed.clone());
        async move {
            render_pupil(
                state,
                m,
                ctx,
                p,
                rel,
                typed,
                None,
                Some(msg.to_owned()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let login_s = p.login.to_string();
    let halves = halves_of(&state, &login_s).await?;
    let chosen = half_key.split_once('|').and_then(|(d, h)| {
        let key = (parse_iso(d)?, Half::parse(h)?);
        halves
            .get(&key)
            .filter(|v| matches!(v.1, None | Some(JustState::Refusee)))
            .map(|_| key)
    });
    let Some((day, half)) = chosen else {
        return refuse(messages::BAD_HALF).await;
    };
    let motifs = state.store.read(store::motifs).await?;
    if !motifs.iter().any(|x| x.code == motif) {
        return refuse(messages::BAD_MOTIF).await;
    }
    let piece = match fields.bytes("piece") {
        None | Some([]) => None,
        Some(_) if fields.too_big => return refuse(messages::BAD_PIECE).await,
        Some(b) if b.len() > MAX_PIECE => return refuse(messages::BAD_PIECE).await,
        Some(b) => match piece_kind(b) {
            Some((ext, _)) => Some((format!("justificatif-{}.{ext}", iso(day)), b.to_vec())),
            None => return refuse(messages::BAD_PIECE).await,
        },
    };
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let pupil = login_s.clone();
    state
        .store
        .write(move |w| {
            store::justify(
                w,
                &store::NewJustification {
                    pupil: &pupil,
                    day,
                    half,
                    motif: &motif,
                    message: &message,
                    piece,
                    by: &by,
                    at,
                },
            )
        })
        .await?;
    tracing::info!(by = %ctx.person.login, eleve = %login_s, "justification envoyée");
    Ok(see_other_with(
        &format!("/{ID}/eleve/{login_s}"),
        Ok(messages::JUSTIFIED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    quoi: String,
    #[serde(default)]
    jour: String,
    #[serde(default)]
    note: String,
}

/// `POST /vie-scolaire/eleve/{login}/suivi`: a contact with the family or a measure.
pub async fn follow_up(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<FollowUpForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let (ctx, p, _) = desk_pupil(&state, &m, &login).await?;
    let back = format!("/{ID}/eleve/{}", p.login);
    let (kind, means) = match f.quoi.split_once(':') {
        Some(("contact", m @ ("telephone" | "courrier" | "courriel" | "rencontre"))) => {
            ("contact", m)
        }
        Some(("mesure", "")) => ("mesure", ""),
        _ => {
            return Ok(see_other_with(
                &back,
                Err(messages::BAD_FOLLOW_UP.to_owned()),
            ));
        }
    };
    let note: String = f.note.trim().chars().take(1000).collect();
    let Some(day) = parse_iso(&f.jour).filter(|_| !note.is_empty()) else {
        return Ok(see_other_with(
            &back,
            Err(messages::BAD_FOLLOW_UP.to_owned()),
        ));
    };
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let (kind, means) = (kind.to_owned(), means.to_owned());
    state
        .store
        .write(move |w| store::add_follow_up(w, &pupil, &kind, day, &means, &note, &by, at))
        .await?;
    Ok(see_other_with(
        &back,
        Ok(messages::FOLLOW_UP_SAVED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    du_demi: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    au_demi: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    note: String,
}

/// `POST /vie-scolaire/eleve/{login}/absence`: an absence the family reported (a call, several
/// days), from a demi-journée to another, school days only; with a justifying motif it is
/// justified at once.
pub async fn report(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<ReportForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let (ctx, p, _) = desk_pupil(&state, &m, &login).await?;
    let back = format!("/{ID}/eleve/{}", p.login);
    let refuse = |msg: &str| Ok(see_other_with(&back, Err(msg.to_owned())));
    let (Some(from), Some(to)) = (parse_iso(&f.du), parse_iso(&f.au)) else {
        return refuse(messages::BAD_REPORT);
    };
    let (Some(first), Some(last)) = (Half::parse(&f.du_demi), Half::parse(&f.au_demi)) else {
        return refuse(messages::BAD_REPORT);
    };
    if (to, last) < (from, first) || (to - from).whole_days() > 31 {
        return refuse(messages::BAD_REPORT);
    }
    let calendar = state.store.read(|r| r.school_calendar()).await?;
    let mut halves = Vec::new();
    let mut d = from;
    while d <= to {
        if calendar.closed(d).is_none() {
            for h in [Half::Matin, Half::ApresMidi] {
                if (d, h) >= (from, first) && (d, h) <= (to, last) {
                    halves.push((d, h));
                }
            }
        }
        d += time::Duration::days(1);
    }
    if halves.is_empty() {
        return refuse(messages::BAD_REPORT);
    }
    let motifs = state.store.read(store::motifs).await?;
    let motif = motifs.into_iter().find(|x| x.code == f.motif);
    let note: String = f.note.trim().chars().take(500).collect();
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let n = state
        .store
        .write(move |w| {
            let n = store::report(w, &pupil, &halves, &note, &by, at)?;
            // A legitimate motif given by the family on the phone: justified at once.
            if let Some(m) = motif.filter(|m| m.justifies) {
                for (day, half) in &halves {
                    let id = store::justify(
                        w,
                        &store::NewJustification {
                            pupil: &pupil,
                            day: *day,
                            half: *half,
                            motif: &m.code,
                            message: &note,
                            piece: None,
                            by: &by,
                            at,
                        },
                    )?;
                    store::decide(w, id, JustState::Acceptee, &by, at)?;
                }
            }
            Ok(n)
        })
        .await?;
    Ok(see_other_with(&back, Ok(messages::reported_saved(n))))
}

/// `POST /vie-scolaire/eleve/{login}/courrier`: the letter to the family listing the
/// unjustified demi-journées, as PDF; the letter goes into the pupil's file.
pub async fn letter(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<cartable_web::pages::CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let (ctx, p, _) = desk_pupil(&state, &m, &login).await?;
    let halves = halves_of(&state, p.login.as_str()).await?;
    let lines: Vec<String> = halves
        .iter()
        .filter(|(_, v)| v.1 != Some(JustState::Acceptee))
        .map(|((day, half), (courses, _, _))| {
            format!(
                "{}, {} ({})",
                day_and_date(*day),
                half.label(),
                courses.join(", ")
            )
        })
        .collect();
    let etab = chrome(&state, Some(&m.me)).await?.etablissement;
    let day = today(&state);
    let name = p.display_name();
    let sections = vec![
        cartable_core::pdf::Section {
            heading: String::new(),
            paragraphs: messages::letter_body(&name),
        },
        cartable_core::pdf::Section {
            heading: messages::LETTER_LIST.to_owned(),
            paragraphs: if lines.is_empty() {
                vec![messages::LETTER_NONE.to_owned()]
            } else {
                lines.iter().map(|l| format!("- {l}")).collect()
            },
        },
    ];
    let pdf = cartable_core::pdf::document(
        &messages::letter_title(&name),
        &format!("{etab}, le {}", cartable_core::dates::long_date(day)),
        &sections,
    );
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let note = cartable_core::messages::count(
        lines.len(),
        "demi-journée non justifiée",
        "demi-journées non justifiées",
    );
    state
        .store
        .write(move |w| {
            store::add_follow_up(
                w,
                &pupil,
                "contact",
                day,
                "courrier",
                &format!("{} ({note})", messages::LETTER_SENT),
                &by,
                at,
            )
        })
        .await?;
    Ok(cartable_web::pages::pdf_response(
        &format!("courrier-absences-{}.pdf", p.login),
        pdf,
    ))
}

/// `GET /vie-scolaire/justification/{id}/piece`: for whoever sees the pupil's absences.
pub async fn piece(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let id = id.into_inner();
    let j = state
        .store
        .read(move |r| store::justification(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    seen_pupil(&state, &ctx, &j.pupil).await?;
    let (name, bytes) = state
        .store
        .read(move |r| store::piece(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let mime = piece_kind(&bytes).map_or("application/octet-stream", |(_, m)| m);
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
}

/// `POST /vie-scolaire/justification/{id}/decision`: accept or refuse; the family is told.
pub async fn decide(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    if !desk(&ctx) {
        return Err(WebError::Forbidden);
    }
    let accepted = match f.decision.as_str() {
        "accepter" => true,
        "refuser" => false,
        _ => return Err(WebError::BadRequest("decision".into())),
    };
    let id = id.into_inner();
    let j = state
        .store
        .read(move |r| store::justification(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let st = if accepted {
        JustState::Acceptee
    } else {
        JustState::Refusee
    };
    // The parents are told of the outcome in the decision's own transaction.
    let pupil = match Login::parse(&j.pupil) {
        Ok(login) => state.directory.person(&login).await?,
        Err(_) => None,
    };
    let notice = pupil.as_ref().map(|p| {
        let when = format!("{}, {}", day_and_date(j.day), j.half.label());
        Notice {
            kind: &DECISION_KIND,
            key: format!("vs:decision:{id}"),
            title: messages::decision_title(accepted, &p.display_name(), &when),
            body: String::new(),
            link: Some(format!("/{ID}/eleve/{}", p.login)),
        }
    });
    let who = match &pupil {
        Some(p) => Whom::ParentsOf(&p.login),
        None => Whom::Nobody,
    };
    let done = write_and_tell(&state, who, move |w| {
        let done = store::decide(w, id, st, &by, at)?;
        Ok((done, notice.filter(|_| done)))
    })
    .await?;
    if !done {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::ALREADY_DECIDED.to_owned()),
        ));
    }
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(if accepted {
            messages::ACCEPTED
        } else {
            messages::REFUSED
        }
        .to_owned()),
    ))
}

/// What the module holds about a person: a pupil's marks and justifications; what a parent
/// sent.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let (marks, justs) = state
        .store
        .read(move |r| {
            Ok((
                store::pupil_marks(r, Some(&login), None)?,
                store::justifications_of(r, &login)?,
            ))
        })
        .await?;
    Ok(serde_json::json!({
        "absences_retards": marks.iter().map(|pm| serde_json::json!({
            "jour": iso(pm.appel.day),
            "heure": hhmm(pm.appel.start),
            "matiere": pm.appel.subject,
            "quoi": pm.mark.kind.as_str(),
            "minutes": pm.mark.minutes,
            "remarque": pm.mark.note,
        })).collect::<Vec<_>>(),
        "justifications": justs.iter().map(|j| serde_json::json!({
            "jour": iso(j.day),
            "demi_journee": j.half.as_str(),
            "motif": j.motif,
            "message": j.message,
            "etat": j.state.as_str(),
        })).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::PupilMark;
    use time::macros::date;

    fn absent(pupil: &str, day: Date, start: u16) -> PupilMark {
        PupilMark {
            appel: Appel {
                id: 1,
                day,
                start,
                end: start + 55,
                audience: "6A".into(),
                is_group: false,
                subject: "Maths".into(),
                teacher: "t".into(),
                added: false,
                version: 1,
                taken_by: None,
                taken_at: None,
            },
            mark: Mark {
                pupil: pupil.into(),
                kind: MarkKind::Absent,
                minutes: None,
                note: String::new(),
            },
        }
    }

    fn just(pupil: &str, day: Date, half: Half, state: JustState) -> Justification {
        Justification {
            id: 1,
            pupil: pupil.into(),
            day,
            half,
            motif: "maladie".into(),
            message: String::new(),
            piece_name: None,
            sent_by: "p".into(),
            sent_at: 0,
            state,
            decided_at: None,
        }
    }

    #[test]
    fn demi_journees_count_once_and_accepted_ones_not_at_all() {
        let d1 = date!(2026 - 12 - 01);
        let d2 = date!(2026 - 12 - 02);
        let marks = vec![
            // Three courses of one morning: one demi-journée.
            absent("lea", d1, 8 * 60),
            absent("lea", d1, 9 * 60),
            absent("lea", d1, 10 * 60),
            // The afternoon: another.
            absent("lea", d1, 14 * 60),
            // The next morning, justified and accepted: not counted.
            absent("lea", d2, 8 * 60),
            // Refused or waiting: still unjustified.
            absent("lea", d2, 13 * 60),
            absent("tom", d2, 8 * 60),
        ];
        let justs = vec![
            just("lea", d2, Half::Matin, JustState::Acceptee),
            just("lea", d2, Half::ApresMidi, JustState::Refusee),
            just("tom", d2, Half::Matin, JustState::Attente),
        ];
        let reported = vec![("tom".to_owned(), d1, Half::ApresMidi, String::new())];
        let none = crate::counting::Excuses::default();
        let missed = crate::counting::missed(&none.counted(&marks), &reported);
        let n = crate::counting::count(
            crate::counting::Unit::DemiJournee,
            &missed,
            &crate::counting::decided(&justs),
            &|_, _, _| 0,
        );
        assert_eq!(n["lea"].unjustified, 3);
        assert_eq!(n["tom"].unjustified, 2);
    }
}
