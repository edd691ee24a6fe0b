//! The host's own notification kinds (the modules declare theirs in their spec).

use cartable_core::directory::Profile;
use cartable_core::notify::{Delivery, Kind, Notice, Recipient, Told};
use cartable_core::store::WriteTxn;

/// A teacher handed out work to hand in (« Travail à rendre »).
pub static DEVOIR: Kind = Kind {
    id: "fichiers.devoir",
    label: "Travail à rendre distribué par un enseignant",
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[Profile::Eleve],
};

pub static HOST_KINDS: &[&Kind] = &[&DEVOIR];

/// Who a notice about a class or group goes to.
pub enum About<'a> {
    Class(&'a str),
    Group(&'a str),
}

/// Who is told of a change.
pub enum Whom<'a> {
    /// The pupils of a class or group, and their responsables.
    PupilsAndParents(About<'a>),
    /// The pupils of a class or group only.
    Pupils(About<'a>),
    /// A pupil and his responsables.
    PupilAndParents(&'a cartable_core::directory::Person),
    /// A pupil's responsables.
    ParentsOf(&'a cartable_core::directory::Login),
    /// Nobody (the change has nothing to tell).
    Nobody,
}

/// The people an audience is, read from the annuaire.
pub async fn recipients(
    state: &crate::state::AppState,
    who: Whom<'_>,
) -> cartable_core::Result<Vec<Recipient>> {
    use cartable_core::directory::{ClassCode, GroupCode};
    use cartable_core::notify::audience;
    let of = |about: About<'_>| match about {
        About::Class(c) => (ClassCode::parse(c).ok(), None),
        About::Group(g) => (None, GroupCode::parse(g).ok()),
    };
    let (about, parents) = match who {
        Whom::PupilAndParents(p) => {
            return audience::pupil_and_parents(&state.directory, p).await;
        }
        Whom::ParentsOf(l) => return audience::parents_of(&state.directory, l).await,
        Whom::Nobody => return Ok(Vec::new()),
        Whom::PupilsAndParents(a) => (of(a), true),
        Whom::Pupils(a) => (of(a), false),
    };
    match about {
        (None, None) => Ok(Vec::new()),
        (class, group) => {
            audience::pupils_and_parents(&state.directory, class, group, parents).await
        }
    }
}

/// Writes a change and what it tells in one transaction, so that a crash keeps both or
/// neither: `change` returns its result and the notice (None when there is nothing to tell).
/// The audience is read first; the sender is woken once committed.
pub async fn write_and_tell<T, F>(
    state: &crate::state::AppState,
    who: Whom<'_>,
    change: F,
) -> cartable_core::Result<T>
where
    F: FnOnce(&WriteTxn<'_>) -> cartable_core::Result<(T, Option<Notice>)> + Send + 'static,
    T: Send + 'static,
{
    let to = recipients(state, who).await?;
    let notifier = state.notifier.clone();
    let (out, told) = state
        .store
        .write(move |w| {
            let (out, notice) = change(w)?;
            let told = match notice {
                Some(n) => notifier.write_in(w, &to, &n)?,
                None => Told::default(),
            };
            Ok((out, told))
        })
        .await?;
    state.notifier.woken(told);
    if told.notifications > 0 {
        tracing::info!(
            notifications = told.notifications,
            courriels = told.mails,
            "notification envoyée"
        );
    }
    Ok(out)
}

/// Tells an audience of something already saved by a process longer than one transaction
/// (a devoir's files are copied after it is recorded); the key makes telling again harmless.
/// A failure is logged, not shown to the user as his own.
pub async fn tell(state: &crate::state::AppState, who: Whom<'_>, notice: Notice) {
    let told = async {
        let to = recipients(state, who).await?;
        state.notifier.send(to, notice).await
    }
    .await;
    match told {
        Ok(t) => tracing::info!(
            notifications = t.notifications,
            courriels = t.mails,
            "notification envoyée"
        ),
        Err(e) => tracing::warn!("notification : {e}"),
    }
}
