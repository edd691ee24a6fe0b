//! The cahier de textes' pages: a pupil's work to do and séances (for himself, his parents,
//! his teachers), a class's cahier (its teachers write, the professeur principal and the
//! direction read it whole and export it), attachments.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{
    day_and_date, day_name, hhmm, iso, long_date, parse_iso, today_in_france,
};
use cartable_core::directory::{
    ClassCode, DirectoryRead, GroupCode, Login, Person, Profile, Relations,
};
use cartable_core::files::ops::{self, Space};
use cartable_core::files::{RelPath, SafeName, Tree};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::notify::{self, About};
use cartable_web::pages::{chrome, html, pdf_response, see_other_with, shown_err, shown_ok};
use cartable_web::policy::{Me, visible_person};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;
use time::{Date, Duration};

use crate::model::{Audience, Draft, Seance, Travail, parse_school_year, school_year};
use crate::store::{self, Filter};
use crate::templates::{ClassPage, DueDay, DueItem, FormState, HomePage, Link, SeanceView, Tab};
use crate::{ID, READ_CLASS, SEE, WRITE, messages};

fn today(state: &AppState) -> Date {
    today_in_france(state.clock.now())
}

/// A class or group code as the annuaire knows it, with its label.
async fn audience_of(state: &AppState, code: &str) -> Result<(Audience, String), WebError> {
    if let Some(c) = state
        .directory
        .classes()
        .await?
        .into_iter()
        .find(|c| c.code.as_str() == code)
    {
        return Ok((Audience::Class(c.code.to_string()), c.label));
    }
    if let Some(g) = state
        .directory
        .groups()
        .await?
        .into_iter()
        .find(|g| g.code.as_str() == code)
    {
        return Ok((Audience::Group(g.code.to_string()), g.label));
    }
    Err(WebError::NotFound)
}

/// Whether the policy grants `action` on a class or group.
fn may(ctx: &Me, action: &'static str, a: &Audience) -> bool {
    match a {
        Audience::Class(c) => {
            ClassCode::parse(c).is_ok_and(|c| ctx.may(Action::Module(action), &Target::Class(&c)))
        }
        Audience::Group(g) => {
            GroupCode::parse(g).is_ok_and(|g| ctx.may(Action::Module(action), &Target::Group(&g)))
        }
    }
}

async fn names<'a>(
    state: &AppState,
    logins: impl Iterator<Item = &'a String>,
) -> HashMap<String, String> {
    cartable_web::people::names(state, logins.cloned()).await
}

fn travail_line(t: &Travail) -> String {
    let mut s = format!("{} : {}", day_and_date(t.due), t.text);
    if let Some(m) = t.minutes {
        s.push_str(&format!(" (environ {m} min)"));
    }
    s
}

fn view(s: &Seance, names: &HashMap<String, String>, today: Date, me: &str) -> SeanceView {
    SeanceView {
        id: s.id,
        date: day_and_date(s.date),
        subject: s.subject.clone(),
        teacher: names.get(&s.teacher).cloned().unwrap_or_default(),
        title: s.title.clone(),
        content: s.content.clone(),
        travail: s.travail.as_ref().map(travail_line),
        pieces: s.pieces.iter().map(|p| (p.id, p.name.clone())).collect(),
        pending: (!s.published(today)).then(|| day_and_date(s.publish_on)),
        mine: s.teacher == me && s.school_year == school_year(today),
    }
}

/// A pupil's classes and groups.
fn audiences(rel: &Relations) -> Vec<String> {
    rel.classes
        .iter()
        .map(|c| c.code.to_string())
        .chain(rel.groups.iter().map(|g| g.code.to_string()))
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    enfant: Option<String>,
}

/// `GET /cahier-de-textes`.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let today = today(&state);
    let mut tabs = Vec::new();
    let mut classes = Vec::new();
    // Whose work: mine as a pupil, a child's, or a pupil a member of staff may see.
    let pupil = if ctx.person.profile == Profile::Eleve {
        Some((ctx.person.clone(), ctx.relations.clone()))
    } else if let Some(login) = q.enfant.clone().or_else(|| {
        (ctx.person.profile == Profile::Responsable)
            .then(|| ctx.relations.children.first().map(|c| c.login.to_string()))
            .flatten()
    }) {
        let (p, rel) = visible_person(&state, &ctx, &login).await?;
        ctx.require(Action::Module(SEE), &Target::Person(&p, &rel))?;
        Some((p, rel))
    } else {
        None
    };
    if ctx.person.profile == Profile::Responsable {
        for c in &ctx.relations.children {
            tabs.push(Tab {
                label: c.display_name.clone(),
                href: format!("/{ID}?enfant={}", c.login),
                current: pupil.as_ref().is_some_and(|(p, _)| p.login == c.login),
            });
        }
    }
    if !matches!(ctx.person.profile, Profile::Eleve | Profile::Responsable) {
        let mut seen = BTreeSet::new();
        let all_classes = state.directory.classes().await?;
        for c in &all_classes {
            let a = Audience::Class(c.code.to_string());
            if (may(&ctx, WRITE, &a) || may(&ctx, READ_CLASS, &a))
                && seen.insert(c.code.to_string())
            {
                classes.push(Link {
                    label: c.label.clone(),
                    href: format!("/{ID}/classe/{}", c.code),
                });
            }
        }
        for g in &ctx.relations.groups {
            let a = Audience::Group(g.code.to_string());
            if may(&ctx, WRITE, &a) && seen.insert(g.code.to_string()) {
                classes.push(Link {
                    label: g.label.clone(),
                    href: format!("/{ID}/classe/{}", g.code),
                });
            }
        }
    }
    let (title, due, subjects) = match &pupil {
        Some((p, rel)) => {
            let auds = audiences(rel);
            let (a2, year) = (auds.clone(), school_year(today));
            let (due, all) = state
                .store
                .read(move |r| {
                    Ok((
                        store::due_between(r, &auds, today, today + Duration::days(14))?,
                        store::seances(
                            r,
                            &Filter {
                                audiences: a2,
                                teacher: None,
                                school_year: Some(year),
                            },
                        )?,
                    ))
                })
                .await?;
            let due: Vec<Seance> = due.into_iter().filter(|s| s.published(today)).collect();
            let all: Vec<Seance> = all.into_iter().filter(|s| s.published(today)).collect();
            let n = names(&state, all.iter().chain(&due).map(|s| &s.teacher)).await;
            let mut by_day: BTreeMap<Date, Vec<DueItem>> = BTreeMap::new();
            for s in &due {
                if let Some(t) = &s.travail {
                    by_day.entry(t.due).or_default().push(DueItem {
                        id: s.id,
                        subject: s.subject.clone(),
                        text: t.text.clone(),
                        minutes: t.minutes,
                        given: day_and_date(s.date),
                        pieces: s.pieces.iter().map(|p| (p.id, p.name.clone())).collect(),
                    });
                }
            }
            let due = by_day
                .into_iter()
                .map(|(d, items)| DueDay {
                    date: iso(d),
                    label: day_and_date(d),
                    items,
                })
                .collect();
            let mut by_subject: BTreeMap<String, Vec<SeanceView>> = BTreeMap::new();
            for s in &all {
                by_subject
                    .entry(s.subject.clone())
                    .or_default()
                    .push(view(s, &n, today, ""));
            }
            let title = if p.login == ctx.person.login {
                messages::TITLE.to_owned()
            } else {
                format!(
                    "Cahier de textes {}",
                    cartable_core::messages::de(&p.display_name())
                )
            };
            // Shown open: the subjects with a séance this past week (else the latest one's).
            let week_ago = today - Duration::days(7);
            let recent: BTreeSet<String> = all
                .iter()
                .filter(|s| s.date >= week_ago)
                .map(|s| s.subject.clone())
                .collect();
            let latest = all
                .iter()
                .max_by_key(|s| (s.date, s.id))
                .map(|s| s.subject.clone());
            let subjects = by_subject
                .into_iter()
                .map(|(subject, seances)| {
                    let open = recent.contains(&subject)
                        || (recent.is_empty() && latest.as_deref() == Some(subject.as_str()));
                    (subject, seances, open)
                })
                .collect();
            (title, due, subjects)
        }
        None => (messages::TITLE.to_owned(), Vec::new(), Vec::new()),
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&HomePage {
        chrome: &chrome,
        title,
        tabs,
        classes,
        pupil_view: pupil.is_some(),
        due,
        nothing_due: messages::NOTHING_DUE,
        subjects,
        no_seance: messages::NO_SEANCE,
        nothing_to_read: messages::NOTHING_TO_READ,
    })
}

#[derive(Debug, Deserialize)]
pub struct ClassQuery {
    seance: Option<i64>,
    /// `<day>-<start>` of one of the teacher's courses: the form is filled for it.
    cours: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// The files a teacher may attach: his space's files, at its root and one folder down.
async fn own_files(state: &AppState, login: &Login) -> Vec<String> {
    let root = Tree::new(&state.config.files.root).perso(login);
    tokio::task::spawn_blocking(move || {
        let space = Space {
            root: &root,
            owner: None,
        };
        let mut out = Vec::new();
        let Ok(top) = ops::list(&space, &RelPath::default()) else {
            return out;
        };
        for e in top {
            if !e.is_dir {
                out.push(e.name.clone());
            } else if let Ok(rel) = RelPath::parse(&e.name)
                && let Ok(inner) = ops::list(&space, &rel)
            {
                out.extend(
                    inner
                        .into_iter()
                        .filter(|f| !f.is_dir)
                        .map(|f| format!("{}/{}", e.name, f.name)),
                );
            }
            if out.len() >= 200 {
                break;
            }
        }
        out
    })
    .await
    .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn render_class(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    audience: &Audience,
    label: &str,
    form: FormState,
    ok: Option<String>,
    err: Option<String>,
) -> Result<HttpResponse, WebError> {
    let today = today(state);
    let year = school_year(today);
    let can_write = may(ctx, WRITE, audience);
    let can_read_all = may(ctx, READ_CLASS, audience);
    if !can_write && !can_read_all {
        return Err(WebError::Forbidden);
    }
    let me = ctx.person.login.to_string();
    let code = audience.code().to_owned();
    let filter = Filter {
        audiences: vec![code.clone()],
        teacher: (!can_read_all).then(|| me.clone()),
        school_year: None,
    };
    let all = state
        .store
        .read(move |r| store::seances(r, &filter))
        .await?;
    let past_years: Vec<String> = all
        .iter()
        .map(|s| s.school_year.clone())
        .filter(|y| *y != year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    let current: Vec<Seance> = all.into_iter().filter(|s| s.school_year == year).collect();
    let n = names(state, current.iter().map(|s| &s.teacher)).await;
    let subjects: Vec<String> = ctx
        .relations
        .teachings
        .iter()
        .filter(|t| t.class.code.as_str() == code)
        .flat_map(|t| t.subjects.clone())
        .collect();
    let files = if can_write {
        own_files(state, &ctx.person.login).await
    } else {
        Vec::new()
    };
    let courses = if can_write {
        let teacher = me.clone();
        state
            .store
            .read(move |r| r.courses_of(&teacher))
            .await?
            .into_iter()
            .filter(|c| c.audience == code)
            .map(|c| {
                (
                    format!("{} {} — {}", day_name(c.day), hhmm(c.start), c.subject),
                    format!("/{ID}/classe/{code}?cours={}-{}", c.day, c.start),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let chrome = chrome(state, Some(&m.me)).await?;
    html(&ClassPage {
        chrome: &chrome,
        title: format!("Cahier de textes — {label}"),
        code,
        year,
        past_years,
        ok,
        err,
        can_write,
        can_export: can_read_all && matches!(audience, Audience::Class(_)),
        form,
        subjects,
        files,
        courses,
        seances: current.iter().map(|s| view(s, &n, today, &me)).collect(),
        csrf: m.me.csrf.clone(),
    })
}

/// `GET /cahier-de-textes/classe/{code}` (a class or a group).
pub async fn class_page(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<ClassQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let (audience, label) = audience_of(&state, &code).await?;
    let today = today(&state);
    let mut form = FormState {
        date: iso(today),
        publish: iso(today),
        ..FormState::default()
    };
    if let Some((day, start)) = q.cours.as_deref().and_then(|c| c.split_once('-')) {
        let (day, start): (u8, u16) = (
            day.parse().map_err(|_| WebError::NotFound)?,
            start.parse().map_err(|_| WebError::NotFound)?,
        );
        let teacher = ctx.person.login.to_string();
        let course = state
            .store
            .read(move |r| r.courses_of(&teacher))
            .await?
            .into_iter()
            .find(|c| c.audience == audience.code() && c.day == day && c.start == start)
            .ok_or(WebError::NotFound)?;
        // Its latest occurrence: today, or the last such weekday before.
        let mut date = today;
        while date.weekday().number_from_monday() != course.day {
            date -= Duration::days(1);
        }
        form.subject = course.subject;
        form.date = iso(date);
        form.publish = iso(date);
    }
    if let Some(id) = q.seance {
        let s = state
            .store
            .read(move |r| store::seance(r, id))
            .await?
            .filter(|s| s.teacher == ctx.person.login.as_str() && s.audience == audience)
            .ok_or(WebError::NotFound)?;
        form = FormState {
            id: Some(s.id),
            subject: s.subject.clone(),
            date: iso(s.date),
            title: s.title.clone(),
            content: s.content.clone(),
            travail: s
                .travail
                .as_ref()
                .map(|t| t.text.clone())
                .unwrap_or_default(),
            due: s.travail.as_ref().map(|t| iso(t.due)).unwrap_or_default(),
            minutes: s
                .travail
                .as_ref()
                .and_then(|t| t.minutes)
                .map(|m| m.to_string())
                .unwrap_or_default(),
            publish: iso(s.publish_on),
        };
    }
    render_class(
        &state,
        &m,
        &ctx,
        &audience,
        &label,
        form,
        shown_ok(&q.ok),
        shown_err(&q.err),
    )
    .await
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.as_str())
}

/// The folder of a séance's attachments, beside the spaces (kept by backups, not shared
/// over SMB).
fn pieces_dir(state: &AppState, seance: i64) -> PathBuf {
    state.config.files.root.join(ID).join(seance.to_string())
}

/// Copies one of the teacher's files as an attachment; returns its name and size.
async fn attach(
    state: &AppState,
    login: &Login,
    seance: i64,
    rel: &str,
) -> Result<(String, u64), String> {
    let rel_path = RelPath::parse_visible(rel).map_err(|e| e.to_string())?;
    let name = rel_path
        .components()
        .last()
        .map(|n| n.as_str().to_owned())
        .ok_or("nom vide")?;
    SafeName::parse(&name).map_err(|e| e.to_string())?;
    let root = Tree::new(&state.config.files.root).perso(login);
    let dir = pieces_dir(state, seance);
    let max = state.config.files.max_upload;
    let n = name.clone();
    tokio::task::spawn_blocking(move || {
        let mut from = ops::open_file(
            &Space {
                root: &root,
                owner: None,
            },
            &rel_path,
        )
        .map_err(|e| e.to_string())?;
        if from.metadata().map_err(|e| e.to_string())?.len() > max {
            return Err("fichier trop gros".to_owned());
        }
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let to = dir.join(&n);
        let mut out = std::fs::File::create(&to).map_err(|e| e.to_string())?;
        let size = std::io::copy(&mut from, &mut out).map_err(|e| e.to_string())?;
        out.sync_all().map_err(|e| e.to_string())?;
        Ok((n, size))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// `POST /cahier-de-textes/seance`: a new séance, or an edit of one's own.
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let (audience, label) = audience_of(&state, field(&f, "classe")).await?;
    if !may(&ctx, WRITE, &audience) {
        return Err(WebError::Forbidden);
    }
    let today = today(&state);
    let id: Option<i64> = field(&f, "id").parse().ok();
    let back = FormState {
        id,
        subject: field(&f, "matiere").trim().to_owned(),
        date: field(&f, "date").to_owned(),
        title: field(&f, "titre").trim().to_owned(),
        content: field(&f, "contenu").trim().to_owned(),
        travail: field(&f, "travail").trim().to_owned(),
        due: field(&f, "pour").to_owned(),
        minutes: field(&f, "minutes").trim().to_owned(),
        publish: field(&f, "publier").to_owned(),
    };
    let refuse = |msg: &str, back: FormState| {
        let msg = msg.to_owned();
        let (state, m, ctx, audience, label) = (&state, &m, &ctx, &audience, &label);
        async move { render_class(state, m, ctx, audience, label, back, None, Some(msg)).await }
    };
    if let Some(id) = id {
        let existing = state
            .store
            .read(move |r| store::seance(r, id))
            .await?
            .ok_or(WebError::NotFound)?;
        if existing.teacher != ctx.person.login.as_str() {
            return refuse(messages::NOT_YOURS, back).await;
        }
        if existing.school_year != school_year(today) {
            return refuse(messages::ARCHIVED, back).await;
        }
    }
    let Some(date) = parse_iso(&back.date) else {
        return refuse(messages::BAD_DATE, back).await;
    };
    // A past school year is archived: nothing is added to it.
    if school_year(date) != school_year(today) {
        return refuse(messages::ARCHIVED, back).await;
    }
    if back.subject.is_empty() {
        return refuse(messages::NEED_SUBJECT, back).await;
    }
    if back.content.is_empty() {
        return refuse(messages::NEED_CONTENT, back).await;
    }
    let publish_on = if back.publish.is_empty() {
        date.min(today)
    } else {
        match parse_iso(&back.publish) {
            Some(d) => d,
            None => return refuse(messages::BAD_DATE, back).await,
        }
    };
    let travail = if back.travail.is_empty() {
        None
    } else {
        let Some(due) = parse_iso(&back.due) else {
            return refuse(messages::BAD_DATE, back).await;
        };
        if due < date {
            return refuse(messages::DUE_BEFORE, back).await;
        }
        // No work is due on a day without school.
        let calendar = state.store.read(|r| r.school_calendar()).await?;
        if let Some(why) = calendar.closed(due) {
            return refuse(&messages::due_on_day_off(&day_and_date(due), &why), back).await;
        }
        let minutes = if back.minutes.is_empty() {
            None
        } else {
            match back.minutes.parse::<u16>() {
                Ok(m @ 1..=600) => Some(m),
                _ => return refuse(messages::BAD_MINUTES, back).await,
            }
        };
        Some(Travail {
            due,
            text: back.travail.clone(),
            minutes,
        })
    };
    let draft = Draft {
        audience: audience.clone(),
        subject: back.subject.clone(),
        date,
        title: back.title.clone(),
        content: back.content.clone(),
        publish_on,
        travail,
    };
    let teacher = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let told = draft
        .travail
        .clone()
        .filter(|_| draft.publish_on <= today)
        .map(|t| (t, draft.subject.clone()));
    // Work published today is told to the class and its families once (an edit is not news),
    // in the session's own transaction.
    let about = match &audience {
        Audience::Class(c) => About::Class(c),
        Audience::Group(g) => About::Group(g),
    };
    let who = if told.is_some() {
        notify::Whom::PupilsAndParents(about)
    } else {
        notify::Whom::Nobody
    };
    let saved = notify::write_and_tell(&state, who, move |w| {
        let saved = store::save(w, id, &teacher, &draft, at)?;
        let notice = told.map(|(t, subject)| cartable_core::notify::Notice {
            kind: &crate::WORK_KIND,
            key: format!("cdt:{saved}"),
            title: messages::work_title(&subject, &day_and_date(t.due)),
            body: t.text,
            link: Some(format!("/{ID}")),
        });
        Ok((saved, notice))
    })
    .await?;
    let mut outcome = Ok(messages::SAVED.to_owned());
    for (k, rel) in f.iter() {
        if k != "piece" {
            continue;
        }
        match attach(&state, &ctx.person.login, saved, rel).await {
            Ok((name, size)) => {
                state
                    .store
                    .write(move |w| store::add_piece(w, saved, &name, size))
                    .await?;
            }
            Err(why) => outcome = Err(messages::piece_failed(rel, &why)),
        }
    }
    tracing::info!(by = %ctx.person.login, seance = saved, classe = %audience.code(), "séance enregistrée");
    Ok(see_other_with(
        &format!("/{ID}/classe/{}", audience.code()),
        outcome,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /cahier-de-textes/seance/{id}/supprimer`: one's own, this year's.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    let id = *id;
    let s = state
        .store
        .read(move |r| store::seance(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if !may(&ctx, WRITE, &s.audience) || s.teacher != ctx.person.login.as_str() {
        return Err(WebError::Forbidden);
    }
    let back = format!("/{ID}/classe/{}", s.audience.code());
    if s.school_year != school_year(today(&state)) {
        return Ok(see_other_with(&back, Err(messages::ARCHIVED.into())));
    }
    state.store.write(move |w| store::delete(w, id)).await?;
    let dir = pieces_dir(&state, id);
    let _ = tokio::task::spawn_blocking(move || std::fs::remove_dir_all(dir)).await;
    Ok(see_other_with(&back, Ok(messages::DELETED.into())))
}

/// Whether the person may read this séance: its author, those who write or read the class's
/// cahier, and — once published — its pupils and their parents.
async fn may_read(state: &AppState, ctx: &Me, s: &Seance) -> Result<bool, WebError> {
    if s.teacher == ctx.person.login.as_str()
        || may(ctx, WRITE, &s.audience)
        || may(ctx, READ_CLASS, &s.audience)
    {
        return Ok(true);
    }
    if !s.published(today(state)) {
        return Ok(false);
    }
    let code = s.audience.code();
    if audiences(&ctx.relations).iter().any(|a| a == code) {
        return Ok(true);
    }
    for c in &ctx.relations.children {
        let rel = state.directory.relations(&c.login).await?;
        if audiences(&rel).iter().any(|a| a == code) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `GET /cahier-de-textes/piece/{id}`: an attachment, to whoever may read its séance.
pub async fn piece(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let id = *id;
    let (seance, name) = state
        .store
        .read(move |r| store::piece(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let s = state
        .store
        .read(move |r| store::seance(r, seance))
        .await?
        .ok_or(WebError::NotFound)?;
    if !may_read(&state, &ctx, &s).await? {
        return Err(WebError::NotFound);
    }
    let path = pieces_dir(&state, seance).join(&name);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|_| WebError::NotFound)?
        .map_err(|_| WebError::NotFound)?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                cartable_web::pages::encode_query(&name)
            ),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    annee: Option<String>,
}

/// `GET /cahier-de-textes/classe/{code}/pdf?annee=`: a class's cahier for a school year,
/// oldest séance first — the official record.
pub async fn pdf(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<PdfQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let (audience, label) = audience_of(&state, &code).await?;
    if !matches!(audience, Audience::Class(_)) {
        return Err(WebError::NotFound);
    }
    if !may(&ctx, READ_CLASS, &audience) {
        return Err(WebError::Forbidden);
    }
    let today = today(&state);
    let year = match q.annee.as_deref() {
        None | Some("") => school_year(today),
        Some(a) => parse_school_year(a)
            .ok_or_else(|| WebError::BadRequest(format!("annee={}", a.escape_debug())))?,
    };
    let filter = Filter {
        audiences: vec![audience.code().to_owned()],
        teacher: None,
        school_year: Some(year.clone()),
    };
    let mut all = state
        .store
        .read(move |r| store::seances(r, &filter))
        .await?;
    all.reverse();
    let n = names(&state, all.iter().map(|s| &s.teacher)).await;
    let sections: Vec<cartable_core::pdf::Section> = all
        .iter()
        .map(|s| {
            let mut paragraphs = Vec::new();
            if !s.title.is_empty() {
                paragraphs.push(s.title.clone());
            }
            paragraphs.push(s.content.clone());
            if let Some(t) = &s.travail {
                paragraphs.push(format!("Travail pour le {}", travail_line(t)));
            }
            if !s.pieces.is_empty() {
                paragraphs.push(format!(
                    "Pièces jointes : {}",
                    s.pieces
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            cartable_core::pdf::Section {
                heading: format!(
                    "{} — {} — {}",
                    day_and_date(s.date),
                    s.subject,
                    n.get(&s.teacher).cloned().unwrap_or_default()
                ),
                paragraphs,
            }
        })
        .collect();
    let etab = chrome(&state, None).await?.etablissement;
    let bytes = cartable_core::pdf::document(
        &format!("Cahier de textes — {label}"),
        &format!(
            "{etab} — année {year} — {} — édité le {}",
            cartable_core::messages::count(all.len(), "séance", "séances"),
            long_date(today)
        ),
        &sections,
    );
    tracing::info!(by = %ctx.person.login, classe = %audience.code(), annee = %year, "cahier de textes exporté");
    Ok(pdf_response(
        &format!("cahier-de-textes-{}-{year}.pdf", audience.code()),
        bytes,
    ))
}

/// The portal tile: for a pupil (or a parent), what is due tomorrow.
pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let today = today(state);
    let tomorrow = today + Duration::days(1);
    let description = match person.profile {
        Profile::Eleve | Profile::Responsable => {
            let mut auds = audiences(rel);
            for c in &rel.children {
                auds.extend(audiences(&state.directory.relations(&c.login).await?));
            }
            let due = state
                .store
                .read(move |r| store::due_between(r, &auds, tomorrow, tomorrow))
                .await?
                .into_iter()
                .filter(|s| s.published(today))
                .count();
            if due > 0 {
                messages::due_tomorrow(due)
            } else if person.profile == Profile::Eleve {
                messages::TILE_PUPIL.to_owned()
            } else {
                messages::TILE_PARENT.to_owned()
            }
        }
        Profile::Enseignant => messages::TILE_TEACHER.to_owned(),
        _ => messages::TILE_READER.to_owned(),
    };
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description,
        href: format!("/{ID}"),
        icon: "cahier-de-textes",
    }])
}

/// What the module holds about a person: the séances they wrote.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let filter = Filter {
        audiences: Vec::new(),
        teacher: Some(person.login.to_string()),
        school_year: None,
    };
    let mine = state
        .store
        .read(move |r| store::seances(r, &filter))
        .await?;
    Ok(serde_json::json!({
        "seances_ecrites": mine.iter().map(|s| serde_json::json!({
            "date": iso(s.date),
            "classe_ou_groupe": s.audience.code(),
            "matiere": s.subject,
            "titre": s.title,
            "contenu": s.content,
        })).collect::<Vec<_>>(),
    }))
}
