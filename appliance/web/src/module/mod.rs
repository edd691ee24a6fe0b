//! The module API: how an ENT service (emploi du temps, agenda, cahier de textes…) plugs into
//! the host. A module is a crate under `modules/` that implements [`Module`]: it declares who
//! it is, its tables, its routes (mounted under `/<id>`), the tiles it shows a person, the
//! rules it adds to the one authorization policy, what it keeps and for how long, and what a
//! person's data export holds. It reaches people, classes and files only through core, and
//! never another module. `docs/modules.md` walks through the emploi du temps.

mod extract;
pub mod feed;
pub mod form;
mod switches;

use std::future::Future;
use std::pin::Pin;

use cartable_core::authz::Role;
use cartable_core::directory::{Person, Profile, Relations};

pub use extract::{InModule, ModuleId};
pub use switches::Mounted;

use crate::error::WebError;
use crate::routes::{Method, Rule};
use crate::state::AppState;
use crate::templates::Tile;

/// A boxed future, as the trait's async methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One route of a module: its path below `/<id>` (`""` for the module's home), the rule that
/// guards it, and how it is handled (`|r| r.to(handler)`).
#[derive(Clone, Copy)]
pub struct ModuleRoute {
    pub method: Method,
    pub path: &'static str,
    pub rule: Rule,
    pub handler: fn(actix_web::Route) -> actix_web::Route,
}

/// What a module keeps, as the RUPN and the registre des traitements read it.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// What is kept, in French.
    pub what: &'static str,
    /// For how long, in French ("l'année scolaire, puis archivé 10 ans").
    pub how_long: &'static str,
}

/// An ENT service.
pub trait Module: Send + Sync + 'static {
    /// Path prefix and configuration key: `emploi-du-temps`.
    fn id(&self) -> &'static str;
    /// As people read it: « Emploi du temps ».
    fn title(&self) -> &'static str;
    /// The service name of the national audience measurement it counts under.
    fn audience_service(&self) -> &'static str;
    /// Profiles it is open to unless the configuration or the console says otherwise:
    /// everyone by default.
    fn default_profiles(&self) -> &'static [Profile] {
        &Profile::ALL
    }
    /// Its own tables, in order; entry `i` is version `i + 1`.
    fn migrations(&self) -> &'static [&'static str];
    /// Its routes, mounted under `/<id>`.
    fn routes(&self) -> &'static [ModuleRoute];
    /// Its actions and the roles that grant them, added to the one policy.
    fn rules(&self) -> &'static [(&'static str, &'static [Role])];
    /// The tiles it shows this person on the portal, with what is new for them (the host
    /// only asks when the module is open to the person's profile).
    /// `relations` are the person's, as the portal already read them.
    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>>;
    /// What it keeps.
    fn retention(&self) -> Retention;
    /// What it holds about this person, for the person's data export.
    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>>;
    /// Removes what it keeps past its time (see `retention`) and what it holds about people
    /// no longer in the annuaire; run by the host after each lifecycle sweep. Returns how
    /// many things went.
    fn purge<'a>(&'a self, _state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(async { Ok(0) })
    }
    /// The demo établissement's content, once the store is open (demo mode only; again at
    /// each start, so it must keep what is there).
    fn seed_demo<'a>(&'a self, _state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(async { Ok(()) })
    }
}

/// Every route the host and the mounted modules serve, with their rules: what the router is
/// built from and what the authorization matrix walks.
pub fn all_routes(mounted: &Mounted) -> Vec<(Method, String, Rule)> {
    let mut out: Vec<(Method, String, Rule)> = crate::routes::ROUTES
        .iter()
        .map(|r| (r.method, r.path.to_owned(), r.rule))
        .collect();
    for m in mounted.modules() {
        for r in m.routes() {
            out.push((r.method, format!("/{}{}", m.id(), r.path), r.rule));
        }
    }
    out
}

/// Mounts each module's routes under `/<id>`, in a scope that knows which module it is.
pub fn mount(cfg: &mut actix_web::web::ServiceConfig, mounted: &Mounted) {
    for m in mounted.modules() {
        let mut scope = actix_web::web::scope(&format!("/{}", m.id())).app_data(ModuleId(m.id()));
        for r in m.routes() {
            let base = match r.method {
                Method::Get => crate::routes::read(),
                Method::Post => actix_web::web::post(),
            };
            scope = scope.route(r.path, (r.handler)(base));
        }
        cfg.service(scope);
    }
}

/// The tiles of the modules open to this person; a module that fails to say is left out
/// (and logged) rather than taking the portal down.
pub async fn tiles(state: &AppState, person: &Person, relations: &Relations) -> Vec<Tile> {
    let mut out = Vec::new();
    for m in state.modules.modules() {
        if !state.modules.open_to(m.id(), person.profile) {
            continue;
        }
        match m.tiles(state, person, relations).await {
            Ok(t) => out.extend(t),
            Err(e) => tracing::warn!(module = m.id(), "tuiles : {e}"),
        }
    }
    out
}

/// After a lifecycle sweep: the secret addresses of people no longer in the annuaire, then
/// each module's own purge. A module that fails is logged; the others still run.
pub async fn purge(state: &AppState) -> usize {
    use cartable_core::directory::{DirectoryRead, Login};
    let mut gone = 0;
    if let Ok(logins) = state.store.read(|r| r.feed_logins()).await {
        for l in logins {
            let present = match Login::parse(&l) {
                Ok(login) => state
                    .directory
                    .person(&login)
                    .await
                    .ok()
                    .flatten()
                    .is_some(),
                Err(_) => false,
            };
            if !present {
                let login = l.clone();
                match state.store.write(move |w| w.delete_feeds_of(&login)).await {
                    Ok(n) => gone += n,
                    Err(e) => tracing::warn!("adresses d'abonnement de {l} : {e}"),
                }
            }
        }
    }
    for m in state.modules.modules() {
        match m.purge(state).await {
            Ok(n) => gone += n,
            Err(e) => tracing::warn!(module = m.id(), "purge : {e}"),
        }
    }
    gone
}
