//! Page templates (askama, HTML-escaped by default). The text of the pages is in
//! `templates/`; the structs here say what each page needs.

use askama::Template;
use cartable_core::config::CasService;
use cartable_core::directory::{ClassRef, GroupRef, Person, Profile, Relations};
use cartable_core::store::AuditEntry;

/// The établissement's name and what the header shows.
pub struct Chrome {
    pub etablissement: String,
    /// A logo was set in the console.
    pub logo: bool,
    /// CSRF token for the header's sign-out form, when signed in.
    pub csrf: Option<String>,
    pub person_name: Option<String>,
    /// Unread notifications of who is signed in.
    pub unread: i64,
}

impl Chrome {
    /// The banner when nothing is known of the établissement or of who asks.
    pub fn anonymous() -> Self {
        Chrome {
            etablissement: crate::messages::ENT.to_owned(),
            logo: false,
            csrf: None,
            person_name: None,
            unread: 0,
        }
    }
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
#[derive(Clone)]
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
    /// The RUPN's portal: what the server's last checks found wrong.
    pub server_problems: Vec<String>,
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
    pub chrome: &'a Chrome,
    pub title: &'a str,
    pub message: &'a str,
    pub incident: &'a str,
}

/// « Êtes-vous sûr ? » before what cannot be undone: the same form again, confirmed.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage<'a> {
    pub chrome: &'a Chrome,
    pub spec: crate::pages::ConfirmSpec<'a>,
}

#[derive(Template)]
#[template(path = "cas_logout.html")]
pub struct CasLogoutPage<'a> {
    pub chrome: &'a Chrome,
    /// The registered service that asked, by its name.
    pub service: Option<&'a str>,
    /// Where to go once signed out (a registered service's address, or empty).
    pub back: &'a str,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage<'a> {
    pub chrome: &'a Chrome,
    /// Changing is required before anything else.
    pub forced: bool,
    pub policy: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "person.html")]
pub struct PersonPage<'a> {
    pub chrome: &'a Chrome,
    pub person: &'a Person,
    pub relations: &'a Relations,
    pub can_reset: bool,
    pub can_change_state: bool,
    pub active: bool,
    pub last_login: String,
    /// Use of the person's space and its limit, for the RUPN.
    pub quota: Option<PersonQuota>,
    /// Logins and class codes the viewer may open (see `policy::openable`).
    pub opens: std::collections::BTreeSet<String>,
    /// What the last action did, or why it was refused.
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl PersonPage<'_> {
    fn opens(&self, key: &str) -> bool {
        self.opens.contains(key)
    }
}

pub struct PersonQuota {
    pub view: QuotaView,
    /// Set for this person (else the profile's default).
    pub own: bool,
    /// The limit in Mo, for the form.
    pub limit_mio: u64,
}

#[derive(Template)]
#[template(path = "class.html")]
pub struct ClassPage<'a> {
    pub chrome: &'a Chrome,
    pub class: &'a ClassRef,
    pub pupils: &'a [Person],
    pub teachers: &'a [Person],
    pub can_reset: bool,
}

#[derive(Template)]
#[template(path = "console.html")]
pub struct ConsolePage<'a> {
    pub chrome: &'a Chrome,
    pub q: &'a str,
    pub profil: &'a str,
    pub etat: &'a str,
    pub classe: &'a str,
    pub groupe: &'a str,
    pub people: &'a [Person],
    pub total: usize,
    pub pager: Pager,
    pub profiles: &'a [Profile],
}

#[derive(Template)]
#[template(path = "console_classes.html")]
pub struct ConsoleClassesPage<'a> {
    pub chrome: &'a Chrome,
    pub classes: &'a [(ClassRef, usize)],
}

pub struct JournalLine {
    pub when: String,
    /// The action in words.
    pub action: String,
    pub entry: AuditEntry,
}

#[derive(Template)]
#[template(path = "journal.html")]
pub struct JournalPage<'a> {
    pub chrome: &'a Chrome,
    pub qui: &'a str,
    pub cible: &'a str,
    pub action: &'a str,
    /// (code, words) for the « Action » choice.
    pub actions: &'static [(&'static str, &'static str)],
    pub lines: &'a [JournalLine],
    pub total: usize,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "console_groups.html")]
pub struct ConsoleGroupsPage<'a> {
    pub chrome: &'a Chrome,
    pub groups: &'a [(GroupRef, usize)],
}

#[derive(Template)]
#[template(path = "console_services.html")]
pub struct ConsoleServicesPage<'a> {
    pub chrome: &'a Chrome,
    pub services: &'a [CasService],
}

/// One service on the server page.
pub struct ServiceLine {
    pub id: &'static str,
    pub label: &'static str,
    pub health: &'static str,
    /// CSS word of the badge.
    pub class: &'static str,
    pub summary: String,
    pub detail: Option<String>,
}

pub struct BackupLine {
    pub when: String,
    pub size: String,
    pub name: String,
}

pub struct RunLine {
    pub when: String,
    pub trigger: &'static str,
    pub outcome: String,
    pub ok: bool,
    pub detail: Option<String>,
}

pub struct ImportLine {
    pub name: String,
    pub when: String,
    pub counts: String,
}

pub struct RefusedLine {
    pub when: String,
    pub name: String,
    pub reason: String,
}

pub struct IncidentLine {
    pub area: &'static str,
    pub when: String,
    pub repeated: Option<String>,
    pub text: String,
    pub error: bool,
}

#[derive(Template)]
#[template(path = "console_serveur.html")]
pub struct ConsoleServerPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub checked_at: String,
    pub summary: String,
    pub all_well: bool,
    /// A service does not answer (not only something to look at).
    pub any_down: bool,
    pub annuaire_down: bool,
    pub services: Vec<ServiceLine>,
    pub backups_configured: bool,
    pub backup_dest: String,
    pub running: Option<String>,
    pub backups: Vec<BackupLine>,
    pub runs: Vec<RunLine>,
    pub imports: Vec<ImportLine>,
    pub refused: Vec<RefusedLine>,
    pub incidents: Vec<IncidentLine>,
    pub incidents_since: String,
    pub version: &'static str,
    /// A newer version Debian's package lists offer.
    pub upgrade: Option<String>,
    /// What it changes, when apt has downloaded it.
    pub upgrade_changes: Vec<cartable_core::server::upgrade::Entry>,
}

/// A usage chart, its SVG and the table of its numbers.
pub struct UsageChart {
    pub id: String,
    pub title: String,
    /// Drawn by `cartable_core::charts`, which escapes every text it writes.
    pub svg: String,
    pub table: cartable_core::usage::grid::Table,
    /// The table's first column's name.
    pub first_column: String,
}

pub struct ClassAccountsLine {
    pub label: String,
    pub pupils: String,
    pub pupils_in: String,
    pub parents: String,
    pub parents_never: String,
}

pub struct AccountsLine {
    pub profile: String,
    pub active: String,
    pub signed_in: String,
    pub never: String,
    pub percent: String,
}

#[derive(Template)]
#[template(path = "usages.html")]
pub struct UsagesPage<'a> {
    pub chrome: &'a Chrome,
    pub annee: i32,
    pub year: String,
    pub years: Vec<(i32, String)>,
    pub empty: bool,
    pub charts: Vec<UsageChart>,
    pub accounts_chart: String,
    pub accounts: Vec<AccountsLine>,
    /// When the accounts were read from the annuaire.
    pub accounts_at: String,
    pub classes: Vec<ClassAccountsLine>,
    pub parents_never: Option<String>,
    /// The RUPN: the page links back to his console.
    pub console: bool,
}

#[derive(Template)]
#[template(path = "usages_conseil.html")]
pub struct CouncilPage<'a> {
    pub chrome: &'a Chrome,
    pub annee: i32,
    pub report: &'a cartable_core::usage::council::Council,
}

#[derive(Template)]
#[template(path = "etablissement.html")]
pub struct EtablissementPage<'a> {
    pub chrome: &'a Chrome,
    pub nom: &'a str,
    /// The name in the annuaire (from the académie).
    pub annuaire: &'a str,
    pub logo: bool,
    pub error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

/// Use of one's personal space, as shown.
pub struct QuotaView {
    pub used: String,
    pub limit: String,
    pub percent: u64,
}

/// A recently changed document of one's own space.
pub struct RecentView {
    pub name: String,
    pub href: String,
    pub folder: String,
    pub folder_href: String,
    pub size: String,
    pub modified: String,
}

pub struct SpaceLink {
    /// URL-encoded space key.
    pub key: String,
    pub label: String,
    pub writable: bool,
}

#[derive(Template)]
#[template(path = "files.html")]
pub struct FilesPage<'a> {
    pub chrome: &'a Chrome,
    pub quota: Option<QuotaView>,
    pub recent: Vec<RecentView>,
    /// Link to the devoirs page (teachers).
    pub devoirs: bool,
    /// Link to the work to hand in (pupils).
    pub pupil: bool,
    pub spaces: Vec<SpaceLink>,
}

pub struct Crumb {
    pub name: String,
    pub href: String,
}

pub struct EntryView {
    pub name: String,
    /// Path inside the space, raw (form values) and URL-encoded (links).
    pub path: String,
    pub path_q: String,
    pub is_dir: bool,
    pub size: String,
    pub modified: String,
}

#[derive(Template)]
#[template(path = "files_folder.html")]
pub struct FolderPage<'a> {
    pub chrome: &'a Chrome,
    pub title: String,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub quota: Option<QuotaView>,
    pub writable: bool,
    pub csrf: &'a str,
    pub space: String,
    pub space_q: String,
    pub path: String,
    pub path_q: String,
    pub max_upload: String,
    pub entries: Vec<EntryView>,
    /// Folders of the space an entry can be moved to: (path, shown as).
    pub folders: Vec<(String, String)>,
    pub trash_days: u32,
}

pub struct TrashedView {
    pub id: String,
    pub name: String,
    pub from: String,
    pub deleted_at: String,
    pub size: String,
    pub is_dir: bool,
}

#[derive(Template)]
#[template(path = "files_trash.html")]
pub struct TrashPage<'a> {
    pub chrome: &'a Chrome,
    pub space_label: String,
    pub space: String,
    pub space_q: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub csrf: &'a str,
    pub trash_days: u32,
    pub items: Vec<TrashedView>,
}

pub struct DevoirView {
    pub id: i64,
    pub title: String,
    pub audience: String,
    pub created: String,
    pub state: String,
    pub released: bool,
    pub collected: bool,
    pub collected_href: String,
    /// (login, name, status) of each pupil.
    pub copies: Vec<(String, String, String)>,
    /// « lundi 7 décembre », when set.
    pub due: Option<String>,
}

/// What the teacher typed in the « Distribuer » form, shown again when it is refused.
#[derive(Default)]
pub struct DevoirForm {
    pub title: String,
    pub audience: String,
    pub files: Vec<String>,
    pub exam: bool,
    /// ISO date.
    pub due: String,
}

impl DevoirForm {
    pub fn has_file(&self, f: &str) -> bool {
        self.files.iter().any(|x| x == f)
    }
}

#[derive(Template)]
#[template(path = "devoirs.html")]
pub struct DevoirsPage<'a> {
    pub chrome: &'a Chrome,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub csrf: &'a str,
    /// (value, label) of the classes and groups the teacher may give work to.
    pub audiences: Vec<(String, String)>,
    /// Files of the teacher's own space.
    pub files: Vec<String>,
    pub devoirs: Vec<DevoirView>,
    pub form: DevoirForm,
    /// Longest title.
    pub title_max: usize,
}

/// A module as the console shows it.
pub struct ModuleRow {
    pub id: &'static str,
    pub title: &'static str,
    pub audience: &'static str,
    pub keeps: &'static str,
    pub how_long: &'static str,
    /// (value, label, open to it).
    pub profiles: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "console_modules.html")]
pub struct ConsoleModulesPage<'a> {
    pub chrome: &'a Chrome,
    pub rows: Vec<ModuleRow>,
    pub csrf: &'a str,
    pub ok: Option<String>,
    pub err: Option<String>,
}

/// A module's new secret calendar address, shown once.
#[derive(Template)]
#[template(path = "module_feed.html")]
pub struct FeedAddressPage<'a> {
    pub chrome: &'a Chrome,
    pub url: String,
    pub back: String,
}

/// Where a long list is: « Page 2 sur 7 », with the neighbouring pages' addresses.
pub struct Pager {
    /// 0-based.
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(page: usize, total: usize, per_page: usize, href: impl Fn(usize) -> String) -> Self {
        let pages = total.div_ceil(per_page.max(1)).max(1);
        Pager {
            page,
            pages,
            prev: (page > 0).then(|| href(page - 1)),
            next: (page + 1 < pages).then(|| href(page + 1)),
        }
    }
}

/// One person found in the annuaire.
pub struct Found {
    pub login: String,
    pub name: String,
    pub profile: &'static str,
    /// A pupil's class; a parent's children and their classes.
    pub detail: String,
}

#[derive(Template)]
#[template(path = "annuaire.html")]
pub struct AnnuairePage<'a> {
    pub chrome: &'a Chrome,
    pub q: &'a str,
    pub profil: &'a str,
    pub classe: &'a str,
    pub profiles: &'a [Profile],
    /// The « Tous » choice (not for vie scolaire).
    pub all_profiles: bool,
    pub classes: &'a [(cartable_core::directory::ClassCode, String)],
    /// A search was made (else only the form and the classes are shown).
    pub asked: bool,
    pub found: &'a [Found],
    pub total: usize,
    pub pager: Pager,
}

/// A devoir as the pupil sees it.
pub struct WorkItem {
    pub title: String,
    pub teacher: String,
    pub audience: String,
    /// « lundi 7 décembre », when set.
    pub due: Option<String>,
    /// « à rendre », « ramassé le … », « copie corrigée rendue le … ».
    pub state: String,
    /// Still to hand in.
    pub open: bool,
    /// His folder for it.
    pub href: String,
}

#[derive(Template)]
#[template(path = "travail.html")]
pub struct WorkPage<'a> {
    pub chrome: &'a Chrome,
    pub items: &'a [WorkItem],
}

/// A holiday period as the console lists it.
pub struct HolidayRow {
    pub id: i64,
    pub name: String,
    pub first: String,
    pub last: String,
    pub past: bool,
}

/// The « Ajouter » form as typed.
#[derive(Default)]
pub struct HolidayForm {
    pub name: String,
    /// ISO dates.
    pub first: String,
    pub last: String,
}

#[derive(Template)]
#[template(path = "console_calendrier.html")]
pub struct CalendarPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub rows: &'a [HolidayRow],
    /// (day, name) of the school year's public holidays.
    pub public: &'a [(String, &'static str)],
    /// « 2026-2027 ».
    pub year: &'a str,
    pub form: HolidayForm,
}

/// One notification in the list.
pub struct NotificationItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub when: String,
    pub unread: bool,
    pub has_link: bool,
    /// The state of the e-mail that carried it, in French.
    pub mail: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub items: &'a [NotificationItem],
    pub unread: bool,
    pub pager: Pager,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// A kind of notification and the person's choice for it.
pub struct KindChoice {
    pub id: &'static str,
    pub label: &'static str,
    pub urgent: bool,
    pub current: &'static str,
}

#[derive(Template)]
#[template(path = "notification_prefs.html")]
pub struct PrefsPage<'a> {
    pub chrome: &'a Chrome,
    pub csrf: &'a str,
    pub kinds: &'a [KindChoice],
    /// (value, label) of each choice.
    pub choices: Vec<(&'static str, &'static str)>,
    pub quiet_start: u8,
    pub quiet_end: u8,
    pub annuaire_address: Option<String>,
    pub given_address: Option<String>,
    /// When the given address was checked.
    pub given_checked: Option<String>,
    pub typed_address: String,
    pub mail_on: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
}
