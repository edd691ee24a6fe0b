//! Forums: one for each class (its pupils and teachers) and each group (its members), with
//! subjects and replies; the class's teachers (a group's staff) and the vie scolaire
//! moderate — pin, lock, hide a message with a reason — and any member may « signaler » a
//! message, which reaches the moderators at once.

mod data;
mod demo;
mod members;
pub mod messages;
pub mod model;
mod moderation;
mod pages;
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

pub const ID: &str = "forums";
/// Moderate every forum.
pub const MODERATE_ALL: &str = "forums.moderer";

const RULES: &[(&str, &[Role])] = &[(
    MODERATE_ALL,
    &[Role::VieScolaire, Role::Direction, Role::Rupn],
)];

/// A message reported in a forum one moderates.
pub static REPORT_KIND: Kind = Kind {
    id: "forums.signalement",
    label: messages::REPORT_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[
        Profile::Enseignant,
        Profile::VieScolaire,
        Profile::Direction,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
    ],
};

// Who may do what is each forum's business (its members, its moderators): the handlers ask
// `model::Member`, and a forum one is not in answers « not found ».
const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/signalements",
        rule: Rule::SignedIn,
        handler: |r| r.to(moderation::reports),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/signalement/{id}/garder",
        rule: Rule::SignedIn,
        handler: |r| r.to(moderation::keep),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/forum/{kind}/{code}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::forum),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/forum/{kind}/{code}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::open),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/sujet/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::subject),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sujet/{id}/repondre",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::reply),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sujet/{id}/epingler",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::pin),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sujet/{id}/verrouiller",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::lock),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sujet/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::delete_subject),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}/signaler",
        rule: Rule::SignedIn,
        handler: |r| r.to(moderation::report),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}/masquer",
        rule: Rule::SignedIn,
        handler: |r| r.to(moderation::hide),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(moderation::delete),
    },
];

pub struct Forums;

/// What the module is, as data. Parents have no class forum: off for them by default.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "forums",
    default_profiles: &[
        Profile::Eleve,
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
    notifications: &[&REPORT_KIND],
};

impl Module for Forums {
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

pub(crate) const fn moderate_all() -> Action {
    Action::Module(MODERATE_ALL)
}
