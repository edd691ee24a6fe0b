//! Actualités: the établissement's news — « Vie du collège », « Cantine », « CA »,
//! « Association des parents »… — each in a channel whose contributors write and whose
//! publishers validate, for chosen audiences (everyone, the staff, pupils, parents, a level,
//! a class, the parents of a class), over a publication window in French time; images from
//! the author's documents; pinned items, « à la une » on the portal, the week's canteen menu, and read receipts for
//! important notices.

mod announce;
mod channels;
mod data;
mod demo;
mod images;
mod list;
pub mod messages;
pub mod model;
mod people;
pub mod store;
mod templates;
pub mod window;
mod write;

use cartable_core::authz::{Action, Role};
use cartable_core::directory::{Person, Profile, Relations};
use cartable_core::notify::{Delivery, Kind};
use cartable_web::error::WebError;
use cartable_web::module::{BoxFuture, Module, ModuleRoute, ModuleSpec, Retention};
use cartable_web::routes::{Method, Rule};
use cartable_web::state::AppState;
use cartable_web::templates::Tile;

pub const ID: &str = "actualites";
/// Publish in every channel and validate anyone's items.
pub const PUBLISH_EVERYWHERE: &str = "actualites.publier";
/// Create channels and say who writes and publishes in them.
pub const MANAGE: &str = "actualites.gerer";

const RULES: &[(&str, &[Role])] = &[
    (PUBLISH_EVERYWHERE, &[Role::Direction, Role::Rupn]),
    (MANAGE, &[Role::Direction, Role::Rupn]),
];

/// A new actualité for one's audience: in the day's digest unless one asks otherwise.
pub static NEW_KIND: Kind = Kind {
    id: "actualites.nouvelle",
    label: messages::NEW_KIND,
    urgent: false,
    default: Delivery::Daily,
    profiles: &Profile::ALL,
};

/// An item waits for its channel's publishers.
pub static WAITING_KIND: Kind = Kind {
    id: "actualites.a-valider",
    label: messages::WAITING_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[
        Profile::Enseignant,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
        Profile::Responsable,
    ],
};

/// One's item validated or refused.
pub static DECIDED_KIND: Kind = Kind {
    id: "actualites.decision",
    label: messages::DECIDED_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[
        Profile::Enseignant,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
        Profile::Responsable,
    ],
};

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(list::list),
    },
    // Who may write where is the channel's business (its contributors and publishers).
    ModuleRoute {
        method: Method::Get,
        path: "/ecrire",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::form),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/ecrire",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::save),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/rubriques",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(channels::page),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/rubriques",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(channels::add),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/rubriques/{id}/role",
        rule: Rule::Policy(Action::Module(MANAGE)),
        handler: |r| r.to(channels::set_role),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/image/{name}",
        rule: Rule::SignedIn,
        handler: |r| r.to(images::serve),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(list::item),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/valider",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::accept),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/refuser",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::refuse),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::delete),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/lu",
        rule: Rule::SignedIn,
        handler: |r| r.to(write::mark_read),
    },
];

pub struct Actualites;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "actualites",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&NEW_KIND, &WAITING_KIND, &DECIDED_KIND],
};

impl Module for Actualites {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        Box::pin(list::tiles(state, person, relations))
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

    fn due<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(announce::due(state))
    }
}

pub(crate) const fn publish_everywhere() -> Action {
    Action::Module(PUBLISH_EVERYWHERE)
}

pub(crate) const fn manage() -> Action {
    Action::Module(MANAGE)
}
