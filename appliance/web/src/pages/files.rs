//! `/fichiers`: the web file manager. Every space a person reaches (their own, their classes'
//! `donnees` and `travail`, their groups', `commun`), browsed, uploaded to (streamed, size and
//! quota checked as the bytes arrive), downloaded (streamed, ranges, always as an
//! attachment), and organised: new folder, rename, move, corbeille and restore. Who may read
//! or write a space is `cartable_core::authz`; the file work is `cartable_core::files`, run on
//! the blocking pool.

use std::io::ErrorKind;
use std::path::PathBuf;

use actix_multipart::{Field, Multipart};
use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::authz::Action;
use cartable_core::files::ops::{self, Space};
use cartable_core::files::quota::{self, Quota};
use cartable_core::files::spaces::{self, SpaceId};
use cartable_core::files::tree::Tree;
use cartable_core::files::{RelPath, SafeName, devoirs, trash};
use futures_util::TryStreamExt;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use super::{chrome, encode_query, html, when};
use crate::error::WebError;
use crate::messages;
use crate::policy::Me;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{
    Crumb, EntryView, FilesPage, FolderPage, QuotaView, RecentView, SpaceLink, TrashPage,
    TrashedView,
};

/// A place in a space, from the query string; `ok`/`err` carry the last action's outcome.
#[derive(Deserialize)]
pub struct Loc {
    #[serde(default)]
    e: String,
    #[serde(default)]
    p: String,
    ok: Option<String>,
    err: Option<String>,
}

/// A form acting on an entry.
#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    e: String,
    #[serde(default)]
    p: String,
    /// New name (rename, new folder).
    nom: Option<String>,
    /// Destination folder (move).
    vers: Option<String>,
    /// Corbeille entry (restore).
    id: Option<String>,
}

/// A space opened for the signed-in person.
struct Opened {
    id: SpaceId,
    root: PathBuf,
    /// The person's unix id, given to what they create (so SMB sees it as theirs).
    owner: Option<u32>,
    writable: bool,
}

impl Opened {
    fn space(&self) -> Space<'_> {
        Space {
            root: &self.root,
            owner: self.owner,
        }
    }
}

/// Runs file work on the blocking pool.
async fn run<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<std::io::Result<T>, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Core(cartable_core::Error::Task(format!("file task: {e}"))))
}

/// The space named `key`, if the person may read it (else "not found": nothing revealed);
/// with `write`, if they may write it (else forbidden).
async fn open(state: &AppState, ctx: &Me, key: &str, write: bool) -> Result<Opened, WebError> {
    let id = SpaceId::parse(key).ok_or(WebError::NotFound)?;
    let login = &ctx.person.login;
    let target = id.target(login);
    if !ctx.may(Action::ReadFiles, &target) {
        return Err(WebError::NotFound);
    }
    let writable = ctx.may(Action::WriteFiles, &target);
    if write && !writable {
        return Err(WebError::Forbidden);
    }
    let tree = Tree::new(state.config.files.root.clone());
    let root = id.path(&tree, login);
    let perso = tree.perso(login);
    let service = tree.root().to_owned();
    // The tree gives each account's own folder to its unix id; without unix ids (embedded
    // directory) it belongs to the service, like the root.
    let owner = run(move || {
        use std::os::unix::fs::MetadataExt;
        let uid = std::fs::metadata(&perso)?.uid();
        Ok((uid != std::fs::metadata(&service)?.uid()).then_some(uid))
    })
    .await?
    .unwrap_or(None);
    Ok(Opened {
        id,
        root,
        owner,
        writable,
    })
}

fn rel(p: &str) -> Result<RelPath, WebError> {
    RelPath::parse_visible(p).map_err(|_| WebError::NotFound)
}

/// What went wrong, for the person.
fn explain(e: &std::io::Error) -> String {
    match (e.kind(), e.raw_os_error()) {
        (ErrorKind::AlreadyExists, _) => messages::FILES_EXISTS.to_owned(),
        (ErrorKind::NotFound, _) | (_, Some(20 | 40)) => messages::FILES_GONE.to_owned(),
        (ErrorKind::InvalidInput, _) => messages::FILES_INTO_ITSELF.to_owned(),
        _ => {
            tracing::error!("fichiers : {e}");
            messages::FILES_FAILED.to_owned()
        }
    }
}

/// Back to a folder, with the outcome shown there.
fn back(space: &str, path: &str, outcome: Result<String, String>) -> HttpResponse {
    super::see_other_with(
        &format!(
            "/fichiers/dossier?e={}&p={}",
            encode_query(space),
            encode_query(path)
        ),
        outcome,
    )
}

/// Back to the folder with what happened to the file work.
fn answer(space: &str, folder: &str, done: std::io::Result<String>) -> HttpResponse {
    back(space, folder, done.map_err(|e| explain(&e)))
}

/// A folder of one's own space as people read it: a devoir's folder
/// (`devoirs/<enseignant>/<devoir>/…`) reads « devoir « <devoir> » (<enseignant>) ».
fn folder_label(folder: &str) -> String {
    let mut parts = folder.splitn(4, '/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("devoirs"), Some(teacher), Some(devoir), rest) if teacher != devoirs::COLLECTED => {
            let mut out = format!("devoir « {devoir} » ({teacher})");
            if let Some(rest) = rest {
                out.push_str(" › ");
                out.push_str(&rest.replace('/', " › "));
            }
            out
        }
        _ => folder.replace('/', " › "),
    }
}

fn recent_view(r: cartable_core::files::summary::Recent) -> RecentView {
    let (folder, name) = match r.path.rsplit_once('/') {
        Some((f, n)) => (f.to_owned(), n.to_owned()),
        None => (String::new(), r.path.clone()),
    };
    RecentView {
        href: format!("/fichiers/telecharger?e=perso&p={}", encode_query(&r.path)),
        folder_href: format!("/fichiers/dossier?e=perso&p={}", encode_query(&folder)),
        folder: folder_label(&folder),
        name,
        size: quota::human(r.size),
        modified: when(r.modified),
    }
}

pub fn quota_view(q: &Quota) -> QuotaView {
    QuotaView {
        used: quota::human(q.used),
        limit: quota::human(q.limit),
        percent: q.percent(),
    }
}

/// `/fichiers`: my spaces and my quota.
pub async fn index(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let reachable = spaces::reachable(&ctx.actor());
    let (quota, recent) = if reachable.iter().any(|r| r.id == SpaceId::Perso) {
        let (q, summary) = quota::of(
            &state.store,
            &state.config.files,
            &me.person,
            &state.summaries,
        )
        .await?;
        let recent = summary.recent.into_iter().map(recent_view).collect();
        (Some(quota_view(&q)), recent)
    } else {
        (None, Vec::new())
    };
    let chrome = chrome(&state, Some(&me)).await?;
    html(&FilesPage {
        chrome: &chrome,
        quota,
        recent,
        devoirs: !ctx.relations.teachings.is_empty(),
        pupil: me.person.profile == cartable_core::directory::Profile::Eleve,
        spaces: reachable
            .into_iter()
            .map(|r| SpaceLink {
                key: encode_query(&r.id.key()),
                label: r.id.label(&ctx.relations),
                writable: r.writable,
            })
            .collect(),
    })
}

/// Every folder of a space (for "move to"), a few levels deep.
fn folders_of(space: &Space<'_>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), messages::FILES_SPACE_ROOT_NAME.to_owned())];
    let mut queue = vec![(RelPath::default(), 0)];
    while let Some((dir, depth)) = queue.pop() {
        let Ok(entries) = ops::list(space, &dir) else {
            continue;
        };
        for e in entries.into_iter().filter(|e| e.is_dir) {
            let Ok(name) = SafeName::parse(&e.name) else {
                continue;
            };
            let p = dir.join(name);
            out.push((p.as_string(), p.as_string()));
            if depth < 6 && out.len() < 300 {
                queue.push((p, depth + 1));
            }
        }
    }
    out.sort();
    out
}

/// `/fichiers/dossier?e=&p=`: a folder.
pub async fn folder(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Loc>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let opened = open(&state, &ctx, &q.e, false).await?;
    let here = rel(&q.p)?;
    let (root, owner, h) = (opened.root.clone(), opened.owner, here.clone());
    let writable = opened.writable;
    let (entries, folders) = run(move || {
        let space = Space { root: &root, owner };
        let entries = ops::list(&space, &h)?;
        let folders = if writable {
            folders_of(&space)
        } else {
            Vec::new()
        };
        Ok((entries, folders))
    })
    .await?
    .map_err(|_| WebError::NotFound)?;
    let quota = if opened.id == SpaceId::Perso {
        Some(quota_view(
            &quota::of(
                &state.store,
                &state.config.files,
                &me.person,
                &state.summaries,
            )
            .await?
            .0,
        ))
    } else {
        quota::of_space(
            &state.config.files,
            &state.summaries,
            &opened.id,
            opened.root.clone(),
        )
        .await?
        .as_ref()
        .map(quota_view)
    };
    let key = opened.id.key();
    let mut crumbs = vec![Crumb {
        name: opened.id.label(&ctx.relations),
        href: format!("/fichiers/dossier?e={}", encode_query(&key)),
    }];
    let mut acc = RelPath::default();
    for c in here.components() {
        acc = acc.join(c.clone());
        crumbs.push(Crumb {
            name: c.as_str().to_owned(),
            href: format!(
                "/fichiers/dossier?e={}&p={}",
                encode_query(&key),
                encode_query(&acc.as_string())
            ),
        });
    }
    let title = here
        .components()
        .last()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|| opened.id.label(&ctx.relations));
    let entries = entries
        .into_iter()
        .filter_map(|e| {
            let name = SafeName::parse(&e.name).ok()?;
            let p = here.join(name).as_string();
            Some(EntryView {
                path_q: encode_query(&p),
                path: p,
                size: quota::human(e.size),
                modified: when(e.modified),
                is_dir: e.is_dir,
                name: e.name,
            })
        })
        .collect();
    let chrome = chrome(&state, Some(&me)).await?;
    html(&FolderPage {
        chrome: &chrome,
        title,
        crumbs,
        notice: super::shown_ok(&q.ok),
        error: super::shown_err(&q.err),
        quota,
        writable,
        csrf: &me.csrf,
        space_q: encode_query(&key),
        space: key,
        path_q: encode_query(&here.as_string()),
        path: here.as_string(),
        max_upload: quota::human(state.config.files.max_upload),
        entries,
        folders,
        trash_days: state.config.files.trash_days,
    })
}

/// `/fichiers/telecharger?e=&p=`: a file, streamed, with ranges; always as an attachment
/// (a document is never rendered as a page of the ENT's own site).
pub async fn download(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Loc>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let opened = open(&state, &ctx, &q.e, false).await?;
    let path = rel(&q.p)?;
    let name = path
        .components()
        .last()
        .cloned()
        .ok_or(WebError::NotFound)?;
    let (root, p) = (opened.root.clone(), path.clone());
    let file = run(move || {
        ops::open_file(
            &Space {
                root: &root,
                owner: None,
            },
            &p,
        )
    })
    .await?
    .map_err(|_| WebError::NotFound)?;
    let named = actix_files::NamedFile::from_file(file, name.as_str())
        .map_err(|_| WebError::NotFound)?
        .set_content_disposition(super::download_as(name.as_str()));
    let mut resp = named.into_response(&req);
    let h = resp.headers_mut();
    h.insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(resp)
}

/// Reads a short text field (the CSRF token).
async fn small_field(field: &mut Field) -> Result<String, WebError> {
    let mut out = Vec::new();
    while let Some(chunk) = field
        .try_next()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
    {
        out.extend_from_slice(&chunk);
        if out.len() > 256 {
            return Err(WebError::BadRequest("champ trop long".to_owned()));
        }
    }
    String::from_utf8(out).map_err(|_| WebError::BadRequest("champ invalide".to_owned()))
}

/// Reads and discards the rest of a field, so the browser gets the answer, not a reset.
async fn drain(field: &mut Field) -> Result<(), WebError> {
    while field
        .try_next()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
        .is_some()
    {}
    Ok(())
}

/// Files one upload may carry.
const MAX_FILES_PER_UPLOAD: usize = 500;

/// `POST /fichiers/envoyer?e=&p=` (multipart: `csrf` first, then `fichiers`).
pub async fn upload(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Loc>,
    body: web::Payload,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let opened = open(&state, &ctx, &q.e, true).await?;
    // Read only once the person may write here.
    let mut payload = Multipart::new(req.headers(), body);
    let folder = rel(&q.p)?;
    let cfg = &state.config.files;
    // What is written counts against the writer's quota, wherever he writes, and a shared
    // space cannot grow past its own size.
    let mine = quota::of(&state.store, cfg, &me.person, &state.summaries)
        .await?
        .0;
    let space = quota::of_space(cfg, &state.summaries, &opened.id, opened.root.clone()).await?;
    let mut csrf_ok = false;
    let mut parts = 0usize;
    let mut sent: Vec<String> = Vec::new();
    let mut refused: Option<String> = None;
    let mut added = 0u64;
    while let Some(mut field) = payload
        .try_next()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
    {
        parts += 1;
        if parts > MAX_FILES_PER_UPLOAD + 1 {
            // Beyond, what was sent is kept and the rest refused, said once.
            if refused.is_none() {
                refused = Some(messages::too_many_files(MAX_FILES_PER_UPLOAD));
            }
            drain(&mut field).await?;
            continue;
        }
        if field.name() == Some("csrf") {
            let token = small_field(&mut field).await?;
            csrf::check(&me.csrf, &token)?;
            csrf_ok = true;
            continue;
        }
        if !csrf_ok {
            return Err(WebError::Csrf);
        }
        let original = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_owned();
        if field.name() != Some("fichiers") || original.is_empty() || refused.is_some() {
            drain(&mut field).await?;
            continue;
        }
        // Old browsers send a whole client path.
        let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
        let name = match SafeName::parse_new(base) {
            Ok(n) => n,
            Err(e) => {
                refused = Some(messages::bad_name(&e.to_string()));
                drain(&mut field).await?;
                continue;
            }
        };
        let (root, owner, f) = (opened.root.clone(), opened.owner, folder.clone());
        let mut upload =
            match run(move || ops::start_upload(&Space { root: &root, owner }, &f, name)).await? {
                Ok(u) => u,
                Err(e) => {
                    refused = Some(explain(&e));
                    drain(&mut field).await?;
                    continue;
                }
            };
        let std_file = upload
            .file
            .take()
            .ok_or_else(|| WebError::BadRequest("upload".to_owned()))?;
        let mut file = tokio::fs::File::from_std(std_file);
        let mut written = 0u64;
        let mut failure = None;
        while let Some(chunk) = field
            .try_next()
            .await
            .map_err(|e| WebError::BadRequest(e.to_string()))?
        {
            written += chunk.len() as u64;
            if written > cfg.max_upload {
                failure = Some(messages::too_big(base, &quota::human(cfg.max_upload)));
                break;
            }
            if mine.used + added + written > mine.limit {
                let free = mine.limit.saturating_sub(mine.used + added);
                failure = Some(messages::over_quota(base, &quota::human(free)));
                break;
            }
            if let Some(q) = &space
                && q.used + added + written > q.limit
            {
                let free = q.limit.saturating_sub(q.used + added);
                failure = Some(messages::space_full(base, &quota::human(free)));
                break;
            }
            if let Err(e) = file.write_all(&chunk).await {
                failure = Some(explain(&e));
                break;
            }
        }
        if let Some(f) = failure {
            drain(&mut field).await?;
            // Dropping the upload removes what was written of it.
            run(move || {
                drop(upload);
                Ok(())
            })
            .await?
            .ok();
            refused = Some(f);
            continue;
        }
        let flushed = file.flush().await;
        upload.file = Some(file.into_std().await);
        let finished = match flushed {
            Ok(()) => run(move || upload.finish()).await?,
            Err(e) => Err(e),
        };
        match finished {
            Ok(n) => {
                added += written;
                sent.push(n.as_str().to_owned());
            }
            Err(e) => refused = Some(explain(&e)),
        }
    }
    if !csrf_ok {
        return Err(WebError::Csrf);
    }
    state.summaries.changed(&opened.root);
    let key = opened.id.key();
    let path = folder.as_string();
    if let Some(r) = refused {
        let prefix = match sent.len() {
            0 => String::new(),
            1 => format!("{} : {}. ", messages::FILES_SENT_ONE, sent[0]),
            n => format!("{n} {}. ", messages::FILES_SENT_MANY),
        };
        return Ok(back(&key, &path, Err(format!("{prefix}{r}"))));
    }
    Ok(back(
        &key,
        &path,
        match sent.len() {
            0 => Err(messages::FILES_NONE_SENT.to_owned()),
            1 => Ok(format!("{} : {}", messages::FILES_SENT_ONE, sent[0])),
            n => Ok(format!("{n} {}", messages::FILES_SENT_MANY)),
        },
    ))
}

/// Checks the form, opens the space for writing.
async fn writable(state: &AppState, me: &SignedIn, form: &EntryForm) -> Result<Opened, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(state, me).await?;
    let opened = open(state, &ctx, &form.e, true).await?;
    // What is about to change is no longer summarised (use, recent documents).
    state.summaries.changed(&opened.root);
    Ok(opened)
}

fn parse_name(n: Option<&str>) -> Result<SafeName, String> {
    SafeName::parse_new(n.unwrap_or_default().trim())
        .map_err(|e| messages::bad_name(&e.to_string()))
}

/// The folder an entry is in, to go back to.
fn parent_of(p: &RelPath) -> String {
    p.parent().map(|(f, _)| f.as_string()).unwrap_or_default()
}

/// `POST /fichiers/nouveau-dossier`.
pub async fn make_dir(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let opened = writable(&state, &me, &form).await?;
    let folder = rel(&form.p)?;
    let name = match parse_name(form.nom.as_deref()) {
        Ok(n) => n,
        Err(m) => return Ok(back(&form.e, &form.p, Err(m))),
    };
    let (root, owner, f, n) = (
        opened.root.clone(),
        opened.owner,
        folder.clone(),
        name.clone(),
    );
    let outcome = run(move || ops::make_dir(&Space { root: &root, owner }, &f, &n)).await?;
    Ok(answer(
        &form.e,
        &folder.as_string(),
        outcome.map(|()| format!("{} : {}", messages::FILES_FOLDER_CREATED, name.as_str())),
    ))
}

/// The entry a form acts on, in a space opened for writing, and the folder to go back to;
/// the space's root itself is refused.
async fn entry_of(
    state: &AppState,
    me: &SignedIn,
    form: &EntryForm,
) -> Result<Result<(Opened, RelPath, String), HttpResponse>, WebError> {
    let opened = writable(state, me, form).await?;
    let path = rel(&form.p)?;
    if path.components().is_empty() {
        return Ok(Err(back(&form.e, "", Err(messages::FILES_ROOT.to_owned()))));
    }
    let back_to = parent_of(&path);
    Ok(Ok((opened, path, back_to)))
}

/// `POST /fichiers/renommer`.
pub async fn rename(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let (opened, path, back_to) = match entry_of(&state, &me, &form).await? {
        Ok(t) => t,
        Err(refused) => return Ok(refused),
    };
    let name = match parse_name(form.nom.as_deref()) {
        Ok(n) => n,
        Err(m) => return Ok(back(&form.e, &back_to, Err(m))),
    };
    let n = name.clone();
    let outcome = run(move || ops::rename(&opened.space(), &path, &n)).await?;
    Ok(answer(
        &form.e,
        &back_to,
        outcome.map(|()| format!("{} « {} »", messages::FILES_RENAMED, name.as_str())),
    ))
}

/// `POST /fichiers/deplacer`.
pub async fn move_to(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let (opened, path, back_to) = match entry_of(&state, &me, &form).await? {
        Ok(t) => t,
        Err(refused) => return Ok(refused),
    };
    let dest = rel(form.vers.as_deref().unwrap_or_default())?;
    let shown = if dest.components().is_empty() {
        messages::FILES_SPACE_ROOT_NAME.to_owned()
    } else {
        dest.as_string()
    };
    let outcome = run(move || ops::move_to(&opened.space(), &path, &dest)).await?;
    Ok(answer(
        &form.e,
        &back_to,
        outcome.map(|_| format!("{} « {shown} »", messages::FILES_MOVED)),
    ))
}

/// `POST /fichiers/supprimer`: to the corbeille.
pub async fn delete(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let (opened, path, back_to) = match entry_of(&state, &me, &form).await? {
        Ok(t) => t,
        Err(refused) => return Ok(refused),
    };
    let now = state.clock.now().unix_timestamp();
    let outcome = run(move || trash::delete(&opened.space(), &path, now)).await?;
    Ok(answer(
        &form.e,
        &back_to,
        outcome.map(|t| format!("« {} » {}", t.name, messages::FILES_TRASHED)),
    ))
}

/// `/fichiers/corbeille?e=`.
pub async fn trash_page(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<Loc>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    let opened = open(&state, &ctx, &q.e, true).await?;
    let key = opened.id.key();
    let label = opened.id.label(&ctx.relations);
    let items = run(move || trash::list(&opened.space()))
        .await?
        .map_err(|e| WebError::Core(cartable_core::Error::Task(e.to_string())))?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&TrashPage {
        chrome: &chrome,
        space_label: label,
        space_q: encode_query(&key),
        space: key,
        notice: super::shown_ok(&q.ok),
        error: super::shown_err(&q.err),
        csrf: &me.csrf,
        trash_days: state.config.files.trash_days,
        items: items
            .into_iter()
            .map(|t| TrashedView {
                from: if t.from.is_empty() {
                    messages::FILES_SPACE_ROOT_NAME.to_owned()
                } else {
                    t.from
                },
                deleted_at: when(t.deleted_at),
                size: quota::human(t.size),
                is_dir: t.is_dir,
                name: t.name,
                id: t.id,
            })
            .collect(),
    })
}

fn back_to_trash(space: &str, outcome: Result<String, String>) -> HttpResponse {
    super::see_other_with(
        &format!("/fichiers/corbeille?e={}", encode_query(space)),
        outcome,
    )
}

/// `POST /fichiers/restaurer`.
pub async fn restore(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let opened = writable(&state, &me, &form).await?;
    let id = form.id.clone().unwrap_or_default();
    let outcome = run(move || trash::restore(&opened.space(), &id)).await?;
    Ok(match outcome {
        Ok(p) => back(
            &form.e,
            &parent_of(&p),
            Ok(format!(
                "{} « {} »",
                messages::FILES_RESTORED,
                match p.parent() {
                    Some((f, _)) if !f.components().is_empty() => f.as_string(),
                    _ => messages::FILES_SPACE_ROOT_NAME.to_owned(),
                }
            )),
        ),
        Err(e) => back_to_trash(&form.e, Err(explain(&e))),
    })
}

/// `POST /fichiers/corbeille/vider`.
pub async fn empty_trash(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, WebError> {
    let opened = writable(&state, &me, &form).await?;
    let outcome = run(move || trash::purge(&opened.space(), i64::MAX)).await?;
    Ok(back_to_trash(
        &form.e,
        outcome
            .map(|_| messages::FILES_TRASH_EMPTIED.to_owned())
            .map_err(|e| explain(&e)),
    ))
}
