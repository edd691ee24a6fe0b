//! What each page of the module needs; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct SlotView {
    pub id: i64,
    pub time: String,
    pub subject: String,
    pub audience: String,
    pub teachers: String,
    pub room: String,
    pub old_room: Option<String>,
    pub cancelled: bool,
    pub note: String,
    pub can_change: bool,
}

pub struct DayView {
    pub label: String,
    pub date: String,
    /// Why there is no school that day (« Vacances de Noël », « Armistice 1918 »).
    pub off: Option<String>,
    pub slots: Vec<SlotView>,
}

#[derive(Template)]
#[template(path = "edt_semaine.html")]
pub struct WeekPage<'a> {
    pub chrome: &'a Chrome,
    pub title: String,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub tabs: Vec<Tab>,
    pub week_label: String,
    pub prev: String,
    pub next: String,
    pub current: String,
    pub is_current: bool,
    pub changes: Vec<String>,
    pub empty: Option<&'static str>,
    pub days: Vec<DayView>,
    pub csrf: String,
    pub back: String,
    pub has_feed: bool,
    pub can_manage: bool,
}

#[derive(Template)]
#[template(path = "edt_gerer.html")]
pub struct ManagePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub problems: Vec<String>,
    /// (class or group, courses, hours A / B).
    pub plan: Vec<PlanRow>,
    pub courses: usize,
    /// (code, label) of classes and groups.
    pub targets: Vec<(String, String)>,
    pub reference: String,
    pub csrf: String,
}

/// A class's or group's weekly hours, as the manager reads them.
pub struct PlanRow {
    pub code: String,
    pub label: String,
    pub courses: usize,
    /// « 27 h 30 / 27 h » (weeks A / B).
    pub hours: String,
}
