//! What the forums' pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct ForumView {
    pub path: String,
    pub label: String,
    /// « 3 sujets ».
    pub subjects: String,
    /// « le 3 décembre 2026 à 17h02 »; empty without a message.
    pub last: String,
}

#[derive(Template)]
#[template(path = "forums_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub forums: Vec<ForumView>,
    /// « 2 signalements à traiter », for a moderator with some.
    pub reports: Option<String>,
    pub nothing: &'static str,
}

pub struct SubjectView {
    pub id: i64,
    pub title: String,
    pub author: String,
    /// « 4 messages ».
    pub posts: String,
    pub last: String,
    pub pinned: bool,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "forums_forum.html")]
pub struct ForumPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub label: String,
    pub path: String,
    pub subjects: Vec<SubjectView>,
    pub can_write: bool,
    /// What was typed, when the form was refused.
    pub title: String,
    pub body: String,
    pub nothing: &'static str,
}

pub struct PostView {
    pub id: i64,
    pub author: String,
    pub when: String,
    /// Safe HTML.
    pub html: String,
    /// « Message masqué par … : … ».
    pub hidden: Option<String>,
    pub deleted: bool,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "forums_subject.html")]
pub struct SubjectPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub id: i64,
    pub title: String,
    pub label: String,
    pub forum_path: String,
    pub pinned: bool,
    pub locked: bool,
    pub moderator: bool,
    pub can_reply: bool,
    pub posts: Vec<PostView>,
    /// What was typed, when the reply was refused.
    pub reply: String,
}

pub struct ReportView {
    pub id: i64,
    pub post: i64,
    pub subject: i64,
    pub forum: String,
    pub author: String,
    pub reporter: String,
    pub reason: String,
    pub when: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "forums_reports.html")]
pub struct ReportsPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub reports: Vec<ReportView>,
    pub nothing: &'static str,
}
