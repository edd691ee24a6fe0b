//! `/admin/calendrier`: the school calendar — the holidays the RUPN sets or imports from the
//! national calendar's iCalendar file, and the public holidays cartable computes. The
//! timetable and the cahier de textes read it through core.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::calendar::{self, ical};
use cartable_core::dates::{day_and_date, iso, parse_iso};
use serde::Deserialize;
use time::Duration;

use super::{chrome, html, see_other_with};
use crate::error::WebError;
use crate::messages;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{CalendarPage, HolidayForm, HolidayRow};

const BACK: &str = "/admin/calendrier";
/// Longest name of a period.
const NAME_MAX: usize = 80;
/// Parts read from the import form at most.
const MAX_PARTS: usize = 8;

pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<super::Outcome>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    render(
        &state,
        &me,
        HolidayForm::default(),
        q.notice(),
        q.error(),
        StatusCode::OK,
    )
    .await
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    form: HolidayForm,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let cal = state.store.read(|r| r.school_calendar()).await?;
    let today = cartable_core::dates::today_in_france(state.clock.now());
    let rows: Vec<HolidayRow> = cal
        .holidays
        .iter()
        .map(|h| HolidayRow {
            id: h.id,
            name: h.name.clone(),
            first: day_and_date(h.first_day),
            last: day_and_date(h.last_day),
            past: h.last_day < today,
        })
        .collect();
    // The public holidays of the school year under way (September to August), computed.
    let first_year = if today.month() as u8 >= time::Month::September as u8 {
        today.year()
    } else {
        today.year() - 1
    };
    let year = format!("{first_year}-{}", first_year + 1);
    let mut public = Vec::new();
    if let (Ok(start), Ok(end)) = (
        time::Date::from_calendar_date(first_year, time::Month::September, 1),
        time::Date::from_calendar_date(first_year + 1, time::Month::August, 31),
    ) {
        let mut d = start;
        while d <= end {
            if let Some(name) = calendar::public_holiday(d) {
                public.push((day_and_date(d), name));
            }
            d += Duration::days(1);
        }
    }
    let chrome = chrome(state, Some(me)).await?;
    let mut res = html(&CalendarPage {
        chrome: &chrome,
        csrf: &me.csrf,
        notice,
        error,
        rows: &rows,
        public: &public,
        year: &year,
        form,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// `POST /admin/calendrier`: a period (name, first and last day off).
pub async fn add(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    crate::policy::require_rupn(&state, &me).await?;
    let typed = HolidayForm {
        name: form.nom.trim().chars().take(200).collect(),
        first: form.du.trim().to_owned(),
        last: form.au.trim().to_owned(),
    };
    let problem = if typed.name.is_empty() || typed.name.chars().count() > NAME_MAX {
        Some(messages::holiday_name(NAME_MAX))
    } else {
        match (parse_iso(&typed.first), parse_iso(&typed.last)) {
            (None, _) => Some(messages::HOLIDAY_FIRST.to_owned()),
            (_, None) => Some(messages::HOLIDAY_LAST.to_owned()),
            (Some(f), Some(l)) if l < f => Some(messages::HOLIDAY_ORDER.to_owned()),
            (Some(f), Some(l)) if l - f > Duration::days(100) => {
                Some(messages::HOLIDAY_TOO_LONG.to_owned())
            }
            _ => None,
        }
    };
    if let Some(p) = problem {
        return render(
            &state,
            &me,
            typed,
            None,
            Some(p),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (Some(first), Some(last)) = (parse_iso(&typed.first), parse_iso(&typed.last)) else {
        return Err(WebError::BadRequest("dates".into()));
    };
    let name = typed.name.clone();
    let actor = me.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let new = state
        .store
        .write(move |w| {
            let new = w.add_holiday(&name, first, last)?;
            if new {
                w.append_audit(&cartable_core::store::AuditEntry {
                    at,
                    actor,
                    action: "calendrier.ajouter".into(),
                    target: "etablissement".into(),
                    detail: format!("{name} : {} – {}", iso(first), iso(last)),
                })?;
            }
            Ok(new)
        })
        .await?;
    Ok(see_other_with(
        BACK,
        Ok(if new {
            messages::holiday_added(&typed.name, &day_and_date(first), &day_and_date(last))
        } else {
            messages::HOLIDAY_ALREADY.to_owned()
        }),
    ))
}

/// `POST /admin/calendrier/{id}/supprimer`.
pub async fn delete(
    me: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<super::CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    crate::policy::require_rupn(&state, &me).await?;
    let id = id.into_inner();
    let actor = me.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let gone = state
        .store
        .write(move |w| {
            let gone = w.delete_holiday(id)?;
            if let Some(name) = &gone {
                w.append_audit(&cartable_core::store::AuditEntry {
                    at,
                    actor,
                    action: "calendrier.supprimer".into(),
                    target: "etablissement".into(),
                    detail: name.clone(),
                })?;
            }
            Ok(gone)
        })
        .await?;
    Ok(see_other_with(
        BACK,
        match gone {
            Some(name) => Ok(messages::holiday_deleted(&name)),
            None => Err(messages::HOLIDAY_GONE.to_owned()),
        },
    ))
}

/// `POST /admin/calendrier/importer` (multipart, `fichier`): the national calendar's
/// iCalendar file. All or nothing: a file not understood changes nothing.
pub async fn import(
    me: SignedIn,
    state: web::Data<AppState>,
    mut form: Multipart,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let read = super::read_multipart(&mut form, ical::MAX_BYTES, MAX_PARTS).await?;
    let token = read.text("csrf");
    let too_big = read.too_big;
    let file = read.bytes("fichier").map(<[u8]>::to_vec);
    csrf::check(&me.csrf, &token)?;
    let text = match file {
        _ if too_big => Err(messages::calendar_file(&format!(
            "fichier trop gros ({} Ko au plus)",
            ical::MAX_BYTES / 1024
        ))),
        None => Err(messages::CALENDAR_NO_FILE.to_owned()),
        Some(bytes) if bytes.is_empty() => Err(messages::CALENDAR_NO_FILE.to_owned()),
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| messages::calendar_file("le texte n'est pas en UTF-8")),
    };
    let periods =
        match text.and_then(|t| ical::periods(&t).map_err(|e| messages::calendar_file(&e))) {
            Ok(p) => p,
            Err(e) => return Ok(see_other_with(BACK, Err(e))),
        };
    let actor = me.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    let total = periods.len();
    let added = state
        .store
        .write(move |w| {
            let mut added = 0;
            for p in &periods {
                if w.add_holiday(&p.name, p.first_day, p.last_day)? {
                    added += 1;
                }
            }
            w.append_audit(&cartable_core::store::AuditEntry {
                at,
                actor,
                action: "calendrier.importer".into(),
                target: "etablissement".into(),
                detail: format!("{added} période(s) ajoutée(s) sur {}", periods.len()),
            })?;
            Ok(added)
        })
        .await?;
    Ok(see_other_with(
        BACK,
        Ok(messages::calendar_imported(added, total)),
    ))
}
