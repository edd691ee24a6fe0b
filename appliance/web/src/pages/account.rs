//! `GET /compte`: my account — identity and my place in the établissement.

use actix_web::{HttpResponse, web};
use cartable_core::directory::DirectoryRead;

use super::{chrome, html};
use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::AccountPage;

pub async fn show(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let relations = state.directory.relations(&me.person.login).await?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&AccountPage {
        chrome: &chrome,
        person: &me.person,
        relations: &relations,
    })
}
