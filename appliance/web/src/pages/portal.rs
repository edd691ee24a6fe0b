//! `GET /`: the portal home — who I am, my classes, children or teaching, and my services.

use actix_web::{HttpResponse, web};
use cartable_core::academie::audience;
use cartable_core::directory::{DirectoryRead, Person, Profile};

use super::{chrome, html};
use crate::error::WebError;
use crate::messages;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::{PortalPage, Tile};

pub async fn show(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let relations = state.directory.relations(&me.person.login).await?;
    // Counted for the académie's indicators (in memory, flushed by the daemon).
    state.audience.count(
        state.clock.now(),
        audience::service::ACCUEIL,
        me.person.profile,
        me.person.login.as_str(),
    );
    let chrome = chrome(&state, Some(&me)).await?;
    let mut tiles = tiles_for(&me.person);
    // The services first, then the appliance's own tiles.
    let services = crate::module::tiles(&state, &me.person, &relations).await;
    tiles.splice(0..0, services);
    html(&PortalPage {
        chrome: &chrome,
        person: &me.person,
        relations: &relations,
        tiles: &tiles,
        empty_tiles: messages::NO_SERVICE_YET,
    })
}

/// The services a person is offered. Services plug in as modules (issue 8); until one is
/// enabled, the portal offers what the appliance itself provides.
pub fn tiles_for(person: &Person) -> Vec<Tile> {
    let mut tiles = vec![
        Tile {
            title: "Mon compte".into(),
            description: match person.profile {
                Profile::Responsable => "Mon identité, mes enfants et leurs classes".into(),
                Profile::Eleve => "Mon identité, ma classe et mes groupes".into(),
                Profile::Enseignant => "Mon identité, mes classes et mes matières".into(),
                _ => "Mon identité et mes groupes".into(),
            },
            href: "/compte".into(),
            icon: "compte",
        },
        Tile {
            title: "Mot de passe".into(),
            description: "Changer mon mot de passe, me déconnecter partout".into(),
            href: "/compte/mot-de-passe".into(),
            icon: "compte",
        },
    ];
    if person.profile != Profile::Responsable {
        tiles.insert(
            0,
            Tile {
                title: "Mes fichiers".into(),
                description: "Mes documents, ceux de mes classes et de mes groupes".into(),
                href: "/fichiers".into(),
                icon: "compte",
            },
        );
    }
    if person.profile == Profile::Admin {
        tiles.push(Tile {
            title: "Console d'administration".into(),
            description: "Comptes, classes, mots de passe, journal".into(),
            href: "/admin".into(),
            icon: "compte",
        });
    }
    tiles
}
