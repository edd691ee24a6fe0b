//! The forums one belongs to, a forum's subjects, a subject's messages; opening a subject,
//! replying; a moderator's pin, lock and delete. A refused form comes back as typed.

use actix_web::{HttpResponse, web};
use cartable_core::dates::french_date_time;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, refused_if, see_other_with, shown_err, shown_ok};
use cartable_web::rich_text;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;

use crate::members::{labels, me, names};
use crate::model::{Forum, Member, Subject};
use crate::templates::{ForumPage, ForumView, HomePage, PostView, SubjectPage, SubjectView};
use crate::{ID, messages, store};

/// Subjects listed in a forum (the newest by activity).
const SUBJECTS_SHOWN: usize = 200;
/// Messages in one subject at most.
pub const MAX_POSTS: i64 = 1000;

pub(crate) fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /forums`.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let forums = who.forums();
    let labels = labels(&state).await?;
    let list = forums.clone();
    let (activity, reports) = state
        .store
        .read(move |r| Ok((store::activity(r, &list)?, store::open_reports(r)?)))
        .await?;
    let mine = reports.iter().filter(|r| who.moderates(&r.forum)).count();
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&HomePage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        forums: forums
            .iter()
            .zip(activity)
            .map(|(f, (key, n, last))| ForumView {
                path: f.path(),
                label: labels.get(&key).cloned().unwrap_or(key),
                subjects: messages::subjects(n),
                last: last.map(french_date_time).unwrap_or_default(),
            })
            .collect(),
        reports: (mine > 0).then(|| messages::reports(mine)),
        nothing: messages::NO_FORUM,
    })
}

fn forum_of(kind: &str, code: &str, who: &Member) -> Result<Forum, WebError> {
    let f = Forum::from_path(kind, code).ok_or(WebError::NotFound)?;
    // A forum one is not in does not exist for him.
    if who.sees(&f) {
        Ok(f)
    } else {
        Err(WebError::NotFound)
    }
}

async fn forum_page(
    state: &AppState,
    m: &InModule,
    who: &Member,
    f: &Forum,
    flash: (Option<String>, Option<String>),
    typed: (String, String),
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let key = f.clone();
    let subjects = state
        .store
        .read(move |r| store::subjects(r, &key, SUBJECTS_SHOWN))
        .await?;
    let names = names(state, subjects.iter().map(|s| s.author.as_str())).await?;
    let label = labels(state)
        .await?
        .get(&f.key())
        .cloned()
        .unwrap_or(f.key());
    let chrome = chrome(state, Some(&m.me)).await?;
    Ok(refused_if(
        html(&ForumPage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            label,
            path: f.path(),
            subjects: subjects
                .iter()
                .map(|s| SubjectView {
                    id: s.id,
                    title: s.title.clone(),
                    author: names.get(&s.author).cloned().unwrap_or_default(),
                    posts: match s.posts {
                        1 => "1 message".into(),
                        n => format!("{n} messages"),
                    },
                    last: french_date_time(s.last),
                    pinned: s.pinned,
                    locked: s.locked,
                })
                .collect(),
            can_write: who.belongs(f) || who.moderates(f),
            title: typed.0,
            body: typed.1,
            nothing: messages::NO_SUBJECT,
        })?,
        refused,
    ))
}

/// `GET /forums/forum/{kind}/{code}`.
pub async fn forum(
    m: InModule,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let f = forum_of(&path.0, &path.1, &who)?;
    forum_page(
        &state,
        &m,
        &who,
        &f,
        (shown_ok(&q.ok), shown_err(&q.err)),
        Default::default(),
        false,
    )
    .await
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

fn body_refusal(body: &str) -> Option<&'static str> {
    if body.is_empty() {
        Some(messages::NEED_BODY)
    } else if body.chars().count() > rich_text::MAX_BODY {
        Some(messages::BODY_TOO_LONG)
    } else {
        None
    }
}

/// `POST /forums/forum/{kind}/{code}`: a new subject with its first message.
pub async fn open(
    m: InModule,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let forum = forum_of(&path.0, &path.1, &who)?;
    let title: String = field(&f, "titre").chars().take(200).collect();
    let body = field(&f, "texte").to_owned();
    let why = if title.is_empty() {
        Some(messages::NEED_TITLE)
    } else {
        body_refusal(&body)
    };
    if let Some(why) = why {
        let typed = (title, body);
        return forum_page(
            &state,
            &m,
            &who,
            &forum,
            (None, Some(why.into())),
            typed,
            true,
        )
        .await;
    }
    let (login, at, key) = (who.login.clone(), now(&state), forum.clone());
    let id = state
        .store
        .write(move |w| store::add_subject(w, &key, &title, &login, &body, at))
        .await?;
    tracing::info!(by = %who.login, sujet = id, forum = %forum.key(), "sujet ouvert");
    Ok(see_other_with(
        &format!("/{ID}/sujet/{id}"),
        Ok(messages::SUBJECT_OPENED.into()),
    ))
}

/// The subject `id` if `who` sees its forum.
pub(crate) async fn visible_subject(
    state: &AppState,
    who: &Member,
    id: i64,
) -> Result<Subject, WebError> {
    let s = state
        .store
        .read(move |r| store::subject(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if who.sees(&s.forum) {
        Ok(s)
    } else {
        Err(WebError::NotFound)
    }
}

async fn subject_page(
    state: &AppState,
    m: &InModule,
    who: &Member,
    s: &Subject,
    flash: (Option<String>, Option<String>),
    reply: String,
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let id = s.id;
    let posts = state.store.read(move |r| store::posts(r, id)).await?;
    let names = names(
        state,
        posts.iter().flat_map(|p| {
            std::iter::once(p.author.as_str()).chain(p.hidden.as_ref().map(|(by, _)| by.as_str()))
        }),
    )
    .await?;
    let moderator = who.moderates(&s.forum);
    let label = labels(state)
        .await?
        .get(&s.forum.key())
        .cloned()
        .unwrap_or(s.forum.key());
    let chrome = chrome(state, Some(&m.me)).await?;
    Ok(refused_if(
        html(&SubjectPage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            id: s.id,
            title: s.title.clone(),
            label,
            forum_path: s.forum.path(),
            pinned: s.pinned,
            locked: s.locked,
            moderator,
            can_reply: !s.locked && (who.belongs(&s.forum) || moderator),
            posts: posts
                .iter()
                .map(|p| PostView {
                    id: p.id,
                    author: names.get(&p.author).cloned().unwrap_or_default(),
                    when: french_date_time(p.created),
                    html: if p.deleted {
                        String::new()
                    } else {
                        rich_text::to_html(&p.body)
                    },
                    hidden: p.hidden.as_ref().map(|(by, why)| {
                        messages::hidden_by(&names.get(by).cloned().unwrap_or_default(), why)
                    }),
                    deleted: p.deleted,
                    mine: p.author == who.login,
                })
                .collect(),
            reply,
        })?,
        refused,
    ))
}

/// `GET /forums/sujet/{id}`.
pub async fn subject(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let s = visible_subject(&state, &who, *id).await?;
    subject_page(
        &state,
        &m,
        &who,
        &s,
        (shown_ok(&q.ok), shown_err(&q.err)),
        String::new(),
        false,
    )
    .await
}

/// `POST /forums/sujet/{id}/repondre`.
pub async fn reply(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let s = visible_subject(&state, &who, *id).await?;
    let body = field(&f, "texte").to_owned();
    let why = if s.locked {
        Some(messages::LOCKED)
    } else if s.posts >= MAX_POSTS {
        Some(messages::FULL)
    } else {
        body_refusal(&body)
    };
    if let Some(why) = why {
        return subject_page(&state, &m, &who, &s, (None, Some(why.into())), body, true).await;
    }
    let (login, at, sid) = (who.login.clone(), now(&state), s.id);
    // Locked between the read and now: the write checks again.
    let posted = state
        .store
        .write(move |w| {
            let still_open = store::subject(w, sid)?.is_some_and(|s| !s.locked);
            if still_open {
                store::add_post(w, sid, &login, &body, at).map(Some)
            } else {
                Ok(None)
            }
        })
        .await?;
    let back = format!("/{ID}/sujet/{sid}");
    Ok(see_other_with(
        &back,
        match posted {
            Some(_) => Ok(messages::REPLIED.into()),
            None => Err(messages::LOCKED.into()),
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// A moderator's action on a subject.
async fn moderated(
    m: &InModule,
    state: &AppState,
    id: i64,
    f: &CsrfForm,
) -> Result<(Member, Subject), WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(state, &m.me.person).await?;
    let s = visible_subject(state, &who, id).await?;
    if !who.moderates(&s.forum) {
        return Err(WebError::Forbidden);
    }
    Ok((who, s))
}

/// `POST /forums/sujet/{id}/epingler` (again: unpinned).
pub async fn pin(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    let (_, s) = moderated(&m, &state, *id, &f).await?;
    let (sid, on) = (s.id, !s.pinned);
    state
        .store
        .write(move |w| store::set_pinned(w, sid, on))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/sujet/{sid}"),
        Ok(if on {
            messages::PINNED
        } else {
            messages::UNPINNED
        }
        .into()),
    ))
}

/// `POST /forums/sujet/{id}/verrouiller` (again: unlocked).
pub async fn lock(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    let (_, s) = moderated(&m, &state, *id, &f).await?;
    let (sid, on) = (s.id, !s.locked);
    state
        .store
        .write(move |w| store::set_locked(w, sid, on))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/sujet/{sid}"),
        Ok(if on {
            messages::LOCKED_NOW
        } else {
            messages::UNLOCKED
        }
        .into()),
    ))
}

/// `POST /forums/sujet/{id}/supprimer`.
pub async fn delete_subject(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    let (who, s) = moderated(&m, &state, *id, &f).await?;
    let sid = s.id;
    state
        .store
        .write(move |w| store::delete_subject(w, sid))
        .await?;
    tracing::info!(by = %who.login, sujet = sid, "sujet supprimé");
    Ok(see_other_with(
        &s.forum.path(),
        Ok(messages::SUBJECT_DELETED.into()),
    ))
}

/// The portal tile: how many reports wait for a moderator, else the forums.
pub async fn tiles(
    state: &AppState,
    person: &cartable_core::directory::Person,
    rel: &cartable_core::directory::Relations,
) -> Result<Vec<Tile>, WebError> {
    let who = crate::members::member(state, person, rel);
    if who.forums().is_empty() && !who.moderates_all {
        return Ok(Vec::new());
    }
    let reports = state.store.read(store::open_reports).await?;
    let mine = reports.iter().filter(|r| who.moderates(&r.forum)).count();
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: if mine > 0 {
            messages::reports(mine)
        } else {
            messages::TILE.into()
        },
        href: if mine > 0 {
            format!("/{ID}/signalements")
        } else {
            format!("/{ID}")
        },
        icon: "forums",
    }])
}
