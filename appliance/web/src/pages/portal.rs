//! `GET /`: the portal home — who I am, my classes, children or teaching, and my services.

use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::academie::audience;
use cartable_core::directory::{DirectoryRead, Person, Profile, Relations};

use super::{chrome, html};
use crate::error::WebError;
use crate::messages;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::{PortalPage, Tile};

pub async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let relations = if me.annuaire_down {
        Relations::default()
    } else {
        state.directory.relations(&me.person.login).await?
    };
    // Counted for the académie's indicators (in memory, flushed by the daemon).
    state.audience.count(audience::Visit {
        at: state.clock.now(),
        service: audience::service::ACCUEIL,
        profile: me.person.profile,
        login: me.person.login.as_str(),
        device: super::device_of(&req),
    });
    let chrome = chrome(&state, Some(&me)).await?;
    let mut tiles = tiles_for(&me.person);
    // The services first, then the appliance's own tiles.
    let services = crate::module::tiles(&state, &me.person, &relations).await;
    tiles.splice(0..0, services);
    // The connected services (Pronote, Moodle…) open with the ENT account, through CAS.
    let connected = state
        .config
        .cas
        .services
        .iter()
        .filter(|s| s.profiles.is_empty() || s.profiles.contains(&me.person.profile))
        .map(|s| Tile {
            title: s.name.clone(),
            description: messages::CONNECTED_SERVICE.into(),
            href: s.url.clone(),
            icon: "lien",
        });
    let at = tiles.len().saturating_sub(2);
    tiles.splice(at..at, connected);
    html(&PortalPage {
        chrome: &chrome,
        person: &me.person,
        relations: &relations,
        tiles: &tiles,
        empty_tiles: messages::NO_SERVICE_YET,
        server_problems: if me.person.profile == Profile::Admin {
            super::server::portal_problems(&state, me.annuaire_down)
        } else {
            Vec::new()
        },
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
            icon: "mot-de-passe",
        },
    ];
    if person.profile != Profile::Responsable {
        tiles.insert(
            0,
            Tile {
                title: "Mes fichiers".into(),
                description: "Mes documents, ceux de mes classes et de mes groupes".into(),
                href: "/fichiers".into(),
                icon: "fichiers",
            },
        );
    }
    if person.profile == Profile::Eleve {
        tiles.insert(
            1,
            Tile {
                title: "Travail à rendre".into(),
                description: "Les devoirs de mes professeurs, pour quand, où déposer ma copie"
                    .into(),
                href: "/fichiers/travail".into(),
                icon: "devoirs",
            },
        );
    }
    if person.profile == Profile::Admin {
        tiles.push(Tile {
            title: "Console d'administration".into(),
            description: "Comptes, classes, mots de passe, journal".into(),
            href: "/admin".into(),
            icon: "admin",
        });
    }
    if matches!(
        person.profile,
        Profile::VieScolaire | Profile::Direction | Profile::Admin
    ) {
        tiles.push(Tile {
            title: "Annuaire".into(),
            description: if person.profile == Profile::VieScolaire {
                "Trouver un élève ou un parent, les listes des classes".into()
            } else {
                "Trouver un élève, un parent ou un personnel, les listes des classes".into()
            },
            href: "/annuaire".into(),
            icon: "annuaire",
        });
    }
    if matches!(person.profile, Profile::Direction | Profile::Admin) {
        tiles.push(Tile {
            title: "Usages de l'ENT".into(),
            description: "Comptes ouverts, visites par semaine, heures et appareils".into(),
            href: "/usages".into(),
            icon: "usages",
        });
    }
    tiles
}
