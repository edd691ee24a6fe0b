//! Recall: within 60 minutes of sending, a message leaves the messagerie of those who have not
//! opened it.

use actix_web::{HttpResponse, web};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{ConfirmSpec, confirm, see_other_with};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::mailbox::RECALL_SECONDS;
use crate::model::State;
use crate::{ID, messages, store};

#[derive(Deserialize)]
pub struct RecallForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirme: String,
}

/// `POST /messagerie/message/{id}/rappeler` (asked first): within 60 minutes, the message
/// leaves the messagerie of those who have not read it.
pub async fn recall(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<RecallForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = id.into_inner();
    let owner = m.me.person.login.to_string();
    let o = owner.clone();
    let (msg, role, _) = state
        .store
        .read(move |r| store::open(r, &o, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if role != "de" {
        return Err(WebError::NotFound);
    }
    let back = format!("/{ID}/message/{id}");
    let at = state.clock.now().unix_timestamp();
    if msg.state != State::Sent || msg.sent_at.is_none_or(|s| at - s >= RECALL_SECONDS) {
        return Ok(see_other_with(
            &back,
            Err(messages::RECALL_TOO_LATE.to_owned()),
        ));
    }
    if f.confirme != "1" {
        let what = format!(
            "Le message « {} » sera retiré de la messagerie des destinataires qui ne l'ont pas encore ouvert.",
            msg.subject
        );
        return confirm(
            &state,
            &m.me,
            ConfirmSpec {
                title: "Rappeler ce message ?",
                what: &what,
                after: "Ceux qui l'ont déjà lu le gardent. Un e-mail de notification déjà parti ne peut pas être repris : son lien dira que le message a été rappelé.",
                button: "Rappeler le message",
                action: &format!("{back}/rappeler"),
                fields: Vec::new(),
                back: &back,
            },
        )
        .await;
    }
    let done = state
        .store
        .write(move |w| store::recall(w, &owner, id, at - RECALL_SECONDS))
        .await?;
    Ok(match done {
        Some(r) => see_other_with(&back, Ok(messages::recalled(r.withdrawn, r.read))),
        None => see_other_with(&back, Err(messages::RECALL_TOO_LATE.to_owned())),
    })
}
