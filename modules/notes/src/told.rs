//! New marks told to the pupil and his family from the évaluation's visibility day: one
//! notice per mark, by each person's preference (a daily summary unless he chose otherwise;
//! an immediate e-mail waits for the end of his quiet hours). Run after each grid saved and by
//! the daemon every few minutes (a mark seen from a later day is told that day).

use std::collections::BTreeMap;

use cartable_core::directory::{DirectoryRead, Login};
use cartable_core::notify::{Delivery, Kind, Notice, Recipient, Told};
use cartable_web::error::WebError;
use cartable_web::notify::{Whom, recipients};
use cartable_web::state::AppState;

use crate::pages::today;
use crate::{ID, messages, store};

pub static NEW_MARK: Kind = Kind {
    id: "notes.nouvelle",
    label: messages::NEW_MARK_KIND,
    urgent: false,
    default: Delivery::Daily,
    profiles: &[
        cartable_core::directory::Profile::Eleve,
        cartable_core::directory::Profile::Responsable,
    ],
};

/// Marks handled per round (the next round takes the rest).
const ROUND: usize = 2000;

/// Tells what is due; returns how many marks were told.
pub async fn due(state: &AppState) -> Result<usize, WebError> {
    let today = today(state);
    let pending = state
        .store
        .read(move |r| store::untold(r, today, ROUND))
        .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut by_pupil: BTreeMap<String, Vec<crate::model::Evaluation>> = BTreeMap::new();
    for (e, p) in pending {
        by_pupil.entry(p).or_default().push(e);
    }
    // Each pupil's audience, read before the one write.
    let mut work: Vec<(String, Vec<Recipient>, Vec<crate::model::Evaluation>)> = Vec::new();
    for (pupil, evals) in by_pupil {
        let person = match Login::parse(&pupil) {
            Ok(l) => state.directory.person(&l).await?,
            Err(_) => None,
        };
        let to = match &person {
            Some(p) => recipients(state, Whom::PupilAndParents(p)).await?,
            // Gone from the annuaire: nobody to tell, the mark is settled.
            None => Vec::new(),
        };
        work.push((pupil, to, evals));
    }
    let notifier = state.notifier.clone();
    let (n, told) = state
        .store
        .write(move |w| {
            let mut told = Told::default();
            let mut n = 0;
            for (pupil, to, evals) in &work {
                for e in evals {
                    let notice = Notice {
                        kind: &NEW_MARK,
                        key: format!("notes:{}:{pupil}", e.id),
                        title: messages::new_mark_title(&e.subject),
                        body: messages::new_mark_body(&e.title),
                        link: Some(format!("/{ID}/eleve/{pupil}")),
                    };
                    let t = notifier.write_in(w, to, &notice)?;
                    told.notifications += t.notifications;
                    told.mails += t.mails;
                    store::mark_told(w, e.id, pupil)?;
                    n += 1;
                }
            }
            Ok((n, told))
        })
        .await?;
    state.notifier.woken(told);
    tracing::info!(
        notes = n,
        notifications = told.notifications,
        "nouvelles notes signalées"
    );
    Ok(n)
}
