//! Telling people: an actualité's audience when its window opens (once: the item is marked
//! in the same transaction as the notices), the channel's publishers when an item waits for
//! them, its author when it is decided; and who has read an important one.

use cartable_core::directory::{DirectoryRead, Login, PersonQuery, Profile};
use cartable_core::notify::{Notice, Recipient};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{ChannelRole, Item};
use crate::{DECIDED_KIND, ID, NEW_KIND, WAITING_KIND, messages, people, store};
use cartable_web::rich_text;

/// Tells the audience of every published item whose window has opened; returns how many
/// items were announced. Run by the daemon every few minutes, and at once after a
/// publication.
pub async fn due(state: &AppState) -> Result<usize, WebError> {
    let now = crate::list::now(state);
    let items = state
        .store
        .read(move |r| store::to_announce(r, now))
        .await?;
    let mut done = 0;
    for it in items {
        let to: Vec<Recipient> = people::members(state, &it.audiences)
            .await?
            .into_values()
            .map(|(_, r)| r)
            .filter(|r| r.login != it.author)
            .collect();
        let notice = Notice {
            kind: &NEW_KIND,
            key: format!("actualite-{}", it.id),
            title: it.title.clone(),
            body: rich_text::summary(&it.body, 300),
            link: Some(format!("/{ID}/{}", it.id)),
        };
        let notifier = state.notifier.clone();
        let id = it.id;
        let told = state
            .store
            .write(move |w| {
                let told = notifier.write_in(w, &to, &notice)?;
                store::announced(w, id, now)?;
                Ok(told)
            })
            .await?;
        state.notifier.woken(told);
        tracing::info!(
            actualite = id,
            notifications = told.notifications,
            "actualité annoncée à son public"
        );
        done += 1;
    }
    Ok(done)
}

/// [`due`] now, its failure logged (the daemon's next round tries again).
pub async fn now_due(state: &AppState) {
    if let Err(e) = due(state).await {
        tracing::warn!("actualités à annoncer : {e}");
    }
}

async fn send(state: &AppState, to: Vec<Recipient>, notice: Notice) {
    match state.notifier.send(to, notice).await {
        Ok(t) => tracing::info!(notifications = t.notifications, "notification envoyée"),
        Err(e) => tracing::warn!("notification : {e}"),
    }
}

/// The channel's publishers (and the direction, who publishes everywhere) are told an item
/// waits for them.
pub async fn to_publishers(state: &AppState, id: i64, it: &Item) {
    let channel = it.channel;
    let members = match state.store.read(move |r| store::members(r, channel)).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("publieurs de la rubrique : {e}");
            return;
        }
    };
    let mut to = Vec::new();
    for (login, role) in members {
        if role != ChannelRole::Publisher {
            continue;
        }
        if let Ok(l) = Login::parse(&login)
            && let Ok(Some(p)) = state.directory.person(&l).await
        {
            to.push(Recipient::of(&p));
        }
    }
    if let Ok(page) = state
        .directory
        .search(&PersonQuery {
            profile: Some(Profile::Direction),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        })
        .await
    {
        to.extend(page.people.iter().map(Recipient::of));
    }
    send(
        state,
        to,
        Notice {
            kind: &WAITING_KIND,
            key: format!("actualite-a-valider-{id}"),
            title: it.title.clone(),
            body: rich_text::summary(&it.body, 300),
            link: Some(format!("/{ID}")),
        },
    )
    .await;
}

/// Its author is told of a publisher's decision.
pub async fn decided(state: &AppState, it: &Item, accepted: bool, reason: &str) {
    let Ok(l) = Login::parse(&it.author) else {
        return;
    };
    let Ok(Some(author)) = state.directory.person(&l).await else {
        return;
    };
    send(
        state,
        vec![Recipient::of(&author)],
        Notice {
            kind: &DECIDED_KIND,
            key: format!("actualite-decision-{}", it.id),
            title: format!(
                "{} : {}",
                if accepted { "Publiée" } else { "Refusée" },
                it.title
            ),
            body: if accepted {
                String::new()
            } else {
                messages::refused_body(reason)
            },
            link: Some(format!("/{ID}/{}", it.id)),
        },
    )
    .await;
}

/// « Lu par 212 parents sur 380 »: among the item's audience as the annuaire has it now.
pub async fn readership(state: &AppState, it: &Item) -> Result<String, WebError> {
    let members = people::members(state, &it.audiences).await?;
    let id = it.id;
    let readers = state.store.read(move |r| store::readers(r, id)).await?;
    let read = readers.iter().filter(|l| members.contains_key(*l)).count();
    let who = if !members.is_empty() && members.values().all(|(p, _)| *p == Profile::Responsable) {
        "parents"
    } else if !members.is_empty() && members.values().all(|(p, _)| *p == Profile::Eleve) {
        "élèves"
    } else {
        "personnes"
    };
    Ok(messages::read_by(read, members.len(), who))
}
