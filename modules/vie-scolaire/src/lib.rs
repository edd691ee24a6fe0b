//! Vie scolaire: the appel of each course on a phone (absent, retard, départ, remarque; an
//! empty appel recorded as proof; corrections kept as versions), the responsables told at once
//! (one notification per demi-journée, urgent), the families' justifications with a piece,
//! accepted or refused by the vie scolaire, and the vie scolaire's board of the day; sorties
//! and dispenses that excuse a course; absences counted by demi-journée, hour or day as the
//! établissement sets, with alerts and rates per class and level.

mod assiduite;
pub mod counting;
mod demo;
pub mod discipline;
mod discipline_pages;
mod dispenses;
mod lists;
pub mod messages;
pub mod model;
mod pages;
pub mod presence;
mod record;
mod sorties;
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

pub const ID: &str = "vie-scolaire";
/// Take or correct any appel (a teacher takes his own courses' without it).
pub const ANY_APPEL: &str = "vs.appel";
/// The day's board, the justifications to decide.
pub const DESK: &str = "vs.suivi";
/// A pupil's absences and retards.
pub const SEE: &str = "vs.voir";
/// Justify a pupil's absence.
pub const JUSTIFY: &str = "vs.justifier";
/// Give a pupil a punition.
pub const PUNISH: &str = "vs.punir";
/// Pronounce a sanction.
pub const SANCTION: &str = "vs.sanctionner";

const RULES: &[(&str, &[Role])] = &[
    (ANY_APPEL, &[Role::VieScolaire]),
    (DESK, &[Role::VieScolaire, Role::Direction]),
    (
        SEE,
        &[
            Role::Soi,
            Role::Responsable,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (JUSTIFY, &[Role::Responsable]),
    (
        PUNISH,
        &[
            Role::Enseignant,
            Role::ProfesseurPrincipal,
            Role::VieScolaire,
            Role::Direction,
        ],
    ),
    (SANCTION, &[Role::Direction]),
];

/// A punition or a sanction given to one's child.
pub static DISCIPLINE_KIND: Kind = Kind {
    id: "vie-scolaire.discipline",
    label: messages::DISCIPLINE_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[Profile::Responsable, Profile::Eleve],
};

/// A child absent or late: urgent, sent even during quiet hours.
pub static ABSENCE_KIND: Kind = Kind {
    id: "vie-scolaire.absence",
    label: messages::ABSENCE_KIND,
    urgent: true,
    default: Delivery::Immediate,
    profiles: &[Profile::Responsable, Profile::Eleve],
};

/// The answer to a justification.
pub static DECISION_KIND: Kind = Kind {
    id: "vie-scolaire.justification",
    label: messages::JUSTIFICATION_KIND,
    urgent: false,
    default: Delivery::Immediate,
    profiles: &[Profile::Responsable],
};

const ROUTES: &[ModuleRoute] = &[
    ModuleRoute {
        method: Method::Get,
        path: "",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::home),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/appel/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::appel),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/appel/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::take),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/ajouter",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::add),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/listes",
        rule: Rule::SignedIn,
        handler: |r| r.to(lists::show),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/listes/motif",
        rule: Rule::SignedIn,
        handler: |r| r.to(lists::add_motif),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/listes/punition",
        rule: Rule::SignedIn,
        handler: |r| r.to(lists::add_punition),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/listes/decompte",
        rule: Rule::SignedIn,
        handler: |r| r.to(lists::set_counting),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/taux",
        rule: Rule::SignedIn,
        handler: |r| r.to(assiduite::rates),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/sorties",
        rule: Rule::SignedIn,
        handler: |r| r.to(sorties::list),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sorties",
        rule: Rule::SignedIn,
        handler: |r| r.to(sorties::create),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/sortie/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(sorties::show),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sortie/{id}",
        rule: Rule::SignedIn,
        handler: |r| r.to(sorties::participants),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sortie/{id}/annuler",
        rule: Rule::SignedIn,
        handler: |r| r.to(sorties::cancel),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/dispense",
        rule: Rule::SignedIn,
        handler: |r| r.to(dispenses::add),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/dispense/{id}/retirer",
        rule: Rule::SignedIn,
        handler: |r| r.to(dispenses::withdraw),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/listes/{liste}/{code}/retirer",
        rule: Rule::SignedIn,
        handler: |r| r.to(lists::withdraw),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/export",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::export_csv),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/eleve/{login}",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::pupil),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/justifier",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::justify),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/suivi",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::follow_up),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/absence",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::report),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/courrier",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::letter),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/punition",
        rule: Rule::SignedIn,
        handler: |r| r.to(discipline_pages::punish),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/eleve/{login}/sanction",
        rule: Rule::SignedIn,
        handler: |r| r.to(discipline_pages::sanction),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/sanction/{id}/courrier",
        rule: Rule::SignedIn,
        handler: |r| r.to(discipline_pages::letter),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/punition/{id}/presence",
        rule: Rule::SignedIn,
        handler: |r| r.to(discipline_pages::attendance),
    },
    ModuleRoute {
        method: Method::Get,
        path: "/justification/{id}/piece",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::piece),
    },
    ModuleRoute {
        method: Method::Post,
        path: "/justification/{id}/decision",
        rule: Rule::SignedIn,
        handler: |r| r.to(pages::decide),
    },
];

pub struct VieScolaire;

/// What the module is, as data.
pub static SPEC: ModuleSpec = ModuleSpec {
    id: ID,
    title: messages::TITLE,
    audience_service: "vie_scolaire",
    default_profiles: &[
        Profile::Eleve,
        Profile::Responsable,
        Profile::Enseignant,
        Profile::VieScolaire,
        Profile::Direction,
    ],
    migrations: store::MIGRATIONS,
    routes: ROUTES,
    rules: RULES,
    retention: Retention {
        what: messages::RETENTION_WHAT,
        how_long: messages::RETENTION_HOW_LONG,
    },
    notifications: &[&ABSENCE_KIND, &DECISION_KIND, &DISCIPLINE_KIND],
};

impl Module for VieScolaire {
    fn spec(&self) -> &'static ModuleSpec {
        &SPEC
    }

    fn tiles<'a>(
        &'a self,
        _state: &'a AppState,
        person: &'a Person,
        _relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>> {
        Box::pin(async move { Ok(pages::tiles(person)) })
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

    fn attendance<'a>(
        &'a self,
        state: &'a AppState,
        pupil: &'a str,
        from: time::Date,
        to: time::Date,
    ) -> BoxFuture<'a, Result<Option<cartable_core::school_life::Attendance>, WebError>> {
        Box::pin(assiduite::attendance(state, pupil, from, to))
    }
}
