//! Every route of the host, with the rule that guards it — the one list the router is built
//! from, and the one the authorization matrix test walks: a route cannot exist without a
//! rule, and a route without expectations in the matrix fails the test. Target-specific
//! checks (this pupil, this class) are `cartable_core::authz::allowed`, called by the handler
//! through `policy`.

use actix_web::web;
use cartable_core::authz::Action;

use crate::pages::{
    account, admin, annuaire, assets, calendrier, classes, devoirs, etablissement, files, login,
    logout, modules, notifications, password, people, portal, server, usages,
};
use crate::{cas, health, metrics};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET, and HEAD for the same handler (probes and link checkers use HEAD).
    Get,
    Post,
}

/// Who may reach a route at all; the handler then asks the policy about the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Public,
    SignedIn,
    Policy(Action),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Portal,
    LoginForm,
    LoginSubmit,
    Logout,
    LogoutEverywhere,
    Account,
    AccountExport,
    PasswordForm,
    PasswordSubmit,
    Person,
    Annuaire,
    PersonReset,
    PersonState,
    PersonQuota,
    Class,
    ClassLetters,
    Console,
    ConsoleClasses,
    ConsoleGroups,
    EtablissementForm,
    EtablissementSave,
    Logo,
    ConsoleServices,
    ConsoleModules,
    ConsoleModulesSave,
    Journal,
    Usages,
    UsagesCsv,
    Server,
    ServerBackup,
    ServerImportReport,
    Calendar,
    CalendarAdd,
    CalendarDelete,
    CalendarImport,
    Export,
    Health,
    Metrics,
    Stylesheet,
    Icon,
    Favicon,
    CasLogin,
    CasLogout,
    CasLogoutConfirmed,
    CasServiceValidate,
    CasProxyValidate,
    CasP3ServiceValidate,
    CasP3ProxyValidate,
    CasProxy,
    Files,
    FilesFolder,
    FilesDownload,
    FilesUpload,
    FilesMakeDir,
    FilesRename,
    FilesMove,
    FilesDelete,
    FilesTrash,
    FilesRestore,
    FilesEmptyTrash,
    Devoirs,
    Work,
    DevoirDistribute,
    DevoirStep,
    Notifications,
    NotificationOpen,
    NotificationsAllRead,
    NotificationPrefs,
    NotificationPrefsSave,
    AddressSet,
    AddressRemove,
    AddressCheck,
}

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub page: Page,
    pub rule: Rule,
}

const fn r(method: Method, path: &'static str, page: Page, rule: Rule) -> Route {
    Route {
        method,
        path,
        page,
        rule,
    }
}

use Method::{Get, Post};

pub const ROUTES: &[Route] = &[
    r(Get, "/", Page::Portal, Rule::SignedIn),
    r(Get, "/login", Page::LoginForm, Rule::Public),
    r(Post, "/login", Page::LoginSubmit, Rule::Public),
    r(Post, "/logout", Page::Logout, Rule::SignedIn),
    r(
        Post,
        "/logout/partout",
        Page::LogoutEverywhere,
        Rule::SignedIn,
    ),
    r(Get, "/compte", Page::Account, Rule::SignedIn),
    r(Get, "/compte/donnees", Page::AccountExport, Rule::SignedIn),
    r(
        Get,
        "/compte/mot-de-passe",
        Page::PasswordForm,
        Rule::SignedIn,
    ),
    r(
        Post,
        "/compte/mot-de-passe",
        Page::PasswordSubmit,
        Rule::SignedIn,
    ),
    r(
        Get,
        "/personnes/{login}",
        Page::Person,
        Rule::Policy(Action::ViewPerson),
    ),
    r(
        Post,
        "/personnes/{login}/mot-de-passe",
        Page::PersonReset,
        Rule::Policy(Action::ResetPassword),
    ),
    r(
        Post,
        "/personnes/{login}/etat",
        Page::PersonState,
        Rule::Policy(Action::ChangeState),
    ),
    r(
        Post,
        "/personnes/{login}/quota",
        Page::PersonQuota,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/classes/{code}",
        Page::Class,
        Rule::Policy(Action::ViewClass),
    ),
    r(
        Post,
        "/classes/{code}/courriers",
        Page::ClassLetters,
        Rule::Policy(Action::ResetClass),
    ),
    r(
        Get,
        "/admin",
        Page::Console,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/classes",
        Page::ConsoleClasses,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/etablissement",
        Page::EtablissementForm,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/etablissement",
        Page::EtablissementSave,
        Rule::Policy(Action::Administer),
    ),
    r(Get, "/etablissement/logo", Page::Logo, Rule::Public),
    r(
        Get,
        "/admin/groupes",
        Page::ConsoleGroups,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/services",
        Page::ConsoleServices,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/modules",
        Page::ConsoleModules,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/modules",
        Page::ConsoleModulesSave,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/journal",
        Page::Journal,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/usages",
        Page::Usages,
        Rule::Policy(Action::ViewUsage),
    ),
    r(
        Get,
        "/usages/usages.csv",
        Page::UsagesCsv,
        Rule::Policy(Action::ViewUsage),
    ),
    r(
        Get,
        "/admin/serveur",
        Page::Server,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/serveur/sauvegarder",
        Page::ServerBackup,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/serveur/imports/{name}",
        Page::ServerImportReport,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/admin/export/{name}",
        Page::Export,
        Rule::Policy(Action::Administer),
    ),
    // Files: the space named in the request is checked against the policy by the handler.
    r(Get, "/fichiers", Page::Files, Rule::SignedIn),
    r(
        Get,
        "/fichiers/dossier",
        Page::FilesFolder,
        Rule::Policy(Action::ReadFiles),
    ),
    r(
        Get,
        "/fichiers/telecharger",
        Page::FilesDownload,
        Rule::Policy(Action::ReadFiles),
    ),
    r(
        Post,
        "/fichiers/envoyer",
        Page::FilesUpload,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/nouveau-dossier",
        Page::FilesMakeDir,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/renommer",
        Page::FilesRename,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/deplacer",
        Page::FilesMove,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/supprimer",
        Page::FilesDelete,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Get,
        "/fichiers/corbeille",
        Page::FilesTrash,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/restaurer",
        Page::FilesRestore,
        Rule::Policy(Action::WriteFiles),
    ),
    r(
        Post,
        "/fichiers/corbeille/vider",
        Page::FilesEmptyTrash,
        Rule::Policy(Action::WriteFiles),
    ),
    r(Get, "/fichiers/travail", Page::Work, Rule::SignedIn),
    r(
        Get,
        "/fichiers/devoirs",
        Page::Devoirs,
        Rule::Policy(Action::GiveWork),
    ),
    r(
        Post,
        "/fichiers/devoirs",
        Page::DevoirDistribute,
        Rule::Policy(Action::GiveWork),
    ),
    r(
        Post,
        "/fichiers/devoirs/{id}/{etape}",
        Page::DevoirStep,
        Rule::Policy(Action::GiveWork),
    ),
    r(
        Get,
        "/admin/calendrier",
        Page::Calendar,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/calendrier",
        Page::CalendarAdd,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/calendrier/importer",
        Page::CalendarImport,
        Rule::Policy(Action::Administer),
    ),
    r(
        Post,
        "/admin/calendrier/{id}/supprimer",
        Page::CalendarDelete,
        Rule::Policy(Action::Administer),
    ),
    r(
        Get,
        "/annuaire",
        Page::Annuaire,
        Rule::Policy(Action::SearchPeople),
    ),
    r(Get, "/notifications", Page::Notifications, Rule::SignedIn),
    r(
        Get,
        "/notifications/{id}",
        Page::NotificationOpen,
        Rule::SignedIn,
    ),
    r(
        Post,
        "/notifications/tout-lu",
        Page::NotificationsAllRead,
        Rule::SignedIn,
    ),
    r(
        Get,
        "/compte/notifications",
        Page::NotificationPrefs,
        Rule::SignedIn,
    ),
    r(
        Post,
        "/compte/notifications",
        Page::NotificationPrefsSave,
        Rule::SignedIn,
    ),
    r(Post, "/compte/courriel", Page::AddressSet, Rule::SignedIn),
    r(
        Post,
        "/compte/courriel/supprimer",
        Page::AddressRemove,
        Rule::SignedIn,
    ),
    r(
        Get,
        "/compte/courriel/verifier",
        Page::AddressCheck,
        Rule::SignedIn,
    ),
    r(Get, "/healthz", Page::Health, Rule::Public),
    r(Get, "/metrics", Page::Metrics, Rule::Public),
    r(Get, "/static/cartable.css", Page::Stylesheet, Rule::Public),
    r(Get, "/static/icons/{name}", Page::Icon, Rule::Public),
    r(Get, "/static/favicon.svg", Page::Favicon, Rule::Public),
    // CAS: the ticket is the credential; the service must be registered.
    r(Get, "/cas/login", Page::CasLogin, Rule::Public),
    r(Get, "/cas/logout", Page::CasLogout, Rule::Public),
    r(
        Post,
        "/cas/logout",
        Page::CasLogoutConfirmed,
        Rule::SignedIn,
    ),
    r(Get, "/cas/proxy", Page::CasProxy, Rule::Public),
    r(
        Get,
        "/cas/serviceValidate",
        Page::CasServiceValidate,
        Rule::Public,
    ),
    r(
        Get,
        "/cas/proxyValidate",
        Page::CasProxyValidate,
        Rule::Public,
    ),
    r(
        Get,
        "/cas/p3/serviceValidate",
        Page::CasP3ServiceValidate,
        Rule::Public,
    ),
    r(
        Get,
        "/cas/p3/proxyValidate",
        Page::CasP3ProxyValidate,
        Rule::Public,
    ),
];

pub(crate) fn read() -> actix_web::Route {
    use actix_web::guard;
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Mounts every route of [`ROUTES`], and nothing else.
pub fn mount(cfg: &mut web::ServiceConfig) {
    for route in ROUTES {
        let base = match route.method {
            Get => read(),
            Post => web::post(),
        };
        let handled = match route.page {
            Page::Portal => base.to(portal::show),
            Page::LoginForm => base.to(login::show),
            Page::LoginSubmit => base.to(login::submit),
            Page::Logout => base.to(logout::submit),
            Page::LogoutEverywhere => base.to(logout::everywhere),
            Page::Account => base.to(account::show),
            Page::AccountExport => base.to(account::export),
            Page::PasswordForm => base.to(password::show),
            Page::PasswordSubmit => base.to(password::submit),
            Page::Person => base.to(people::show),
            Page::Annuaire => base.to(annuaire::search),
            Page::PersonReset => base.to(people::reset),
            Page::PersonState => base.to(people::set_state),
            Page::PersonQuota => base.to(people::set_quota),
            Page::Class => base.to(classes::show),
            Page::ClassLetters => base.to(classes::letters),
            Page::Console => base.to(admin::search),
            Page::ConsoleClasses => base.to(admin::classes),
            Page::ConsoleGroups => base.to(admin::groups),
            Page::EtablissementForm => base.to(etablissement::show),
            Page::EtablissementSave => base.to(etablissement::save),
            Page::Logo => base.to(etablissement::logo),
            Page::ConsoleServices => base.to(admin::services),
            Page::ConsoleModules => base.to(modules::show),
            Page::ConsoleModulesSave => base.to(modules::save),
            Page::Journal => base.to(admin::journal),
            Page::Server => base.to(server::show),
            Page::Usages => base.to(usages::show),
            Page::UsagesCsv => base.to(usages::csv),
            Page::ServerBackup => base.to(server::backup_now),
            Page::ServerImportReport => base.to(server::import_report),
            Page::Calendar => base.to(calendrier::show),
            Page::CalendarAdd => base.to(calendrier::add),
            Page::CalendarDelete => base.to(calendrier::delete),
            Page::CalendarImport => base.to(calendrier::import),
            Page::Export => base.to(admin::export),
            Page::Health => base.to(health::endpoint),
            Page::Metrics => base.to(metrics::endpoint),
            Page::Stylesheet => base.to(assets::stylesheet),
            Page::Icon => base.to(assets::icon),
            Page::Favicon => base.to(assets::favicon),
            Page::CasLogin => base.to(cas::login),
            Page::CasLogout => base.to(cas::logout),
            Page::CasLogoutConfirmed => base.to(cas::logout_confirmed),
            Page::CasServiceValidate => base.to(cas::service_validate),
            Page::CasProxyValidate => base.to(cas::proxy_validate),
            Page::CasP3ServiceValidate => base.to(cas::p3_service_validate),
            Page::CasP3ProxyValidate => base.to(cas::p3_proxy_validate),
            Page::CasProxy => base.to(cas::proxy),
            Page::Files => base.to(files::index),
            Page::FilesFolder => base.to(files::folder),
            Page::FilesDownload => base.to(files::download),
            Page::FilesUpload => base.to(files::upload),
            Page::FilesMakeDir => base.to(files::make_dir),
            Page::FilesRename => base.to(files::rename),
            Page::FilesMove => base.to(files::move_to),
            Page::FilesDelete => base.to(files::delete),
            Page::FilesTrash => base.to(files::trash_page),
            Page::FilesRestore => base.to(files::restore),
            Page::FilesEmptyTrash => base.to(files::empty_trash),
            Page::Devoirs => base.to(devoirs::page),
            Page::Work => base.to(devoirs::to_hand_in),
            Page::DevoirDistribute => base.to(devoirs::distribute),
            Page::DevoirStep => base.to(devoirs::step),
            Page::Notifications => base.to(notifications::list),
            Page::NotificationOpen => base.to(notifications::open),
            Page::NotificationsAllRead => base.to(notifications::all_read),
            Page::NotificationPrefs => base.to(notifications::prefs),
            Page::NotificationPrefsSave => base.to(notifications::save_prefs),
            Page::AddressSet => base.to(notifications::set_address),
            Page::AddressRemove => base.to(notifications::remove_address),
            Page::AddressCheck => base.to(notifications::check_address),
        };
        cfg.route(route.path, handled);
    }
}
