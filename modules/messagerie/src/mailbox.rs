//! A person's messagerie: its places and folders, a conversation, what one does with a
//! message (corbeille, restore, delete, unread, move), attachments; the portal's tile, the
//! data export and the purge.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{DirectoryRead, Person};
use cartable_core::files::quota::human;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{
    ConfirmSpec, chrome, confirm, html, see_other_with, shown_err, shown_ok, when,
};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::{Pager, Tile};
use serde::Deserialize;

use crate::model::{Entry, Folder, Message, Place, State};
use crate::templates::{BoxPage, Line, PlaceLink, ReadPage, Shown};
use crate::{ID, REPORTS, RULES, messages, pieces, rules, store};

/// How long a sent message can be recalled.
pub const RECALL_SECONDS: i64 = 60 * 60;
/// The corbeille keeps a message this long.
const TRASH_DAYS: i64 = 30;
/// Nothing is kept longer.
const KEEP_DAYS: i64 = 730;

fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

fn place_label(f: &Folder) -> &'static str {
    match f {
        Folder::Inbox => "Boîte de réception",
        Folder::Sent => "Envoyés",
        Folder::Drafts => "Brouillons",
        Folder::Trash => "Corbeille",
        Folder::Own(_) => "Dossier",
    }
}

#[derive(Deserialize)]
pub struct FolderQuery {
    #[serde(default)]
    dossier: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
    ok: Option<String>,
    err: Option<String>,
}

/// « Mme Durand, M. Petit et 3 autres ».
fn addressed(m: &Message, reader: &str) -> String {
    let shown: Vec<&str> = m
        .shown_to(reader)
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    match shown.len() {
        0 => "(aucun destinataire)".to_owned(),
        1..=3 => shown.join(", "),
        n => format!("{} et {} autres", shown[..2].join(", "), n - 2),
    }
}

fn line(e: &Entry, owner: &str) -> Line {
    let m = &e.message;
    let mine = e.role == "de";
    Line {
        id: m.id,
        unread: e.unread,
        who: if mine {
            format!("À : {}", addressed(m, owner))
        } else {
            m.sender_name.clone()
        },
        subject: if m.subject.is_empty() {
            "(sans objet)".to_owned()
        } else {
            m.subject.clone()
        },
        when: when(m.sent_at.unwrap_or(m.created_at)),
        pieces: e.pieces > 0,
        note: match (m.state, mine) {
            (State::Recalled, true) => "rappelé".to_owned(),
            (State::Draft, _) => "brouillon".to_owned(),
            _ => String::new(),
        },
    }
}

/// `GET /messagerie`: a place or folder of one's messagerie, or a search in all of it.
pub async fn folder(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<FolderQuery>,
) -> Result<HttpResponse, WebError> {
    let me = &m.me.person;
    let owner = me.login.to_string();
    let folder = Folder::parse(&q.dossier).ok_or(WebError::NotFound)?;
    let search: String = q.q.trim().chars().take(100).collect();
    let page = q.page.min(10_000) as i64;
    let (o, f, s) = (owner.clone(), folder.clone(), search.clone());
    // The whole page in one read.
    let (entries, total, folders, unread, used, suspensions) = state
        .store
        .read(move |r| {
            if let Folder::Own(id) = f
                && !store::folder_exists(r, &o, id)?
            {
                return Ok((Vec::new(), -1, Vec::new(), Vec::new(), 0, Vec::new()));
            }
            let (entries, total) =
                store::list(r, &o, &f, (!s.is_empty()).then_some(s.as_str()), page)?;
            Ok((
                entries,
                total,
                store::folders(r, &o)?,
                store::unread_by_place(r, &o)?,
                store::used(r, &o)?,
                store::suspensions(r)?,
            ))
        })
        .await?;
    if total < 0 {
        return Err(WebError::NotFound);
    }
    let unread_in = |code: &str| {
        unread
            .iter()
            .find(|(p, _)| p == code)
            .map_or(0, |(_, n)| *n)
    };
    let places = [Folder::Inbox, Folder::Sent, Folder::Drafts, Folder::Trash]
        .into_iter()
        .map(|f| PlaceLink {
            id: 0,
            code: f.code(),
            label: place_label(&f).to_owned(),
            unread: if f == Folder::Inbox {
                unread_in("reception")
            } else {
                0
            },
            current: search.is_empty() && f == folder,
        })
        .collect();
    let mut title = place_label(&folder).to_owned();
    let folder_links = folders
        .iter()
        .map(|(id, name)| {
            let f = Folder::Own(*id);
            if search.is_empty() && f == folder {
                title = name.clone();
            }
            PlaceLink {
                id: *id,
                code: f.code(),
                label: name.clone(),
                unread: unread_in(&f.code()),
                current: search.is_empty() && f == folder,
            }
        })
        .collect();
    if !search.is_empty() {
        title = format!("Recherche : « {search} »");
    }
    // The staff's links need the policy; nobody else can have them (no annuaire read).
    let (rules_link, reports_link) = if rules::is_staff(me.profile) {
        let ctx = Me::of(&state, &m.me).await?;
        (
            ctx.may(Action::Module(RULES), &Target::Etablissement),
            ctx.may(Action::Module(REPORTS), &Target::Etablissement),
        )
    } else {
        (false, false)
    };
    let suspended = crate::safety::suspension_of(&suspensions, me.profile);
    let code = folder.code();
    let searched = search.clone();
    let href = |p: usize| {
        let mut u = format!("/{ID}?dossier={code}&page={p}");
        if !searched.is_empty() {
            u.push_str(&format!(
                "&q={}",
                cartable_web::pages::encode_query(&searched)
            ));
        }
        u
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&BoxPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        title,
        places,
        folders: folder_links,
        lines: entries.iter().map(|e| line(e, &owner)).collect(),
        empty: if search.is_empty() {
            match folder {
                Folder::Inbox => "Aucun message reçu pour l'instant.",
                Folder::Sent => "Aucun message envoyé.",
                Folder::Drafts => "Aucun brouillon.",
                Folder::Trash => "La corbeille est vide.",
                Folder::Own(_) => "Ce dossier est vide : rangez-y des messages depuis leur page.",
            }
            .to_owned()
        } else {
            "Aucun message ne contient ce texte.".to_owned()
        },
        search,
        is_trash: folder == Folder::Trash,
        pager: Pager::new(q.page, total.max(0) as usize, store::PAGE as usize, href),
        usage: format!(
            "Pièces jointes gardées : {} sur {}.",
            human(used.max(0) as u64),
            human(pieces::MAX_HELD_BYTES as u64)
        ),
        may_write: suspended.is_none(),
        suspended,
        rules_link,
        reports_link,
    })
}

#[derive(Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// Labels of the visible addressees of a place, for one reader.
fn labels(m: &Message, reader: &str, place: Place) -> String {
    m.shown_to(reader)
        .iter()
        .filter(|a| a.place == place)
        .map(|a| a.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /messagerie/message/{id}`: the conversation up to this message, which is now read.
pub async fn read(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let owner = m.me.person.login.to_string();
    let o = owner.clone();
    let Some((message, role, place)) = state.store.read(move |r| store::open(r, &o, id)).await?
    else {
        // A recalled message's link (in a notification) says what happened to it.
        if state
            .store
            .read(move |r| store::was_recalled(r, id))
            .await?
        {
            return Ok(see_other_with(
                &format!("/{ID}"),
                Err(messages::RECALLED_SUBJECT.to_owned()),
            ));
        }
        return Err(WebError::NotFound);
    };
    if message.state == State::Draft {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/{ID}/ecrire?brouillon={id}")))
            .finish());
    }
    let at = now(&state);
    let o = owner.clone();
    state
        .store
        .write(move |w| store::mark_read(w, &o, id, at))
        .await?;
    let (o, thread_id) = (owner.clone(), message.thread);
    let (thread, folders) = state
        .store
        .read(move |r| {
            let mut thread = store::thread(r, &o, thread_id)?;
            if !thread.iter().any(|t| t.id == id) {
                thread.push(
                    store::open(r, &o, id)?
                        .map(|x| x.0)
                        .into_iter()
                        .next()
                        .ok_or(cartable_core::Error::Invalid {
                            field: "message",
                            reason: "absent".to_owned(),
                        })?,
                );
            }
            let mut with_pieces = Vec::new();
            for t in thread {
                let p = store::pieces(r, t.id)?;
                with_pieces.push((t, p));
            }
            Ok((with_pieces, store::folders(r, &o)?))
        })
        .await?;
    let shown = thread
        .into_iter()
        .map(|(t, p)| Shown {
            id: t.id,
            from: t.sender_name.clone(),
            to: labels(&t, &owner, Place::To),
            cc: labels(&t, &owner, Place::Cc),
            bcc: {
                // Reached through a list: he is told so, never who else was on it.
                let me = format!("p:{owner}");
                let named = t.shown_to(&owner).iter().any(|a| a.token == me);
                if t.sender != owner && !named {
                    messages::THROUGH_A_LIST.to_owned()
                } else {
                    labels(&t, &owner, Place::Bcc)
                }
            },
            when: when(t.sent_at.unwrap_or(t.created_at)),
            body: t.body.clone(),
            pieces: p
                .into_iter()
                .map(|p| (p.id, p.name, human(p.size as u64)))
                .collect(),
            recalled: t.state == State::Recalled,
            current: t.id == id,
        })
        .collect();
    let received = role != "de";
    let mut moves: Vec<(String, String)> = Vec::new();
    let default = if received {
        Folder::Inbox
    } else {
        Folder::Sent
    };
    if place != default.code() {
        moves.push((default.code(), place_label(&default).to_owned()));
    }
    for (fid, name) in folders {
        let f = Folder::Own(fid);
        if place != f.code() {
            moves.push((f.code(), name));
        }
    }
    let recallable = !received
        && message.state == State::Sent
        && message.sent_at.is_some_and(|s| at - s < RECALL_SECONDS);
    let back = match Folder::parse(&place) {
        Some(f) => format!("/{ID}?dossier={}", f.code()),
        None => format!("/{ID}"),
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&ReadPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: shown_ok(&q.ok),
        err: shown_err(&q.err),
        id,
        subject: if message.subject.is_empty() {
            "(sans objet)".to_owned()
        } else {
            message.subject.clone()
        },
        thread: shown,
        back,
        received,
        in_trash: place == Folder::Trash.code(),
        no_reply: received && message.no_reply,
        may_reply: !(received && message.no_reply),
        may_reply_all: received && !message.no_reply && message.addressees.len() > 1,
        recallable,
        moves,
    })
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    dossier: String,
    #[serde(default)]
    confirme: String,
}

/// `POST /messagerie/message/{id}`: corbeille, restaurer, supprimer (asked first), non-lu,
/// ranger (into `dossier`).
pub async fn act(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ActForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = id.into_inner();
    let owner = m.me.person.login.to_string();
    let o = owner.clone();
    let (message, _, place) = state
        .store
        .read(move |r| store::open(r, &o, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let at = now(&state);
    let back = |f: &Folder| format!("/{ID}?dossier={}", f.code());
    let here = Folder::parse(&place).unwrap_or(Folder::Inbox);
    let o = owner.clone();
    let (to, outcome) = match f.action.as_str() {
        "corbeille" => {
            state
                .store
                .write(move |w| store::move_to(w, &o, id, &Folder::Trash, at))
                .await?;
            (back(&here), messages::MOVED_TO_TRASH)
        }
        "restaurer" => {
            state
                .store
                .write(move |w| store::restore(w, &o, id))
                .await?;
            (back(&Folder::Trash), messages::RESTORED)
        }
        "supprimer" => {
            if here != Folder::Trash && message.state != State::Draft {
                return Err(WebError::BadRequest("hors de la corbeille".into()));
            }
            if f.confirme != "1" {
                let what = format!(
                    "Le message « {} » sera supprimé de votre messagerie, avec ses pièces jointes. Les autres destinataires gardent le leur.",
                    message.subject
                );
                return confirm(
                    &state,
                    &m.me,
                    ConfirmSpec {
                        title: "Supprimer définitivement ce message ?",
                        what: &what,
                        after: "Vous ne pourrez pas le retrouver.",
                        button: "Supprimer définitivement",
                        action: &format!("/{ID}/message/{id}"),
                        fields: vec![("action", "supprimer")],
                        back: &back(&here),
                    },
                )
                .await;
            }
            state
                .store
                .write(move |w| store::delete_copy(w, &o, id))
                .await?;
            (back(&here), messages::DELETED)
        }
        "non-lu" => {
            state
                .store
                .write(move |w| store::mark_unread(w, &o, id))
                .await?;
            (back(&here), messages::MARKED_UNREAD)
        }
        "ranger" => {
            let to = Folder::parse(&f.dossier)
                .filter(|t| !matches!(t, Folder::Trash | Folder::Drafts))
                .ok_or_else(|| WebError::BadRequest("dossier".into()))?;
            let t = to.clone();
            let moved = state
                .store
                .write(move |w| {
                    if let Folder::Own(fid) = t
                        && !store::folder_exists_w(w, &o, fid)?
                    {
                        return Ok(false);
                    }
                    store::move_to(w, &o, id, &t, at)
                })
                .await?;
            if !moved {
                return Err(WebError::NotFound);
            }
            (format!("/{ID}/message/{id}"), messages::MOVED)
        }
        _ => return Err(WebError::BadRequest("action".into())),
    };
    Ok(see_other_with(&to, Ok(outcome.to_owned())))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirme: String,
}

/// `POST /messagerie/corbeille/vider` (asked first).
pub async fn empty_trash(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let back = format!("/{ID}?dossier=corbeille");
    if f.confirme != "1" {
        return confirm(
            &state,
            &m.me,
            ConfirmSpec {
                title: "Vider la corbeille ?",
                what: "Tous les messages de votre corbeille seront supprimés, avec leurs pièces jointes.",
                after: "Vous ne pourrez pas les retrouver.",
                button: "Vider la corbeille",
                action: &format!("/{ID}/corbeille/vider"),
                fields: Vec::new(),
                back: &back,
            },
        )
        .await;
    }
    let owner = m.me.person.login.to_string();
    let n = state
        .store
        .write(move |w| store::empty_trash(w, &owner))
        .await?;
    Ok(see_other_with(&back, Ok(messages::trash_emptied(n))))
}

#[derive(Deserialize)]
pub struct FolderForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nom: String,
}

/// `POST /messagerie/dossiers`: a folder of one's own.
pub async fn add_folder(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<FolderForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let name: String = f.nom.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 60 {
        return Ok(see_other_with(
            &format!("/{ID}"),
            Err(messages::BAD_FOLDER_NAME.to_owned()),
        ));
    }
    let owner = m.me.person.login.to_string();
    let made = state
        .store
        .write(move |w| {
            if store::folder_count(w, &owner)? >= 100 {
                return Ok(None);
            }
            store::add_folder(w, &owner, &name)
        })
        .await?;
    Ok(match made {
        Some(id) => see_other_with(
            &format!("/{ID}?dossier={}", Folder::Own(id).code()),
            Ok(messages::FOLDER_ADDED.to_owned()),
        ),
        None => see_other_with(&format!("/{ID}"), Err(messages::FOLDER_EXISTS.to_owned())),
    })
}

/// `POST /messagerie/dossier/{id}/supprimer` (asked first): its messages go back.
pub async fn delete_folder(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let id = id.into_inner();
    let owner = m.me.person.login.to_string();
    let o = owner.clone();
    let name = state
        .store
        .read(move |r| Ok(store::folders(r, &o)?.into_iter().find(|(f, _)| *f == id)))
        .await?
        .ok_or(WebError::NotFound)?
        .1;
    let back = format!("/{ID}?dossier={}", Folder::Own(id).code());
    if f.confirme != "1" {
        let what = format!(
            "Le dossier « {name} » sera supprimé ; ses messages reviendront dans la boîte de réception (ou dans Envoyés)."
        );
        return confirm(
            &state,
            &m.me,
            ConfirmSpec {
                title: "Supprimer ce dossier ?",
                what: &what,
                after: "Aucun message n'est supprimé.",
                button: "Supprimer le dossier",
                action: &format!("/{ID}/dossier/{id}/supprimer"),
                fields: Vec::new(),
                back: &back,
            },
        )
        .await;
    }
    state
        .store
        .write(move |w| store::delete_folder(w, &owner, id))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}"),
        Ok(messages::FOLDER_DELETED.to_owned()),
    ))
}

/// `GET /messagerie/piece/{id}`: an attachment of a message one holds (or a reported one, for
/// those who handle reports), always as a download.
pub async fn piece(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let owner = m.me.person.login.to_string();
    let mut found = state
        .store
        .read(move |r| store::piece_for(r, &owner, id))
        .await?;
    if found.is_none() {
        let ctx = Me::of(&state, &m.me).await?;
        if ctx.may(Action::Module(REPORTS), &Target::Etablissement) {
            found = state
                .store
                .read(move |r| store::reported_piece(r, id))
                .await?;
        }
    }
    let p = found.ok_or(WebError::NotFound)?;
    let bytes = pieces::read(&state, p.hash.clone())
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(cartable_web::pages::download_as(&p.name))
        .body(bytes))
}

/// The portal's tile: the unread messages.
pub async fn tiles(state: &AppState, person: &Person) -> Result<Vec<Tile>, WebError> {
    let owner = person.login.to_string();
    let n = state.store.read(move |r| store::unread(r, &owner)).await?;
    Ok(vec![Tile {
        title: messages::TITLE.to_owned(),
        description: messages::unread_tile(n),
        href: format!("/{ID}"),
        icon: "messagerie",
    }])
}

/// What the person holds: every message of his messagerie, with its folder.
pub async fn export(state: &AppState, person: &Person) -> Result<serde_json::Value, WebError> {
    let owner = person.login.to_string();
    let all = state
        .store
        .read(move |r| store::everything_of(r, &owner))
        .await?;
    let me = person.login.to_string();
    Ok(serde_json::json!({
        "messages": all.iter().map(|(place, m)| serde_json::json!({
            "dossier": place,
            "de": m.sender_name,
            "a": m.shown_to(&me).iter().map(|a| a.label.clone()).collect::<Vec<_>>(),
            "objet": m.subject,
            "texte": m.body,
            "etat": m.state.code(),
            "envoye_le": m.sent_at.map(cartable_core::dates::french_date_time),
        })).collect::<Vec<_>>()
    }))
}

/// Removes the messagerie of those no longer in the annuaire, what passed its time, and the
/// bytes no attachment names any more.
pub async fn purge(state: &AppState) -> Result<usize, WebError> {
    let owners = state.store.read(store::owners).await?;
    let mut n = 0;
    for o in owners {
        let gone = match cartable_core::directory::Login::parse(&o) {
            Ok(l) => state.directory.person(&l).await?.is_none(),
            Err(_) => true,
        };
        if gone {
            n += state.store.write(move |w| store::forget(w, &o)).await?;
        }
    }
    let at = now(state);
    n += state
        .store
        .write(move |w| store::expire(w, at - TRASH_DAYS * 86_400, at - KEEP_DAYS * 86_400))
        .await?;
    let keep = state.store.read(store::hashes).await?;
    match pieces::sweep(state, keep).await {
        Ok(k) => n += k,
        Err(e) => tracing::warn!("messagerie : pièces jointes non purgées : {e}"),
    }
    Ok(n)
}
