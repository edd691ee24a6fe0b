//! Punitions and sanctions on a pupil's page: given by teachers, CPE and direction
//! (punitions) or by the direction (sanctions); the retenue's attendance checked by the vie
//! scolaire; the family told each time.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::dates::{day_and_date, hhmm, parse_iso, parse_time};
use cartable_core::directory::{Person, Relations};
use cartable_core::notify::Notice;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::notify::{Whom, write_and_tell};
use cartable_web::pages::see_other_with;
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::discipline::{self, NewPunition, Retenue, SANCTIONS, Sanction};
use crate::pages::{Typed, desk, names, pupil_for_discipline, render_pupil, today};
use crate::templates::{Discipline, PunitionItem, SanctionItem};
use crate::{DISCIPLINE_KIND, ID, PUNISH, SANCTION, SEE, messages};

/// How long before the sanction the facts may have been told (a term).
const HEARD_WITHIN_DAYS: i64 = 90;
const MAX_TEXT: usize = 2000;

/// What the pupil's page shows of his discipline, to whom.
pub async fn view(
    state: &AppState,
    ctx: &Me,
    p: &Person,
    rel: &Relations,
) -> Result<Discipline, WebError> {
    let target = Target::Person(p, rel);
    let may_punish = ctx.may(Action::Module(PUNISH), &target);
    let sees = ctx.may(Action::Module(SEE), &target);
    if !may_punish && !sees {
        return Ok(Discipline::default());
    }
    let login = p.login.to_string();
    let (all_types, types, punitions, sanctions) = state
        .store
        .read(move |r| {
            Ok((
                discipline::all_punition_types(r)?,
                discipline::punition_types(r)?,
                discipline::punitions_of(r, &login)?,
                discipline::sanctions_of(r, &login)?,
            ))
        })
        .await?;
    let by = names(
        state,
        punitions
            .iter()
            .map(|x| x.given_by.clone())
            .chain(sanctions.iter().map(|s| s.decided_by.clone())),
    )
    .await;
    let checker = desk(ctx);
    let label = |code: &str| {
        all_types
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.label.clone())
            .unwrap_or(code.to_owned())
    };
    Ok(Discipline {
        shown: true,
        punitions: punitions
            .iter()
            .map(|x| PunitionItem {
                id: x.id,
                when: day_and_date(x.day),
                label: label(&x.kind),
                reason: if x.report.is_empty() {
                    x.reason.clone()
                } else {
                    format!("{} — rapport : {}", x.reason, x.report)
                },
                by: by.get(&x.given_by).cloned().unwrap_or_default(),
                retenue: x.retenue.as_ref().map(|r| {
                    format!(
                        "le {}, {} – {}, surveillée par {}",
                        day_and_date(r.day),
                        hhmm(r.start),
                        hhmm(r.end),
                        r.supervisor
                    )
                }),
                attended: match x.attended {
                    Some(true) => "présent".to_owned(),
                    Some(false) => "absent".to_owned(),
                    None => "à vérifier".to_owned(),
                },
                checkable: checker && x.retenue.is_some(),
            })
            .collect(),
        sanctions: sanctions
            .iter()
            .map(|s| SanctionItem {
                id: s.id,
                when: day_and_date(s.day),
                what: sanction_text(s),
                reason: s.reason.clone(),
                by: {
                    let who = by.get(&s.decided_by).cloned().unwrap_or_default();
                    if s.by_council {
                        messages::by_council(&who)
                    } else {
                        who
                    }
                },
                heard: contradictoire(s),
            })
            .collect(),
        may_punish,
        may_sanction: ctx.may(Action::Module(SANCTION), &target),
        types: types
            .into_iter()
            .map(|t| (t.code, t.label, t.retenue, t.report))
            .collect(),
        scale: SANCTIONS
            .iter()
            .map(|k| (k.code, k.label, k.unit.map_or("", |u| u.0)))
            .collect(),
        typed_punition: Default::default(),
        typed_sanction: Default::default(),
    })
}

/// A refused punition or sanction: the pupil's page again (422), with what was typed.
async fn refused(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    (p, rel): (&Person, &Relations),
    typed: Typed,
    why: &str,
) -> Result<HttpResponse, WebError> {
    render_pupil(
        state,
        m,
        ctx,
        p,
        rel,
        typed,
        None,
        Some(why.to_owned()),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// « Faits notifiés à l'élève et à sa famille le lundi 30 novembre ; observations : … ».
fn contradictoire(s: &Sanction) -> String {
    match (s.heard, s.observations.is_empty()) {
        (None, _) => messages::HEARD_UNKNOWN.to_owned(),
        (Some(h), true) => messages::heard(&day_and_date(h), None),
        (Some(h), false) => messages::heard(&day_and_date(h), Some(&s.observations)),
    }
}

fn sanction_text(s: &Sanction) -> String {
    let k = discipline::sanction_kind(&s.kind);
    let mut out = k.map_or(s.kind.clone(), |k| k.label.to_owned());
    if let (Some(n), Some(k)) = (s.length, k)
        && let Some((unit, _)) = k.unit
    {
        out.push_str(&format!(" de {n} {unit}"));
    }
    match (s.sursis.as_str(), s.sursis_days) {
        ("total", _) => out.push_str(", avec sursis total"),
        ("partiel", Some(d)) => out.push_str(&format!(", dont {d} jours avec sursis")),
        _ => {}
    }
    out
}

/// What the pupil and his family are told of a punition or sanction (written with it).
fn family_notice(pupil: &str, key: String, title: String, body: String) -> Notice {
    Notice {
        kind: &DISCIPLINE_KIND,
        key,
        title,
        body,
        link: Some(format!("/{ID}/eleve/{pupil}")),
    }
}

#[derive(Deserialize)]
pub struct PunitionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    punition: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    rapport: String,
    #[serde(default)]
    retenue_jour: String,
    #[serde(default)]
    retenue_debut: String,
    #[serde(default)]
    retenue_fin: String,
    #[serde(default)]
    surveillant: String,
}

/// `POST /vie-scolaire/eleve/{login}/punition`.
pub async fn punish(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<PunitionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    let (p, rel) = pupil_for_discipline(&state, &ctx, &login).await?;
    if !ctx.may(Action::Module(PUNISH), &Target::Person(&p, &rel)) {
        return Err(WebError::Forbidden);
    }
    let back = format!("/{ID}/eleve/{}", p.login);
    let typed = Typed {
        punition: [
            f.punition.clone(),
            f.motif.clone(),
            f.rapport.clone(),
            f.retenue_jour.clone(),
            f.retenue_debut.clone(),
            f.retenue_fin.clone(),
            f.surveillant.clone(),
        ],
        ..Typed::default()
    };
    let refuse = |why: &'static str| refused(&state, &m, &ctx, (&p, &rel), typed.clone(), why);
    let types = state.store.read(discipline::punition_types).await?;
    let Some(kind) = types.iter().find(|t| t.code == f.punition) else {
        return refuse(messages::BAD_PUNITION_KIND).await;
    };
    let reason: String = f.motif.trim().chars().take(MAX_TEXT).collect();
    if reason.is_empty() {
        return refuse(messages::NEED_REASON).await;
    }
    let report: String = f.rapport.trim().chars().take(MAX_TEXT).collect();
    if kind.report && report.is_empty() {
        return refuse(messages::NEED_REPORT).await;
    }
    let day = today(&state);
    let retenue = if kind.retenue {
        let calendar = state.store.read(|r| r.school_calendar()).await?;
        let supervisor: String = f.surveillant.trim().chars().take(100).collect();
        match (
            parse_iso(&f.retenue_jour),
            parse_time(&f.retenue_debut),
            parse_time(&f.retenue_fin),
        ) {
            (Some(d), Some(start), Some(end))
                if d >= day
                    && end > start
                    && !supervisor.is_empty()
                    && calendar.closed(d).is_none() =>
            {
                Some(Retenue {
                    day: d,
                    start,
                    end,
                    supervisor,
                })
            }
            _ => return refuse(messages::BAD_RETENUE).await,
        }
    } else {
        None
    };
    let when = retenue.as_ref().map(|r| {
        format!(
            "Retenue le {}, de {} à {}.",
            day_and_date(r.day),
            hhmm(r.start),
            hhmm(r.end)
        )
    });
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let body = match &when {
        Some(w) => format!("{reason}\n{w}"),
        None => reason.clone(),
    };
    let title = messages::punition_title(&kind.label, &p.display_name());
    let code = kind.code.clone();
    let id = write_and_tell(&state, Whom::PupilAndParents(&p), move |w| {
        let id = discipline::give(
            w,
            &NewPunition {
                pupil: &pupil,
                kind: &code,
                reason: &reason,
                report: &report,
                day,
                by: &by,
                at,
                retenue,
            },
        )?;
        let notice = family_notice(&pupil, format!("vs:punition:{id}"), title, body);
        Ok((id, Some(notice)))
    })
    .await?;
    tracing::info!(by = %ctx.person.login, eleve = %p.login, punition = id, "punition");
    Ok(see_other_with(
        &back,
        Ok(messages::PUNITION_GIVEN.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct SanctionForm {
    #[serde(default)]
    csrf: String,
    /// `chef` or `conseil` (de discipline).
    #[serde(default)]
    instance: String,
    #[serde(default)]
    sanction: String,
    #[serde(default)]
    duree: String,
    #[serde(default)]
    sursis: String,
    #[serde(default)]
    sursis_jours: String,
    #[serde(default)]
    motif: String,
    /// The day the pupil and his family were told of the facts (procédure contradictoire).
    #[serde(default)]
    informe_le: String,
    #[serde(default)]
    observations: String,
}

/// `POST /vie-scolaire/eleve/{login}/sanction`: the direction only.
pub async fn sanction(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<SanctionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    let (p, rel) = pupil_for_discipline(&state, &ctx, &login).await?;
    if !ctx.may(Action::Module(SANCTION), &Target::Person(&p, &rel)) {
        return Err(WebError::Forbidden);
    }
    let back = format!("/{ID}/eleve/{}", p.login);
    let typed = Typed {
        sanction: [
            f.instance.clone(),
            f.sanction.clone(),
            f.duree.clone(),
            f.sursis.clone(),
            f.sursis_jours.clone(),
            f.motif.clone(),
            f.informe_le.clone(),
            f.observations.clone(),
        ],
        ..Typed::default()
    };
    let refuse = |why: &'static str| refused(&state, &m, &ctx, (&p, &rel), typed.clone(), why);
    let by_council = match f.instance.as_str() {
        "conseil" => true,
        "chef" | "" => false,
        _ => return refuse(messages::BAD_INSTANCE).await,
    };
    let length = f.duree.trim().parse::<u16>().ok();
    let sursis_days = f.sursis_jours.trim().parse::<u16>().ok();
    let sursis = if f.sursis.is_empty() {
        "aucun"
    } else {
        f.sursis.as_str()
    };
    if let Err(why) =
        discipline::check_sanction(&f.sanction, length, sursis, sursis_days, by_council)
    {
        return refuse(why).await;
    }
    let reason: String = f.motif.trim().chars().take(MAX_TEXT).collect();
    if reason.is_empty() {
        return refuse(messages::NEED_REASON).await;
    }
    // No sanction without the procédure contradictoire: the facts told first, at most a
    // term ago.
    let day = today(&state);
    let Some(heard) = parse_iso(&f.informe_le)
        .filter(|h| *h <= day && (day - *h).whole_days() <= HEARD_WITHIN_DAYS)
    else {
        return refuse(messages::BAD_HEARD).await;
    };
    let observations: String = f.observations.trim().chars().take(MAX_TEXT).collect();
    let s = Sanction {
        id: 0,
        pupil: p.login.to_string(),
        kind: f.sanction.clone(),
        length,
        sursis: sursis.to_owned(),
        sursis_days: if sursis == "partiel" {
            sursis_days
        } else {
            None
        },
        reason: reason.clone(),
        day,
        decided_by: ctx.person.login.to_string(),
        heard: Some(heard),
        observations,
        by_council,
    };
    let text = sanction_text(&s);
    let at = state.clock.now().unix_timestamp();
    let title = messages::sanction_title(&text, &p.display_name());
    let id = write_and_tell(&state, Whom::PupilAndParents(&p), move |w| {
        let id = discipline::sanction(w, &s, at)?;
        let notice = family_notice(&s.pupil, format!("vs:sanction:{id}"), title, reason);
        Ok((id, Some(notice)))
    })
    .await?;
    tracing::info!(by = %ctx.person.login, eleve = %p.login, sanction = id, "sanction");
    Ok(see_other_with(
        &back,
        Ok(messages::SANCTION_GIVEN.to_owned()),
    ))
}

/// `POST /vie-scolaire/sanction/{id}/courrier`: the letter notifying the family of a sanction,
/// as PDF (the direction); it goes into the pupil's file.
pub async fn letter(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<cartable_web::pages::CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    let id = id.into_inner();
    let s = state
        .store
        .read(move |r| discipline::sanction_by_id(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let (p, rel) = pupil_for_discipline(&state, &ctx, &s.pupil).await?;
    if !ctx.may(Action::Module(SANCTION), &Target::Person(&p, &rel)) {
        return Err(WebError::Forbidden);
    }
    let name = p.display_name();
    let etab = cartable_web::pages::chrome(&state, Some(&m.me))
        .await?
        .etablissement;
    let day = today(&state);
    let sections = vec![
        cartable_core::pdf::Section {
            heading: String::new(),
            paragraphs: messages::sanction_letter_body(&name, &day_and_date(s.day), s.by_council),
        },
        cartable_core::pdf::Section {
            heading: messages::SANCTION_LETTER_WHAT.to_owned(),
            paragraphs: vec![sanction_text(&s), s.reason.clone()],
        },
        cartable_core::pdf::Section {
            heading: messages::SANCTION_LETTER_HEARD.to_owned(),
            paragraphs: vec![contradictoire(&s)],
        },
        cartable_core::pdf::Section {
            heading: messages::SANCTION_LETTER_APPEAL.to_owned(),
            paragraphs: messages::sanction_appeal(s.by_council),
        },
        cartable_core::pdf::Section {
            heading: String::new(),
            paragraphs: messages::sanction_letter_end(),
        },
    ];
    let pdf = cartable_core::pdf::document(
        &messages::sanction_letter_title(&name),
        &format!("{etab}, le {}", cartable_core::dates::long_date(day)),
        &sections,
    );
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let note = format!("{} ({})", messages::SANCTION_LETTER_SENT, sanction_text(&s));
    state
        .store
        .write(move |w| {
            crate::store::add_follow_up(w, &pupil, "contact", day, "courrier", &note, &by, at)
        })
        .await?;
    Ok(cartable_web::pages::pdf_response(
        &format!("courrier-sanction-{}.pdf", p.login),
        pdf,
    ))
}

#[derive(Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    presence: String,
}

/// `POST /vie-scolaire/punition/{id}/presence`: the retenue's attendance (vie scolaire).
pub async fn attendance(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<AttendanceForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    if !desk(&ctx) {
        return Err(WebError::Forbidden);
    }
    let id = id.into_inner();
    let pupil = state
        .store
        .read(move |r| discipline::punition(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let present = match f.presence.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Err(WebError::BadRequest("presence".into())),
    };
    if !state
        .store
        .write(move |w| discipline::set_attended(w, id, present))
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(see_other_with(
        &format!("/{ID}/eleve/{pupil}"),
        Ok(messages::ATTENDANCE_SAVED.to_owned()),
    ))
}
