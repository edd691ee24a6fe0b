//! The host's own notification kinds (the modules declare theirs in their spec).

use cartable_core::directory::Profile;
use cartable_core::notify::{Delivery, Kind};

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

/// Tells the pupils of a class or group and their responsables. What the teacher did is
/// already saved: a failure here is logged, not shown to him as his own.
pub async fn tell_pupils_and_parents(
    state: &crate::state::AppState,
    about: About<'_>,
    notice: cartable_core::notify::Notice,
) {
    tell(state, about, true, notice).await
}

/// Tells the pupils of a class or group only.
pub async fn tell_pupils(
    state: &crate::state::AppState,
    about: About<'_>,
    notice: cartable_core::notify::Notice,
) {
    tell(state, about, false, notice).await
}

async fn tell(
    state: &crate::state::AppState,
    about: About<'_>,
    parents: bool,
    notice: cartable_core::notify::Notice,
) {
    use cartable_core::directory::{ClassCode, GroupCode};
    let (class, group) = match about {
        About::Class(c) => (ClassCode::parse(c).ok(), None),
        About::Group(g) => (None, GroupCode::parse(g).ok()),
    };
    if class.is_none() && group.is_none() {
        return;
    }
    let told = async {
        let to = cartable_core::notify::audience::pupils_and_parents(
            &state.directory,
            class,
            group,
            parents,
        )
        .await?;
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
