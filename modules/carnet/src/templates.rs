//! What the carnet's pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

/// A person as the carnet shows him: what one may see of his contact details.
pub struct Entry {
    pub given_name: String,
    pub family_name: String,
    pub name: String,
    /// « Élève, 6e A », « Enseignant ».
    pub what: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub struct Section {
    pub title: String,
    pub people: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "carnet_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub q: String,
    pub sections: Vec<Section>,
    pub found: Vec<Entry>,
    pub nothing: &'static str,
    pub nobody: &'static str,
    pub no_reach: Option<&'static str>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub vcard: String,
}

#[derive(Template)]
#[template(path = "carnet_card.html")]
pub struct CardPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    /// One's e-mail in the annuaire.
    pub email: Option<String>,
    pub show_email: bool,
    pub phone: String,
    pub show_phone: bool,
    pub pupil: bool,
}
