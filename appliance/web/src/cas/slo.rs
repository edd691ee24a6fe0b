//! Single logout: when a person signs out, each service that validated one of the session's
//! tickets is told, with the SAML `LogoutRequest` CAS clients expect, so their own sessions end
//! too. Sent in the background: a service that does not answer does not hold up the sign-out.

use crate::state::AppState;

fn logout_request(login: &str, ticket: &str, now: time::OffsetDateTime) -> String {
    let id = crate::session::token::new_token();
    let instant = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    format!(
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"LR-{id}\" Version=\"2.0\" \
         IssueInstant=\"{instant}\"><saml:NameID>{}</saml:NameID>\
         <samlp:SessionIndex>{}</samlp:SessionIndex></samlp:LogoutRequest>",
        super::response::escape(login),
        super::response::escape(ticket)
    )
}

/// Tells the services of a session that it ended, then forgets its tickets.
pub async fn notify(state: &AppState, session: Vec<u8>) {
    let key = session.clone();
    let tickets = match state
        .store
        .read(move |r| r.validated_tickets_of(&key))
        .await
    {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("single logout: {e}");
            return;
        }
    };
    let _ = state
        .store
        .write(move |w| w.delete_tickets_of(&session))
        .await;
    send(state, tickets);
}

/// Tells the services of every session of a person (signing out everywhere).
pub async fn notify_all(state: &AppState, login: &str) {
    let login = login.to_owned();
    match state
        .store
        .write(move |w| w.take_tickets_of_login(&login))
        .await
    {
        Ok(tickets) => send(state, tickets),
        Err(e) => tracing::warn!("single logout: {e}"),
    }
}

fn send(state: &AppState, tickets: Vec<(String, String, String)>) {
    let Some(client) = super::client::get(state.config.cas.ca_file.as_deref()) else {
        return;
    };
    let now = state.clock.now();
    for (ticket, service, login) in tickets {
        let body = logout_request(&login, &ticket, now);
        let client = client.clone();
        actix_web::rt::spawn(async move {
            match client
                .post(&service)
                .form(&[("logoutRequest", body)])
                .send()
                .await
            {
                Ok(r) => tracing::info!(%service, status = %r.status(), "single logout sent"),
                Err(e) => tracing::warn!(%service, "single logout failed: {e}"),
            }
        });
    }
}
