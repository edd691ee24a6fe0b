//! The pages' templates (askama, escaped by default) and what each needs. They extend the
//! hub's `base.html` and use the appliance's design components (`components.html`).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::alerts::Alert;
use crate::db::read::{EtabState, EtatJour, GarRow, ImportRow};

/// The banner: the académie's name and who is signed in.
pub struct Banner {
    pub academie: String,
    pub nom: Option<String>,
    pub csrf: Option<String>,
}

impl Banner {
    pub fn anonymous(academie: &str) -> Self {
        Self {
            academie: academie.to_owned(),
            nom: None,
            csrf: None,
        }
    }

    pub fn of(academie: &str, staff: &super::session::Staff) -> Self {
        Self {
            academie: academie.to_owned(),
            nom: Some(staff.nom.clone()),
            csrf: Some(staff.csrf.clone()),
        }
    }
}

pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body(html),
        Err(e) => {
            tracing::error!("gabarit : {e}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

#[derive(Template)]
#[template(path = "hub_connexion.html")]
pub struct SignInPage<'a> {
    pub banner: Banner,
    pub csrf: &'a str,
    pub suite: &'a str,
    pub login: &'a str,
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "hub_erreur.html")]
pub struct ErrorPage<'a> {
    pub banner: Banner,
    pub title: &'a str,
    pub message: &'a str,
}

/// One line of the list.
pub struct Line {
    pub state: EtabState,
    pub alerts: Vec<Alert>,
    pub dernier_message: String,
    pub dernier_import: String,
    pub sauvegarde: String,
    pub disque: String,
}

#[derive(Template)]
#[template(path = "hub_tableau.html")]
pub struct OverviewPage {
    pub banner: Banner,
    pub lines: Vec<Line>,
    pub in_alert: usize,
    pub silent: usize,
}

/// A file deposited for the établissement, and what became of it.
pub struct FluxLine {
    pub nom: String,
    pub taille: String,
    pub depose: String,
    pub retire: String,
    pub livraison: String,
    pub applique: String,
}

#[derive(Template)]
#[template(path = "hub_etablissement.html")]
pub struct EtabPage {
    pub banner: Banner,
    pub line: Line,
    pub etats: Vec<(String, EtatJour, String)>,
    pub imports: Vec<(String, ImportRow, String)>,
    pub gar: Vec<(String, GarRow)>,
    pub messages: Vec<(String, i64)>,
    pub flux: Vec<FluxLine>,
    pub chart: String,
    pub annee: i32,
}

/// A row of the usage table: the week, then one figure per column.
pub struct UsageLine {
    pub semaine: String,
    pub figures: Vec<String>,
    pub total: String,
}

#[derive(Template)]
#[template(path = "hub_usages.html")]
pub struct UsagesPage {
    pub banner: Banner,
    pub annee: i32,
    pub annees: Vec<i32>,
    pub uai: String,
    pub etablissements: Vec<(String, String)>,
    pub mesure: String,
    pub chart_services: String,
    pub chart_profils: String,
    pub columns: Vec<String>,
    pub lines: Vec<UsageLine>,
    pub profile_columns: Vec<String>,
    pub profile_lines: Vec<UsageLine>,
    pub csv: String,
}
