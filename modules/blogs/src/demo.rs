//! The demo's blog: 6A's « carnet de bord », opened by a teacher of the class, pupils
//! allowed to write; two published posts, a pupil's post waiting, comments (one waiting).

use cartable_core::directory::{ClassCode, DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;

use crate::model::{Blog, Place, Post, Status};
use crate::store;

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    if !state.store.read(store::blogs).await?.is_empty() {
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
    let teachers = state
        .directory
        .search(&in_class(Profile::Enseignant))
        .await?;
    let pupils = state.directory.search(&in_class(Profile::Eleve)).await?;
    let (Some(t), [a, b, ..]) = (teachers.people.first(), pupils.people.as_slice()) else {
        return Ok(());
    };
    let (t, a, b) = (
        t.login.to_string(),
        a.login.to_string(),
        b.login.to_string(),
    );
    let now = state.clock.now().unix_timestamp();
    let day = 86_400;
    state
        .store
        .write(move |w| {
            let blog = store::add_blog(
                w,
                &Blog {
                    id: 0,
                    place: Place::Class("6A".into()),
                    title: "Carnet de bord des 6e A".into(),
                    owner: t.clone(),
                    pupils_write: true,
                    comments: true,
                    created: now - 60 * day,
                },
            )?;
            let post = |title: &str, body: &str, author: &str, status, at: i64| Post {
                id: 0,
                blog,
                title: title.into(),
                body: body.into(),
                author: author.into(),
                status,
                created: at,
                published: (status == Status::Published).then_some(at),
            };
            store::add_post(w, &post("Bienvenue sur notre blog", "Ce blog raconte la vie de la classe : sorties, projets, **travaux réussis**. Les élèves y écriront aussi.", &t, Status::Published, now - 50 * day))?;
            let visit = store::add_post(w, &post("Visite de la médiathèque", "Mardi, nous avons découvert la médiathèque du quartier :\n\n- le coin BD ;\n- l'atelier d'écriture ;\n- les tablettes de lecture.", &a, Status::Published, now - 10 * day))?;
            store::add_post(w, &post("Notre exposé sur les volcans", "Avec mon groupe, nous avons préparé un exposé sur les volcans d'Auvergne.", &b, Status::Waiting, now - day))?;
            let c = store::add_comment(w, visit, &b, "Super sortie, on y retourne quand ?", now - 9 * day)?;
            store::decide_comment(w, c, true)?;
            store::add_comment(w, visit, &a, "J'ai emprunté trois BD !", now - 2 * day)?;
            Ok(())
        })
        .await?;
    Ok(())
}
