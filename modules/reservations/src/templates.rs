//! What the réservations' pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct BookingView {
    pub id: i64,
    pub resource: String,
    /// « lundi 7 décembre, 08h00 – 09h00 ».
    pub when: String,
    pub quantity: i64,
    /// Who booked (the grid, the manager's queue).
    pub who: String,
    pub reason: String,
    /// « En attente de validation », « Refusée »; empty when validated.
    pub state: &'static str,
    pub refusal: String,
    pub series: bool,
}

/// The booking form as typed (kept when refused).
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub resource: i64,
    pub day: String,
    /// `start-end` minutes of a timetable slot, or empty for `from`/`to`.
    pub slot: String,
    pub from: String,
    pub to: String,
    pub quantity: String,
    pub reason: String,
    pub repeat: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "resa_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub mine: Vec<BookingView>,
    /// (id, label, chosen).
    pub resources: Vec<(i64, String, bool)>,
    /// Every resource, for its week's grid: (id, name).
    pub all_resources: Vec<(i64, String)>,
    /// (key, « 08h00 – 08h55 », chosen).
    pub slots: Vec<(String, String, bool)>,
    pub f: Typed,
    pub manager: bool,
    pub waiting: Option<String>,
    pub has_feed: bool,
    pub nothing: &'static str,
    pub no_resource: &'static str,
}

pub struct DayView {
    pub label: String,
    /// (« 08h00 – 08h55 », what, booking id to cancel if one may).
    pub entries: Vec<(String, String, Option<i64>)>,
}

#[derive(Template)]
#[template(path = "resa_grid.html")]
pub struct GridPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: String,
    pub name: String,
    pub period: String,
    pub prev: String,
    pub next: String,
    pub days: Vec<DayView>,
}

#[derive(Template)]
#[template(path = "resa_queue.html")]
pub struct QueuePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub waiting: Vec<BookingView>,
    pub nothing: &'static str,
}

pub struct TypeView {
    pub id: i64,
    pub name: String,
    pub profiles: String,
    /// Every profile for the edit form: (value, label, checked).
    pub choices: Vec<(&'static str, &'static str, bool)>,
    pub days_ahead: i64,
    pub validation: bool,
    /// (id, name, quantity, room).
    pub resources: Vec<(i64, String, i64, String)>,
}

#[derive(Template)]
#[template(path = "resa_manage.html")]
pub struct ManagePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub types: Vec<TypeView>,
    /// (id, name) for the resource form.
    pub type_choices: Vec<(i64, String)>,
    /// (value, label) of every profile.
    pub profiles: Vec<(&'static str, &'static str)>,
}
