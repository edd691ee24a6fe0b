//! The safety switches: sending suspended for a profile (or everyone but the staff), limits per
//! sender and hour with an alert to the RUPN, and « Signaler », which takes a message out of
//! its recipient's messagerie and shows it, with its context, to the RUPN and the direction —
//! the only messages the staff ever see of others.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{Person, Profile};
use cartable_core::notify::Notice;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok, when};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::rules::is_staff;
use crate::templates::{ReportItem, ReportsPage};
use crate::{ID, REPORT_KIND, REPORTS, messages, store};

/// What may be suspended: a profile, or everyone but the staff.
pub const SUSPENDABLE: &[&str] = &["eleve", "responsable", "enseignant", "tous"];

/// A sender's limits per hour (messages, people reached) unless the RUPN changed them.
pub fn default_limit(p: Profile) -> (i64, i64) {
    match p {
        Profile::Eleve => (10, 30),
        Profile::Responsable => (10, 60),
        Profile::Enseignant => (60, 1000),
        _ => (100, 5000),
    }
}

pub fn limit_of(p: Profile, set: &[(String, i64, i64)]) -> (i64, i64) {
    set.iter()
        .find(|(code, _, _)| code == p.as_str())
        .map(|(_, m, r)| (*m, *r))
        .unwrap_or_else(|| default_limit(p))
}

/// Why this person may not send now, if sending is suspended for him.
pub async fn suspended_for(state: &AppState, p: Profile) -> Result<Option<String>, WebError> {
    if is_staff(p) {
        return Ok(None);
    }
    let all = state.store.read(store::suspensions).await?;
    Ok(suspension_of(&all, p))
}

/// The same, from the suspensions already read.
pub fn suspension_of(all: &[(String, String, i64)], p: Profile) -> Option<String> {
    if is_staff(p) {
        return None;
    }
    all.iter()
        .find(|(who, _, _)| who == p.as_str() || who == "tous")
        .map(|(who, _, at)| {
            let since = cartable_core::dates::french_date_time(*at);
            messages::suspended(messages::suspension_who(who), &since)
        })
}

/// Refuses a send that would pass the sender's hourly limit (and tells the RUPN once an hour
/// per sender).
pub async fn over_limit(
    state: &AppState,
    sender: &Person,
    reaching: i64,
    now: i64,
) -> Result<Option<String>, WebError> {
    let login = sender.login.to_string();
    let (sent, limits) = state
        .store
        .read(move |r| Ok((store::sent_since(r, &login, now - 3600)?, store::limits(r)?)))
        .await?;
    let (max_messages, max_reached) = limit_of(sender.profile, &limits);
    let ((messages_sent, reached), _) = (sent, ());
    if messages_sent < max_messages && reached + reaching <= max_reached {
        return Ok(None);
    }
    let what = messages::limit_what(max_messages, max_reached);
    let until = cartable_core::dates::french_date_time(now + 3600);
    let text = messages::alert_text(&sender.display_name(), &what);
    let login = sender.login.to_string();
    let rupn = staff_of(state, &[Profile::Admin]).await?;
    let notifier = state.notifier.clone();
    let told = state
        .store
        .write(move |w| {
            if store::alert(w, &login, &text, now)? {
                let n = Notice {
                    kind: &crate::ALERT_KIND,
                    key: format!("msg:alerte:{login}:{}", now / 3600),
                    title: text.clone(),
                    body: String::new(),
                    link: Some(format!("/{ID}/regles")),
                };
                notifier.write_in(w, &rupn, &n)
            } else {
                Ok(Default::default())
            }
        })
        .await?;
    state.notifier.woken(told);
    tracing::warn!(expediteur = %sender.login, "messagerie : limite d'envoi atteinte");
    Ok(Some(messages::rate_limited(&what, &until)))
}

/// The active people of some profiles, as recipients.
async fn staff_of(
    state: &AppState,
    profiles: &[Profile],
) -> Result<Vec<cartable_core::notify::Recipient>, WebError> {
    use cartable_core::directory::{AccountState, DirectoryRead, PersonQuery};
    let mut out = Vec::new();
    for p in profiles {
        let found = state
            .directory
            .search(&PersonQuery {
                profile: Some(*p),
                state: Some(AccountState::Active),
                per_page: 200,
                ..PersonQuery::default()
            })
            .await?;
        out.extend(
            found
                .people
                .iter()
                .map(cartable_core::notify::Recipient::of),
        );
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    motif: String,
}

/// `POST /messagerie/message/{id}/signaler`: takes the message out of the recipient's
/// messagerie and tells the RUPN and the direction, with his motif.
pub async fn report(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReportForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = id.into_inner();
    let me = m.me.person.clone();
    let login = me.login.to_string();
    let held = state
        .store
        .read(move |r| store::open(r, &login, id))
        .await?
        .filter(|(_, role, _)| role != "de")
        .ok_or(WebError::NotFound)?;
    // The form on the message's page says what will happen; its motif is required.
    let reason: String = f.motif.trim().chars().take(1000).collect();
    if reason.is_empty() {
        return Ok(see_other_with(
            &format!("/{ID}/message/{id}"),
            Err(messages::NEED_REPORT_REASON.to_owned()),
        ));
    }
    tracing::debug!(sujet = %held.0.subject, "signalement");
    let at = state.clock.now().unix_timestamp();
    let to = staff_of(&state, &[Profile::Admin, Profile::Direction]).await?;
    let notifier = state.notifier.clone();
    let (login, name) = (me.login.to_string(), me.display_name());
    let (done, told) = state
        .store
        .write(move |w| {
            let Some(rid) = store::report(w, &login, id, &reason, at)? else {
                return Ok((false, Default::default()));
            };
            let n = Notice {
                kind: &REPORT_KIND,
                key: format!("msg:signalement:{rid}"),
                title: messages::report_title(&name),
                body: reason.clone(),
                link: Some(format!("/{ID}/signalements")),
            };
            Ok((true, notifier.write_in(w, &to, &n)?))
        })
        .await?;
    state.notifier.woken(told);
    if !done {
        return Err(WebError::NotFound);
    }
    tracing::warn!(par = %me.login, message = id, "message signalé");
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::REPORTED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// `GET /messagerie/signalements`: the reported messages, open ones first.
pub async fn reports(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    ctx.require(Action::Module(REPORTS), &Target::Etablissement)?;
    let mut all = state.store.read(|r| store::reports(r, false)).await?;
    all.sort_by_key(|r| (r.handled.is_some(), -r.at));
    let who = cartable_web::people::names(
        &state,
        all.iter().flat_map(|r| {
            [
                r.reporter.clone(),
                r.handled.as_ref().map(|h| h.0.clone()).unwrap_or_default(),
            ]
        }),
    )
    .await;
    let mut items = Vec::new();
    for r in all {
        let (thread, mid) = (r.message.thread, r.message.id);
        let (context, pieces) = state
            .store
            .read(move |x| Ok((store::context(x, thread, mid)?, store::pieces(x, mid)?)))
            .await?;
        let to: Vec<String> = r
            .message
            .addressees
            .iter()
            .map(|a| a.label.clone())
            .collect();
        items.push(ReportItem {
            id: r.id,
            when: when(r.at),
            reporter: who.get(&r.reporter).cloned().unwrap_or_default(),
            reason: r.reason,
            from: r.message.sender_name.clone(),
            to: to.join(", "),
            subject: r.message.subject.clone(),
            body: r.message.body.clone(),
            sent: r.message.sent_at.map(when).unwrap_or_default(),
            pieces: pieces
                .into_iter()
                .map(|p| {
                    (
                        p.id,
                        p.name,
                        cartable_core::files::quota::human(p.size as u64),
                    )
                })
                .collect(),
            context: context
                .into_iter()
                .map(|c| {
                    (
                        c.sender_name,
                        c.sent_at.map(when).unwrap_or_default(),
                        c.body,
                    )
                })
                .collect(),
            handled: r.handled.map(|(by, at)| {
                format!(
                    "Traité le {} par {}",
                    when(at),
                    who.get(&by).cloned().unwrap_or_default()
                )
            }),
        });
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ReportsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        reports: items,
    })
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /messagerie/signalement/{id}/traite`.
pub async fn handle(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    ctx.require(Action::Module(REPORTS), &Target::Etablissement)?;
    let id = id.into_inner();
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let done = state
        .store
        .write(move |w| store::handle_report(w, id, &by, at))
        .await?;
    if !done {
        return Err(WebError::NotFound);
    }
    Ok(see_other_with(
        &format!("/{ID}/signalements"),
        Ok(messages::REPORT_HANDLED.to_owned()),
    ))
}
