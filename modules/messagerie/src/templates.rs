//! What the messagerie's pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::{Chrome, Pager};

/// A place in the side list: code, label, unread, current.
pub struct PlaceLink {
    /// A folder's id (0 for the default places).
    pub id: i64,
    pub code: String,
    pub label: String,
    pub unread: i64,
    pub current: bool,
}

/// A line of a folder.
pub struct Line {
    pub id: i64,
    pub unread: bool,
    /// The sender (reception) or the addressees (envoyés, brouillons).
    pub who: String,
    pub subject: String,
    pub when: String,
    pub pieces: bool,
    pub note: String,
}

#[derive(Template)]
#[template(path = "msg_box.html")]
pub struct BoxPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub title: String,
    pub places: Vec<PlaceLink>,
    pub folders: Vec<PlaceLink>,
    pub lines: Vec<Line>,
    pub empty: String,
    pub search: String,
    pub is_trash: bool,
    pub pager: Pager,
    pub usage: String,
    pub may_write: bool,
    pub suspended: Option<String>,
    pub rules_link: bool,
    pub reports_link: bool,
}

/// One message of a conversation as shown.
pub struct Shown {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub when: String,
    pub body: String,
    /// (id, name, size).
    pub pieces: Vec<(i64, String, String)>,
    pub recalled: bool,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "msg_read.html")]
pub struct ReadPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub id: i64,
    pub subject: String,
    pub thread: Vec<Shown>,
    pub back: String,
    pub received: bool,
    pub in_trash: bool,
    pub no_reply: bool,
    pub may_reply: bool,
    pub may_reply_all: bool,
    pub recallable: bool,
    /// (code, label) of the places it can be moved to.
    pub moves: Vec<(String, String)>,
}

/// A chosen addressee in the compose form.
pub struct Chosen {
    pub token: String,
    pub label: String,
    /// `a`, `cc` or `cci`.
    pub place: String,
    pub list: bool,
}

#[derive(Template)]
#[template(path = "msg_compose.html")]
pub struct ComposePage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub draft: Option<i64>,
    pub parent: Option<i64>,
    pub forward: Option<i64>,
    pub chosen: Vec<Chosen>,
    pub subject: String,
    pub body: String,
    pub no_reply: bool,
    pub may_no_reply: bool,
    pub search: String,
    /// (token, label) of the people found.
    pub found: Vec<(String, String)>,
    pub searched: bool,
    /// (token, label) of the lists he may use.
    pub lists: Vec<(String, String)>,
    /// (id, name, size) of the pieces already attached.
    pub pieces: Vec<(i64, String, String)>,
    /// His own files he may attach (path).
    pub files: Vec<String>,
    pub max_size: String,
}

#[derive(Template)]
#[template(path = "msg_carnet.html")]
pub struct CarnetPage<'a> {
    pub chrome: &'a Chrome,
    pub search: String,
    /// (login, name, what).
    pub people: Vec<(String, String, String)>,
    pub lists: Vec<(String, String)>,
    pub page: usize,
    pub next: Option<String>,
    pub prev: Option<String>,
    pub rule: String,
}

/// A row of the matrix: the profile, its label, and per scope (code, allowed).
pub struct MatrixRow {
    pub profile: String,
    pub label: String,
    pub cells: Vec<(String, bool)>,
    pub preview: String,
    pub suspended: bool,
    pub messages: i64,
    pub recipients: i64,
}

#[derive(Template)]
#[template(path = "msg_rules.html")]
pub struct RulesPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    /// (code, label) of each scope, the matrix's columns.
    pub scopes: Vec<(String, String)>,
    pub rows: Vec<MatrixRow>,
    pub edited: String,
    pub everyone_suspended: bool,
    /// Preview for a class: (class code, label) choices and the chosen one's sentences.
    pub classes: Vec<(String, String)>,
    pub class: String,
    pub class_preview: Vec<String>,
    pub from: String,
    pub to: String,
    pub verdict: Option<String>,
    /// (when, who, what).
    pub alerts: Vec<(String, String, String)>,
    pub may_edit: bool,
}

pub struct ReportItem {
    pub id: i64,
    pub when: String,
    pub reporter: String,
    pub reason: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent: String,
    pub pieces: Vec<(i64, String, String)>,
    /// The messages before it in the conversation: (from, when, body).
    pub context: Vec<(String, String, String)>,
    pub handled: Option<String>,
}

#[derive(Template)]
#[template(path = "msg_reports.html")]
pub struct ReportsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub reports: Vec<ReportItem>,
}
