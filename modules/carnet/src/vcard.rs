//! `GET /carnet/vcard`: the people of the page one is looking at, as vCards (RFC 6350), with
//! only what one may see of them.

use actix_web::{HttpResponse, web};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::download_as;
use cartable_web::state::AppState;
use vcard::values::{NameValue, TelValue};
use vcard::{Email, Name, Tel, Title, VCard};

use crate::pages::{HomeQuery, search_of, seen};
use crate::templates::Entry;

fn card_of(e: &Entry, service: Option<&str>) -> VCard {
    let mut v = VCard::new(e.name.clone());
    v.names.push(Name::new(NameValue {
        family_names: vec![e.family_name.clone()],
        given_names: vec![e.given_name.clone()],
        ..NameValue::default()
    }));
    v.titles.push(Title::new(
        service.map_or_else(|| e.what.clone(), str::to_owned),
    ));
    if let Some(mail) = e.email.as_deref().and_then(|m| m.parse().ok()) {
        v.emails.push(Email::new(mail));
    }
    if let Some(phone) = &e.phone {
        v.telephones.push(Tel::new(TelValue::Text(phone.clone())));
    }
    v
}

/// `GET /carnet/vcard`, with the page's `q` and `page`.
pub async fn export(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, WebError> {
    let (search, page) = search_of(&q);
    let seen = seen(&state, &m.me.person, &search, page).await?;
    let mut out = String::new();
    for s in &seen.sections {
        for e in &s.people {
            out.push_str(&card_of(e, Some(&s.title)).to_string());
        }
    }
    for e in &seen.found {
        out.push_str(&card_of(e, None).to_string());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/vcard; charset=utf-8")
        .insert_header(download_as("carnet-d-adresses.vcf"))
        .body(out))
}
