//! Réservations: rooms and equipment (a class set of tablets, a projector, the CDI) in types
//! the RUPN edits — who may book, how far ahead, whether a manager validates —, booked for a
//! slot of the timetable or a free time range, once or every week (A, B or both) until a
//! date, school holidays skipped; a conflict is refused at once with its reason, the whole
//! series or nothing, in one transaction; a room's timetable courses are in the way unless
//! cancelled; the managers' queue; each resource's week; one's bookings in iCal.

mod book;
mod data;
mod demo;
mod grid;
mod ical;
mod manage;
pub mod messages;
pub mod model;
mod notices;
pub mod store;
mod templates;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Profile, Relations};
use cartable_core::notify::{Delivery, Kind};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "reservations";
/// Validate bookings, edit types and resources.
pub const MANAGE: &str = "reservations.gerer";

const RULES: &[(&str, &[Role])] = &[(MANAGE, &[Role::Direction, Role::Rupn])];

/// One's booking validated or refused.
pub static DECIDED_KIND: Kind = Kind {
    id: "reservations.decision",
    label: messages::DECIDED_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &Profile::ALL,
};

/// A booking to validate (direction, RUPN).
pub static WAITING_KIND: Kind = Kind {
    id: "reservations.a-valider",
    label: messages::WAITING_KIND,
    urgent: false,
    default: Delivery::Daily,
    profiles: &[Profile::Direction, Profile::Admin],
};

// Who may book what is each type's business (its profiles): the handlers ask.
const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(book::home),
    },
    ModuleRoute {
        method: Method::Post,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(book::book),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/a-valider",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::queue),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/gestion",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::page),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/type",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::add_type),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/ressource",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::add_resource),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/type/{id}",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::edit_type),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/type/{id}/supprimer",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::delete_type),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/ressource/{id}",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::edit_resource),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/ressource/{id}/supprimer",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::delete_resource),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/ressource/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(grid::week),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/annuler",
        rule: Rule::SignedIn,
        handler: |r| r.to(book::cancel),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/valider",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::accept),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/refuser",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::refuse),
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
    ModuleRoute {
        method: Method::Get,
        path: "/ical/{token}",
        rule: Rule::Public,
        handler: |r| r.to(ical::calendar),
    },
];

pub struct Reservations;

/// What the module is, as data. Parents book nothing: closed to them by default.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "reservation_salles_materiels",
    default_profiles: &[
        Profile::Enseignant,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
    ],
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&DECIDED_KIND, &WAITING_KIND],
};

impl Module for Reservations {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        Box::pin(data::tiles(state, person, relations))
    }

    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>> {
        Box::pin(data::export(state, person))
    }

    fn purge<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(data::purge(state))
    }

    fn seed_demo<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(demo::seed(state))
    }
}

pub(crate) const fn manage() -> Action {
    Action::Module(MANAGE)
}
