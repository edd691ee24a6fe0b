//! Cahier de textes: for each class or group, the teacher writes what was done in a séance
//! and the work to do for a date (with its estimated time and attachments taken from his
//! files); he may prepare séances ahead and publish them on the day. Pupils and parents see
//! the work to do by day and the séances by subject; the professeur principal and the
//! direction see a class's whole cahier. The school year's cahier is then archived (the
//! cahier de textes is an official record) and exported per class as PDF.

mod demo;
pub mod messages;
pub mod model;
mod pages;
pub mod store;
mod templates;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

/// Work given for a later day, on publication.
pub static WORK_KIND: cartable_core::notify::Kind = cartable_core::notify::Kind {
    id: "cahier-de-textes.travail",
    label: messages::WORK_KIND,
    urgent: false,
    default: cartable_core::notify::Delivery::Daily,
    profiles: &[
        cartable_core::directory::Profile::Eleve,
        cartable_core::directory::Profile::Responsable,
    ],
};

pub const ID: &str = "cahier-de-textes";
/// Write séances for a class or group: its teachers.
pub const WRITE: &str = "cdt.ecrire";
/// Read a class's whole cahier and export it: the professeur principal, vie scolaire (who
/// must know what work was set), the direction.
pub const READ_CLASS: &str = "cdt.lire-classe";
/// A pupil's work to do and séances: himself, his parents, his teachers, vie scolaire,
/// direction.
pub const SEE: &str = "cdt.voir";

const RULES: &[(&str, &[Role])] = &[
    (WRITE, &[Role::Enseignant, Role::ProfesseurPrincipal]),
    (
        READ_CLASS,
        &[
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (
        SEE,
        &[
            Role::Soi,
            Role::Responsable,
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
];

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/classe/{code}",
        rule: Rule::Policy(Action::Module(WRITE)),
        handler: |r| r.to(pages::class_page),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/classe/{code}/pdf",
        rule: Rule::Policy(Action::Module(READ_CLASS)),
        handler: |r| r.to(pages::pdf),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/seance",
        rule: Rule::Policy(Action::Module(WRITE)),
        handler: |r| r.to(pages::save),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/seance/{id}/supprimer",
        rule: Rule::Policy(Action::Module(WRITE)),
        handler: |r| r.to(pages::delete),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/piece/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::piece),
    },
];

pub struct CahierDeTextes;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "cahier_textes",
    default_profiles: &cartable_core::directory::Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&WORK_KIND],
};

impl Module for CahierDeTextes {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        Box::pin(pages::tiles(state, person, relations))
    }

    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>> {
        Box::pin(pages::export(state, person))
    }

    fn seed_demo<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(demo::seed(state))
    }
}
