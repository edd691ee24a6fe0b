//! `GET /annuaire`: find a pupil, a parent or a member of staff by name, and the classes'
//! lists — for vie scolaire (pupils and families only), the direction and the RUPN.

use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::{AccountState, ClassCode, DirectoryRead, PersonQuery, Profile};
use serde::Deserialize;

use super::{chrome, encode_query, html};
use crate::error::WebError;
use crate::policy::Me;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::{AnnuairePage, Found, Pager};

const PER_PAGE: usize = 25;

#[derive(Deserialize, Default)]
pub struct AnnuaireQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    profil: String,
    #[serde(default)]
    classe: String,
    #[serde(default)]
    page: usize,
}

/// The profiles a searcher may look for: vie scolaire sees pupils and families only.
fn searchable(me: Profile) -> Vec<Profile> {
    match me {
        Profile::VieScolaire => vec![Profile::Eleve, Profile::Responsable],
        _ => Profile::ALL.to_vec(),
    }
}

pub async fn search(
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<AnnuaireQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &me).await?;
    ctx.require(Action::SearchPeople, &Target::Etablissement)?;
    let profiles = searchable(me.person.profile);
    // An unknown or forbidden profile is the default one, not an error: the form offers
    // only the allowed ones.
    let profile = Profile::parse(&query.profil).filter(|p| profiles.contains(p));
    let profile = match (profile, me.person.profile) {
        (Some(p), _) => Some(p),
        (None, Profile::VieScolaire) => Some(Profile::Eleve),
        (None, _) => None,
    };
    let classes = state.directory.classes().await?;
    let class = classes
        .iter()
        .find(|c| c.code.as_str() == query.classe.trim())
        .map(|c| c.code.clone());
    let text = Some(query.q.trim().to_owned()).filter(|t| !t.is_empty());
    let asked = text.is_some() || class.is_some() || !query.profil.is_empty();
    let (found, total) = if asked {
        let page = state
            .directory
            .search(&PersonQuery {
                text,
                profile,
                state: Some(AccountState::Active),
                class: class.clone(),
                page: query.page,
                per_page: PER_PAGE,
                ..PersonQuery::default()
            })
            .await?;
        let mut found = Vec::new();
        for p in page.people {
            let relations = state.directory.relations(&p.login).await?;
            if !ctx.may(Action::ViewPerson, &Target::Person(&p, &relations)) {
                continue;
            }
            let classes: Vec<String> = match p.profile {
                Profile::Eleve => relations.classes.iter().map(|c| c.label.clone()).collect(),
                Profile::Responsable => relations
                    .children
                    .iter()
                    .map(|c| {
                        let of = c.class.as_ref().map(|k| format!(" ({})", k.label));
                        format!("{}{}", c.display_name, of.unwrap_or_default())
                    })
                    .collect(),
                _ => Vec::new(),
            };
            found.push(Found {
                login: p.login.to_string(),
                name: p.display_name(),
                profile: p.profile.label(),
                detail: classes.join(", "),
            });
        }
        (found, page.total)
    } else {
        (Vec::new(), 0)
    };
    let keep = format!(
        "/annuaire?q={}&profil={}&classe={}",
        encode_query(&query.q),
        encode_query(&query.profil),
        encode_query(&query.classe)
    );
    let pager = Pager::new(query.page, total, PER_PAGE, |p| format!("{keep}&page={p}"));
    let class_links: Vec<(ClassCode, String)> = classes
        .iter()
        .filter(|c| ctx.may(Action::ViewClass, &Target::Class(&c.code)))
        .map(|c| (c.code.clone(), c.label.clone()))
        .collect();
    let chrome = chrome(&state, Some(&me)).await?;
    html(&AnnuairePage {
        chrome: &chrome,
        q: &query.q,
        profil: profile.map(|p| p.as_str()).unwrap_or_default(),
        classe: &query.classe,
        profiles: &profiles,
        all_profiles: me.person.profile != Profile::VieScolaire,
        classes: &class_links,
        asked,
        found: &found,
        total,
        pager,
    })
}
