//! `/messagerie/carnet`: the people one may write to, page by page, and the lists.

use actix_web::{HttpResponse, web};
use cartable_core::directory::Profile;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html};
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::compose::{sender, what_of};
use crate::templates::CarnetPage;
use crate::{ID, messages, reach};

#[derive(Deserialize)]
pub struct CarnetQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
}

/// `GET /messagerie/carnet`: the people one may write to (and the lists), page by page.
pub async fn carnet(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<CarnetQuery>,
) -> Result<HttpResponse, WebError> {
    let s = sender(&state, &m).await?;
    let search: String = q.q.trim().chars().take(100).collect();
    let page = q.page.min(1000);
    let (people, more) = reach::search(
        &state,
        &s.matrix,
        &s.facts,
        (!search.is_empty()).then_some(search.as_str()),
        page,
        50,
    )
    .await?;
    let mut shown = Vec::new();
    for p in people {
        let facts = if p.profile == Profile::Eleve {
            Some(reach::facts(&state, &p).await?)
        } else {
            None
        };
        shown.push((
            p.login.to_string(),
            p.display_name(),
            what_of(&p, &s.classes, facts.as_ref()),
        ));
    }
    let href = |n: usize| {
        format!(
            "/{ID}/carnet?q={}&page={n}",
            cartable_web::pages::encode_query(&search)
        )
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&CarnetPage {
        chrome: &chrome,
        search: search.clone(),
        people: shown,
        lists: reach::lists_for(&s.matrix, &s.facts, &s.classes)
            .into_iter()
            .map(|(l, label)| (l.token(), label))
            .collect(),
        page,
        next: more.then(|| href(page + 1)),
        prev: (page > 0).then(|| href(page - 1)),
        rule: messages::may_write_to(s.person.profile, &s.matrix.scopes_of(s.person.profile)),
    })
}
