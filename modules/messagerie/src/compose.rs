//! Writing: the compose page (new, reply, reply to all, forward, a draft again), its one form
//! — search for recipients, save the draft, send — every addressee checked against the rules,
//! lists always in hidden copy.
//!
//! Every submit saves the draft first (with its attachments), so nothing typed is lost, then
//! searches or sends. A send writes the boxes and the notifications in one transaction.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use cartable_core::directory::{Person, Profile};
use cartable_core::files::Tree;
use cartable_core::files::quota::human;
use cartable_core::notify::{Notice, Recipient};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::module::form::{Part, read_list};
use cartable_web::pages::{chrome, html, see_other_with, shown_err, shown_ok};
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::model::{Addressee, Folder, Message, Piece, Place, State, Whom, parse_choice};
use crate::reach::{self, MAX_REACHED};
use crate::rules::{Facts, List, Matrix, is_staff};
use crate::templates::{Chosen, ComposePage};
use crate::{ID, MESSAGE_KIND, messages, pieces, store};

/// People chosen one by one in a message (more: a list).
const MAX_CHOSEN: usize = 50;
const MAX_LISTS: usize = 10;
const MAX_SUBJECT: usize = 200;
const MAX_BODY: usize = 20_000;
/// Parts of the compose form: its fields, the chosen addressees, the attachments.
const MAX_PARTS: usize = 200;
/// People shown per search.
const FOUND_PAGE: usize = 20;

fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

/// What the compose form holds.
#[derive(Debug, Clone, Default)]
struct Typed {
    draft: Option<i64>,
    parent: Option<i64>,
    forward: Option<i64>,
    chosen: Vec<(Place, Whom)>,
    subject: String,
    body: String,
    no_reply: bool,
    search: String,
}

/// The sender and what the rules need of him.
pub(crate) struct Sender {
    pub person: Person,
    pub facts: Facts,
    pub matrix: Matrix,
    pub classes: BTreeMap<String, String>,
}

pub(crate) async fn sender(state: &AppState, m: &InModule) -> Result<Sender, WebError> {
    let person = m.me.person.clone();
    let facts = reach::facts(state, &person).await?;
    let (matrix, _) = state.store.read(store::matrix).await?;
    let classes = reach::classes(state).await?;
    Ok(Sender {
        person,
        facts,
        matrix,
        classes,
    })
}

/// « Lucas MARTIN (élève, 5e B) » to tell homonyms apart.
fn person_label(p: &Person) -> String {
    p.display_name()
}

pub(crate) fn what_of(
    p: &Person,
    classes: &BTreeMap<String, String>,
    facts: Option<&Facts>,
) -> String {
    let mut s = p.profile.label().to_owned();
    if let Some(f) = facts {
        let labels: Vec<&str> = f
            .classes
            .iter()
            .filter_map(|c| classes.get(c).map(String::as_str))
            .collect();
        if !labels.is_empty() && p.profile == Profile::Eleve {
            s.push_str(&format!(", {}", labels.join(", ")));
        }
    }
    s
}

/// The sender of a message the writer holds and answers may be written to, whatever the
/// rules (he started the conversation) — unless he asked for no reply.
async fn answering(
    state: &AppState,
    writer: &str,
    parent: Option<i64>,
) -> Result<Option<String>, WebError> {
    let Some(p) = parent else { return Ok(None) };
    let w = writer.to_owned();
    Ok(state
        .store
        .read(move |r| store::open(r, &w, p))
        .await?
        .filter(|(m, role, _)| role != "de" && !m.no_reply && m.state != State::Draft)
        .map(|(m, _, _)| m.sender))
}

/// Each chosen addressee checked against the rules, with its label; the first refusal's
/// reason.
async fn check(
    state: &AppState,
    s: &Sender,
    t: &Typed,
) -> Result<(Vec<Addressee>, Option<String>), WebError> {
    let replied_to = answering(state, s.person.login.as_str(), t.parent).await?;
    let mut out = Vec::new();
    let mut refused = None;
    let persons = t
        .chosen
        .iter()
        .filter(|(_, w)| matches!(w, Whom::Person(_)))
        .count();
    let lists = t.chosen.len() - persons;
    if persons > MAX_CHOSEN || lists > MAX_LISTS {
        refused = Some(messages::TOO_MANY_CHOSEN.to_owned());
    }
    for (place, whom) in &t.chosen {
        match whom {
            Whom::Person(login) => {
                if login == s.person.login.as_str() {
                    refused.get_or_insert_with(|| messages::NOT_TO_SELF.to_owned());
                    continue;
                }
                let Some(p) = reach::active(state, login).await? else {
                    refused.get_or_insert_with(|| messages::UNKNOWN_PERSON.to_owned());
                    continue;
                };
                let label = person_label(&p);
                let allowed = replied_to.as_deref() == Some(login.as_str())
                    || reach::reach(state, &s.matrix, &s.facts, &p)
                        .await?
                        .is_some();
                if !allowed {
                    refused.get_or_insert_with(|| {
                        messages::refused_person(
                            &label,
                            s.person.profile,
                            &s.matrix.scopes_of(s.person.profile),
                        )
                    });
                }
                out.push(Addressee {
                    place: *place,
                    token: whom.token(),
                    label,
                });
            }
            Whom::List(l) => {
                let label = reach::list_label_for(l, &s.classes, &s.facts);
                if !s.matrix.may_use(&s.facts, l) {
                    refused.get_or_insert_with(|| messages::refused_list(&label));
                }
                out.push(Addressee {
                    place: Place::Bcc,
                    token: whom.token(),
                    label,
                });
            }
        }
    }
    Ok((out, refused))
}

/// Who a message reaches: each person once, in his most visible place, the sender left out.
async fn expand(
    state: &AppState,
    s: &Sender,
    addressees: &[Addressee],
) -> Result<Vec<(Person, &'static str)>, WebError> {
    let rank = |p: Place| match p {
        Place::To => 0,
        Place::Cc => 1,
        Place::Bcc => 2,
    };
    let mut best: HashMap<String, (Person, Place)> = HashMap::new();
    let me = s.person.login.to_string();
    let add = |best: &mut HashMap<String, (Person, Place)>, p: Person, place: Place| {
        let key = p.login.to_string();
        if key == me {
            return;
        }
        match best.get(&key) {
            Some((_, had)) if rank(*had) <= rank(place) => {}
            _ => {
                best.insert(key, (p, place));
            }
        }
    };
    for a in addressees {
        match Whom::parse(&a.token) {
            Some(Whom::Person(login)) => {
                if let Some(p) = reach::active(state, &login).await? {
                    add(&mut best, p, a.place);
                }
            }
            Some(Whom::List(l)) => {
                for p in reach::members(state, &l, &s.classes).await? {
                    add(&mut best, p, Place::Bcc);
                }
            }
            None => {}
        }
        if best.len() > MAX_REACHED {
            break;
        }
    }
    let mut out: Vec<(Person, &'static str)> = best
        .into_values()
        .map(|(p, place)| (p, place.code()))
        .collect();
    out.sort_by(|a, b| a.0.login.as_str().cmp(b.0.login.as_str()));
    Ok(out)
}

#[derive(Deserialize)]
pub struct ComposeQuery {
    #[serde(default)]
    a: String,
    #[serde(default)]
    liste: String,
    repondre: Option<i64>,
    #[serde(default)]
    tous: String,
    transferer: Option<i64>,
    brouillon: Option<i64>,
    ok: Option<String>,
    err: Option<String>,
}

fn re(prefix: &str, subject: &str) -> String {
    let s = subject.trim();
    if s.to_lowercase().starts_with(&prefix.to_lowercase()) {
        s.to_owned()
    } else {
        format!("{prefix}{s}")
    }
    .chars()
    .take(MAX_SUBJECT)
    .collect()
}

fn quoted(m: &Message) -> String {
    let when = m
        .sent_at
        .map(cartable_core::dates::french_date_time)
        .unwrap_or_default();
    let mut out = format!("\n\n— Le {when}, {} a écrit :\n", m.sender_name);
    for l in m.body.lines() {
        out.push_str("> ");
        out.push_str(l);
        out.push('\n');
    }
    out.chars().take(MAX_BODY).collect()
}

/// `GET /messagerie/ecrire`: a new message (to `a`, or to a list), an answer, a forward, or a
/// draft again.
pub async fn form(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<ComposeQuery>,
) -> Result<HttpResponse, WebError> {
    let owner = m.me.person.login.to_string();
    let mut t = Typed::default();
    let mut attached = Vec::new();
    if let Some(id) = q.brouillon {
        let o = owner.clone();
        let (d, p) = state
            .store
            .read(move |r| {
                Ok(store::open(r, &o, id)?
                    .map(|x| x.0)
                    .zip(Some(store::pieces(r, id)?)))
            })
            .await?
            .filter(|(d, _)| d.state == State::Draft && d.sender == owner)
            .ok_or(WebError::NotFound)?;
        t.draft = Some(d.id);
        t.parent = d.parent;
        t.subject = d.subject;
        t.body = d.body;
        t.no_reply = d.no_reply;
        t.chosen = d
            .addressees
            .iter()
            .filter_map(|a| Some((a.place, Whom::parse(&a.token)?)))
            .collect();
        attached = p;
    } else if let Some(id) = q.repondre.or(q.transferer) {
        let o = owner.clone();
        let (orig, role, _) = state
            .store
            .read(move |r| store::open(r, &o, id))
            .await?
            .filter(|(m, _, _)| m.state != State::Draft)
            .ok_or(WebError::NotFound)?;
        if q.transferer.is_some() {
            t.forward = Some(id);
            t.subject = re("TR : ", &orig.subject);
            t.body = quoted(&orig);
            let pid = orig.id;
            attached = state.store.read(move |r| store::pieces(r, pid)).await?;
        } else {
            if role != "de" && orig.no_reply {
                return Ok(see_other_with(
                    &format!("/{ID}/message/{id}"),
                    Err(messages::NO_REPLY.to_owned()),
                ));
            }
            t.parent = Some(id);
            t.subject = re("RE : ", &orig.subject);
            t.body = quoted(&orig);
            if role != "de" {
                t.chosen
                    .push((Place::To, Whom::Person(orig.sender.clone())));
            }
            if q.tous == "1" {
                for a in orig.shown_to(&owner) {
                    if a.place == Place::Bcc || a.token == format!("p:{owner}") {
                        continue;
                    }
                    if let Some(w @ Whom::Person(_)) = Whom::parse(&a.token) {
                        t.chosen.push((a.place, w));
                    }
                }
            }
        }
    } else {
        if !q.a.is_empty() {
            let w = Whom::parse(&format!("p:{}", q.a)).ok_or(WebError::NotFound)?;
            t.chosen.push((Place::To, w));
        }
        if !q.liste.is_empty() {
            let l = List::parse(&q.liste).ok_or(WebError::NotFound)?;
            t.chosen.push((Place::Bcc, Whom::List(l)));
        }
    }
    let s = sender(&state, &m).await?;
    let (_, refused) = check(&state, &s, &t).await?;
    let err = shown_err(&q.err).or(refused);
    render(
        &state,
        &m,
        &s,
        &t,
        attached,
        None,
        shown_ok(&q.ok),
        err,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    m: &InModule,
    s: &Sender,
    t: &Typed,
    attached: Vec<Piece>,
    found: Option<Vec<(String, String)>>,
    ok: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let mut chosen = Vec::new();
    for (place, whom) in &t.chosen {
        let label = match whom {
            Whom::Person(l) => match reach::active(state, l).await? {
                Some(p) => person_label(&p),
                None => l.clone(),
            },
            Whom::List(l) => reach::list_label_for(l, &s.classes, &s.facts),
        };
        chosen.push(Chosen {
            token: whom.token(),
            label,
            place: place.code().to_owned(),
            list: matches!(whom, Whom::List(_)),
        });
    }
    let root = Tree::new(&state.config.files.root).perso(&s.person.login);
    let files = tokio::task::spawn_blocking(move || {
        cartable_core::files::ops::files_under(&root, &["devoirs"], 200)
    })
    .await
    .unwrap_or_default();
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&ComposePage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok,
        err,
        draft: t.draft,
        parent: t.parent,
        forward: t.forward,
        chosen,
        subject: t.subject.clone(),
        body: t.body.clone(),
        no_reply: t.no_reply,
        may_no_reply: is_staff(s.person.profile) || s.person.profile == Profile::Enseignant,
        search: t.search.clone(),
        searched: found.is_some(),
        found: found.unwrap_or_default(),
        lists: reach::lists_for(&s.matrix, &s.facts, &s.classes)
            .into_iter()
            .map(|(l, label)| (l.token(), label))
            .collect(),
        pieces: attached
            .into_iter()
            .map(|p| (p.id, p.name, human(p.size as u64)))
            .collect(),
        files,
        max_size: human(pieces::MAX_MESSAGE_BYTES),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

fn text(parts: &[(String, Part)], name: &str) -> String {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| String::from_utf8_lossy(&p.bytes).into_owned())
        .unwrap_or_default()
}

fn all<'a>(parts: &'a [(String, Part)], name: &'a str) -> impl Iterator<Item = String> + 'a {
    parts
        .iter()
        .filter(move |(n, _)| n == name)
        .map(|(_, p)| String::from_utf8_lossy(&p.bytes).trim().to_owned())
}

fn typed_from(parts: &[(String, Part)]) -> Typed {
    let id = |name: &str| text(parts, name).trim().parse::<i64>().ok();
    let mut chosen: Vec<(Place, Whom)> = Vec::new();
    let mut push = |c: Option<(Place, Whom)>| {
        if let Some((place, whom)) = c {
            let place = if matches!(whom, Whom::List(_)) {
                Place::Bcc
            } else {
                place
            };
            if !chosen.iter().any(|(_, w)| *w == whom) {
                chosen.push((place, whom));
            }
        }
    };
    for v in all(parts, "dest").chain(all(parts, "ajout")) {
        push(parse_choice(&v));
    }
    let list = text(parts, "liste");
    if !list.trim().is_empty() {
        push(List::parse(list.trim()).map(|l| (Place::Bcc, Whom::List(l))));
    }
    Typed {
        draft: id("brouillon"),
        parent: id("parent"),
        forward: id("transfert"),
        chosen,
        subject: text(parts, "sujet")
            .trim()
            .chars()
            .take(MAX_SUBJECT)
            .collect(),
        body: text(parts, "corps")
            .replace("\r\n", "\n")
            .chars()
            .take(MAX_BODY)
            .collect(),
        no_reply: text(parts, "sans_reponse") == "1",
        search: text(parts, "cherche").trim().chars().take(100).collect(),
    }
}

/// `POST /messagerie/ecrire` (multipart): saves the draft, then searches (`action=chercher`),
/// stays a draft (`enregistrer`) or sends (`envoyer`).
pub async fn submit(
    m: InModule,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> Result<HttpResponse, WebError> {
    let parts = read_list(
        &req,
        body,
        &m.me.csrf,
        pieces::MAX_MESSAGE_BYTES as usize,
        MAX_PARTS,
        messages::PIECE_TOO_BIG,
    )
    .await?;
    let t = typed_from(&parts);
    let action = text(&parts, "action");
    let s = sender(&state, &m).await?;
    let (addressees, refused) = check(&state, &s, &t).await?;
    let owner = s.person.login.to_string();

    // The pieces: uploads and one's own files, kept before the draft names them.
    let mut new_pieces: Vec<Piece> = Vec::new();
    let mut piece_err = None;
    for (name, part) in &parts {
        match name.as_str() {
            "piece" if !part.bytes.is_empty() => {
                let file = pieces::clean_name(part.file_name.as_deref().unwrap_or("piece-jointe"));
                let size = part.bytes.len() as i64;
                match pieces::keep(&state, part.bytes.clone()).await {
                    Ok(hash) => new_pieces.push(Piece {
                        id: 0,
                        message: 0,
                        name: file,
                        size,
                        hash,
                        mime: "application/octet-stream".to_owned(),
                    }),
                    Err(e) => piece_err = Some(e),
                }
            }
            "fichier" => {
                let rel = String::from_utf8_lossy(&part.bytes).trim().to_owned();
                if rel.is_empty() {
                    continue;
                }
                match pieces::from_files(&state, &s.person.login, &rel).await {
                    Ok((name, size, hash)) => new_pieces.push(Piece {
                        id: 0,
                        message: 0,
                        name: pieces::clean_name(&name),
                        size: size as i64,
                        hash,
                        mime: "application/octet-stream".to_owned(),
                    }),
                    Err(e) => piece_err = Some(format!("« {rel} » : {e}")),
                }
            }
            _ => {}
        }
    }
    let removed: Vec<i64> = all(&parts, "retirer_piece")
        .filter_map(|v| v.parse().ok())
        .collect();

    // The draft, with its pieces (a forward's too, once).
    let sender_name = s.person.display_name();
    let (draft_in, parent, forward) = (t.draft, t.parent, t.forward);
    let (subject, body_text, no_reply) = (t.subject.clone(), t.body.clone(), t.no_reply);
    let adds = addressees.clone();
    let o = owner.clone();
    let at = now(&state);
    let saved = state
        .store
        .write(move |w| {
            let id = store::save_draft(
                w,
                draft_in,
                &store::NewMessage {
                    parent,
                    sender: &o,
                    sender_name: &sender_name,
                    subject: &subject,
                    body: &body_text,
                    no_reply,
                    addressees: &adds,
                },
                at,
            )?;
            if draft_in != Some(id)
                && let Some(f) = forward
            {
                // The pieces of a message he holds, named again (the bytes are shared).
                if store::open_w(w, &o, f)?.is_some() {
                    for p in store::pieces_w(w, f)? {
                        store::add_piece(w, id, &p)?;
                    }
                }
            }
            for p in &new_pieces {
                store::add_piece(w, id, p)?;
            }
            for p in &removed {
                store::remove_piece(w, id, *p)?;
            }
            Ok(id)
        })
        .await?;
    let mut t = t;
    t.draft = Some(saved);
    t.forward = None;
    let attached = state.store.read(move |r| store::pieces(r, saved)).await?;
    if attached.len() > pieces::MAX_PIECES {
        piece_err = Some(format!(
            "{} pièces jointes au plus par message.",
            pieces::MAX_PIECES
        ));
    }
    let refuse = |why: String| {
        render(
            &state,
            &m,
            &s,
            &t,
            attached.clone(),
            None,
            None,
            Some(why),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };

    match action.as_str() {
        "chercher" => {
            let found = if t.search.chars().count() >= 2 {
                let (people, _) =
                    reach::search(&state, &s.matrix, &s.facts, Some(&t.search), 0, FOUND_PAGE)
                        .await?;
                people
                    .into_iter()
                    .map(|p| {
                        (
                            Whom::Person(p.login.to_string()).token(),
                            format!("{} — {}", p.display_name(), p.profile.label()),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            render(
                &state,
                &m,
                &s,
                &t,
                attached,
                Some(found),
                None,
                refused,
                StatusCode::OK,
            )
            .await
        }
        "envoyer" => {
            if let Some(why) = crate::safety::suspended_for(&state, s.person.profile).await? {
                return refuse(why).await;
            }
            if let Some(why) = refused.or(piece_err) {
                return refuse(why).await;
            }
            if t.subject.is_empty() {
                return refuse(messages::NEED_SUBJECT.to_owned()).await;
            }
            if addressees.is_empty() {
                return refuse(messages::NO_RECIPIENT.to_owned()).await;
            }
            let reached = expand(&state, &s, &addressees).await?;
            if reached.is_empty() {
                return refuse(messages::NO_RECIPIENT.to_owned()).await;
            }
            if reached.len() > MAX_REACHED {
                return refuse(messages::TOO_MANY_REACHED.to_owned()).await;
            }
            if let Some(why) =
                crate::safety::over_limit(&state, &s.person, reached.len() as i64, at).await?
            {
                return refuse(why).await;
            }
            let bytes: i64 = attached.iter().map(|p| p.size).sum();
            if bytes > 0 {
                let o = owner.clone();
                let used = state.store.read(move |r| store::used(r, &o)).await?;
                // The draft's pieces are already counted in what he holds.
                if used > pieces::MAX_HELD_BYTES {
                    return refuse(messages::over_quota(
                        &human(used.max(0) as u64),
                        &human(pieces::MAX_HELD_BYTES as u64),
                    ))
                    .await;
                }
            }
            let recipients: Vec<(String, &'static str)> = reached
                .iter()
                .map(|(p, r)| (p.login.to_string(), *r))
                .collect();
            let told: Vec<Recipient> = reached.iter().map(|(p, _)| Recipient::of(p)).collect();
            let notice = Notice {
                kind: &MESSAGE_KIND,
                key: format!("msg:{saved}"),
                title: messages::new_message_title(&s.person.display_name(), &t.subject),
                body: String::new(),
                link: Some(format!("/{ID}/message/{saved}")),
            };
            let notifier = state.notifier.clone();
            let o = owner.clone();
            let sent = state
                .store
                .write(move |w| {
                    if !store::send(w, saved, &o, &recipients, at)? {
                        return Ok(None);
                    }
                    Ok(Some(notifier.write_in(w, &told, &notice)?))
                })
                .await?;
            let Some(told) = sent else {
                return Ok(see_other_with(
                    &format!("/{ID}?dossier=envoyes"),
                    Err(messages::ALREADY_SENT.to_owned()),
                ));
            };
            state.notifier.woken(told);
            tracing::info!(
                par = %s.person.login,
                message = saved,
                destinataires = reached.len(),
                courriels = told.mails,
                "message envoyé"
            );
            Ok(see_other_with(
                &format!("/{ID}?dossier=envoyes"),
                Ok(messages::sent(reached.len() as i64)),
            ))
        }
        _ => {
            if let Some(why) = piece_err {
                return refuse(why).await;
            }
            Ok(see_other_with(
                &format!("/{ID}?dossier={}", Folder::Drafts.code()),
                Ok(messages::DRAFT_SAVED.to_owned()),
            ))
        }
    }
}
