//! Page templates (askama, HTML-escaped by default). The text of the pages is in
//! `templates/`; the structs here say what each page needs.

use askama::Template;
use cartable_core::directory::{Person, Relations};

/// The établissement's name and what the header shows.
pub struct Chrome {
    pub etablissement: String,
    /// CSRF token for the header's sign-out form, when signed in.
    pub csrf: Option<String>,
    pub person_name: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub next: &'a str,
    pub login: &'a str,
    pub error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

/// A service tile on the portal.
pub struct Tile {
    pub title: String,
    pub description: String,
    pub href: String,
    /// Name of an icon under `/static/icons/`.
    pub icon: &'static str,
}

#[derive(Template)]
#[template(path = "portal.html")]
pub struct PortalPage<'a> {
    pub chrome: &'a Chrome,
    pub person: &'a Person,
    pub relations: &'a Relations,
    pub tiles: &'a [Tile],
    pub empty_tiles: &'a str,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage<'a> {
    pub chrome: &'a Chrome,
    pub person: &'a Person,
    pub relations: &'a Relations,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub incident: &'a str,
}
