//! Emploi du temps: the établissement's weekly timetable (weeks A/B, rooms, subjects,
//! teachers, classes and groups), imported from UDT's CSV export or from iCalendar; each
//! person's week (a pupil's class and groups, each child of a parent, a teacher's courses, a
//! class for its teachers and the vie scolaire), on a phone too; an occurrence cancelled or
//! moved to another room is shown to everyone concerned and counted on their portal tile; a
//! secret iCal address per person, renewable and revocable.
//!
//! The worked example of `docs/modules.md`.

mod demo;
pub mod import;
pub mod messages;
pub mod model;
mod pages;
pub mod store;
mod templates;
pub mod view;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

/// A course of one's own cancelled or moved to another room.
pub static CHANGE_KIND: cartable_core::notify::Kind = cartable_core::notify::Kind {
    id: "emploi-du-temps.changement",
    label: messages::CHANGE_KIND,
    urgent: false,
    default: cartable_core::notify::Delivery::Immediate,
    profiles: &[
        cartable_core::directory::Profile::Eleve,
        cartable_core::directory::Profile::Responsable,
    ],
};

/// See a person's week: themselves, their parents, their teachers, vie scolaire, direction.
pub const SEE: &str = "edt.voir";
/// See a class's week (its groups included).
pub const SEE_CLASS: &str = "edt.voir-classe";
/// Cancel an occurrence or change its room.
pub const CHANGE: &str = "edt.modifier";
/// Import the timetable, set the A/B weeks.
pub const MANAGE: &str = "edt.gerer";

const RULES: &[(&str, &[Role])] = &[
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
    (
        SEE_CLASS,
        &[
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (
        CHANGE,
        &[
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (MANAGE, &[Role::Direction, Role::Rupn]),
];

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::week),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/gerer",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(pages::manage),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/importer",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(pages::import),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/semaine-a",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(pages::set_reference),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/changement",
        rule: Rule::Policy(Action::Module(CHANGE)),
        handler: |r| r.to(pages::change),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/abonnement",
        rule: Rule::SignedIn,
        handler: |r| r.to(cartable_web::module::feed::subscribe),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/abonnement/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(cartable_web::module::feed::unsubscribe),
    },
    // The secret address is the credential: calendar applications send no cookie.
    ModuleRoute {
        method: Method::Get,
        path: "/ical/{token}",
        rule: Rule::Public,
        handler: |r| r.to(pages::feed),
    },
];

pub struct EmploiDuTemps;

pub const ID: &str = "emploi-du-temps";

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "emploi_du_temps",
    default_profiles: &cartable_core::directory::Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&CHANGE_KIND],
};

impl Module for EmploiDuTemps {
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
