//! Agendas: the établissement's (conseils de classe, réunions parents-professeurs, sorties),
//! published by the direction or the vie scolaire to chosen audiences — everyone, the staff,
//! a class, the parents of a class — and each person's own; both in one agenda, and in a
//! secret iCal address for a phone or a mail client.

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

pub const ID: &str = "agenda";
/// Publish to the établissement's agenda.
pub const PUBLISH: &str = "agenda.publier";

const RULES: &[(&str, &[Role])] = &[(PUBLISH, &[Role::Direction, Role::VieScolaire, Role::Rupn])];

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::agenda),
    },
    // A person's own event for anyone; the établissement's needs `agenda.publier`.
    ModuleRoute {
        method: Method::Post,
        path: "/evenement",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::add),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/evenement/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::delete),
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
        handler: |r| r.to(pages::feed),
    },
];

pub struct Agenda;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "agenda",
    default_profiles: &cartable_core::directory::Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[],
};

impl Module for Agenda {
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

    fn purge<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(pages::purge(state))
    }

    fn seed_demo<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(demo::seed(state))
    }
}

// Keeps the action in one place for the handlers.
pub(crate) const fn publish() -> Action {
    Action::Module(PUBLISH)
}
