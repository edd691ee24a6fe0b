//! Carnet d'adresses of the établissement: the staff by service, and the people one may reach
//! by the messagerie's rules (asked through the host), each with the contact details he chose
//! to show — a pupil never sees another pupil's or a parent's —; one's own card; a vCard
//! export of what one sees.

mod data;
mod demo;
pub mod messages;
pub mod model;
mod pages;
pub mod store;
mod templates;
mod vcard;

use cartable_core::directory::{Person, Profile, Relations};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "carnet";

// What one sees of whom is the model's (`model::shown`) and the messagerie's rules': every
// route is open to whoever is signed in and shows him only that.
const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/fiche",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::card),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/fiche",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::save_card),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/vcard",
        rule: Rule::SignedIn,
        handler: |r| r.to(vcard::export),
    },
];

pub struct Carnet;

/// What the module is, as data: for everyone.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "carnet",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: &[],
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[],
};

impl Module for Carnet {
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
