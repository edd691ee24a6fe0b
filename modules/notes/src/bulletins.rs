//! Bulletins: generated for a class (or every class) in one action, as drafts the direction
//! reads; published to pupils and parents from a day, then never changed (generating again
//! makes a new version, the old one stays in the archive). Parents download them from the
//! pupil's page.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{french_date_time, iso, long_date, parse_iso};
use cartable_core::directory::{ClassCode, ClassRef, DirectoryRead, Login, Profile};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::field;
use cartable_web::pages::{chrome, download_as, html, see_other_with, shown_err, shown_ok};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::bulletin_pdf::{BulletinData, pdf};
use crate::pages::{pupils, shown, today};
use crate::periods::{Period, year_start};
use crate::pupil_page::{figures, period_asked, tabs};
use crate::results::ClassResults;
use crate::store::bulletins::Bulletin;
use crate::templates::{BulletinRow, BulletinsPage, ClassBulletinsPage};
use crate::{BULLETINS, ID, SEE, SYNTHESE, messages, store};

#[derive(Deserialize)]
pub struct Query {
    #[serde(default)]
    periode: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// Makes the drafts of a class's bulletins for a period: one read of the class, the vie
/// scolaire's counts asked through the host, the PDFs drawn off the executor, one write.
/// Returns how many.
pub async fn generate(
    state: &AppState,
    class: &ClassRef,
    period: &Period,
    etablissement: &str,
    by: &str,
) -> Result<usize, WebError> {
    let list = pupils(state, class.code.as_str()).await?;
    if list.is_empty() {
        return Ok(0);
    }
    let logins: Vec<String> = list.iter().map(|p| p.login.to_string()).collect();
    let (code, from, to, pos) = (
        class.code.to_string(),
        period.first_day,
        period.last_day,
        period.position,
    );
    let l = logins.clone();
    let audiences = crate::course::of_class(state, class.code.as_str(), &list).await?;
    let (evaluations, levels, apps, conseils, versions) = state
        .store
        .read(move |r| {
            Ok((
                store::of_audiences(r, &audiences, from, to, None)?,
                store::skills::class_levels(r, &audiences, from, to, None)?,
                store::conseil::appreciations(r, pos, &l)?,
                store::conseil::conseils(r, pos, &l)?,
                store::bulletins::of_class(r, pos, &code)?,
            ))
        })
        .await?;
    let results = ClassResults::of(&evaluations);
    let teachers: BTreeSet<String> = results.teachers.values().flatten().cloned().collect();
    let names = cartable_web::people::names(state, teachers.into_iter()).await;
    let now = state.clock.now();
    let mut data = Vec::new();
    for p in &list {
        let login = p.login.to_string();
        let attendance =
            cartable_web::module::attendance(state, &login, period.first_day, period.last_day)
                .await
                .map(|a| a.sentence());
        let next = versions
            .iter()
            .filter(|b| b.pupil == login && b.published_from.is_some())
            .map(|b| b.version)
            .max()
            .unwrap_or(0)
            + 1;
        let c = conseils.get(&login).cloned().unwrap_or_default();
        data.push((
            login.clone(),
            BulletinData {
                etablissement: etablissement.to_owned(),
                year: messages::school_year(year_start(period.first_day).year()),
                period: format!("{}, {}", period.name(), period.span()),
                pupil: p.display_name(),
                class: class.label.clone(),
                subjects: results
                    .by_subject
                    .iter()
                    .map(|(s, f)| {
                        let who: Vec<String> = results
                            .teachers
                            .get(s)
                            .map(|t| {
                                t.iter()
                                    .map(|l| names.get(l).cloned().unwrap_or_else(|| l.clone()))
                                    .collect()
                            })
                            .unwrap_or_default();
                        (
                            s.clone(),
                            who.join(", "),
                            shown(results.of_pupil(&login, s)),
                            figures(f),
                            apps.get(&(login.clone(), s.clone()))
                                .cloned()
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                general: shown(results.general(&login)),
                class_general: shown(results.class_general().average),
                attendance,
                skills: crate::pupil_page::skill_lines(&levels, &login)
                    .into_iter()
                    .map(|(c, l, _)| (c, l))
                    .collect(),
                synthese: c.synthese,
                cpe: c.cpe,
                avis: c.avis,
                edition: messages::edition(&french_date_time(now.unix_timestamp()), next),
            },
        ));
    }
    let pdfs: Vec<(String, Vec<u8>)> = cartable_core::error::blocking(move || {
        Ok(data
            .into_iter()
            .map(|(l, d)| (l, pdf(&d)))
            .collect::<Vec<_>>())
    })
    .await?;
    let n = pdfs.len();
    let (code, by, at) = (class.code.to_string(), by.to_owned(), now.unix_timestamp());
    state
        .store
        .write(move |w| {
            for (pupil, bytes) in &pdfs {
                store::bulletins::put_draft(w, pos, &code, pupil, bytes, &by, at)?;
            }
            Ok(())
        })
        .await?;
    Ok(n)
}

async fn class_of(state: &AppState, ctx: &Me, code: &str) -> Result<ClassRef, WebError> {
    let code = ClassCode::parse(code).map_err(|_| WebError::NotFound)?;
    if !ctx.may(Action::Module(BULLETINS), &Target::Class(&code)) {
        return Err(WebError::NotFound);
    }
    state
        .directory
        .classes()
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(WebError::NotFound)
}

/// The state of a pupil's bulletins: the newest version's words.
fn state_of(list: &[&Bulletin]) -> String {
    match list.last() {
        None => messages::BULLETIN_NONE.to_owned(),
        Some(b) => match b.published_from {
            Some(d) => messages::bulletin_published(b.version, &long_date(d)),
            None => messages::bulletin_draft(b.version, &french_date_time(b.generated_at)),
        },
    }
}

/// `GET /notes/bulletins?periode=N`: every class, the state of its bulletins.
pub async fn all(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    ctx.require(Action::Module(BULLETINS), &Target::Etablissement)?;
    let (periods, period) = period_asked(&state, q.periode.as_deref()).await?;
    let classes = state.directory.classes().await?;
    let pos = period.position;
    let mut rows = Vec::new();
    for c in classes {
        let code = c.code.to_string();
        let list = state
            .store
            .read(move |r| store::bulletins::of_class(r, pos, &code))
            .await?;
        let drafts = list.iter().filter(|b| b.published_from.is_none()).count();
        let published: BTreeSet<&str> = list
            .iter()
            .filter(|b| b.published_from.is_some())
            .map(|b| b.pupil.as_str())
            .collect();
        rows.push(BulletinRow {
            href: format!("/{ID}/bulletins/{}?periode={pos}", c.code),
            name: c.label.clone(),
            state: messages::class_bulletins(published.len(), drafts),
            links: vec![(
                format!("/{ID}/conseil/{}?periode={pos}", c.code),
                messages::CONSEIL_LINK.to_owned(),
            )],
        });
    }
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&BulletinsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        period: format!("{}, {}", period.name(), period.span()),
        position: pos,
        tabs: tabs(&periods, &period, &format!("/{ID}/bulletins?")),
        rows,
    })
}

/// `POST /notes/bulletins/generer`: every class's drafts for the period.
pub async fn generate_all(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    ctx.require(Action::Module(BULLETINS), &Target::Etablissement)?;
    let (_, period) = period_asked(&state, Some(field(&f, "periode"))).await?;
    let etab = chrome(&state, Some(&m.me)).await?.etablissement;
    let mut n = 0;
    for c in state.directory.classes().await? {
        n += generate(&state, &c, &period, &etab, ctx.person.login.as_str()).await?;
    }
    tracing::info!(par = %ctx.person.login, bulletins = n, periode = period.position, "bulletins générés");
    Ok(see_other_with(
        &format!("/{ID}/bulletins?periode={}", period.position),
        Ok(messages::generated(n)),
    ))
}

#[allow(clippy::too_many_arguments)]
async fn class_page(
    state: &AppState,
    m: &InModule,
    class: &ClassRef,
    asked: Option<&str>,
    ok: Option<String>,
    err: Option<String>,
    publish_from: String,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (periods, period) = period_asked(state, asked).await?;
    let list = pupils(state, class.code.as_str()).await?;
    let (code, pos) = (class.code.to_string(), period.position);
    let all = state
        .store
        .read(move |r| store::bulletins::of_class(r, pos, &code))
        .await?;
    let mut by_pupil: BTreeMap<&str, Vec<&Bulletin>> = BTreeMap::new();
    for b in &all {
        by_pupil.entry(b.pupil.as_str()).or_default().push(b);
    }
    let rows = list
        .iter()
        .map(|p| {
            let mine = by_pupil.get(p.login.as_str()).cloned().unwrap_or_default();
            BulletinRow {
                href: format!("/{ID}/eleve/{}", p.login),
                name: p.display_name(),
                state: state_of(&mine),
                links: mine
                    .iter()
                    .rev()
                    .map(|b| {
                        (
                            format!("/{ID}/bulletin/{}", b.id),
                            messages::version_link(b.version, b.published_from.is_some()),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let drafts = all.iter().filter(|b| b.published_from.is_none()).count();
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut r = html(&ClassBulletinsPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        class: class.code.to_string(),
        label: class.label.clone(),
        period: format!("{}, {}", period.name(), period.span()),
        position: pos,
        tabs: tabs(
            &periods,
            &period,
            &format!("/{ID}/bulletins/{}?", class.code),
        ),
        rows,
        drafts,
        publish_from,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /notes/bulletins/{classe}?periode=N`.
pub async fn class(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let class = class_of(&state, &ctx, &code).await?;
    class_page(
        &state,
        &m,
        &class,
        q.periode.as_deref(),
        shown_ok(&q.ok),
        shown_err(&q.err),
        iso(today(&state)),
        StatusCode::OK,
    )
    .await
}

/// `POST /notes/bulletins/{classe}/generer`.
pub async fn generate_class(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let class = class_of(&state, &ctx, &code).await?;
    let (_, period) = period_asked(&state, Some(field(&f, "periode"))).await?;
    let etab = chrome(&state, Some(&m.me)).await?.etablissement;
    let n = generate(&state, &class, &period, &etab, ctx.person.login.as_str()).await?;
    tracing::info!(par = %ctx.person.login, classe = %class.code, bulletins = n, "bulletins générés");
    Ok(see_other_with(
        &format!("/{ID}/bulletins/{}?periode={}", class.code, period.position),
        Ok(messages::generated(n)),
    ))
}

/// `POST /notes/bulletins/{classe}/publier`: the class's drafts, seen by pupils and parents
/// from the day given; asks to confirm (a published bulletin never changes).
pub async fn publish(
    m: InModule,
    state: web::Data<AppState>,
    code: web::Path<String>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let ctx = Me::of(&state, &m.me).await?;
    let class = class_of(&state, &ctx, &code).await?;
    let asked = field(&f, "periode").to_owned();
    let (_, period) = period_asked(&state, Some(&asked)).await?;
    let typed = field(&f, "a_partir_du").to_owned();
    let refuse = |why: &str| {
        class_page(
            &state,
            &m,
            &class,
            Some(&asked),
            None,
            Some(why.to_owned()),
            typed.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(from) = parse_iso(&typed) else {
        return refuse(messages::BAD_PUBLISH_DAY).await;
    };
    if field(&f, "confirme") != "1" {
        return refuse(messages::CONFIRM_PUBLISH).await;
    }
    let (code, pos, by) = (
        class.code.to_string(),
        period.position,
        ctx.person.login.to_string(),
    );
    let n = state
        .store
        .write(move |w| store::bulletins::publish(w, pos, &code, from, &by))
        .await?;
    if n == 0 {
        return refuse(messages::NOTHING_TO_PUBLISH).await;
    }
    tracing::info!(par = %ctx.person.login, classe = %class.code, bulletins = n, "bulletins publiés");
    Ok(see_other_with(
        &format!("/{ID}/bulletins/{}?periode={}", class.code, period.position),
        Ok(messages::published(n, &long_date(from))),
    ))
}

/// `GET /notes/bulletin/{id}`: the PDF. The pupil and his parents get it once published and
/// its day come; his teachers once published; the direction and his PP drafts too.
pub async fn download(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    let id = id.into_inner();
    let (b, bytes) = state
        .store
        .read(move |r| store::bulletins::with_pdf(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let login = Login::parse(&b.pupil).map_err(|_| WebError::NotFound)?;
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
    let family =
        ctx.person.login == p.login || ctx.relations.children.iter().any(|c| c.login == p.login);
    let class = ClassCode::parse(&b.class).map_err(|_| WebError::NotFound)?;
    let staff_draft = ctx.may(Action::Module(BULLETINS), &Target::Class(&class))
        || ctx.may(Action::Module(SYNTHESE), &Target::Class(&class));
    let shown = match b.published_from {
        Some(d) => !family || d <= today(&state),
        None => staff_draft && !family,
    };
    if !shown {
        return Err(WebError::NotFound);
    }
    let name = messages::bulletin_file(&p.display_name(), b.period, b.version);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(download_as(&name))
        .body(bytes))
}
