//! What the notes' pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

/// The évaluation form as typed: course (`5B|Mathématiques`), title, day, coefficient, out of,
/// brought back to /20, counting, visible from.
#[derive(Default, Clone)]
pub struct EvalForm {
    pub course: String,
    pub title: String,
    pub day: String,
    pub coefficient: String,
    pub out_of: String,
    pub to_twenty: bool,
    pub counting: String,
    pub visible: String,
    /// It gives a mark.
    pub marked: bool,
    /// The composantes it assesses.
    pub skills: Vec<String>,
}

#[derive(Template)]
#[template(path = "notes_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    /// (value, label) of the teacher's courses.
    pub courses: Vec<(String, String)>,
    pub form: EvalForm,
    /// (id, date, class, subject, title, how many marks).
    pub evaluations: Vec<(i64, String, String, String, String, usize)>,
    /// (login, name) of a parent's children.
    pub children: Vec<(String, String)>,
    /// (href, class) of the conseils de classe one sits on.
    pub conseils: Vec<(String, String)>,
    /// (href, course) of a teacher's appréciations pages.
    pub appreciations: Vec<(String, String)>,
    /// The direction: bulletins and settings.
    pub manage: bool,
    /// (code, label, checked) of the socle's composantes.
    pub composantes: Vec<(&'static str, &'static str, bool)>,
}

/// A pupil's row of a grid: login, name, the cell as typed, and (code, label, level chosen)
/// per composante assessed.
pub struct Row {
    pub login: String,
    pub name: String,
    pub cell: String,
    pub levels: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "notes_grid.html")]
pub struct GridPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub id: i64,
    pub title: String,
    pub what: String,
    pub out_of: u16,
    pub marked: bool,
    /// The settings form: as the évaluation is, or as typed when refused (then open).
    pub edit: EvalForm,
    pub edit_open: bool,
    /// (code, label, checked) of the socle's composantes, for the settings form.
    pub composantes: Vec<(&'static str, &'static str, bool)>,
    /// (code, label) of the composantes assessed.
    pub skills: Vec<(String, String)>,
    /// (value, short, label) of the four levels.
    pub levels: Vec<(String, &'static str, &'static str)>,
    /// Why the marks can no longer change (the period is locked).
    pub locked: Option<String>,
    pub rows: Vec<Row>,
    pub column: String,
    /// Class figures: average, min, max of this évaluation on /20.
    pub figures: String,
}

/// One évaluation on a pupil's page.
pub struct Line {
    pub title: String,
    pub day: String,
    pub mark: String,
    pub coefficient: String,
    pub note: String,
}

pub struct Subject {
    pub name: String,
    pub average: String,
    pub class_average: String,
    pub lines: Vec<Line>,
    pub explain: String,
}

/// A link among others (periods), the current one marked.
pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "notes_pupil.html")]
pub struct PupilPage<'a> {
    pub chrome: &'a Chrome,
    pub name: String,
    pub class: String,
    /// « 1er trimestre, du … au … ».
    pub period: String,
    pub tabs: Vec<Tab>,
    pub general: String,
    pub class_general: String,
    pub subjects: Vec<Subject>,
    /// (composante, level, évaluations) over the period.
    pub skills: Vec<(String, String, usize)>,
    pub family_view: bool,
    /// (href, label) of his published bulletins.
    pub bulletins: Vec<(String, String)>,
}

/// A line of an explanation: title, mark, on /20, coefficient, points, max, counted.
pub struct Term {
    pub title: String,
    pub mark: String,
    pub coefficient: String,
    pub points: String,
    pub max: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "notes_explain.html")]
pub struct ExplainPage<'a> {
    pub chrome: &'a Chrome,
    pub back: String,
    pub name: String,
    pub subject: String,
    pub terms: Vec<Term>,
    pub points: String,
    pub max: String,
    pub formula: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "notes_settings.html")]
pub struct SettingsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    /// Three rows, the last empty for semestres.
    pub rows: Vec<crate::periods::TypedPeriod>,
    /// One avis per line.
    pub avis: String,
}

/// A pupil's line on a teacher's appréciations page.
pub struct AppreciationRow {
    pub login: String,
    pub name: String,
    pub average: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "notes_appreciations.html")]
pub struct AppreciationsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    /// « 5e B — Mathématiques ».
    pub title: String,
    pub period: String,
    pub tabs: Vec<Tab>,
    pub cours: String,
    pub position: u8,
    pub class_average: String,
    pub rows: Vec<AppreciationRow>,
    pub max: usize,
    pub locked: Option<String>,
}

/// A pupil on the conseil's grid: his general average, (subject, average, appréciation), and
/// what the conseil wrote.
pub struct ConseilPupil {
    pub login: String,
    pub name: String,
    pub general: String,
    pub subjects: Vec<(String, String, String)>,
    pub conseil: crate::store::conseil::Conseil,
}

#[derive(Template)]
#[template(path = "notes_conseil.html")]
pub struct ConseilPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub class: String,
    pub label: String,
    pub period: String,
    pub position: u8,
    pub tabs: Vec<Tab>,
    /// (subject, class average).
    pub class_averages: Vec<(String, String)>,
    pub class_general: String,
    pub pupils: Vec<ConseilPupil>,
    pub avis: Vec<String>,
    pub may_synthese: bool,
    pub may_cpe: bool,
    pub may_bulletins: bool,
    /// (href, cycle) of the class's bilan de fin de cycle, in 6e and 3e.
    pub bilan: Option<(String, u8)>,
    pub max: usize,
    pub max_cpe: usize,
}

/// A class (or a pupil) and the state of its bulletins, with links.
pub struct BulletinRow {
    pub href: String,
    pub name: String,
    pub state: String,
    pub links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "notes_bulletins.html")]
pub struct BulletinsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub period: String,
    pub position: u8,
    pub tabs: Vec<Tab>,
    pub rows: Vec<BulletinRow>,
}

#[derive(Template)]
#[template(path = "notes_bulletins_classe.html")]
pub struct ClassBulletinsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub class: String,
    pub label: String,
    pub period: String,
    pub position: u8,
    pub tabs: Vec<Tab>,
    pub rows: Vec<BulletinRow>,
    pub drafts: usize,
    pub publish_from: String,
}

/// A pupil on the bilan de fin de cycle: (code, composante, level chosen, what the year
/// proposes) per composante, the points of what is chosen, whether every level is settled.
pub struct BilanPupil {
    pub login: String,
    pub name: String,
    pub cells: Vec<(String, String, String, String)>,
    pub points: u32,
    pub settled: bool,
}

#[derive(Template)]
#[template(path = "notes_bilan.html")]
pub struct BilanPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub class: String,
    pub label: String,
    pub cycle: u8,
    pub pupils: Vec<BilanPupil>,
    /// (value, label) of the four levels.
    pub levels: Vec<(String, &'static str)>,
}
