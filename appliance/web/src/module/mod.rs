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
mod tile_cache;

use std::future::Future;
use std::pin::Pin;

use cartable_core::authz::Role;
use cartable_core::directory::{Person, Profile, Relations};
use cartable_core::school_life::Attendance;

pub use extract::{InModule, ModuleId};
pub use switches::Mounted;
pub use tile_cache::TileCache;

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
/// What a module is, as data: everything the host needs to mount it, list it in the console,
/// count its audience, govern it and say what it keeps. A module declares one `static` of this
/// and implements only its behaviour ([`Module`]).
#[derive(Clone, Copy)]
pub struct ModuleSpec {
    /// URL prefix and key in the store (`emploi-du-temps`).
    pub id: &'static str,
    /// Its name for people (« Emploi du temps »).
    pub title: &'static str,
    /// Its service name in the académie's audience indicators.
    pub audience_service: &'static str,
    /// The profiles it is open to until the console says otherwise.
    pub default_profiles: &'static [Profile],
    /// Its SQL migrations, in order (versioned per module by the store).
    pub migrations: &'static [&'static str],
    /// Its routes, under `/<id>`, each with the rule the matrix checks.
    pub routes: &'static [ModuleRoute],
    /// Its actions and the roles that grant them, added to the one policy.
    pub rules: &'static [(&'static str, &'static [Role])],
    /// What it keeps about people and how long (the console's RGPD page).
    pub retention: Retention,
    /// The kinds of notification it sends (each person chooses how he gets them).
    pub notifications: &'static [&'static cartable_core::notify::Kind],
}

/// A module's behaviour; what it is comes from its [`ModuleSpec`].
pub trait Module: Send + Sync + 'static {
    fn spec(&self) -> &'static ModuleSpec;

    fn id(&self) -> &'static str {
        self.spec().id
    }
    fn title(&self) -> &'static str {
        self.spec().title
    }
    fn audience_service(&self) -> &'static str {
        self.spec().audience_service
    }
    fn default_profiles(&self) -> &'static [Profile] {
        self.spec().default_profiles
    }
    fn migrations(&self) -> &'static [&'static str] {
        self.spec().migrations
    }
    fn routes(&self) -> &'static [ModuleRoute] {
        self.spec().routes
    }
    fn rules(&self) -> &'static [(&'static str, &'static [Role])] {
        self.spec().rules
    }
    fn retention(&self) -> Retention {
        self.spec().retention
    }

    /// Its tiles on a person's portal (none is fine).
    fn tiles<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
        relations: &'a Relations,
    ) -> BoxFuture<'a, Result<Vec<Tile>, WebError>>;
    /// What it holds about a person (« Télécharger mes données »).
    fn export<'a>(
        &'a self,
        state: &'a AppState,
        person: &'a Person,
    ) -> BoxFuture<'a, Result<serde_json::Value, WebError>>;
    /// Removes what belongs to people no longer in the annuaire.
    fn purge<'a>(&'a self, _state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(async { Ok(0) })
    }
    /// Fills the demo établissement.
    fn seed_demo<'a>(&'a self, _state: &'a AppState) -> BoxFuture<'a, Result<(), WebError>> {
        Box::pin(async { Ok(()) })
    }
    /// Work whose time has come (a notice due from a date on); the daemon calls it every few
    /// minutes. Returns how much it did.
    fn due<'a>(&'a self, _state: &'a AppState) -> BoxFuture<'a, Result<usize, WebError>> {
        Box::pin(async { Ok(0) })
    }
    /// A pupil's attendance over `from..=to`, if this module keeps it (the vie scolaire): what
    /// another module (a bulletin) prints, asked through the host.
    fn attendance<'a>(
        &'a self,
        _state: &'a AppState,
        _pupil: &'a str,
        _from: time::Date,
        _to: time::Date,
    ) -> BoxFuture<'a, Result<Option<Attendance>, WebError>> {
        Box::pin(async { Ok(None) })
    }
    /// Which of `candidates` `person` may write to, if this module decides it (the
    /// messagerie's rules): what the address book shows, asked through the host.
    fn reachable<'a>(
        &'a self,
        _state: &'a AppState,
        _person: &'a Person,
        _candidates: &'a [Person],
    ) -> BoxFuture<'a, Result<Option<Vec<bool>>, WebError>> {
        Box::pin(async { Ok(None) })
    }
}

/// Which of `candidates` `person` may write to, by the mounted module that decides it; None
/// when none does (the messagerie switched off) or it failed (logged).
pub async fn reachable(
    state: &AppState,
    person: &Person,
    candidates: &[Person],
) -> Option<Vec<bool>> {
    for m in state.modules.modules() {
        match m.reachable(state, person, candidates).await {
            Ok(Some(r)) => return Some(r),
            Ok(None) => {}
            Err(e) => tracing::warn!(module = m.id(), "qui {} peut joindre : {e}", person.login),
        }
    }
    None
}

/// A pupil's attendance from the mounted module that keeps it; None when none does (the vie
/// scolaire switched off) or it failed (logged: a bulletin is still printed without it).
pub async fn attendance(
    state: &AppState,
    pupil: &str,
    from: time::Date,
    to: time::Date,
) -> Option<Attendance> {
    for m in state.modules.modules() {
        match m.attendance(state, pupil, from, to).await {
            Ok(Some(a)) => return Some(a),
            Ok(None) => {}
            Err(e) => tracing::warn!(module = m.id(), "assiduité de {pupil} : {e}"),
        }
    }
    None
}

/// Each module's work whose time has come; one that fails is logged, the others still run.
pub async fn due(state: &AppState) -> usize {
    let mut done = 0;
    for m in state.modules.modules() {
        match m.due(state).await {
            Ok(n) => done += n,
            Err(e) => tracing::warn!(module = m.id(), "travail programmé : {e}"),
        }
    }
    done
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
    // Taken before reading: what is read while a write lands is kept under the older
    // generation, which no later view asks for.
    let key = tile_cache::Key {
        login: person.login.as_str(),
        generation: state.store.generation(),
        day: cartable_core::dates::today_in_france(state.clock.now()),
        profile: person.profile,
        relations,
    };
    // One after the other: side by side (measured) woke more threads for no gain.
    let mut out = Vec::new();
    for m in state.modules.modules() {
        if !state.modules.open_to(m.id(), person.profile) {
            continue;
        }
        if let Some(kept) = state.tiles.get(&key, m.id()) {
            out.extend(kept);
            continue;
        }
        match m.tiles(state, person, relations).await {
            Ok(t) => {
                state.tiles.keep(&key, m.id(), &t);
                out.extend(t);
            }
            Err(e) => tracing::warn!(module = m.id(), "tuiles : {e}"),
        }
    }
    out
}

/// Those of `logins` no longer in the annuaire. An annuaire that does not answer is an
/// error, never « everyone left »: what a purge would delete on it stays.
pub async fn departed(state: &AppState, logins: Vec<String>) -> Result<Vec<String>, WebError> {
    use cartable_core::directory::{DirectoryRead, Login};
    let mut out = Vec::new();
    for l in logins {
        let present = match Login::parse(&l) {
            Ok(login) => state.directory.person(&login).await?.is_some(),
            Err(_) => false,
        };
        if !present {
            out.push(l);
        }
    }
    Ok(out)
}

/// A module's purge of departed people: of those `people` lists, each the annuaire no longer
/// has is passed to `forget` (in a write of its own). How many rows went.
pub async fn forget_departed(
    state: &AppState,
    people: fn(&cartable_core::store::ReadTxn<'_>) -> cartable_core::Result<Vec<String>>,
    forget: fn(&cartable_core::store::WriteTxn<'_>, &str) -> cartable_core::Result<usize>,
) -> Result<usize, WebError> {
    let logins = state.store.read(people).await?;
    let mut gone = 0;
    for login in departed(state, logins).await? {
        gone += state.store.write(move |w| forget(w, &login)).await?;
    }
    Ok(gone)
}

/// After a lifecycle sweep: the secret addresses of people no longer in the annuaire, what
/// they were told (notifications, choices, addresses), then each module's own purge. A module
/// that fails is logged; the others still run.
pub async fn purge(state: &AppState) -> usize {
    let mut gone = 0;
    let feeds = state
        .store
        .read(|r| r.feed_logins())
        .await
        .unwrap_or_default();
    let feeds = match departed(state, feeds).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!("purge remise, annuaire injoignable : {e}");
            return 0;
        }
    };
    for l in feeds {
        let login = l.clone();
        match state.store.write(move |w| w.delete_feeds_of(&login)).await {
            Ok(n) => gone += n,
            Err(e) => tracing::warn!("adresses d'abonnement de {l} : {e}"),
        }
    }
    let told = state
        .store
        .read(|r| r.notification_logins())
        .await
        .unwrap_or_default();
    let told = match departed(state, told).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!("purge remise, annuaire injoignable : {e}");
            return gone;
        }
    };
    for l in told {
        let login = l.clone();
        match state
            .store
            .write(move |w| w.delete_notifications_of(&login))
            .await
        {
            Ok(n) => gone += n,
            Err(e) => tracing::warn!("notifications de {l} : {e}"),
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
