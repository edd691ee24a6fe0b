//! Notes, compétences and bulletins: évaluations of a class or a teaching group with marks
//! and/or levels of the socle's composantes, the one average engine (`average.rs`, pure,
//! golden-tested), periods and their lock date, the conseil de classe (appréciations, the PP's
//! synthèse, the CPE's, the avis), the bilan de fin de cycle, PDF bulletins published as
//! immutable versions, and new marks told to the family from the évaluation's visibility day.

pub mod average;
mod bilan;
mod bulletin_pdf;
mod bulletins;
mod conseil;
mod course;
mod demo;
mod edit;
mod messages;
pub mod model;
mod pages;
pub mod periods;
mod pupil_page;
pub mod results;
mod settings;
pub mod skills;
pub mod store;
mod templates;
mod told;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Profile, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "notes";
/// Enter marks in a class (its teachers).
pub const ENTER: &str = "notes.saisir";
/// A pupil's marks.
pub const SEE: &str = "notes.voir";
/// See a class's conseil de classe grid.
pub const CONSEIL: &str = "notes.conseil";
/// Write the synthèse and the avis of the conseil.
pub const SYNTHESE: &str = "notes.synthese";
/// Write the CPE's appréciation.
pub const CPE: &str = "notes.cpe";
/// Generate and publish bulletins; see drafts.
pub const BULLETINS: &str = "notes.bulletins";
/// Set the periods and the avis list.
pub const SETTINGS: &str = "notes.regler";

const RULES: &[(&str, &[Role])] = &[
    (ENTER, &[Role::Enseignant]),
    (
        SEE,
        &[
            Role::Soi,
            Role::Responsable,
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::Direction,
        ],
    ),
    (
        CONSEIL,
        &[
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (SYNTHESE, &[Role::ProfesseurPrincipal, Role::Direction]),
    (CPE, &[Role::VieScolaire]),
    (BULLETINS, &[Role::Direction]),
    (SETTINGS, &[Role::Direction]),
];

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/evaluations",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(pages::create),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/evaluation/{id}",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(pages::grid),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/evaluation/{id}",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(pages::save),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/evaluation/{id}/modifier",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(edit::modify),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/evaluation/{id}/supprimer",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(edit::delete),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/eleve/{login}",
        rule: Rule::Policy(Action::Module(SEE)),
        handler: |r| r.to(pupil_page::pupil),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/eleve/{login}/moyenne",
        rule: Rule::Policy(Action::Module(SEE)),
        handler: |r| r.to(pupil_page::explain),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/reglages",
        rule: Rule::Policy(Action::Module(SETTINGS)),
        handler: |r| r.to(settings::show),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/reglages",
        rule: Rule::Policy(Action::Module(SETTINGS)),
        handler: |r| r.to(settings::save),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/appreciations",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(conseil::appreciations),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/appreciations",
        rule: Rule::Policy(Action::Module(ENTER)),
        handler: |r| r.to(conseil::save_appreciations),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/conseil/{classe}",
        rule: Rule::Policy(Action::Module(CONSEIL)),
        handler: |r| r.to(conseil::conseil),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/conseil/{classe}",
        rule: Rule::Policy(Action::Module(CONSEIL)),
        handler: |r| r.to(conseil::save_conseil),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/bilan/{classe}",
        rule: Rule::Policy(Action::Module(SYNTHESE)),
        handler: |r| r.to(bilan::show),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/bilan/{classe}",
        rule: Rule::Policy(Action::Module(SYNTHESE)),
        handler: |r| r.to(bilan::save),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/bulletins",
        rule: Rule::Policy(Action::Module(BULLETINS)),
        handler: |r| r.to(bulletins::all),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/bulletins/generer",
        rule: Rule::Policy(Action::Module(BULLETINS)),
        handler: |r| r.to(bulletins::generate_all),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/bulletins/{classe}",
        rule: Rule::Policy(Action::Module(BULLETINS)),
        handler: |r| r.to(bulletins::class),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/bulletins/{classe}/generer",
        rule: Rule::Policy(Action::Module(BULLETINS)),
        handler: |r| r.to(bulletins::generate_class),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/bulletins/{classe}/publier",
        rule: Rule::Policy(Action::Module(BULLETINS)),
        handler: |r| r.to(bulletins::publish),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/bulletin/{id}",
        rule: Rule::Policy(Action::Module(SEE)),
        handler: |r| r.to(bulletins::download),
    },
];

pub struct Notes;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "notes",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&told::NEW_MARK],
};

impl Module for Notes {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        _state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        let description = match person.profile {
            Profile::Eleve => messages::TILE_PUPIL,
            Profile::Responsable => messages::TILE_PARENT,
            _ if !relations.teachings.is_empty() => messages::TILE_TEACHER,
            _ => return Box::pin(async { Ok(Vec::new()) }),
        };
        Box::pin(async move {
            Ok(vec![Tile {
                title: messages::TITLE.to_owned(),
                description: description.to_owned(),
                href: format!("/{ID}"),
                icon: "notes",
            }])
        })
    }

    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>> {
        Box::pin(pages::export(state, person))
    }

    fn purge<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(pages::purge(state))
    }

    fn seed_demo<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(demo::seed(state))
    }

    fn due<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(told::due(state))
    }
}
