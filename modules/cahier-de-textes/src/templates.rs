//! What each page of the module needs; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct Link {
    pub label: String,
    pub href: String,
}

pub struct DueItem {
    pub id: i64,
    pub subject: String,
    pub text: String,
    pub minutes: Option<u16>,
    pub given: String,
    /// (id, name).
    pub pieces: Vec<(i64, String)>,
}

pub struct DueDay {
    pub date: String,
    pub label: String,
    pub items: Vec<DueItem>,
}

pub struct SeanceView {
    pub id: i64,
    pub date: String,
    pub subject: String,
    pub teacher: String,
    pub title: String,
    pub content: String,
    /// « mardi 24 novembre : Exercices 3 et 4 (environ 30 min) ».
    pub travail: Option<String>,
    pub pieces: Vec<(i64, String)>,
    /// Not yet published: the day it will be.
    pub pending: Option<String>,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "cdt_accueil.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub title: String,
    pub tabs: Vec<Tab>,
    pub classes: Vec<Link>,
    pub pupil_view: bool,
    pub due: Vec<DueDay>,
    pub nothing_due: &'static str,
    /// (subject, its séances, shown open).
    pub subjects: Vec<(String, Vec<SeanceView>, bool)>,
    pub no_seance: &'static str,
    /// A member of staff with no class to read.
    pub nothing_to_read: &'static str,
}

/// The séance form's values (empty, an edit, or what was sent back with a problem).
#[derive(Default)]
pub struct FormState {
    pub id: Option<i64>,
    pub subject: String,
    pub date: String,
    pub title: String,
    pub content: String,
    pub travail: String,
    pub due: String,
    pub minutes: String,
    pub publish: String,
}

#[derive(Template)]
#[template(path = "cdt_classe.html")]
pub struct ClassPage<'a> {
    pub chrome: &'a Chrome,
    pub title: String,
    pub code: String,
    pub year: String,
    pub past_years: Vec<String>,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub can_write: bool,
    pub can_export: bool,
    pub form: FormState,
    pub subjects: Vec<String>,
    pub files: Vec<String>,
    /// The teacher's weekly courses with this class or group, from the timetable: (label,
    /// link that fills the form for its latest occurrence).
    pub courses: Vec<(String, String)>,
    pub seances: Vec<SeanceView>,
    pub csrf: String,
}
