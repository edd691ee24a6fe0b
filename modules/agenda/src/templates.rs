//! What the agenda's page needs; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct EventView {
    pub id: i64,
    pub when: String,
    pub title: String,
    pub place: String,
    pub description: String,
    /// « Agenda personnel », « Parents de 6e A, Personnels »…
    pub audience: String,
    pub mine: bool,
    pub can_delete: bool,
}

pub struct DayView {
    pub date: String,
    pub label: String,
    pub events: Vec<EventView>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
pub struct AgendaPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub period: String,
    pub prev: String,
    pub next: String,
    pub days: Vec<DayView>,
    pub nothing: &'static str,
    pub csrf: String,
    pub today: String,
    pub publisher: bool,
    /// (code, label).
    pub classes: Vec<(String, String)>,
    pub has_feed: bool,
}
