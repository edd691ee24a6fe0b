//! What the vie scolaire's pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

/// One appel in a list.
pub struct AppelItem {
    pub id: i64,
    pub time: String,
    pub subject: String,
    pub audience: String,
    /// « à faire », « fait à 8 h 07 (2 absents) »…
    pub state: String,
    pub done: bool,
    pub teacher: String,
    /// Minutes after midnight.
    pub start: u16,
}

/// A child, on his parent's page.
pub struct ChildItem {
    pub login: String,
    pub name: String,
    /// « 2 demi-journées non justifiées cette année », empty when none.
    pub unjustified: String,
}

/// A pupil absent today, on the board.
pub struct AbsentItem {
    pub login: String,
    pub name: String,
    pub audience: String,
    pub what: String,
}

/// A justification, as listed.
pub struct JustItem {
    pub id: i64,
    pub pupil: String,
    pub pupil_login: String,
    pub when: String,
    pub motif: String,
    pub message: String,
    pub has_piece: bool,
    pub state: String,
    pub waiting: bool,
}

#[derive(Template)]
#[template(path = "vs_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub today: String,
    /// A teacher's appels of the day.
    pub teacher: bool,
    pub mine: Vec<AppelItem>,
    /// (audience value, label) he may add a course for.
    pub audiences: Vec<(String, String)>,
    /// A parent's children.
    pub children: Vec<ChildItem>,
    /// The vie scolaire's board.
    pub desk: bool,
    pub all: Vec<AppelItem>,
    pub missing: usize,
    /// The appels past their start and not taken.
    pub late: Vec<AppelItem>,
    pub absents: Vec<AbsentItem>,
    pub waiting: Vec<JustItem>,
    /// Pupils past the threshold of unjustified units: (login, name, « 5 demi-journées »).
    pub alerts: Vec<(String, String, String)>,
    /// How the alerts are counted, and what none means.
    pub alert_rule: String,
    pub no_alert: String,
    /// Sorties of the day: (id, label, audience, times).
    pub sorties: Vec<(i64, String, String, String)>,
    /// The board's day, ISO, and the first of its 30 days (the export's default period).
    pub day_iso: String,
    pub month_start: String,
}

/// A pupil on the appel.
pub struct Row {
    pub login: String,
    pub name: String,
    /// present, absent, retard, depart.
    pub state: &'static str,
    pub minutes: String,
    pub note: String,
    /// « En sortie : Musée », « Dispensé (EPS), présent au cours ».
    pub excuse: String,
    /// Not expected in the course: nothing to mark.
    pub freed: bool,
}

#[derive(Template)]
#[template(path = "vs_appel.html")]
pub struct AppelPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub id: i64,
    pub title: String,
    pub state: String,
    pub rows: Vec<Row>,
    pub editable: bool,
}

/// A demi-journée of absence, or a retard, on a pupil's page.
pub struct HalfItem {
    /// `2026-12-07|matin`.
    pub key: String,
    pub when: String,
    pub courses: String,
    /// « Non justifiée », « Justifiée (Maladie de l'enfant) »…
    pub state: String,
    pub justifiable: bool,
    /// For the vie scolaire: who was told and how the e-mail went (« Hélène LACROIX : courriel
    /// envoyé le… »).
    pub told: String,
}

#[derive(Template)]
#[template(path = "vs_pupil.html")]
pub struct PupilPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub login: String,
    pub name: String,
    pub halves: Vec<HalfItem>,
    pub retards: Vec<(String, String)>,
    pub justifications: Vec<JustItem>,
    pub may_justify: bool,
    /// Some absence can still be justified.
    pub justifiable: bool,
    /// (code, label).
    pub motifs: Vec<(String, String)>,
    /// What was typed, kept when refused.
    pub typed_half: String,
    pub typed_motif: String,
    pub typed_message: String,
    /// The dispense form: subject, from, to, attendance (`oui`/`non`), note.
    pub typed_dispense: [String; 5],
    pub desk: bool,
    /// The pupil's file (desk): (date, what, note, by).
    pub follow: Vec<(String, String, String, String)>,
    pub today_iso: String,
    /// Sees the absences (not only the discipline).
    pub sees: bool,
    /// « 3 demi-journées d'absence dont 2 non justifiées depuis le 1er septembre ».
    pub summary: String,
    /// Dispenses: (id, subject, period, attendance, note).
    pub dispenses: Vec<(i64, String, String, String, String)>,
    /// Sorties he took part in: (label, when).
    pub sorties: Vec<(String, String)>,
    /// Subjects of the timetable, for the dispense form.
    pub subjects: Vec<String>,
    pub discipline: Discipline,
}

/// A punition as listed.
pub struct PunitionItem {
    pub id: i64,
    pub when: String,
    pub label: String,
    pub reason: String,
    pub by: String,
    /// « Retenue le mercredi 9 décembre, 13h00 – 15h00, surveillée par … ».
    pub retenue: Option<String>,
    /// « présent », « absent », « à vérifier ».
    pub attended: String,
    pub checkable: bool,
}

/// A sanction as listed.
pub struct SanctionItem {
    pub id: i64,
    pub when: String,
    pub what: String,
    pub reason: String,
    pub by: String,
    /// The procédure contradictoire's trace.
    pub heard: String,
}

/// The discipline part of a pupil's page.
#[derive(Default)]
pub struct Discipline {
    pub shown: bool,
    pub punitions: Vec<PunitionItem>,
    pub sanctions: Vec<SanctionItem>,
    pub may_punish: bool,
    pub may_sanction: bool,
    /// (code, label, retenue, report).
    pub types: Vec<(String, String, bool, bool)>,
    /// (code, label, unit).
    pub scale: Vec<(&'static str, &'static str, &'static str)>,
    /// What was typed in a refused punition form (see `pages::Typed`).
    pub typed_punition: [String; 7],
    /// What was typed in a refused sanction form.
    pub typed_sanction: [String; 8],
}

impl Discipline {
    /// The punition chosen in a refused form.
    pub fn punition_picked(&self, code: &str) -> bool {
        self.typed_punition[0] == code
    }

    /// The sanction chosen in a refused form.
    pub fn sanction_picked(&self, code: &str) -> bool {
        self.typed_sanction[1] == code
    }
}

#[derive(Template)]
#[template(path = "vs_lists.html")]
pub struct ListsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    /// (code, label, justifies).
    pub motifs: Vec<(String, String, bool)>,
    /// (code, label, retenue, report).
    pub types: Vec<(String, String, bool, bool)>,
    pub settings: SettingsForm,
}

/// The counting settings on the lists page: (value, label, chosen).
pub struct SettingsForm {
    pub units: Vec<(&'static str, &'static str, bool)>,
    pub threshold: usize,
}

/// A line of the rates: a class, a level or the établissement.
pub struct RateRow {
    pub label: String,
    pub pupils: usize,
    /// Units due per the timetable, all pupils together.
    pub due: String,
    pub missed: usize,
    pub unjustified: usize,
    pub rate: String,
    pub rate_unjustified: String,
    pub past_threshold: usize,
}

#[derive(Template)]
#[template(path = "vs_taux.html")]
pub struct RatesPage<'a> {
    pub chrome: &'a Chrome,
    pub from: String,
    pub to: String,
    pub period: String,
    pub unit: String,
    pub threshold: String,
    pub classes: Vec<RateRow>,
    pub levels: Vec<RateRow>,
    /// The établissement's line, alone.
    pub total: Vec<RateRow>,
}

/// A sortie as listed.
pub struct SortieItem {
    pub id: i64,
    pub label: String,
    pub audience: String,
    pub when: String,
    /// « 24 élèves », « annulée ».
    pub state: String,
    pub cancelled: bool,
}

#[derive(Template)]
#[template(path = "vs_sorties.html")]
pub struct SortiesPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub sorties: Vec<SortieItem>,
    /// (value `classe:4B`, label, chosen).
    pub audiences: Vec<(String, String, bool)>,
    /// What was typed, kept when refused: label, audience, from day, from time, to day, to time.
    pub typed: [String; 6],
}

#[derive(Template)]
#[template(path = "vs_sortie.html")]
pub struct SortiePage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub sortie: SortieItem,
    /// (login, name, takes part).
    pub pupils: Vec<(String, String, bool)>,
}
