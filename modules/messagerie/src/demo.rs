//! The demo's messagerie: a parent and his child's teacher writing about an absence, a teacher
//! and the vie scolaire about a pupil, a parent asking the vie scolaire, and the direction's
//! announcement to the parents of the 6e (« ne pas répondre »). Seeded once.

use cartable_core::directory::{AccountState, DirectoryRead, Person, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{Addressee, Place, Whom};
use crate::rules::List;
use crate::{reach, store};

async fn first(
    state: &AppState,
    profile: Profile,
    class: Option<&str>,
) -> Result<Option<Person>, WebError> {
    let class = class.and_then(|c| cartable_core::directory::ClassCode::parse(c).ok());
    Ok(state
        .directory
        .search(&PersonQuery {
            profile: Some(profile),
            class,
            state: Some(AccountState::Active),
            per_page: 5,
            ..PersonQuery::default()
        })
        .await?
        .people
        .into_iter()
        .next())
}

fn to(p: &Person, place: Place) -> Addressee {
    Addressee {
        place,
        token: Whom::Person(p.login.to_string()).token(),
        label: p.display_name(),
    }
}

struct Seed<'a> {
    from: &'a Person,
    to: Vec<(String, &'static str)>,
    addressees: Vec<Addressee>,
    subject: &'a str,
    body: &'a str,
    parent: Option<i64>,
    no_reply: bool,
    at: i64,
    /// The recipients have read it.
    read: bool,
}

async fn deliver(state: &AppState, s: Seed<'_>) -> Result<i64, WebError> {
    let (sender, name) = (s.from.login.to_string(), s.from.display_name());
    let (subject, body) = (s.subject.to_owned(), s.body.to_owned());
    let Seed {
        to,
        addressees,
        parent,
        no_reply,
        at,
        read,
        ..
    } = s;
    Ok(state
        .store
        .write(move |w| {
            let id = store::save_draft(
                w,
                None,
                &store::NewMessage {
                    parent,
                    sender: &sender,
                    sender_name: &name,
                    subject: &subject,
                    body: &body,
                    no_reply,
                    addressees: &addressees,
                },
                at,
            )?;
            store::send(w, id, &sender, &to, at)?;
            if read {
                for (login, _) in &to {
                    store::mark_read(w, login, id, at + 600)?;
                }
            }
            Ok(id)
        })
        .await?)
}

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let any = state.store.read(store::owners).await?;
    if !any.is_empty() {
        return Ok(());
    }
    let Some(pupil) = first(state, Profile::Eleve, Some("6A")).await? else {
        return Ok(());
    };
    let rel = state.directory.relations(&pupil.login).await?;
    let parent = match rel.parents.first() {
        Some(p) => state.directory.person(&p.login).await?,
        None => None,
    };
    let (Some(parent), Some(teacher), Some(cpe), Some(head)) = (
        parent,
        first(state, Profile::Enseignant, Some("6A")).await?,
        first(state, Profile::VieScolaire, None).await?,
        first(state, Profile::Direction, None).await?,
    ) else {
        return Ok(());
    };
    let now = state.clock.now().unix_timestamp();
    let hour = 3600;
    let child = pupil.given_name.clone();

    // A parent and the teacher, about an absence; the answer still unread.
    let body = format!(
        "Bonjour,\n\n{child} était malade jeudi et n'a pas pu assister au cours. Pourriez-vous me dire ce qu'il faut rattraper ?\n\nBien cordialement,\n{}",
        parent.display_name()
    );
    let first_msg = deliver(
        state,
        Seed {
            from: &parent,
            to: vec![(teacher.login.to_string(), "a")],
            addressees: vec![to(&teacher, Place::To)],
            subject: &format!("Absence de {child} jeudi"),
            body: &body,
            parent: None,
            no_reply: false,
            at: now - 26 * hour,
            read: true,
        },
    )
    .await?;
    let answer = format!(
        "Bonjour,\n\nLe travail est dans le cahier de textes : les exercices 3 et 4 page 52. {child} peut venir me voir en fin de cours s'il a une question.\n\nCordialement,\n{}",
        teacher.display_name()
    );
    deliver(
        state,
        Seed {
            from: &teacher,
            to: vec![(parent.login.to_string(), "a")],
            addressees: vec![to(&parent, Place::To)],
            subject: &format!("RE : Absence de {child} jeudi"),
            body: &answer,
            parent: Some(first_msg),
            no_reply: false,
            at: now - 20 * hour,
            read: false,
        },
    )
    .await?;

    // The teacher and the vie scolaire.
    let about = format!(
        "Bonjour,\n\n{} a été très agité ce matin en cours et a perturbé la classe à plusieurs reprises. Je vous le signale pour le suivi.\n\n{}",
        pupil.display_name(),
        teacher.display_name()
    );
    let t = deliver(
        state,
        Seed {
            from: &teacher,
            to: vec![(cpe.login.to_string(), "a")],
            addressees: vec![to(&cpe, Place::To)],
            subject: &format!("Comportement de {}", pupil.display_name()),
            body: &about,
            parent: None,
            no_reply: false,
            at: now - 5 * hour,
            read: true,
        },
    )
    .await?;
    deliver(
        state,
        Seed {
            from: &cpe,
            to: vec![(teacher.login.to_string(), "a")],
            addressees: vec![to(&teacher, Place::To)],
            subject: &format!("RE : Comportement de {}", pupil.display_name()),
            body: "Merci, je le reçois demain à 10 h et je préviens la famille.",
            parent: Some(t),
            no_reply: false,
            at: now - 4 * hour,
            read: false,
        },
    )
    .await?;

    // A parent asks the vie scolaire.
    deliver(
        state,
        Seed {
            from: &parent,
            to: vec![(cpe.login.to_string(), "a")],
            addressees: vec![to(&cpe, Place::To)],
            subject: "Retard du car scolaire",
            body: &format!(
                "Bonjour,\n\nLe car de la ligne 12 est arrivé avec vingt minutes de retard ce matin : {child} est arrivé en retard pour cette raison.\n\nCordialement"
            ),
            parent: None,
            no_reply: false,
            at: now - 2 * hour,
            read: false,
        },
    )
    .await?;

    // The direction to the parents of the 6e, in hidden copy, no reply.
    let list = List::LevelParents("6".to_owned());
    let classes = reach::classes(state).await?;
    let members = reach::members(state, &list, &classes).await?;
    let label = reach::list_label(&list, &classes);
    deliver(
        state,
        Seed {
            from: &head,
            to: members.iter().map(|p| (p.login.to_string(), "cci")).collect(),
            addressees: vec![Addressee {
                place: Place::Bcc,
                token: Whom::List(list).token(),
                label,
            }],
            subject: "Réunion parents-professeurs des 6e",
            body: "Madame, Monsieur,\n\nLa réunion parents-professeurs des classes de 6e aura lieu le jeudi 14 janvier de 17 h à 20 h. Les rendez-vous se prennent auprès du professeur principal par le carnet de liaison.\n\nLa principale",
            parent: None,
            no_reply: true,
            at: now - hour,
            read: false,
        },
    )
    .await?;
    Ok(())
}
