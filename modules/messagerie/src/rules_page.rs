//! `/messagerie/regles`: the communication rules as a matrix the RUPN (and the direction)
//! reads and edits, in plain words (« Un élève peut écrire à … »), with a preview for a class
//! and « X peut-il écrire à Y ? »; the suspensions and the hourly limits; the last alerts.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use cartable_core::authz::{Action, Target};
use cartable_core::directory::Profile;
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{
    ConfirmSpec, chrome, confirm, html, see_other_with, shown_err, shown_ok, when,
};
use cartable_web::policy::Me;
use cartable_web::session::csrf;
use cartable_web::state::AppState;
use serde::Deserialize;

use crate::reach;
use crate::rules::{Facts, List, Matrix, Scope, is_staff};
use crate::safety::{SUSPENDABLE, limit_of};
use crate::templates::{MatrixRow, RulesPage};
use crate::{ID, RULES, messages, store};

async fn allowed(state: &AppState, m: &InModule) -> Result<Me, WebError> {
    let ctx = Me::of(state, &m.me).await?;
    ctx.require(Action::Module(RULES), &Target::Etablissement)?;
    Ok(ctx)
}

#[derive(Deserialize)]
pub struct RulesQuery {
    #[serde(default)]
    classe: String,
    #[serde(default)]
    de: String,
    #[serde(default)]
    a: String,
    ok: Option<String>,
    err: Option<String>,
}

/// « les 24 élèves de ses classes »: a scope with how many people it is for one class.
fn counted(s: Scope, p: Profile, n: Option<usize>) -> String {
    let label = messages::scope_label_for(s, p);
    match n {
        Some(n) => format!("{label} ({n})"),
        None => label.to_owned(),
    }
}

/// What each profile of a class may write to, with the numbers of people.
async fn class_preview(
    state: &AppState,
    m: &Matrix,
    class: &str,
    classes: &BTreeMap<String, String>,
) -> Result<Vec<String>, WebError> {
    let Some(label) = classes.get(class) else {
        return Ok(Vec::new());
    };
    let count =
        |l: List| async move { Ok::<_, WebError>(reach::members(state, &l, classes).await?.len()) };
    let pupils = count(List::ClassPupils(class.to_owned())).await?;
    let teachers = count(List::ClassTeam(class.to_owned())).await?;
    let parents = count(List::ClassParents(class.to_owned())).await?;
    let staff = count(List::AllStaff).await?;
    let mut out = Vec::new();
    for (p, who) in [
        (Profile::Eleve, format!("Un élève de {label}")),
        (
            Profile::Responsable,
            format!("Un parent d'élève de {label}"),
        ),
        (Profile::Enseignant, format!("Un enseignant de {label}")),
    ] {
        let scopes = m.scopes_of(p);
        if scopes.is_empty() {
            out.push(format!("{who} ne peut écrire à personne."));
            continue;
        }
        let parts: Vec<String> = scopes
            .iter()
            .map(|s| {
                let n = match s {
                    Scope::ClassPupils => {
                        Some(pupils.saturating_sub(usize::from(p == Profile::Eleve)))
                    }
                    Scope::ClassTeachers => {
                        Some(teachers.saturating_sub(usize::from(p == Profile::Enseignant)))
                    }
                    Scope::ClassParents => Some(parents),
                    Scope::Staff => Some(staff),
                    _ => None,
                };
                counted(*s, p, n)
            })
            .collect();
        out.push(format!("{who} peut écrire à : {}.", parts.join(", ")));
    }
    Ok(out)
}

/// « Oui : … » or « Non : … » for two logins.
async fn verdict(state: &AppState, m: &Matrix, from: &str, to: &str) -> Result<String, WebError> {
    let (Some(a), Some(b)) = (
        reach::active(state, from).await?,
        reach::active(state, to).await?,
    ) else {
        return Ok(
            "Identifiant inconnu ou compte inactif : vérifiez les deux identifiants.".to_owned(),
        );
    };
    let facts: Facts = reach::facts(state, &a).await?;
    Ok(match reach::reach(state, m, &facts, &b).await? {
        Some(s) => format!(
            "Oui : {} peut écrire à {} ({}).",
            a.display_name(),
            b.display_name(),
            messages::scope_label_for(s, a.profile)
        ),
        None => format!(
            "Non : {} ne peut pas écrire à {}. {}",
            a.display_name(),
            b.display_name(),
            messages::may_write_to(a.profile, &m.scopes_of(a.profile))
        ),
    })
}

async fn render(
    state: &AppState,
    m: &InModule,
    ctx: &Me,
    q: &RulesQuery,
    typed_limits: Option<&HashMap<String, (i64, i64)>>,
    err: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (matrix, edited) = state.store.read(store::matrix).await?;
    let (suspensions, limits, alerts) = state
        .store
        .read(|r| {
            Ok((
                store::suspensions(r)?,
                store::limits(r)?,
                store::alerts(r, 20)?,
            ))
        })
        .await?;
    let classes = reach::classes(state).await?;
    let rows = Profile::ALL
        .into_iter()
        .map(|p| {
            let (mm, rr) = typed_limits
                .and_then(|t| t.get(p.as_str()).copied())
                .unwrap_or_else(|| limit_of(p, &limits));
            MatrixRow {
                profile: p.as_str().to_owned(),
                label: p.label().to_owned(),
                cells: Scope::ALL
                    .into_iter()
                    .map(|s| (s.code().to_owned(), matrix.allows(p, s)))
                    .collect(),
                preview: messages::may_write_to(p, &matrix.scopes_of(p)),
                suspended: !is_staff(p) && suspensions.iter().any(|(w, _, _)| w == p.as_str()),
                messages: mm,
                recipients: rr,
            }
        })
        .collect();
    let who = cartable_web::people::names(
        state,
        alerts
            .iter()
            .map(|a| a.0.clone())
            .chain(edited.iter().map(|e| e.0.clone())),
    )
    .await;
    let class_preview = if q.classe.is_empty() {
        Vec::new()
    } else {
        class_preview(state, &matrix, &q.classe, &classes).await?
    };
    let verdict = if q.de.trim().is_empty() || q.a.trim().is_empty() {
        None
    } else {
        Some(verdict(state, &matrix, q.de.trim(), q.a.trim()).await?)
    };
    let chrome = chrome(state, Some(&m.me)).await?;
    let mut res = html(&RulesPage {
        chrome: &chrome,
        csrf: &m.me.csrf,
        ok: shown_ok(&q.ok),
        err: err.or_else(|| shown_err(&q.err)),
        scopes: Scope::ALL
            .into_iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned()))
            .collect(),
        rows,
        edited: match edited {
            Some((by, at)) => format!(
                "Règles modifiées le {} par {}.",
                when(at),
                who.get(&by).cloned().unwrap_or_default()
            ),
            None => "Règles par défaut (recommandations ministérielles de 2024).".to_owned(),
        },
        everyone_suspended: suspensions.iter().any(|(w, _, _)| w == "tous"),
        classes: classes.into_iter().collect(),
        class: q.classe.clone(),
        class_preview,
        from: q.de.clone(),
        to: q.a.clone(),
        verdict,
        alerts: alerts
            .into_iter()
            .map(|(sender, what, at)| (when(at), who.get(&sender).cloned().unwrap_or(sender), what))
            .collect(),
        may_edit: ctx.may(Action::Module(RULES), &Target::Etablissement),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /messagerie/regles`.
pub async fn show(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<RulesQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = allowed(&state, &m).await?;
    render(&state, &m, &ctx, &q, None, None, StatusCode::OK).await
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `POST /messagerie/regles`: the matrix as ticked (`r.<profil>.<portée>`).
pub async fn save(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf").unwrap_or_default())?;
    let ctx = allowed(&state, &m).await?;
    let mut pairs = Vec::new();
    for (k, v) in f.iter() {
        let Some(rest) = k.strip_prefix("r.") else {
            continue;
        };
        let Some((p, s)) = rest.split_once('.') else {
            continue;
        };
        match (Profile::parse(p), Scope::parse(s), v.as_str()) {
            (Some(p), Some(s), "1") => pairs.push((p, s)),
            (Some(_), Some(_), _) => {}
            _ => return Err(WebError::BadRequest(format!("champ {k}"))),
        }
    }
    let matrix = Matrix::from_pairs(pairs);
    let by = ctx.person.login.to_string();
    let at = state.clock.now().unix_timestamp();
    state
        .store
        .write(move |w| store::set_matrix(w, &matrix, &by, at))
        .await?;
    tracing::info!(par = %ctx.person.login, "règles de la messagerie modifiées");
    Ok(see_other_with(
        &format!("/{ID}/regles"),
        Ok(messages::RULES_SAVED.to_owned()),
    ))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirme: String,
}

/// `POST /messagerie/regles/defaut` (asked first).
pub async fn reset(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<ConfirmForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = allowed(&state, &m).await?;
    let back = format!("/{ID}/regles");
    if f.confirme != "1" {
        return confirm(
            &state,
            &m.me,
            ConfirmSpec {
                title: "Revenir aux règles par défaut ?",
                what: "Les règles de communication de l'établissement seront remplacées par celles par défaut (recommandations ministérielles de 2024) ; vos modifications seront perdues.",
                after: "Les suspensions et les limites d'envoi ne changent pas.",
                button: "Revenir aux règles par défaut",
                action: &format!("{back}/defaut"),
                fields: Vec::new(),
                back: &back,
            },
        )
        .await;
    }
    state.store.write(store::reset_matrix).await?;
    tracing::info!(par = %ctx.person.login, "règles de la messagerie remises par défaut");
    Ok(see_other_with(&back, Ok(messages::RULES_RESET.to_owned())))
}

#[derive(Deserialize)]
pub struct SuspensionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    qui: String,
    #[serde(default)]
    etat: String,
}

/// `POST /messagerie/suspension`: suspends or restores sending for a profile, or for everyone
/// but the staff — at once, for the next send.
pub async fn suspension(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<SuspensionForm>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, &f.csrf)?;
    let ctx = allowed(&state, &m).await?;
    if !SUSPENDABLE.contains(&f.qui.as_str()) {
        return Err(WebError::BadRequest("qui".into()));
    }
    let (who, by, at) = (
        f.qui.clone(),
        ctx.person.login.to_string(),
        state.clock.now().unix_timestamp(),
    );
    let outcome = match f.etat.as_str() {
        "suspendre" => {
            state
                .store
                .write(move |w| store::suspend(w, &who, &by, at))
                .await?;
            messages::suspension_done(true, &f.qui)
        }
        "retablir" => {
            state.store.write(move |w| store::resume(w, &who)).await?;
            messages::suspension_done(false, &f.qui)
        }
        _ => return Err(WebError::BadRequest("etat".into())),
    };
    tracing::warn!(par = %ctx.person.login, qui = %f.qui, etat = %f.etat, "messagerie : suspension");
    Ok(see_other_with(&format!("/{ID}/regles"), Ok(outcome)))
}

/// `POST /messagerie/limites`: messages and recipients per hour, per profile
/// (`m.<profil>`, `d.<profil>`); refused, the page comes back as typed.
pub async fn limits(
    m: InModule,
    state: web::Data<AppState>,
    f: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(&m.me.csrf, field(&f, "csrf").unwrap_or_default())?;
    let ctx = allowed(&state, &m).await?;
    let mut typed: HashMap<String, (i64, i64)> = HashMap::new();
    let mut bad = false;
    for p in Profile::ALL {
        let get =
            |k: &str| field(&f, &format!("{k}.{}", p.as_str())).map(|v| v.trim().parse::<i64>());
        match (get("m"), get("d")) {
            (Some(Ok(mm)), Some(Ok(dd))) => {
                bad |= !(1..=1000).contains(&mm) || !(1..=10_000).contains(&dd);
                typed.insert(p.as_str().to_owned(), (mm, dd));
            }
            (None, None) => {}
            _ => bad = true,
        }
    }
    if bad {
        let q = RulesQuery {
            classe: String::new(),
            de: String::new(),
            a: String::new(),
            ok: None,
            err: None,
        };
        return render(
            &state,
            &m,
            &ctx,
            &q,
            Some(&typed),
            Some(messages::BAD_LIMITS.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    state
        .store
        .write(move |w| {
            for (p, (mm, dd)) in &typed {
                store::set_limit(w, p, *mm, *dd)?;
            }
            Ok(())
        })
        .await?;
    Ok(see_other_with(
        &format!("/{ID}/regles"),
        Ok(messages::LIMITS_SAVED.to_owned()),
    ))
}
