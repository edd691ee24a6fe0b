//! The module's pages: a week (mine, a child's, a class's), the management page (import,
//! weeks A/B), changes of one occurrence, and the iCal subscription.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{
    ClassCode, DirectoryRead, GroupCode, Login, Person, PersonQuery, Profile, Relations,
};
use cartable_web::error::WebError;
use cartable_web::module::{InModule, feed, form};
use cartable_web::notify::{About, Whom, write_and_tell};
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::{Me, existing_class, visible_person};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;
use time::{Date, Duration};

use crate::import::{self, Known, Problem};
use crate::model::{
    Audience, Change, ChangeKind, Course, NewCourse, Weeks, day_and_date, hhmm, iso, long_date,
    monday_of, parse_iso,
};
use crate::templates::{DayView, ManagePage, PlanRow, SlotView, Tab, WeekPage};
use crate::view::{Occurrence, Scope, kind_of, week as week_of, weeks};
use crate::{CHANGE, ID, MANAGE, SEE, SEE_CLASS, messages, store};

/// Today in France.
fn today(state: &AppState) -> Date {
    cartable_core::dates::today_in_france(state.clock.now())
}

async fn load(state: &AppState) -> Result<(Vec<Course>, Option<Date>), WebError> {
    Ok(state
        .store
        .read(|r| Ok((store::courses(r)?, store::reference_a(r)?)))
        .await?)
}

/// What weeks from `from` to `to` are made of — the courses, the A/B reference, the changes
/// and the school calendar — in one read (one trip to the store per page).
async fn weeks_data(state: &AppState, from: Date, to: Date) -> Result<WeeksData, WebError> {
    Ok(state
        .store
        .read(move |r| {
            Ok(WeeksData {
                courses: store::courses(r)?,
                reference: store::reference_a(r)?,
                changes: store::changes_between(r, from, to)?,
                calendar: r.school_calendar()?,
            })
        })
        .await?)
}

struct WeeksData {
    courses: Vec<Course>,
    reference: Option<Date>,
    changes: Vec<Change>,
    calendar: cartable_core::calendar::SchoolCalendar,
}

/// A pupil's class and groups; anyone else's own courses.
fn person_scope(person: &Person, rel: &Relations) -> Scope {
    match person.profile {
        Profile::Eleve => Scope {
            classes: rel.classes.iter().map(|c| c.code.to_string()).collect(),
            groups: rel.groups.iter().map(|g| g.code.to_string()).collect(),
            teacher: None,
        },
        _ => Scope {
            teacher: Some(person.login.to_string()),
            ..Scope::default()
        },
    }
}

/// A class and the groups its pupils are in.
async fn class_scope(state: &AppState, code: &ClassCode) -> Result<Scope, WebError> {
    let pupils = state
        .accounts()
        .list(PersonQuery {
            class: Some(code.clone()),
            profile: Some(Profile::Eleve),
            ..PersonQuery::default()
        })
        .await?;
    let mut groups = Vec::new();
    for p in &pupils {
        for g in state.directory.relations(&p.login).await?.groups {
            let g = g.code.to_string();
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    Ok(Scope {
        classes: vec![code.to_string()],
        groups,
        teacher: None,
    })
}

/// Everyone a person follows: himself, or each child for a parent.
async fn followed_scope(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Scope, WebError> {
    if person.profile != Profile::Responsable {
        return Ok(person_scope(person, rel));
    }
    let mut all = Scope::default();
    for child in &rel.children {
        let Some(p) = state.directory.person(&child.login).await? else {
            continue;
        };
        let s = person_scope(&p, &state.directory.relations(&child.login).await?);
        all.classes.extend(s.classes);
        all.groups.extend(s.groups);
    }
    Ok(all)
}

/// Names shown on the page: classes, groups, teachers.
struct Names {
    classes: HashMap<String, String>,
    groups: HashMap<String, String>,
    people: HashMap<String, String>,
}

impl Names {
    async fn load(state: &AppState, occurrences: &[Occurrence]) -> Result<Self, WebError> {
        let classes = state
            .directory
            .classes()
            .await?
            .into_iter()
            .map(|c| (c.code.to_string(), c.label))
            .collect();
        let groups = state
            .directory
            .groups()
            .await?
            .into_iter()
            .map(|g| (g.code.to_string(), g.label))
            .collect();
        let mut people = HashMap::new();
        for o in occurrences {
            for t in &o.course.teachers {
                if people.contains_key(t) {
                    continue;
                }
                let name = match Login::parse(t) {
                    Ok(l) => state
                        .directory
                        .person(&l)
                        .await?
                        .map(|p| format!("{} {}", p.given_name, p.family_name)),
                    Err(_) => None,
                };
                people.insert(t.clone(), name.unwrap_or_else(|| t.clone()));
            }
        }
        Ok(Self {
            classes,
            groups,
            people,
        })
    }

    fn audience(&self, a: &Audience) -> String {
        match a {
            Audience::Class(c) => self.classes.get(c).cloned().unwrap_or_else(|| c.clone()),
            Audience::Group(g) => self.groups.get(g).cloned().unwrap_or_else(|| g.clone()),
        }
    }

    fn teachers(&self, logins: &[String]) -> String {
        logins
            .iter()
            .map(|l| self.people.get(l).cloned().unwrap_or_else(|| l.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a change says, in the list at the top and in feeds.
fn describe(o: &Occurrence, names: &Names) -> Option<String> {
    let ch = o.change.as_ref()?;
    let when = format!("{}, {}", day_and_date(o.date), hhmm(o.course.start));
    let what = format!(
        "{} ({})",
        o.course.subject,
        names.audience(&o.course.audience)
    );
    let mut s = match &ch.kind {
        ChangeKind::Cancelled => format!("{when} : {what} annulé"),
        ChangeKind::Room(r) => format!("{when} : {what} en salle {r} au lieu de {}", o.course.room),
    };
    if !ch.note.is_empty() {
        s.push_str(" — ");
        s.push_str(&ch.note);
    }
    Some(s)
}

fn target_of<'a>(
    a: &'a Audience,
    class: &'a mut Option<ClassCode>,
    group: &'a mut Option<GroupCode>,
) -> Option<Target<'a>> {
    match a {
        Audience::Class(c) => {
            *class = ClassCode::parse(c).ok();
            class.as_ref().map(Target::Class)
        }
        Audience::Group(g) => {
            *group = GroupCode::parse(g).ok();
            group.as_ref().map(Target::Group)
        }
    }
}

fn may_change(ctx: &Me, c: &Course) -> bool {
    let (mut class, mut group) = (None, None);
    target_of(&c.audience, &mut class, &mut group)
        .is_some_and(|t| ctx.may(Action::Module(CHANGE), &t))
}

#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    semaine: Option<String>,
    enfant: Option<String>,
    classe: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

fn href(monday: Date, who: &str) -> String {
    let mut s = format!("/{ID}?semaine={}", iso(monday));
    if !who.is_empty() {
        s.push('&');
        s.push_str(who);
    }
    s
}

/// `GET /emploi-du-temps`: a week — mine, a child's (`enfant=`), a class's (`classe=`).
pub async fn week(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let today = today(&state);
    let this_monday = monday_of(today);
    let monday = match q.semaine.as_deref() {
        None | Some("") => this_monday,
        Some(d) => {
            monday_of(parse_iso(d).ok_or_else(|| WebError::BadRequest(format!("semaine={d}")))?)
        }
    };
    let mut tabs = Vec::new();
    // Staff who teach nothing (vie scolaire, direction…) open on the first class they see.
    let staff_not_teaching = !matches!(
        ctx.person.profile,
        Profile::Eleve | Profile::Responsable | Profile::Enseignant
    );
    let visible_classes: Vec<_> =
        if ctx.person.profile == Profile::Eleve || ctx.person.profile == Profile::Responsable {
            Vec::new()
        } else {
            state
                .directory
                .classes()
                .await?
                .into_iter()
                .filter(|c| ctx.may(Action::Module(SEE_CLASS), &Target::Class(&c.code)))
                .collect()
        };
    let classe = q.classe.clone().or_else(|| {
        (staff_not_teaching && q.enfant.is_none())
            .then(|| visible_classes.first().map(|c| c.code.to_string()))
            .flatten()
    });
    let (title, scope, who) = if let Some(code) = &classe {
        let class = existing_class(&state, code).await?;
        ctx.require(Action::Module(SEE_CLASS), &Target::Class(&class.code))?;
        (
            format!("Emploi du temps — {}", class.label),
            class_scope(&state, &class.code).await?,
            format!("classe={}", class.code),
        )
    } else if let Some(login) = &q.enfant {
        let (p, rel) = visible_person(&state, &ctx, login).await?;
        ctx.require(Action::Module(SEE), &Target::Person(&p, &rel))?;
        (
            format!(
                "Emploi du temps {}",
                cartable_core::messages::de(&p.display_name())
            ),
            person_scope(&p, &rel),
            format!("enfant={}", p.login),
        )
    } else if ctx.person.profile == Profile::Responsable {
        match ctx.relations.children.first() {
            Some(first) => {
                let (p, rel) = visible_person(&state, &ctx, first.login.as_str()).await?;
                (
                    format!(
                        "Emploi du temps {}",
                        cartable_core::messages::de(&p.display_name())
                    ),
                    person_scope(&p, &rel),
                    format!("enfant={}", p.login),
                )
            }
            None => (messages::TITLE.to_owned(), Scope::default(), String::new()),
        }
    } else {
        (
            messages::TITLE.to_owned(),
            person_scope(&ctx.person, &ctx.relations),
            String::new(),
        )
    };
    // Who else one can look at: each child; the classes one may see.
    if ctx.person.profile == Profile::Responsable {
        for c in &ctx.relations.children {
            let key = format!("enfant={}", c.login);
            tabs.push(Tab {
                label: c.display_name.clone(),
                href: href(monday, &key),
                current: who == key,
            });
        }
    } else if ctx.person.profile != Profile::Eleve {
        if !staff_not_teaching {
            tabs.push(Tab {
                label: "Mes cours".into(),
                href: href(monday, ""),
                current: who.is_empty(),
            });
        }
        for c in &visible_classes {
            let key = format!("classe={}", c.code);
            tabs.push(Tab {
                label: c.label.clone(),
                href: href(monday, &key),
                current: who == key,
            });
        }
    }

    let WeeksData {
        courses,
        reference,
        changes: ch,
        calendar,
    } = weeks_data(&state, monday, monday + Duration::days(6)).await?;
    // No course on a day off (school holidays, public holidays): `calendar`.
    let occurrences: Vec<_> = week_of(&courses, &ch, &scope, monday, reference)
        .into_iter()
        .filter(|o| calendar.day_off(o.date).is_none())
        .collect();
    let names = Names::load(&state, &occurrences).await?;
    let last_day = if occurrences.iter().any(|o| o.course.day == 6) {
        6
    } else {
        5
    };
    let days = (1..=last_day)
        .map(|d| {
            let date = monday + Duration::days(i64::from(d) - 1);
            DayView {
                label: day_and_date(date),
                date: iso(date),
                off: calendar.day_off(date),
                slots: occurrences
                    .iter()
                    .filter(|o| o.date == date)
                    .map(|o| SlotView {
                        id: o.course.id,
                        time: format!("{} – {}", hhmm(o.course.start), hhmm(o.course.end)),
                        subject: o.course.subject.clone(),
                        audience: names.audience(&o.course.audience),
                        teachers: names.teachers(&o.course.teachers),
                        room: o.room().to_owned(),
                        old_room: match o.change.as_ref().map(|c| &c.kind) {
                            Some(ChangeKind::Room(_)) => Some(o.course.room.clone()),
                            _ => None,
                        },
                        cancelled: o.cancelled(),
                        note: o
                            .change
                            .as_ref()
                            .map(|c| c.note.clone())
                            .unwrap_or_default(),
                        can_change: may_change(&ctx, &o.course),
                    })
                    .collect(),
            }
        })
        .collect();
    let kind = match kind_of(monday, reference) {
        Weeks::A => "Semaine A",
        Weeks::B => "Semaine B",
        Weeks::Every => "Semaine",
    };
    let has_feed = feed::exists(&state, ID, &ctx.person.login).await?;
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&WeekPage {
        chrome: &chrome,
        title,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        tabs,
        week_label: format!("{kind} du {}", long_date(monday)),
        prev: href(monday - Duration::weeks(1), &who),
        next: href(monday + Duration::weeks(1), &who),
        current: href(this_monday, &who),
        is_current: monday == this_monday,
        changes: occurrences
            .iter()
            .filter_map(|o| describe(o, &names))
            .collect(),
        empty: if courses.is_empty() {
            Some(messages::NO_TIMETABLE)
        } else if (1..=5).all(|d| calendar.day_off(monday + Duration::days(d - 1)).is_some()) {
            Some(messages::HOLIDAYS_THIS_WEEK)
        } else if occurrences.is_empty() && !scope.is_empty() {
            Some(messages::NOTHING_THIS_WEEK)
        } else {
            None
        },
        days,
        csrf: m.me.csrf.clone(),
        back: href(monday, &who),
        has_feed,
        can_manage: ctx.may(Action::Module(MANAGE), &Target::Etablissement),
    })
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    csrf: String,
    cours: i64,
    date: String,
    action: String,
    #[serde(default)]
    salle: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    retour: String,
}

/// `POST /emploi-du-temps/changement`: cancel one occurrence, move it, or put it back.
pub async fn change(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<ChangeForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    let (courses, _) = load(&state).await?;
    let course = courses
        .into_iter()
        .find(|c| c.id == f.cours)
        .ok_or(WebError::NotFound)?;
    if !may_change(&ctx, &course) {
        return Err(WebError::Forbidden);
    }
    let date = parse_iso(&f.date)
        .filter(|d| d.weekday().number_from_monday() == course.day)
        .ok_or_else(|| WebError::BadRequest("date".into()))?;
    // Back to the page the form was on, never elsewhere.
    let back = if f.retour.starts_with(&format!("/{ID}?")) || f.retour == format!("/{ID}") {
        f.retour.clone()
    } else {
        format!("/{ID}?semaine={}", iso(monday_of(date)))
    };
    let note: String = f.note.trim().chars().take(200).collect();
    let room = f.salle.trim().chars().take(40).collect::<String>();
    let kind = match f.action.as_str() {
        "annuler" => Some(ChangeKind::Cancelled),
        "salle" if !room.is_empty() => Some(ChangeKind::Room(room)),
        "salle" => return Ok(see_other_with(&back, Err(messages::BAD_CHANGE.into()))),
        "retablir" => None,
        _ => return Err(WebError::BadRequest("action".into())),
    };
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let id = course.id;
    let message = match kind {
        Some(kind) => {
            let msg = match kind {
                ChangeKind::Cancelled => messages::CANCELLED,
                ChangeKind::Room(_) => messages::ROOM_CHANGED,
            };
            let room = match &kind {
                ChangeKind::Room(r) => Some(r.clone()),
                ChangeKind::Cancelled => None,
            };
            let ch = Change {
                course_id: id,
                date,
                kind,
                note: note.clone(),
            };
            // Those who follow the course are told (once per course, day and change), in the
            // change's own transaction.
            let when = format!("{} à {}", day_and_date(date), hhmm(course.start));
            let notice = cartable_core::notify::Notice {
                kind: &crate::CHANGE_KIND,
                key: format!(
                    "edt:{id}:{}:{}",
                    iso(date),
                    room.as_deref()
                        .map_or("annule".to_owned(), |r| format!("salle-{r}"))
                ),
                title: messages::change_title(room.is_none(), &course.subject, &when),
                body: messages::change_body(room.as_deref(), &note),
                link: Some(format!("/{ID}?semaine={}", iso(monday_of(date)))),
            };
            let about = match &course.audience {
                crate::model::Audience::Class(c) => About::Class(c),
                crate::model::Audience::Group(g) => About::Group(g),
            };
            write_and_tell(&state, Whom::PupilsAndParents(about), move |w| {
                store::set_change(w, &ch, &by, at)?;
                Ok(((), Some(notice)))
            })
            .await?;
            msg
        }
        None => {
            state
                .store
                .write(move |w| store::clear_change(w, id, date))
                .await?;
            messages::RESTORED
        }
    };
    tracing::info!(by = %ctx.person.login, course = id, date = %iso(date), "{message}");
    Ok(see_other_with(&back, Ok(message.into())))
}

/// `GET /emploi-du-temps/ical/{token}.ics`: the owner's courses from last week to nine
/// weeks ahead. Unknown address, disabled account or module closed to the profile: 404.
pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let person = feed::owner(&state, ID, &token).await?;
    let rel = state.directory.relations(&person.login).await?;
    let scope = followed_scope(&state, &person, &rel).await?;
    let from = monday_of(today(&state)) - Duration::weeks(1);
    let WeeksData {
        courses,
        reference,
        changes: ch,
        calendar,
    } = weeks_data(&state, from, from + Duration::weeks(10)).await?;
    let occurrences: Vec<_> = weeks(&courses, &ch, &scope, from, 10, reference)
        .into_iter()
        .filter(|o| calendar.day_off(o.date).is_none())
        .collect();
    let names = Names::load(&state, &occurrences).await?;
    let events: Vec<import::ical::FeedEvent> = occurrences
        .iter()
        .map(|o| import::ical::FeedEvent {
            uid: format!("edt-{}-{}@cartable", o.course.id, iso(o.date)),
            date: o.date,
            start: o.course.start,
            end: o.course.end,
            summary: format!(
                "{} — {}",
                o.course.subject,
                names.audience(&o.course.audience)
            ),
            location: o.room().to_owned(),
            description: describe(o, &names).unwrap_or_else(|| names.teachers(&o.course.teachers)),
            cancelled: o.cancelled(),
        })
        .collect();
    let body = import::ical::feed(
        &format!("Emploi du temps — {}", person.display_name()),
        &events,
    );
    Ok(feed::calendar(body))
}

#[derive(Debug, Deserialize)]
pub struct ManageQuery {
    ok: Option<String>,
    err: Option<String>,
}

async fn targets(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let mut out: Vec<(String, String)> = state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect();
    out.extend(
        state
            .directory
            .groups()
            .await?
            .into_iter()
            .map(|g| (g.code.to_string(), g.label)),
    );
    Ok(out)
}

/// Courses and weekly hours (A / B) per class or group.
fn plan(courses: &[NewCourse]) -> Vec<(String, usize, String)> {
    let mut by: BTreeMap<String, (usize, u32, u32)> = BTreeMap::new();
    for c in courses {
        let key = match &c.audience {
            Audience::Class(k) | Audience::Group(k) => k.clone(),
        };
        let e = by.entry(key).or_default();
        let minutes = u32::from(c.end - c.start);
        e.0 += 1;
        if c.weeks.in_week(Weeks::A) {
            e.1 += minutes;
        }
        if c.weeks.in_week(Weeks::B) {
            e.2 += minutes;
        }
    }
    // « 27 h 30 », as a timetable says it (never « 27,5 h » or « 0,9166… h »).
    let h = |m: u32| match m % 60 {
        0 => format!("{} h", m / 60),
        r => format!("{} h {r:02}", m / 60),
    };
    by.into_iter()
        .map(|(k, (n, a, b))| (k, n, format!("{} / {}", h(a), h(b))))
        .collect()
}

async fn manage_page(
    state: &AppState,
    m: &InModule,
    ok: Option<String>,
    err: Option<String>,
    problems: Vec<String>,
    planned: Vec<(String, usize, String)>,
) -> Result<HttpResponse, WebError> {
    let (courses, reference) = load(state).await?;
    let targets = targets(state).await?;
    // Each class or group by its label (« 3e A », « Allemand 3e »), its code kept for tests.
    let plan = planned
        .into_iter()
        .map(|(code, n, hours)| PlanRow {
            label: targets
                .iter()
                .find(|(c, _)| c == &code)
                .map_or_else(|| code.clone(), |(_, l)| l.clone()),
            code,
            courses: n,
            hours,
        })
        .collect();
    let chrome = chrome(state, Some(&m.me)).await?;
    html(&ManagePage {
        chrome: &chrome,
        ok,
        err,
        problems,
        plan,
        courses: courses.len(),
        targets,
        reference: reference.map(iso).unwrap_or_default(),
        csrf: m.me.csrf.clone(),
    })
}

async fn may_manage(state: &AppState, m: &InModule) -> Result<(), WebError> {
    Me::of(state, &m.me)
        .await?
        .require(Action::Module(MANAGE), &Target::Etablissement)
}

/// `GET /emploi-du-temps/gerer`.
pub async fn manage(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<ManageQuery>,
) -> Result<HttpResponse, WebError> {
    may_manage(&state, &m).await?;
    let (courses, _) = load(&state).await?;
    let current: Vec<NewCourse> = courses
        .into_iter()
        .map(|c| NewCourse {
            day: c.day,
            start: c.start,
            end: c.end,
            weeks: c.weeks,
            subject: c.subject,
            teachers: c.teachers,
            audience: c.audience,
            room: c.room,
        })
        .collect();
    manage_page(
        &state,
        &m,
        shown_ok(&q.ok),
        shown_err(&q.err),
        Vec::new(),
        plan(&current),
    )
    .await
}

/// What the annuaire knows, to match an import against.
async fn known(state: &AppState) -> Result<Known, WebError> {
    let staff = state.accounts().list(PersonQuery::default()).await?;
    Ok(Known {
        teachers: staff
            .into_iter()
            .filter(|p| !matches!(p.profile, Profile::Eleve | Profile::Responsable))
            .map(|p| (p.login.to_string(), p.family_name, p.given_name))
            .collect(),
        classes: state
            .directory
            .classes()
            .await?
            .into_iter()
            .map(|c| c.code.to_string())
            .collect(),
        groups: state
            .directory
            .groups()
            .await?
            .into_iter()
            .map(|g| (g.code.to_string(), g.label))
            .collect(),
    })
}

/// `POST /emploi-du-temps/importer` (multipart: csrf, format, cible, mode, fichier):
/// checks the whole file, then — if asked and nothing is wrong — replaces the timetable.
pub async fn import(
    req: HttpRequest,
    m: InModule,
    state: web::Data<AppState>,
    body: web::Payload,
) -> Result<HttpResponse, WebError> {
    may_manage(&state, &m).await?;
    let parts = form::read(&req, body, &m.me.csrf, 2 << 20, messages::TOO_BIG).await?;
    let text = |k: &str| parts.get(k).map(|p| p.text()).unwrap_or_default();
    let Some(file) = parts.get("fichier").filter(|p| !p.bytes.is_empty()) else {
        return manage_page(
            &state,
            &m,
            None,
            Some(messages::NO_FILE.into()),
            vec![],
            vec![],
        )
        .await;
    };
    let file_name = file.file_name.clone().unwrap_or_else(|| "fichier".into());
    let (_, reference) = load(&state).await?;
    // A CSV is the whole timetable; an iCalendar file, one class's or group's.
    let mut only: Option<Audience> = None;
    let parsed = match text("format").as_str() {
        "csv" => import::csv::parse(&file.bytes),
        "ical" => {
            let target = text("cible");
            let known = known(&state).await?;
            if target.is_empty() {
                return manage_page(
                    &state,
                    &m,
                    None,
                    Some(messages::NO_TARGET.into()),
                    vec![],
                    vec![],
                )
                .await;
            }
            let is_class = known.classes.contains(&target);
            let (class, group) = if is_class {
                (target.as_str(), "")
            } else {
                ("", target.as_str())
            };
            only = Some(if is_class {
                Audience::Class(target.clone())
            } else {
                Audience::Group(target.clone())
            });
            import::ical::parse(&file.bytes, class, group, reference).map(|(c, _)| c)
        }
        _ => {
            return manage_page(
                &state,
                &m,
                None,
                Some(messages::BAD_FORMAT.into()),
                vec![],
                vec![],
            )
            .await;
        }
    };
    let resolved = match parsed {
        Ok(raw) => import::resolve(raw, &known(&state).await?),
        Err(p) => Err(p),
    };
    let courses = match resolved {
        Ok(c) => c,
        Err(problems) => {
            let n = problems.len();
            return manage_page(
                &state,
                &m,
                None,
                Some(messages::refused(&file_name, n)),
                problems.iter().map(Problem::to_string).collect(),
                vec![],
            )
            .await;
        }
    };
    let planned = plan(&courses);
    let targets = planned.len();
    if text("mode") != "importer" {
        return manage_page(
            &state,
            &m,
            Some(messages::checked(courses.len(), targets)),
            None,
            vec![],
            planned,
        )
        .await;
    }
    let n = state
        .store
        .write(move |w| match &only {
            Some(who) => store::replace_audience(w, who, &courses),
            None => store::replace_all(w, &courses),
        })
        .await?;
    tracing::info!(by = %m.me.person.login, courses = n, file = %file_name, "emploi du temps importé");
    manage_page(
        &state,
        &m,
        Some(messages::imported(n, targets)),
        None,
        vec![],
        planned,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct ReferenceForm {
    csrf: String,
    date: String,
}

/// `POST /emploi-du-temps/semaine-a`.
pub async fn set_reference(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<ReferenceForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    may_manage(&state, &m).await?;
    let back = format!("/{ID}/gerer");
    let Some(d) = parse_iso(&f.date) else {
        return Ok(see_other_with(&back, Err(messages::BAD_DATE.into())));
    };
    let monday = monday_of(d);
    state
        .store
        .write(move |w| store::set_reference_a(w, monday))
        .await?;
    Ok(see_other_with(&back, Ok(messages::REFERENCE_SET.into())))
}

/// The portal tile, with this week's changes for the person (or their children).
pub async fn tiles(
    state: &AppState,
    person: &Person,
    rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    let scope = followed_scope(state, person, rel).await?;
    let monday = monday_of(today(state));
    let WeeksData {
        courses,
        reference,
        changes: ch,
        ..
    } = weeks_data(state, monday, monday + Duration::days(6)).await?;
    let changed = week_of(&courses, &ch, &scope, monday, reference)
        .iter()
        .filter(|o| o.change.is_some())
        .count();
    let description = if changed > 0 {
        messages::changes_this_week(changed)
    } else if courses.is_empty() && matches!(person.profile, Profile::Admin | Profile::Direction) {
        messages::TILE_MANAGE.to_owned()
    } else if person.profile == Profile::Responsable {
        messages::TILE_CHILDREN.to_owned()
    } else {
        messages::TILE_MINE.to_owned()
    };
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description,
        href: format!("/{ID}"),
        icon: "emploi-du-temps",
    }])
}

/// What the module holds about a person: whether they have an iCal address, and the
/// changes they entered.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let login = person.login.to_string();
    let feed = feed::exists(state, ID, &person.login).await?;
    let entered = state
        .store
        .read(move |r| store::changes_by(r, &login))
        .await?;
    Ok(serde_json::json!({
        "abonnement_ical": feed,
        "changements_saisis": entered
            .iter()
            .map(|(course, date, kind)| serde_json::json!({"cours": course, "date": date, "changement": kind}))
            .collect::<Vec<_>>(),
    }))
}
