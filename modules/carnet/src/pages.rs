//! The carnet d'adresses: the staff by service, the people one may reach (found by name, by
//! the messagerie's rules, asked through the host), each with what he chose to show and one may
//! see; one's own card; the same people as vCards.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use cartable_core::directory::{
    AccountState, DirectoryRead, GroupKind, Person, PersonQuery, Profile, Relations,
};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, html_kept, see_other_with, shown_err, shown_ok};
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use cartable_web::templates::Tile;
use serde::Deserialize;

use crate::model::{Card, check_phone, shown};
use crate::templates::{CardPage, Entry, HomePage, Section};
use crate::{ID, messages, store};

/// People found per page.
const PER_PAGE: usize = 30;
/// People listed per service, at most.
const PER_SERVICE: usize = 200;
/// Pages one may ask for.
const MAX_PAGE: usize = 200;

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
}

/// What a page of the carnet holds: the services, and the people found.
pub(crate) struct Seen {
    pub sections: Vec<Section>,
    pub found: Vec<Entry>,
    pub more: bool,
    /// No module says whom one may reach (the messagerie is off).
    pub no_reach: bool,
}

fn people_query(profile: Option<Profile>, group: Option<&str>) -> PersonQuery {
    PersonQuery {
        profile,
        group: group.and_then(|g| cartable_core::directory::GroupCode::parse(g).ok()),
        state: Some(AccountState::Active),
        per_page: PER_SERVICE,
        ..PersonQuery::default()
    }
}

/// Entries for `people`, with what `me` sees of each.
async fn entries(
    state: &AppState,
    me: &Person,
    people: &[Person],
    classes: &BTreeMap<String, String>,
) -> Result<Vec<Entry>, WebError> {
    let logins: Vec<String> = people.iter().map(|p| p.login.to_string()).collect();
    let cards = state.store.read(move |r| store::cards(r, &logins)).await?;
    let mut out = Vec::with_capacity(people.len());
    for p in people {
        let class_of = |c: &cartable_core::directory::ClassRef| {
            classes
                .get(c.code.as_str())
                .cloned()
                .unwrap_or(c.label.clone())
        };
        let what = match p.profile {
            Profile::Eleve => {
                let rel: Relations = state.directory.relations(&p.login).await?;
                match rel.classes.first().map(class_of) {
                    Some(c) => format!("{}, {c}", p.profile.label()),
                    None => p.profile.label().to_owned(),
                }
            }
            // The staff are told whose parent it is; nobody else learns families this way.
            Profile::Responsable if me.profile.is_staff() => {
                let rel: Relations = state.directory.relations(&p.login).await?;
                let children: Vec<String> = rel
                    .children
                    .iter()
                    .map(|c| match c.class.as_ref().map(class_of) {
                        Some(k) => format!("{} ({k})", c.display_name),
                        None => c.display_name.clone(),
                    })
                    .collect();
                if children.is_empty() {
                    p.profile.label().to_owned()
                } else {
                    messages::parent_of(&children.join(", "))
                }
            }
            _ => p.profile.label().to_owned(),
        };
        let s = shown(
            (me.login.as_str(), me.profile),
            p,
            cards.get(p.login.as_str()),
        );
        out.push(Entry {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            name: p.display_name(),
            what,
            email: s.email,
            phone: s.phone,
        });
    }
    Ok(out)
}

/// The services: the staff profiles, then the annuaire's services not named like one.
async fn sections(
    state: &AppState,
    me: &Person,
    classes: &BTreeMap<String, String>,
) -> Result<Vec<Section>, WebError> {
    let mut out = Vec::new();
    for (title, profile) in [
        (messages::SECTION_DIRECTION, Profile::Direction),
        (messages::SECTION_VIE_SCOLAIRE, Profile::VieScolaire),
        (messages::SECTION_CDI, Profile::Documentaliste),
        (messages::SECTION_ADMINISTRATION, Profile::Administratif),
    ] {
        let mut people = state
            .directory
            .search(&people_query(Some(profile), None))
            .await?
            .people;
        people.sort_by(cartable_core::collation::people);
        out.push(Section {
            title: title.to_owned(),
            people: entries(state, me, &people, classes).await?,
        });
    }
    for g in state.directory.groups().await? {
        let folded = g.label.to_lowercase();
        if g.kind != GroupKind::Service || out.iter().any(|s| s.title.to_lowercase() == folded) {
            continue;
        }
        let mut people = state
            .directory
            .search(&people_query(None, Some(g.code.as_str())))
            .await?
            .people;
        people.sort_by(cartable_core::collation::people);
        out.push(Section {
            title: g.label.clone(),
            people: entries(state, me, &people, classes).await?,
        });
    }
    Ok(out)
}

/// One page of the people matching `q` that `me` may reach.
async fn found(
    state: &AppState,
    me: &Person,
    q: &str,
    page: usize,
    classes: &BTreeMap<String, String>,
) -> Result<(Vec<Entry>, bool, bool), WebError> {
    if q.is_empty() {
        let none = cartable_web::module::reachable(state, me, &[])
            .await
            .is_none();
        return Ok((Vec::new(), false, none));
    }
    let page_of = state
        .directory
        .search(&PersonQuery {
            text: Some(q.to_owned()),
            state: Some(AccountState::Active),
            page,
            per_page: PER_PAGE,
            ..PersonQuery::default()
        })
        .await?;
    let more = (page + 1) * PER_PAGE < page_of.total;
    let Some(reached) = cartable_web::module::reachable(state, me, &page_of.people).await else {
        return Ok((Vec::new(), false, true));
    };
    let people: Vec<Person> = page_of
        .people
        .into_iter()
        .zip(reached)
        .filter_map(|(p, ok)| ok.then_some(p))
        .collect();
    Ok((entries(state, me, &people, classes).await?, more, false))
}

pub(crate) async fn seen(
    state: &AppState,
    me: &Person,
    q: &str,
    page: usize,
) -> Result<Seen, WebError> {
    let classes: BTreeMap<String, String> = state
        .directory
        .classes()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.label))
        .collect();
    let sections = sections(state, me, &classes).await?;
    let (found, more, no_reach) = found(state, me, q, page, &classes).await?;
    Ok(Seen {
        sections,
        found,
        more,
        no_reach,
    })
}

pub(crate) fn search_of(q: &HomeQuery) -> (String, usize) {
    (q.q.trim().chars().take(100).collect(), q.page.min(MAX_PAGE))
}

/// `GET /carnet`, `?q=` to find someone.
pub async fn home(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, WebError> {
    let (search, page) = search_of(&q);
    let seen = seen(&state, &m.me.person, &search, page).await?;
    let href = |n: usize| {
        format!(
            "/{ID}?q={}&page={n}",
            cartable_web::pages::encode_query(&search)
        )
    };
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&HomePage {
        chrome: &chrome,
        vcard: format!(
            "/{ID}/vcard?q={}&page={page}",
            cartable_web::pages::encode_query(&search)
        ),
        prev: (page > 0).then(|| href(page - 1)),
        next: seen.more.then(|| href(page + 1)),
        q: search.clone(),
        sections: seen.sections,
        nothing: if search.is_empty() {
            messages::SEARCH_HINT
        } else {
            messages::NO_MATCH
        },
        found: seen.found,
        no_reach: seen.no_reach.then_some(messages::NO_MESSAGERIE),
        nobody: messages::NOBODY_IN_SERVICE,
    })
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

async fn card_page(
    state: &AppState,
    m: &InModule,
    card: Card,
    flash: (Option<String>, Option<String>),
    refused: bool,
) -> Result<HttpResponse, WebError> {
    let chrome = chrome(state, Some(&m.me)).await?;
    html_kept(
        &CardPage {
            chrome: &chrome,
            ok: flash.0,
            err: flash.1,
            csrf: m.me.csrf.clone(),
            email: m.me.person.email.clone(),
            show_email: card.show_email,
            phone: card.phone,
            show_phone: card.show_phone,
            pupil: m.me.person.profile == Profile::Eleve,
        },
        refused,
    )
}

/// `GET /carnet/fiche`: what one shows of oneself.
pub async fn card(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<Flash>,
) -> Result<HttpResponse, WebError> {
    let login = m.me.person.login.to_string();
    let card = state
        .store
        .read(move |r| store::card(r, &login))
        .await?
        .unwrap_or_default();
    card_page(
        &state,
        &m,
        card,
        (shown_ok(&q.ok), shown_err(&q.err)),
        false,
    )
    .await
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.as_str())
}

/// `POST /carnet/fiche`.
pub async fn save_card(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf"))?;
    let typed = Card {
        login: m.me.person.login.to_string(),
        show_email: field(&f, "montrer_email") == "1",
        phone: field(&f, "telephone").chars().take(40).collect(),
        show_phone: field(&f, "montrer_telephone") == "1",
    };
    let why = if typed.show_email && m.me.person.email.is_none() {
        Some(messages::EMAIL_NONE)
    } else if typed.phone.trim().is_empty() {
        typed.show_phone.then_some(messages::PHONE_NEEDED)
    } else {
        check_phone(&typed.phone).err()
    };
    if let Some(why) = why {
        return card_page(&state, &m, typed, (None, Some(why.into())), true).await;
    }
    let card = Card {
        phone: check_phone(&typed.phone).unwrap_or_default(),
        ..typed
    };
    let now = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| store::save_card(w, &card, now))
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/fiche"),
        Ok(messages::CARD_SAVED.into()),
    ))
}

/// The portal's tile.
pub async fn tiles(
    _state: &AppState,
    _person: &Person,
    _rel: &Relations,
) -> Result<Vec<Tile>, WebError> {
    Ok(vec![Tile {
        title: messages::TITLE.into(),
        description: messages::TILE.into(),
        href: format!("/{ID}"),
        icon: "annuaire",
    }])
}
