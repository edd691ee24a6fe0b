//! The demo's forums: in 6A's, a teacher's subject about the museum trip with pupils'
//! replies, and one pupil's message reported by another, waiting for the moderators.

use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::Forum;
use crate::store;

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    let forum = Forum::Class("6A".into());
    let key = forum.clone();
    if !state
        .store
        .read(move |r| store::subjects(r, &key, 1))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let Ok(code) = ClassCode::parse("6A") else {
        return Ok(());
    };
    let in_class = |profile| PersonQuery {
        class: Some(code.clone()),
        profile: Some(profile),
        per_page: 3,
        ..PersonQuery::default()
    };
    let teacher = state
        .directory
        .search(&in_class(Profile::Enseignant))
        .await?;
    let pupils = state.directory.search(&in_class(Profile::Eleve)).await?;
    let (Some(t), [a, b, ..]) = (teacher.people.first(), pupils.people.as_slice()) else {
        return Ok(());
    };
    let (t, a, b) = (
        t.login.to_string(),
        a.login.to_string(),
        b.login.to_string(),
    );
    let now = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| {
            let s = store::add_subject(
                w,
                &forum,
                "Sortie au musée : vos questions",
                &t,
                "Posez ici vos questions sur la sortie de jeudi. **Pensez au pique-nique !**",
                now - 2 * 86_400,
            )?;
            store::add_post(
                w,
                s,
                &a,
                "Est-ce qu'on peut prendre un appareil photo ?",
                now - 86_400,
            )?;
            store::add_post(w, s, &t, "Oui, sans flash dans les salles.", now - 80_000)?;
            let rude =
                store::add_post(w, s, &b, "Ce musée c'est nul de toute façon.", now - 7_200)?;
            store::set_pinned(w, s, true)?;
            store::report(
                w,
                rude,
                &a,
                "Ce n'est pas gentil pour le professeur",
                now - 3_600,
            )?;
            store::add_subject(
                w,
                &forum,
                "Exposés d'histoire : qui prend quel thème ?",
                &a,
                "Je prends les pyramides, qui veut Rome ?",
                now - 5 * 86_400,
            )?;
            Ok(())
        })
        .await?;
    Ok(())
}
