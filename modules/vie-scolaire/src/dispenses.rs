//! A pupil's dispenses (EPS on a medical certificate…), entered and withdrawn by the vie
//! scolaire on his page; his family sees them there.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::dates::parse_iso;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{CsrfForm, see_other_with};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::pages::{Typed, desk, desk_pupil, render_pupil};
use crate::presence::{self, NewDispense};
use crate::{ID, messages};

/// Longest dispense: a school year.
const MAX_DAYS: i64 = 366;

#[derive(Deserialize)]
pub struct DispenseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    matiere: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    presence: String,
    #[serde(default)]
    note: String,
}

/// `POST /vie-scolaire/eleve/{login}/dispense`.
pub async fn add(
    m: InModule,
    state: web::Data<AppState>,
    login: web::Path<String>,
    f: web::Form<DispenseForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let (ctx, p, rel) = desk_pupil(&state, &m, &login).await?;
    let back = format!("/{ID}/eleve/{}", p.login);
    let subject: String = f.matiere.trim().chars().take(80).collect();
    let attendance = match f.presence.as_str() {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    };
    let period = parse_iso(&f.du)
        .zip(parse_iso(&f.au))
        .filter(|(from, to)| to >= from && (*to - *from).whole_days() <= MAX_DAYS);
    let (Some(attendance), Some((from, to)), false) = (attendance, period, subject.is_empty())
    else {
        // Refused: the page again, with what was typed.
        let typed = Typed {
            dispense: [
                f.matiere.clone(),
                f.du.clone(),
                f.au.clone(),
                f.presence.clone(),
                f.note.clone(),
            ],
            ..Typed::default()
        };
        return render_pupil(
            &state,
            &m,
            &ctx,
            &p,
            &rel,
            typed,
            None,
            Some(messages::BAD_DISPENSE.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let note: String = f.note.trim().chars().take(300).collect();
    let (pupil, by) = (p.login.to_string(), ctx.person.login.to_string());
    let at = state.clock.now().unix_timestamp();
    let shown = subject.clone();
    state
        .store
        .write(move |w| {
            presence::add_dispense(
                w,
                &NewDispense {
                    pupil: &pupil,
                    subject: &subject,
                    from,
                    to,
                    attendance,
                    note: &note,
                    by: &by,
                    at,
                },
            )
        })
        .await?;
    Ok(see_other_with(&back, Ok(messages::dispense_saved(&shown))))
}

/// `POST /vie-scolaire/dispense/{id}/retirer`.
pub async fn withdraw(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = Me::of(&state, &m.me).await?;
    if !desk(&ctx) {
        return Err(WebError::NotFound);
    }
    let id = id.into_inner();
    let pupil = state
        .store
        .write(move |w| presence::withdraw_dispense(w, id))
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(see_other_with(
        &format!("/{ID}/eleve/{pupil}"),
        Ok(messages::DISPENSE_WITHDRAWN.to_owned()),
    ))
}
