//! The blogs one reads, a blog's posts, a post with its comments; creating a blog, writing a
//! post (a pupil's waits for a teacher), commenting (always moderated), a teacher's
//! decisions. A refused form comes back as typed.

use actix_web::{HttpResponse, web};
use cartable_core::dates::french_date_time;
use cartable_core::notify::{Notice, Recipient};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, refused_if, see_other_with, shown_err, shown_ok};
use cartable_web::rich_text;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;

use crate::members::{labels, me, names};
use crate::model::{Blog, Place, Post, Reader, Status};
use crate::templates::{BlogPage, CommentView, HomePage, PostPage, PostView};
use crate::{ID, WAITING_KIND, messages, store};

/// Posts shown on a blog's page (the newest).
const POSTS_SHOWN: usize = 50;
/// Longest comment.
const MAX_COMMENT: usize = 2000;

fn now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// What waits for `who` in each blog he moderates: (blog id, posts and comments waiting).
async fn waiting_for(
    state: &AppState,
    who: &Reader,
    blogs: &[Blog],
) -> Result<Vec<(i64, usize)>, WebError> {
    let ids: Vec<i64> = blogs
        .iter()
        .filter(|b| who.moderates(b))
        .map(|b| b.id)
        .collect();
    Ok(state
        .store
        .read(move |r| {
            ids.iter()
                .map(|id| Ok((*id, store::waiting_count(r, *id)?)))
                .collect()
        })
        .await?)
}

async fn home_page(
    state: &AppState,
    m: &InModule,
    flash: (Option<String>, Option<String>),
    typed: (String, String, bool, bool),
    was_refused: bool,
) -> Result<HttpResponse, WebError> {
    let who = me(state, &m.me.person).await?;
    let all = state.store.read(store::blogs).await?;
    let mine: Vec<Blog> = all.into_iter().filter(|b| who.reads(b)).collect();
    let waiting = waiting_for(state, &who, &mine).await?;
    let labels = labels(state).await?;
    let mut places: Vec<(String, String, bool)> = who
        .teaches
        .iter()
        .map(|c| Place::Class(c.clone()))
        .chain(who.groups.iter().map(|g| Place::Group(g.clone())))
        .filter(|p| who.opens_for(p))
        .map(|p| {
            let key = p.key();
            let label = labels.get(&key).cloned().unwrap_or(key.clone());
            let chosen = key == typed.1;
            (key, label, chosen)
        })
        .collect();
    places.sort_by(|a, b| cartable_core::collation::compare(&a.1, &b.1));
    places.dedup_by(|a, b| a.0 == b.0);
    let chrome = chrome(state, Some(&m.me)).await?;
    let res = html(&HomePage {
        chrome: &chrome,
        ok: flash.0,
        err: flash.1,
        csrf: m.me.csrf.clone(),
        blogs: mine
            .iter()
            .map(|b| {
                let n = waiting
                    .iter()
                    .find(|(id, _)| *id == b.id)
                    .map_or(0, |(_, n)| *n);
                let place = labels.get(&b.place.key()).cloned().unwrap_or_default();
                (b.id, b.title.clone(), place, n)
            })
            .collect(),
        places,
        title: typed.0,
        pupils_write: typed.2,
        comments: typed.3,
        nothing: messages::NO_BLOG,
    })?;
    Ok(refused_if(res, was_refused))
}

/// `GET /blogs`.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let typed = (String::new(), String::new(), false, true);
    home_page(
        &state,
        &m,
        (shown_ok(&q.ok), shown_err(&q.err)),
        typed,
        false,
    )
    .await
}

/// `POST /blogs`: a teacher opens a blog for one of his classes or groups.
pub async fn create(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let title: String = field(&f, "titre").chars().take(200).collect();
    let place_key = field(&f, "lieu").to_owned();
    let (pupils_write, comments) = (field(&f, "eleves") == "1", field(&f, "commentaires") == "1");
    let place = Place::parse(&place_key).filter(|p| who.opens_for(p));
    let why = match (&place, title.is_empty()) {
        (None, _) if !who.moderates_all && who.teaches.is_empty() => {
            return Err(WebError::Forbidden);
        }
        (None, _) => Some(messages::NEED_PLACE),
        (_, true) => Some(messages::NEED_TITLE),
        _ => None,
    };
    let (Some(place), None) = (place, why) else {
        let typed = (title, place_key, pupils_write, comments);
        return home_page(&state, &m, (None, why.map(str::to_owned)), typed, true).await;
    };
    let blog = Blog {
        id: 0,
        place,
        title,
        owner: who.login.clone(),
        pupils_write,
        comments,
        created: now(&state),
    };
    let id = state
        .store
        .write(move |w| store::add_blog(w, &blog))
        .await?;
    tracing::info!(by = %who.login, blog = id, "blog créé");
    Ok(see_other_with(
        &format!("/{ID}/{id}"),
        Ok(messages::BLOG_OPENED.into()),
    ))
}

async fn readable_blog(state: &AppState, who: &Reader, id: i64) -> Result<Blog, WebError> {
    let b = state
        .store
        .read(move |r| store::blog(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    if who.reads(&b) {
        Ok(b)
    } else {
        Err(WebError::NotFound)
    }
}

async fn blog_page(
    state: &AppState,
    m: &InModule,
    who: &Reader,
    b: &Blog,
    flash: (Option<String>, Option<String>),
    typed: (String, String),
    was_refused: bool,
) -> Result<HttpResponse, WebError> {
    let id = b.id;
    let (posts, counts) = state
        .store
        .read(move |r| {
            let posts = store::posts(r, id, POSTS_SHOWN)?;
            let counts = posts
                .iter()
                .map(|p| {
                    Ok(store::comments(r, p.id)?
                        .iter()
                        .filter(|c| c.status == Status::Published)
                        .count())
                })
                .collect::<cartable_core::Result<Vec<usize>>>()?;
            Ok((posts, counts))
        })
        .await?;
    let names = names(state, posts.iter().map(|p| p.author.as_str())).await?;
    let view = |p: &Post, n: usize| PostView {
        id: p.id,
        title: p.title.clone(),
        author: names.get(&p.author).cloned().unwrap_or_default(),
        when: french_date_time(p.published.unwrap_or(p.created)),
        html: rich_text::to_html(&p.body),
        waiting: p.status == Status::Waiting,
        comments: match n {
            0 => "Commenter".into(),
            1 => "1 commentaire".into(),
            n => format!("{n} commentaires"),
        },
    };
    let moderator = who.moderates(b);
    let label = labels(state)
        .await?
        .get(&b.place.key())
        .cloned()
        .unwrap_or_default();
    let chrome = chrome(state, Some(&m.me)).await?;
    let res = html(&BlogPage {
        chrome: &chrome,
        ok: flash.0,
        err: flash.1,
        csrf: m.me.csrf.clone(),
        id: b.id,
        title: b.title.clone(),
        place: label,
        posts: posts
            .iter()
            .zip(&counts)
            .filter(|(p, _)| p.status == Status::Published || p.author == who.login)
            .map(|(p, n)| view(p, *n))
            .collect(),
        waiting: if moderator {
            posts
                .iter()
                .filter(|p| p.status == Status::Waiting)
                .map(|p| view(p, 0))
                .collect()
        } else {
            Vec::new()
        },
        can_write: who.writes(b),
        moderator,
        typed_title: typed.0,
        typed_body: typed.1,
        nothing: messages::NO_POST,
    })?;
    Ok(refused_if(res, was_refused))
}

/// `GET /blogs/{id}`.
pub async fn blog(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let b = readable_blog(&state, &who, *id).await?;
    let flash = (shown_ok(&q.ok), shown_err(&q.err));
    blog_page(&state, &m, &who, &b, flash, Default::default(), false).await
}

fn text_refusal(title: Option<&str>, body: &str) -> Option<&'static str> {
    if title.is_some_and(str::is_empty) {
        Some(messages::NEED_TITLE)
    } else if body.is_empty() {
        Some(messages::NEED_BODY)
    } else if body.chars().count() > rich_text::MAX_BODY {
        Some(messages::BODY_TOO_LONG)
    } else {
        None
    }
}

/// The blog's moderators, told that something waits for them.
async fn tell_moderators(state: &AppState, b: &Blog, what: &str, key: String) {
    use cartable_core::directory::{ClassCode, DirectoryRead, GroupCode, PersonQuery, Profile};
    let query = match &b.place {
        Place::Class(c) => PersonQuery {
            class: ClassCode::parse(c).ok(),
            profile: Some(Profile::Enseignant),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        },
        Place::Group(g) => PersonQuery {
            group: GroupCode::parse(g).ok(),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        },
    };
    let to: Vec<Recipient> = match state.directory.search(&query).await {
        Ok(page) => page
            .people
            .iter()
            .filter(|p| !matches!(p.profile, Profile::Eleve | Profile::Responsable))
            .map(Recipient::of)
            .collect(),
        Err(e) => {
            tracing::warn!("modérateurs du blog : {e}");
            return;
        }
    };
    let notice = Notice {
        kind: &WAITING_KIND,
        key,
        title: format!("À valider sur « {} »", b.title),
        body: what.to_owned(),
        link: Some(format!("/{ID}/{}", b.id)),
    };
    if let Err(e) = state.notifier.send(to, notice).await {
        tracing::warn!("notification : {e}");
    }
}

/// `POST /blogs/{id}/billet`: a teacher's is published; a pupil's waits.
pub async fn write(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let b = readable_blog(&state, &who, *id).await?;
    if !who.writes(&b) {
        return Err(WebError::Forbidden);
    }
    let title: String = field(&f, "titre").chars().take(200).collect();
    let body = field(&f, "texte").to_owned();
    if let Some(why) = text_refusal(Some(&title), &body) {
        let flash = (None, Some(why.to_owned()));
        return blog_page(&state, &m, &who, &b, flash, (title, body), true).await;
    }
    let at = now(&state);
    let publish = who.moderates(&b);
    let post = Post {
        id: 0,
        blog: b.id,
        title: title.clone(),
        body,
        author: who.login.clone(),
        status: if publish {
            Status::Published
        } else {
            Status::Waiting
        },
        created: at,
        published: publish.then_some(at),
    };
    let pid = state
        .store
        .write(move |w| store::add_post(w, &post))
        .await?;
    if !publish {
        tell_moderators(&state, &b, &title, format!("blog-billet-{pid}")).await;
    }
    Ok(see_other_with(
        &format!("/{ID}/{}", b.id),
        Ok(if publish {
            messages::POSTED
        } else {
            messages::SUBMITTED
        }
        .into()),
    ))
}

async fn visible_post(state: &AppState, who: &Reader, id: i64) -> Result<(Blog, Post), WebError> {
    let p = state
        .store
        .read(move |r| store::post(r, id))
        .await?
        .ok_or(WebError::NotFound)?;
    let b = readable_blog(state, who, p.blog).await?;
    if who.sees(&b, &p) {
        Ok((b, p))
    } else {
        Err(WebError::NotFound)
    }
}

async fn post_page(
    state: &AppState,
    m: &InModule,
    who: &Reader,
    (b, p): (&Blog, &Post),
    flash: (Option<String>, Option<String>),
    typed: String,
    was_refused: bool,
) -> Result<HttpResponse, WebError> {
    let pid = p.id;
    let comments = state.store.read(move |r| store::comments(r, pid)).await?;
    let moderator = who.moderates(b);
    let names = names(
        state,
        std::iter::once(p.author.as_str()).chain(comments.iter().map(|c| c.author.as_str())),
    )
    .await?;
    let chrome = chrome(state, Some(&m.me)).await?;
    let res = html(&PostPage {
        chrome: &chrome,
        ok: flash.0,
        err: flash.1,
        csrf: m.me.csrf.clone(),
        id: p.id,
        blog_id: b.id,
        blog_title: b.title.clone(),
        title: p.title.clone(),
        author: names.get(&p.author).cloned().unwrap_or_default(),
        when: french_date_time(p.published.unwrap_or(p.created)),
        html: rich_text::to_html(&p.body),
        waiting: p.status == Status::Waiting,
        moderator,
        comments: comments
            .iter()
            .filter(|c| c.status == Status::Published || moderator || c.author == who.login)
            .map(|c| CommentView {
                id: c.id,
                author: names.get(&c.author).cloned().unwrap_or_default(),
                when: french_date_time(c.created),
                html: rich_text::to_html(&c.body),
                waiting: c.status == Status::Waiting,
            })
            .collect(),
        can_comment: b.comments && p.status == Status::Published,
        typed,
        no_comment: messages::NO_COMMENT,
    })?;
    Ok(refused_if(res, was_refused))
}

/// `GET /blogs/billet/{id}`.
pub async fn post(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let who = me(&state, &m.me.person).await?;
    let (b, p) = visible_post(&state, &who, *id).await?;
    let flash = (shown_ok(&q.ok), shown_err(&q.err));
    post_page(&state, &m, &who, (&b, &p), flash, String::new(), false).await
}

/// `POST /blogs/billet/{id}/commentaire`: waits for a teacher.
pub async fn comment(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let who = me(&state, &m.me.person).await?;
    let (b, p) = visible_post(&state, &who, *id).await?;
    let body: String = field(&f, "texte").chars().take(MAX_COMMENT + 1).collect();
    let pid = p.id;
    let count = state
        .store
        .read(move |r| store::comment_count(r, pid))
        .await?;
    let why = if !b.comments || p.status != Status::Published {
        Some(messages::NO_COMMENTS_HERE)
    } else if count >= store::MAX_COMMENTS {
        Some(messages::TOO_MANY_COMMENTS)
    } else if body.is_empty() {
        Some(messages::NEED_BODY)
    } else if body.chars().count() > MAX_COMMENT {
        Some(messages::BODY_TOO_LONG)
    } else {
        None
    };
    if let Some(why) = why {
        let flash = (None, Some(why.to_owned()));
        return post_page(&state, &m, &who, (&b, &p), flash, body, true).await;
    }
    let (login, at) = (who.login.clone(), now(&state));
    let cid = state
        .store
        .write(move |w| store::add_comment(w, pid, &login, &body, at))
        .await?;
    tell_moderators(&state, &b, &p.title, format!("blog-commentaire-{cid}")).await;
    Ok(see_other_with(
        &format!("/{ID}/billet/{pid}"),
        Ok(messages::COMMENT_SENT.into()),
    ))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: Option<String>,
    confirmer: Option<String>,
}

/// `POST /blogs/billet/{id}/publier`: a teacher publishes a pupil's post.
pub async fn publish(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let (b, p) = visible_post(&state, &who, *id).await?;
    if !who.moderates(&b) {
        return Err(WebError::Forbidden);
    }
    let (pid, at) = (p.id, now(&state));
    state
        .store
        .write(move |w| store::publish_post(w, pid, at))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/billet/{pid}"),
        Ok(messages::PUBLISHED.into()),
    ))
}

/// `POST /blogs/billet/{id}/supprimer`: a teacher of the blog, confirmed.
pub async fn delete(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let (b, p) = visible_post(&state, &who, *id).await?;
    if !who.moderates(&b) {
        return Err(WebError::Forbidden);
    }
    if f.confirmer.as_deref() != Some("1") {
        return Ok(see_other_with(
            &format!("/{ID}/billet/{}", p.id),
            Err(messages::CONFIRM.into()),
        ));
    }
    let pid = p.id;
    state
        .store
        .write(move |w| store::delete_post(w, pid))
        .await?;
    tracing::info!(by = %who.login, billet = pid, "billet supprimé");
    Ok(see_other_with(
        &format!("/{ID}/{}", b.id),
        Ok(messages::POST_DELETED.into()),
    ))
}

/// `POST /blogs/commentaire/{id}/valider` (`decision` = `publier` or `refuser`).
pub async fn moderate_comment(
    m: InModule,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<DecisionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let who = me(&state, &m.me.person).await?;
    let cid = *id;
    let c = state
        .store
        .read(move |r| store::comment(r, cid))
        .await?
        .ok_or(WebError::NotFound)?;
    let (b, p) = visible_post(&state, &who, c.post).await?;
    if !who.moderates(&b) {
        return Err(WebError::Forbidden);
    }
    let publish = match f.decision.as_deref() {
        Some("publier") => true,
        Some("refuser") => false,
        _ => return Err(WebError::BadRequest("decision".into())),
    };
    state
        .store
        .write(move |w| store::decide_comment(w, cid, publish))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/billet/{}", p.id),
        Ok(if publish {
            messages::COMMENT_PUBLISHED
        } else {
            messages::COMMENT_REFUSED
        }
        .into()),
    ))
}

/// The portal tile: what waits for me, else the newest post I may read.
pub async fn tiles(
    state: &AppState,
    person: &cartable_core::directory::Person,
    rel: &cartable_core::directory::Relations,
) -> Result<Vec<Tile>, WebError> {
    let who = crate::members::reader(state, person, rel);
    let all = state.store.read(store::blogs).await?;
    let mine: Vec<Blog> = all.into_iter().filter(|b| who.reads(b)).collect();
    let may_open = who.moderates_all || !who.teaches.is_empty();
    if mine.is_empty() && !may_open {
        return Ok(Vec::new());
    }
    let waiting: usize = waiting_for(state, &who, &mine)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: if waiting > 0 {
            messages::waiting(waiting)
        } else {
            messages::TILE.into()
        },
        href: format!("/{ID}"),
        icon: "blogs",
    }])
}
