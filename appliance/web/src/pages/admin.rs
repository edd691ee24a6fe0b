//! `/admin`: the RUPN's console — find anyone by name, login or class; the classes; the audit
//! journal with filters; every table as CSV.

use actix_web::{HttpResponse, web};
use cartable_core::directory::{
    AccountState, ClassCode, DirectoryRead, GroupCode, PersonQuery, Profile,
};
use cartable_core::store::{AuditEntry, AuditQuery};
use serde::Deserialize;

use super::{chrome, html, when};
use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::templates::{
    ConsoleClassesPage, ConsoleGroupsPage, ConsolePage, ConsoleServicesPage, JournalLine,
    JournalPage, Pager,
};

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    profil: String,
    #[serde(default)]
    etat: String,
    #[serde(default)]
    classe: String,
    #[serde(default)]
    groupe: String,
    #[serde(default)]
    page: usize,
}

#[derive(Deserialize, Default)]
pub struct JournalQuery {
    #[serde(default)]
    qui: String,
    #[serde(default)]
    cible: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    page: usize,
}

const JOURNAL_PAGE: usize = 50;

fn person_query(q: &SearchQuery) -> Result<PersonQuery, WebError> {
    Ok(PersonQuery {
        text: Some(q.q.trim().to_owned()).filter(|t| !t.is_empty()),
        profile: match q.profil.as_str() {
            "" => None,
            p => Some(
                Profile::parse(p).ok_or_else(|| WebError::BadRequest(format!("profil « {p} »")))?,
            ),
        },
        state: match q.etat.as_str() {
            "" => None,
            s => Some(
                AccountState::parse(s)
                    .ok_or_else(|| WebError::BadRequest(format!("etat « {s} »")))?,
            ),
        },
        class: match q.classe.trim() {
            "" => None,
            c => Some(
                ClassCode::parse(c).map_err(|_| WebError::BadRequest(format!("classe « {c} »")))?,
            ),
        },
        group: match q.groupe.trim() {
            "" => None,
            g => Some(
                GroupCode::parse(g).map_err(|_| WebError::BadRequest(format!("groupe « {g} »")))?,
            ),
        },
        page: q.page,
        per_page: 50,
    })
}

pub async fn search(
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let pq = person_query(&query)?;
    let found = state.directory.search(&pq).await?;
    let chrome = chrome(&state, Some(&me)).await?;
    let keep = format!(
        "/admin?q={}&profil={}&etat={}&classe={}&groupe={}",
        super::encode_query(&query.q),
        super::encode_query(&query.profil),
        super::encode_query(&query.etat),
        super::encode_query(&query.classe),
        super::encode_query(&query.groupe)
    );
    let pager = Pager::new(query.page, found.total, 50, |p| format!("{keep}&page={p}"));
    html(&ConsolePage {
        chrome: &chrome,
        q: &query.q,
        profil: &query.profil,
        etat: &query.etat,
        classe: &query.classe,
        groupe: &query.groupe,
        people: &found.people,
        total: found.total,
        pager,
        profiles: &Profile::ALL,
    })
}

pub async fn classes(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let mut rows = Vec::new();
    for c in state.directory.classes().await? {
        let pupils = state
            .directory
            .search(&PersonQuery {
                class: Some(c.code.clone()),
                profile: Some(Profile::Eleve),
                state: Some(AccountState::Active),
                per_page: 1,
                ..PersonQuery::default()
            })
            .await?
            .total;
        rows.push((c, pupils));
    }
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ConsoleClassesPage {
        chrome: &chrome,
        classes: &rows,
    })
}

pub async fn groups(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let mut rows = Vec::new();
    for g in state.directory.groups().await? {
        let members = state
            .directory
            .search(&PersonQuery {
                group: Some(g.code.clone()),
                per_page: 1,
                ..PersonQuery::default()
            })
            .await?
            .total;
        rows.push((g, members));
    }
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ConsoleGroupsPage {
        chrome: &chrome,
        groups: &rows,
    })
}

/// The services people reach with the ENT's sign-in (CAS registry), and for whom.
pub async fn services(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let chrome = chrome(&state, Some(&me)).await?;
    html(&ConsoleServicesPage {
        chrome: &chrome,
        services: &state.config.cas.services,
    })
}

fn audit_query(q: &JournalQuery, limit: usize, offset: usize) -> AuditQuery {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    AuditQuery {
        actor: some(&q.qui),
        target: some(&q.cible),
        action: some(&q.action),
        since: None,
        limit,
        offset,
    }
}

async fn audit(
    state: &AppState,
    q: &JournalQuery,
    limit: usize,
) -> Result<Vec<AuditEntry>, WebError> {
    let query = audit_query(q, limit, 0);
    Ok(state.store.read(move |r| r.audit(&query)).await?)
}

pub async fn journal(
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<JournalQuery>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    let aq = audit_query(
        &query,
        JOURNAL_PAGE,
        query.page.saturating_mul(JOURNAL_PAGE),
    );
    let (entries, total) = state
        .store
        .read(move |r| Ok((r.audit(&aq)?, r.audit_count(&aq)?)))
        .await?;
    let keep = format!(
        "/admin/journal?qui={}&cible={}&action={}",
        super::encode_query(&query.qui),
        super::encode_query(&query.cible),
        super::encode_query(&query.action)
    );
    let pager = Pager::new(query.page, total, JOURNAL_PAGE, |p| {
        format!("{keep}&page={p}")
    });
    let lines: Vec<JournalLine> = entries
        .into_iter()
        .map(|e| JournalLine {
            when: when(e.at),
            action: crate::messages::journal_action(&e.action).to_owned(),
            entry: e,
        })
        .collect();
    let chrome = chrome(&state, Some(&me)).await?;
    html(&JournalPage {
        chrome: &chrome,
        qui: &query.qui,
        cible: &query.cible,
        action: &query.action,
        actions: crate::messages::JOURNAL_ACTIONS,
        lines: &lines,
        total,
        pager,
    })
}

/// A spreadsheet cannot take a cell for a formula (`=`, `+`, `-`, `@` first).
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_response(
    name: &str,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<HttpResponse, WebError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let bad = |e: csv::Error| WebError::BadRequest(e.to_string());
    w.write_record(header).map_err(bad)?;
    for r in rows {
        w.write_record(r.iter().map(|c| cell(c))).map_err(bad)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    // A BOM, so that Excel reads the accents right.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(body);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

pub async fn export(
    me: SignedIn,
    state: web::Data<AppState>,
    name: web::Path<String>,
    search: web::Query<SearchQuery>,
    journal: web::Query<JournalQuery>,
) -> Result<HttpResponse, WebError> {
    crate::policy::require_rupn(&state, &me).await?;
    match name.as_str() {
        "personnes.csv" => {
            let mut pq = person_query(&search)?;
            pq.per_page = PersonQuery::MAX_PAGE;
            let mut rows = Vec::new();
            loop {
                let page = state.directory.search(&pq).await?;
                let n = page.people.len();
                for p in page.people {
                    rows.push(vec![
                        p.login.to_string(),
                        p.family_name,
                        p.given_name,
                        p.profile.as_str().to_owned(),
                        p.state.as_str().to_owned(),
                        p.jointure.map(|j| j.to_string()).unwrap_or_default(),
                    ]);
                }
                if n < pq.per_page {
                    break;
                }
                pq.page += 1;
            }
            csv_response(
                "personnes.csv",
                &["identifiant", "nom", "prenom", "profil", "etat", "jointure"],
                rows,
            )
        }
        "groupes.csv" => {
            let rows = state
                .directory
                .groups()
                .await?
                .into_iter()
                .map(|g| vec![g.code.to_string(), g.label, g.kind.as_str().to_owned()])
                .collect();
            csv_response("groupes.csv", &["code", "libelle", "type"], rows)
        }
        "classes.csv" => {
            let rows = state
                .directory
                .classes()
                .await?
                .into_iter()
                .map(|c| vec![c.code.to_string(), c.label])
                .collect();
            csv_response("classes.csv", &["code", "libelle"], rows)
        }
        "journal.csv" => {
            let rows = audit(&state, &journal, 100_000)
                .await?
                .into_iter()
                .map(|e| vec![when(e.at), e.actor, e.action, e.target, e.detail])
                .collect();
            csv_response(
                "journal.csv",
                &["date", "qui", "action", "cible", "detail"],
                rows,
            )
        }
        _ => Err(WebError::NotFound),
    }
}
