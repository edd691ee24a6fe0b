//! Médiacentre: the digital resources each person may open — declared by the documentaliste,
//! the direction or the RUPN for chosen profiles, classes or levels (a site, a service signed
//! in through the ENT, a resource of the collectivité's bouquet) —, searched, kept as
//! favourites; personal signets, and the links a teacher shares with a class.

mod data;
mod demo;
mod manage;
pub mod messages;
pub mod model;
mod pages;
mod people;
pub mod store;
mod templates;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Profile, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "mediacentre";
/// Declare, edit and remove the établissement's resources.
pub const MANAGE: &str = "mediacentre.gerer";

const RULES: &[(&str, &[Role])] = &[(MANAGE, &[Role::Documentaliste, Role::Direction, Role::Rupn])];

// A resource one is not offered, a signet one cannot read: « not found », asked in the
// handlers through `model::Viewer`.
const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/ouvrir/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::open),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/favori/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::favorite),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/signets",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::add_signet),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/signet/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::delete_signet),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/gestion",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::list),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::create),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/gestion/{id}",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::edit_form),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/{id}",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::edit),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/gestion/{id}/supprimer",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(manage::delete),
    },
];

pub struct Mediacentre;

/// What the module is, as data: for everyone, parents included (the établissement may offer
/// them a resource, e.g. a guide to the collège).
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "mediacentre",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[],
};

impl Module for Mediacentre {
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
