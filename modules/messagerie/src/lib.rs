//! Messagerie: messages between the établissement's people and the families — reception,
//! envoyés, brouillons, corbeille, one's own folders; conversations; recipients found by
//! name or chosen as lists (always in hidden copy); attachments; recall within 60 minutes;
//! « ne pas répondre ». Who may write to whom is a matrix the RUPN edits (`rules.rs`),
//! checked on every send; the RUPN can suspend sending, limits per sender and hour raise an
//! alert, and a recipient can report a message. No one reads another's mail: the staff see
//! only what was reported to them.

mod carnet;
mod compose;
mod demo;
mod mailbox;
pub mod messages;
pub mod model;
pub mod pieces;
pub mod reach;
mod recall;
pub mod rules;
mod rules_page;
mod safety;
pub mod store;
mod templates;

use cartable_core::authz::Role;
use cartable_core::directory::{Person, Profile, Relations};
use cartable_core::notify::{Delivery, Kind};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "messagerie";
/// Read and change the communication rules, the suspensions and the limits.
pub const RULES: &str = "msg.regles";
/// Read the reported messages and close the reports.
pub const REPORTS: &str = "msg.signalements";

const ACTIONS: &[(&str, &[Role])] = &[
    (RULES, &[Role::Rupn, Role::Direction]),
    (REPORTS, &[Role::Rupn, Role::Direction]),
];

/// A message received.
pub static MESSAGE_KIND: Kind = Kind {
    id: "messagerie.message",
    label: messages::MESSAGE_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &Profile::ALL,
};

/// A message reported by its recipient (to the RUPN and the direction).
pub static REPORT_KIND: Kind = Kind {
    id: "messagerie.signalement",
    label: messages::REPORT_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[Profile::Admin, Profile::Direction],
};

/// A sender who reached his hourly limit (to the RUPN).
pub static ALERT_KIND: Kind = Kind {
    id: "messagerie.alerte",
    label: messages::ALERT_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[Profile::Admin],
};

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::folder),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/message/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::read),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::act),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}/rappeler",
        rule: Rule::SignedIn,
        handler: |r| r.to(recall::recall),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/message/{id}/signaler",
        rule: Rule::SignedIn,
        handler: |r| r.to(safety::report),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/piece/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::piece),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/corbeille/vider",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::empty_trash),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/dossiers",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::add_folder),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/dossier/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(mailbox::delete_folder),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/ecrire",
        rule: Rule::SignedIn,
        handler: |r| r.to(compose::form),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/ecrire",
        rule: Rule::SignedIn,
        handler: |r| r.to(compose::submit),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/carnet",
        rule: Rule::SignedIn,
        handler: |r| r.to(carnet::carnet),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/regles",
        rule: Rule::Policy(cartable_core::authz::Action::Module(RULES)),
        handler: |r| r.to(rules_page::show),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/regles",
        rule: Rule::Policy(cartable_core::authz::Action::Module(RULES)),
        handler: |r| r.to(rules_page::save),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/regles/defaut",
        rule: Rule::Policy(cartable_core::authz::Action::Module(RULES)),
        handler: |r| r.to(rules_page::reset),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/suspension",
        rule: Rule::Policy(cartable_core::authz::Action::Module(RULES)),
        handler: |r| r.to(rules_page::suspension),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/limites",
        rule: Rule::Policy(cartable_core::authz::Action::Module(RULES)),
        handler: |r| r.to(rules_page::limits),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/signalements",
        rule: Rule::Policy(cartable_core::authz::Action::Module(REPORTS)),
        handler: |r| r.to(safety::reports),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/signalement/{id}/traite",
        rule: Rule::Policy(cartable_core::authz::Action::Module(REPORTS)),
        handler: |r| r.to(safety::handle),
    },
];

pub struct Messagerie;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "messagerie",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: ACTIONS,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&MESSAGE_KIND, &REPORT_KIND, &ALERT_KIND],
};

impl Module for Messagerie {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        _relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        Box::pin(mailbox::tiles(state, person))
    }

    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>> {
        Box::pin(mailbox::export(state, person))
    }

    fn purge<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(mailbox::purge(state))
    }

    fn seed_demo<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(demo::seed(state))
    }

    fn reachable<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        candidates: &'a [Person],
    ) -> BoxFuture<'a, Result<Option<Vec<bool>>, WebError>> {
        Box::pin(async move { reach::reachable(state, person, candidates).await.map(Some) })
    }
}
