//! « Signaler » (any member, about another's message: the forum's moderators are told), a
//! moderator's « Masquer » with a reason shown in the message's place, « Garder », and an
//! author deleting his own message.

use actix_web::{HttpResponse, web};
use cartable_core::dates::french_date_time;
use cartable_core::notify::Notice;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::rich_text;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::members::{labels, me, moderators, names};
use crate::model::{Member, Post, Subject};
use crate::pages::{now, visible_subject};
use crate::templates::{ReportView, ReportsPage};
use crate::{ID, REPORT_KIND, messages, store};

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    csrf: String,
    motif: Option<String>,
    confirmer: Option<String>,
}

/// The message `id` and its subject, if `who` sees the forum.
async fn visible_post(
    state: &AppState,
    who: &Member,
    id: i64,
) -> Result<(Post, Subject), WebError> {
    let p = state
        .store
        .read(move |r| store::post(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let s = visible_subject(state, who, p.subject).await?;
    Ok((p, s))
}

fn reason(f: &ReasonForm) -> String {
    f.motif
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(500)
        .collect()
}

fn back_to(p: &Post) -> String {
    format!("/{ID}/sujet/{}#message-{}", p.subject, p.id)
}

/// `POST /forums/message/{id}/signaler`.
pub async fn report(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReasonForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let (p, s) = visible_post(&state, &who, *id).await?;
    let why = reason(&f);
    if why.is_empty() {
        return Ok(see_other_with(
            &back_to(&p),
            Err(messages::NEED_REASON.into()),
        ));
    }
    let to = moderators(&state, &s.forum).await?;
    let label = labels(&state)
        .await?
        .get(&s.forum.key())
        .cloned()
        .unwrap_or(s.forum.key());
    let notice = Notice {
        kind: &REPORT_KIND,
        key: format!("forum-signalement-{}", p.id),
        title: messages::report_title(&label),
        body: why.clone(),
        link: Some(format!("/{ID}/signalements")),
    };
    let (pid, login, at) = (p.id, who.login.clone(), now(&state));
    let notifier = state.notifier.clone();
    let (new, told) = state
        .store
        .write(move |w| {
            let new = store::report(w, pid, &login, &why, at)?;
            let told = if new {
                notifier.write_in(w, &to, &notice)?
            } else {
                Default::default()
            };
            Ok((new, told))
        })
        .await?;
    state.notifier.woken(told);
    tracing::info!(by = %who.login, message = p.id, "message de forum signalé");
    Ok(see_other_with(
        &back_to(&p),
        Ok(if new {
            messages::REPORTED
        } else {
            messages::ALREADY_REPORTED
        }
        .into()),
    ))
}

/// `POST /forums/message/{id}/masquer`: a moderator hides it, saying why.
pub async fn hide(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReasonForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let (p, s) = visible_post(&state, &who, *id).await?;
    if !who.moderates(&s.forum) {
        return Err(WebError::Forbidden);
    }
    let why = reason(&f);
    if why.is_empty() {
        return Ok(see_other_with(
            &back_to(&p),
            Err(messages::NEED_REASON.into()),
        ));
    }
    let (pid, by, at) = (p.id, who.login.clone(), now(&state));
    state
        .store
        .write(move |w| store::hide(w, pid, &by, &why, at))
        .await?;
    tracing::info!(by = %who.login, message = p.id, "message de forum masqué");
    Ok(see_other_with(&back_to(&p), Ok(messages::HIDDEN.into())))
}

/// `POST /forums/message/{id}/supprimer`: its author's own, confirmed.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReasonForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let (p, _) = visible_post(&state, &who, *id).await?;
    if p.author != who.login {
        return Err(WebError::Forbidden);
    }
    if f.confirmer.as_deref() != Some("1") {
        return Ok(see_other_with(&back_to(&p), Err(messages::CONFIRM.into())));
    }
    let pid = p.id;
    state
        .store
        .write(move |w| store::delete_post(w, pid))
        .await?;
    Ok(see_other_with(&back_to(&p), Ok(messages::DELETED.into())))
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /forums/signalements`: the reports on the forums one moderates.
pub async fn reports(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    if !who.moderates_something() {
        return Err(WebError::Forbidden);
    }
    let all = state.store.read(store::open_reports).await?;
    let mine: Vec<_> = all
        .into_iter()
        .filter(|r| who.moderates(&r.forum))
        .collect();
    let names = names(
        &state,
        mine.iter()
            .flat_map(|r| [r.reporter.as_str(), r.post_author.as_str()]),
    )
    .await?;
    let labels = labels(&state).await?;
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ReportsPage {
        chrome: &chrome,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        csrf: m.me.csrf.clone(),
        reports: mine
            .iter()
            .map(|r| ReportView {
                id: r.id,
                post: r.post,
                subject: r.subject,
                forum: labels.get(&r.forum.key()).cloned().unwrap_or(r.forum.key()),
                author: names.get(&r.post_author).cloned().unwrap_or_default(),
                reporter: names.get(&r.reporter).cloned().unwrap_or_default(),
                reason: r.reason.clone(),
                when: french_date_time(r.created),
                html: rich_text::to_html(&r.post_body),
            })
            .collect(),
        nothing: messages::NO_REPORT,
    })
}

/// `POST /forums/signalement/{id}/garder`: the message stays; its reports are settled.
pub async fn keep(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReasonForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let rid = *id;
    let (post, forum, _) = state
        .store
        .read(move |r| store::report_forum(r, rid))
        .await?
        .ok_or(WebError::NotFound)?;
    if !who.sees(&forum) {
        return Err(WebError::NotFound);
    }
    if !who.moderates(&forum) {
        return Err(WebError::Forbidden);
    }
    let (by, at) = (who.login.clone(), now(&state));
    state
        .store
        .write(move |w| store::keep(w, post, &by, at))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/signalements"),
        Ok(messages::KEPT.into()),
    ))
}
