//! `/fichiers/devoirs`: a teacher hands files out to one of his classes or groups (or prepares
//! an exam, opened later), collects the copies, returns the corrected ones. The work itself is
//! `cartable_core::files::devoirs`; who may do it is the policy's `GiveWork`.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{ClassCode, DirectoryRead, GroupCode, GroupKind, Login};
use cartable_core::files::devoirs::{self, Audience, Devoirs};
use cartable_core::files::tree::Tree;
use cartable_core::files::{RelPath, ops};
use cartable_core::store::Devoir;

use super::{chrome, encode_query, html, html_kept, when};
use crate::error::WebError;
use crate::messages;
use crate::policy::Me;
use crate::session::{SignedIn, csrf};
use crate::state::AppState;
use crate::templates::{DevoirForm, DevoirView, DevoirsPage, WorkItem, WorkPage};

fn back(outcome: Result<String, String>) -> HttpResponse {
    super::see_other_with("/fichiers/devoirs", outcome)
}

/// The classes and groups `ctx` may give work to, as (form value, label).
fn audiences(ctx: &Me) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in &ctx.relations.teachings {
        if ctx.may(Action::GiveWork, &Target::Class(&t.class.code)) {
            out.push((
                format!("classe:{}", t.class.code),
                format!("Classe {}", t.class.label),
            ));
        }
    }
    for g in &ctx.relations.groups {
        if g.kind == GroupKind::Groupe && ctx.may(Action::GiveWork, &Target::Group(&g.code)) {
            out.push((format!("groupe:{}", g.code), format!("Groupe {}", g.label)));
        }
    }
    out
}

fn parse_audience(v: &str) -> Option<Audience> {
    match v.split_once(':')? {
        ("classe", c) => ClassCode::parse(c).ok().map(Audience::Classe),
        ("groupe", g) => GroupCode::parse(g).ok().map(Audience::Groupe),
        _ => None,
    }
}

fn allowed(ctx: &Me, audience: &Audience) -> bool {
    match audience {
        Audience::Classe(c) => ctx.may(Action::GiveWork, &Target::Class(c)),
        Audience::Groupe(g) => ctx.may(Action::GiveWork, &Target::Group(g)),
    }
}

/// The files of one's own space that can be handed out (not those under `devoirs/`).
fn own_files(root: &std::path::Path) -> Vec<String> {
    ops::files_under(root, &["devoirs"], 300)
}

async fn view(state: &AppState, d: Devoir) -> Result<DevoirView, WebError> {
    let id = d.id;
    let copies = state.store.read(move |r| r.devoir_copies(id)).await?;
    let mut shown = Vec::new();
    for (login, status) in copies {
        let name = match Login::parse(&login) {
            Ok(l) => state
                .directory
                .person(&l)
                .await?
                .map(|p| format!("{} {}", p.family_name, p.given_name))
                .unwrap_or_else(|| login.clone()),
            Err(_) => login.clone(),
        };
        shown.push((login, name, messages::copy_status(&status).to_owned()));
    }
    shown.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
    let state_text = match (d.released_at, d.collected_at, d.returned_at) {
        (None, _, _) => "épreuve préparée, pas encore ouverte".to_owned(),
        (Some(_), None, _) => "distribué".to_owned(),
        (Some(_), Some(c), None) => format!("ramassé le {}", when(c)),
        (Some(_), Some(_), Some(r)) => format!("restitué le {}", when(r)),
    };
    Ok(DevoirView {
        id: d.id,
        audience: format!(
            "{} {}",
            if d.audience_kind == "classe" {
                "Classe"
            } else {
                "Groupe"
            },
            d.audience
        ),
        created: when(d.created_at),
        state: state_text,
        released: d.released_at.is_some(),
        collected: d.collected_at.is_some(),
        collected_href: format!(
            "/fichiers/dossier?e=perso&p={}",
            encode_query(&devoirs::collected_path(&d.reference))
        ),
        copies: shown,
        due: d
            .due_on
            .as_deref()
            .and_then(cartable_core::dates::parse_iso)
            .map(cartable_core::dates::day_and_date),
        title: d.title,
    })
}

/// `GET /fichiers/devoirs`.
pub async fn page(
    me: SignedIn,
    state: web::Data<AppState>,
    q: web::Query<super::Outcome>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    render(
        &state,
        &me,
        &ctx,
        DevoirForm::default(),
        q.notice(),
        q.error(),
    )
    .await
}

/// The page, with the form as typed (empty, or sent back with what was wrong).
async fn render(
    state: &AppState,
    me: &SignedIn,
    ctx: &Me,
    form: DevoirForm,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let audiences = audiences(ctx);
    let teacher = me.person.login.to_string();
    let mine = state.store.read(move |r| r.devoirs_of(&teacher)).await?;
    if audiences.is_empty() && mine.is_empty() {
        return Err(WebError::Forbidden);
    }
    let root = Tree::new(state.config.files.root.clone()).perso(&me.person.login);
    let files = tokio::task::spawn_blocking(move || own_files(&root))
        .await
        .map_err(|e| WebError::Core(cartable_core::Error::Task(e.to_string())))?;
    let mut devoirs = Vec::new();
    for d in mine {
        devoirs.push(view(state, d).await?);
    }
    let chrome = chrome(state, Some(me)).await?;
    let refused = error.is_some() && !form.title.is_empty();
    html_kept(
        &DevoirsPage {
            chrome: &chrome,
            notice,
            error,
            csrf: &me.csrf,
            audiences,
            files,
            devoirs,
            form,
            title_max: cartable_core::files::devoirs::TITLE_MAX,
        },
        refused,
    )
}

fn service<'a>(state: &'a AppState) -> Devoirs<'a, cartable_core::directory::AnyDirectory> {
    Devoirs {
        store: &state.store,
        directory: &state.directory,
        config: &state.config.files,
    }
}

/// The user's message for a refused step.
fn refusal(e: cartable_core::Error) -> Result<String, WebError> {
    match e {
        cartable_core::Error::Invalid { field, reason } => Ok(format!("{field} : {reason}")),
        cartable_core::Error::Io { .. } => Ok(messages::FILES_GONE.to_owned()),
        other => Err(WebError::Core(other)),
    }
}

/// `POST /fichiers/devoirs`: distribute (form fields `titre`, `pour`, `fichier`*, `epreuve`,
/// `pour_le`). Refused, the page comes back with everything as typed.
pub async fn distribute(
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let field = |k: &str| crate::module::form::field(&form, k);
    csrf::check(&me.csrf, field("csrf"))?;
    let ctx = Me::of(&state, &me).await?;
    let typed = DevoirForm {
        title: field("titre").chars().take(500).collect(),
        audience: field("pour").to_owned(),
        files: form
            .iter()
            .filter(|(n, _)| n == "fichier")
            .map(|(_, v)| v.clone())
            .collect(),
        exam: field("epreuve") == "1",
        due: field("pour_le").trim().to_owned(),
    };
    let refuse = |typed, message: String| {
        let (state, me, ctx) = (&state, &me, &ctx);
        async move { render(state, me, ctx, typed, None, Some(message)).await }
    };
    let Some(audience) = parse_audience(&typed.audience) else {
        return refuse(typed, messages::DEVOIR_NO_AUDIENCE.to_owned()).await;
    };
    if !allowed(&ctx, &audience) {
        return Err(WebError::Forbidden);
    }
    let today = cartable_core::dates::today_in_france(state.clock.now());
    let due = match typed.due.as_str() {
        "" => None,
        d => match cartable_core::dates::parse_iso(d) {
            Some(d) if d >= today => {
                let calendar = state.store.read(|r| r.school_calendar()).await?;
                if let Some(why) = calendar.closed(d) {
                    let m =
                        messages::devoir_due_day_off(&cartable_core::dates::day_and_date(d), &why);
                    return refuse(typed, m).await;
                }
                Some(d)
            }
            Some(_) => return refuse(typed, messages::DEVOIR_DUE_PAST.to_owned()).await,
            None => return refuse(typed, messages::DEVOIR_DUE_BAD.to_owned()).await,
        },
    };
    let mut files = Vec::new();
    for v in &typed.files {
        files.push(RelPath::parse_visible(v).map_err(|e| WebError::BadRequest(e.to_string()))?);
    }
    let now = state.clock.now().unix_timestamp();
    let told_about = audience.clone();
    let outcome = service(&state)
        .distribute(
            &me.person,
            devoirs::Handout {
                title: &typed.title,
                audience,
                files,
                exam: typed.exam,
                due_on: due,
            },
            now,
        )
        .await;
    match outcome {
        Ok((devoir, o)) => {
            let notice = cartable_core::notify::Notice {
                kind: &crate::notify::DEVOIR,
                key: format!("devoir:{}", devoir.id),
                title: messages::devoir_notice(&typed.title, due),
                body: String::new(),
                link: Some("/fichiers/travail".to_owned()),
            };
            let about = match &told_about {
                devoirs::Audience::Classe(c) => crate::notify::About::Class(c.as_str()),
                devoirs::Audience::Groupe(g) => crate::notify::About::Group(g.as_str()),
            };
            crate::notify::tell(&state, crate::notify::Whom::Pupils(about), notice).await;
            Ok(back(Ok(messages::devoir_distributed(o.pupils, typed.exam))))
        }
        Err(e) => {
            let message = refusal(e)?;
            refuse(typed, message).await
        }
    }
}

/// One of the teacher's own devoirs; someone else's is "not found".
async fn own_devoir(state: &AppState, ctx: &Me, id: i64) -> Result<Devoir, WebError> {
    let d = state
        .store
        .read(move |r| r.devoir(id))
        .await?
        .filter(|d| d.teacher == ctx.person.login.as_str())
        .ok_or(WebError::NotFound)?;
    let audience = Audience::of(&d).ok_or(WebError::NotFound)?;
    if !allowed(ctx, &audience) {
        return Err(WebError::Forbidden);
    }
    Ok(d)
}

/// `POST /fichiers/devoirs/{id}/{step}`: `ouvrir`, `ramasser`, `restituer`.
pub async fn step(
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
    form: web::Form<super::CsrfForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&me.csrf, &form.csrf)?;
    let ctx = Me::of(&state, &me).await?;
    let (id, step) = path.into_inner();
    let d = own_devoir(&state, &ctx, id).await?;
    let now = state.clock.now().unix_timestamp();
    let svc = service(&state);
    let outcome = match step.as_str() {
        "ouvrir" => svc
            .release(&d, now)
            .await
            .map(|o| messages::devoir_released(o.pupils)),
        "ramasser" => svc
            .collect(&d, now)
            .await
            .map(|o| messages::devoir_collected(o.pupils, o.handed_in)),
        "restituer" => svc
            .give_back(&d, now)
            .await
            .map(|o| messages::devoir_returned(o.pupils)),
        _ => return Err(WebError::NotFound),
    };
    Ok(back(match outcome {
        Ok(m) => Ok(m),
        Err(e) => Err(refusal(e)?),
    }))
}

/// Devoirs listed at most on « Travail à rendre » (soonest due first): a school year's worth.
const WORK_SHOWN: usize = 300;

/// `GET /fichiers/travail`: a pupil's work to hand in — every devoir given to his class and
/// groups, soonest due first, with where to put his work.
pub async fn to_hand_in(
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    if me.person.profile != cartable_core::directory::Profile::Eleve {
        return Err(WebError::NotFound);
    }
    let ctx = Me::of(&state, &me).await?;
    let mut audiences: Vec<(String, String)> = ctx
        .relations
        .classes
        .iter()
        .map(|c| ("classe".to_owned(), c.code.to_string()))
        .collect();
    audiences.extend(
        ctx.relations
            .groups
            .iter()
            .filter(|g| g.kind == GroupKind::Groupe)
            .map(|g| ("groupe".to_owned(), g.code.to_string())),
    );
    let found = state.store.read(move |r| r.devoirs_for(&audiences)).await?;
    let mut items = Vec::new();
    // One look-up per teacher, not per devoir: a class gets many from the same few people.
    let mut teachers: std::collections::HashMap<String, Option<cartable_core::directory::Person>> =
        std::collections::HashMap::new();
    for d in found.into_iter().take(WORK_SHOWN) {
        if !teachers.contains_key(&d.teacher) {
            let p = match Login::parse(&d.teacher) {
                Ok(l) => state.directory.person(&l).await?,
                Err(_) => None,
            };
            teachers.insert(d.teacher.clone(), p);
        }
        let Some(Some(teacher)) = teachers.get(&d.teacher) else {
            continue;
        };
        let folder = devoirs::pupil_path(teacher, &d.reference);
        let audience = ctx
            .relations
            .classes
            .iter()
            .find(|c| c.code.as_str() == d.audience)
            .map(|c| c.label.clone())
            .or_else(|| {
                ctx.relations
                    .groups
                    .iter()
                    .find(|g| g.code.as_str() == d.audience)
                    .map(|g| g.label.clone())
            })
            .unwrap_or_else(|| d.audience.clone());
        items.push(WorkItem {
            title: d.title.clone(),
            teacher: teacher.display_name(),
            audience,
            due: d
                .due_on
                .as_deref()
                .and_then(cartable_core::dates::parse_iso)
                .map(cartable_core::dates::day_and_date),
            state: match (d.collected_at, d.returned_at) {
                (None, _) => messages::WORK_OPEN.to_owned(),
                (Some(c), None) => format!("ramassé le {}", when(c)),
                (Some(_), Some(r)) => format!("copie corrigée rendue le {}", when(r)),
            },
            open: d.collected_at.is_none(),
            href: format!(
                "/fichiers/dossier?e=perso&p={}",
                encode_query(&folder.to_string_lossy())
            ),
        });
    }
    let chrome = chrome(&state, Some(&me)).await?;
    html(&WorkPage {
        chrome: &chrome,
        items: &items,
    })
}
