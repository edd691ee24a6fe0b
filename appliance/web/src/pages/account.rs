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

/// `GET /compte/donnees`: what the ENT holds about me (RGPD right of access), as JSON: my
/// identity and place in the établissement, then what each module open to me keeps.
pub async fn export(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let p = &me.person;
    let r = state.directory.relations(&p.login).await?;
    let mut modules = serde_json::Map::new();
    for m in state.modules.modules() {
        if state.modules.open_to(m.id(), p.profile) {
            modules.insert(m.id().to_owned(), m.export(&state, p).await?);
        }
    }
    let (told, _) = state.notifier.list(p.login.as_str(), 0, 1000).await?;
    let notifications: Vec<serde_json::Value> = told
        .iter()
        .map(|(n, mail)| {
            serde_json::json!({
                "date": cartable_core::dates::french_date_time(n.created_at),
                "titre": n.title,
                "texte": n.body,
                "lue": n.read_at.is_some(),
                "courriel": mail.as_ref().map(|m| m.address.clone()),
            })
        })
        .collect();
    let address = state.notifier.address(p.login.as_str()).await?;
    // What the académie's feed said of one's teaching, kept for the GAR export.
    let gar = match &p.jointure {
        Some(j) => {
            let j = j.to_string();
            state.store.read(move |r| r.pedagogy_of(&j)).await?
        }
        None => None,
    };
    let body = serde_json::json!({
        "identifiant": p.login.as_str(),
        "prenom": p.given_name,
        "nom": p.family_name,
        "profil": p.profile.label(),
        "courriel": p.email,
        "date_naissance": p.birth_date.map(|d| d.to_string()),
        "derniere_connexion": p.last_login,
        "classes": r.classes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        "groupes": r.groups.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
        "enfants": r.children.iter().map(|c| c.display_name.as_str()).collect::<Vec<_>>(),
        "responsables": r.parents.iter().map(|c| c.display_name.as_str()).collect::<Vec<_>>(),
        "adresse_notifications": address.map(|a| a.address),
        "notifications": notifications,
        "pour_le_gar": gar.map(|f| serde_json::json!({
            "civilite": f.civilite,
            "mef": f.mef,
            "matieres": f.subjects,
            "classes_et_matieres": f.class_subjects,
            "groupes_et_matieres": f.group_subjects,
            "disciplines_de_poste": f.disciplines,
        })),
        "modules": modules,
    });
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"mes-donnees-{}.json\"", p.login),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(
            serde_json::to_string_pretty(&body).map_err(|e| WebError::BadRequest(e.to_string()))?,
        ))
}
