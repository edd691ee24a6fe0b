//! Blogs: a class's or a project group's, opened by a teacher; its teachers write, its pupils
//! too where the teacher allows (a teacher publishes what they write); the class and its
//! families read; comments always wait for a teacher.

mod data;
mod demo;
mod members;
pub mod messages;
pub mod model;
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

pub const ID: &str = "blogs";
/// Moderate every blog and open one for any class or group.
pub const MODERATE_ALL: &str = "blogs.moderer";

const RULES: &[(&str, &[Role])] = &[(MODERATE_ALL, &[Role::Direction, Role::Rupn])];

/// A pupil's post or a comment waiting on a blog one runs.
pub static WAITING_KIND: Kind = Kind {
    id: "blogs.a-valider",
    label: messages::WAITING_KIND,
    urgent: false,
    default: Delivery::Daily,
    profiles: &[
        Profile::Enseignant,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Documentaliste,
        Profile::Administratif,
        Profile::Admin,
    ],
};

// Who reads, writes and moderates is each blog's business (its class or group): the handlers
// ask `model::Reader`; a blog one does not read answers « not found ».
const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Post,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::create),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/billet/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::post),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/billet/{id}/commentaire",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::comment),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/billet/{id}/publier",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::publish),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/billet/{id}/supprimer",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::delete),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/commentaire/{id}/valider",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::moderate_comment),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::blog),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/{id}/billet",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::write),
    },
];

pub struct Blogs;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "blogs",
    default_profiles: &Profile::ALL,
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&WAITING_KIND],
};

impl Module for Blogs {
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
