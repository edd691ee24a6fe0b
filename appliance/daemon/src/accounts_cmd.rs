//! `cartabled accounts ...`: the maintenance commands on accounts, on the service's config.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use cartable_core::accounts::{AccountView, Accounts};
use cartable_core::directory::{
    AccountState, ClassCode, DirectoryRead, Login, Person, PersonQuery, Profile, Relations,
};
use cartable_core::letters::{self, Letter};
use cartable_core::store::AuditEntry;
use serde_json::{Value, json};

use crate::cli::AccountsCommand;
use crate::messages;

/// Who the audit log names for a command-line change.
fn actor() -> String {
    let user = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "root".to_owned());
    format!("cli:{user}")
}

fn login(s: &str) -> anyhow::Result<Login> {
    Login::parse(s).map_err(|_| anyhow::anyhow!("{} : « {s} »", messages::BAD_LOGIN))
}

fn person_json(p: &Person) -> Value {
    json!({
        "login": p.login.as_str(),
        "jointure": p.jointure.as_ref().map(|j| j.as_str()),
        "profile": p.profile.as_str(),
        "given_name": p.given_name,
        "family_name": p.family_name,
        "state": p.state.as_str(),
        "must_change_password": p.must_change_password,
        "last_login": p.last_login,
    })
}

fn relations_json(r: &Relations) -> Value {
    json!({
        "classes": r.classes.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        "groups": r.groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(),
        "children": r.children.iter().map(|c| json!({
            "login": c.login.as_str(), "level": c.level,
            "class": c.class.as_ref().map(|k| k.code.as_str()),
        })).collect::<Vec<_>>(),
        "parents": r.parents.iter().map(|p| json!({
            "login": p.login.as_str(), "level": p.level,
        })).collect::<Vec<_>>(),
        "teachings": r.teachings.iter().map(|t| json!({
            "class": t.class.code.as_str(), "subjects": t.subjects, "principal": t.principal,
        })).collect::<Vec<_>>(),
    })
}

fn history_json(h: &[AuditEntry]) -> Value {
    Value::Array(
        h.iter()
            .map(|e| json!({"at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail}))
            .collect(),
    )
}

/// What a login letter names besides the person: the établissement and where to sign in.
pub struct LetterHead {
    pub etablissement: String,
    pub url: String,
}

pub async fn run(
    accounts: Accounts,
    head: LetterHead,
    command: AccountsCommand,
) -> anyhow::Result<()> {
    match command {
        AccountsCommand::Letters { dest, classe, tous } => {
            letters(&accounts, &head, &dest, classe.as_deref(), tous).await?;
        }
        AccountsCommand::List { profile, json } => {
            let profile =
                match profile {
                    Some(p) => Some(Profile::parse(&p).ok_or_else(|| {
                        anyhow::anyhow!("{} : « {p} »", messages::UNKNOWN_PROFILE)
                    })?),
                    None => None,
                };
            let people = accounts
                .list(PersonQuery {
                    profile,
                    ..PersonQuery::default()
                })
                .await?;
            if json {
                let all: Vec<Value> = people.iter().map(person_json).collect();
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for p in &people {
                    println!(
                        "{:<22} {:<16} {:<32} {}",
                        p.login,
                        p.profile.label(),
                        p.display_name(),
                        messages::state(p.state)
                    );
                }
                println!("{} compte(s)", people.len());
            }
        }
        AccountsCommand::Show { who, json } => match accounts.show(&who).await? {
            AccountView::Present {
                person,
                relations,
                history,
            } => {
                if json {
                    let mut v = person_json(&person);
                    if let (Value::Object(m), Value::Object(r)) =
                        (&mut v, relations_json(&relations))
                    {
                        m.extend(r);
                        m.insert("history".into(), history_json(&history));
                    }
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else {
                    print_person(&person, &relations, &history);
                }
            }
            AccountView::Deleted(t) => {
                if json {
                    let v = json!({"login": t.login, "jointure": t.jointure,
                        "profile": t.profile, "state": "deleted", "deleted_at": t.deleted_at});
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else {
                    println!("{} : {} ({})", t.login, messages::DELETED, t.profile);
                }
            }
        },
        AccountsCommand::SetPassword {
            login: l,
            password_stdin,
            must_change,
        } => {
            let l = login(&l)?;
            let given = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("lecture de l'entrée standard")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let generated = given.is_none();
            let password = accounts
                .set_password(&actor(), &l, given, must_change)
                .await?;
            if generated {
                println!("{} {l} : {password}", messages::NEW_PASSWORD);
            } else {
                println!("{} {l}.", messages::PASSWORD_CHANGED);
            }
        }
        AccountsCommand::Disable { login: l } => {
            let l = login(&l)?;
            let changed = accounts.disable(&actor(), &l).await?;
            println!(
                "{l} : {}",
                if changed {
                    messages::DISABLED
                } else {
                    messages::ALREADY_DISABLED
                }
            );
        }
        AccountsCommand::Enable { login: l } => {
            let l = login(&l)?;
            let changed = accounts.enable(&actor(), &l).await?;
            println!(
                "{l} : {}",
                if changed {
                    messages::ENABLED
                } else {
                    messages::ALREADY_ENABLED
                }
            );
        }
        AccountsCommand::Sweep => {
            let report = accounts.sweep(&actor()).await?;
            println!("{} : {}", messages::SWEPT, report.deleted.len());
            for l in report.deleted {
                println!("  {l}");
            }
        }
    }
    Ok(())
}

fn print_person(p: &Person, r: &Relations, history: &[AuditEntry]) {
    println!("{} ({})", p.display_name(), p.login);
    println!("  profil      : {}", p.profile.label());
    if let Some(j) = &p.jointure {
        println!("  jointure    : {j}");
    }
    println!("  état        : {}", messages::state(p.state));
    let list = |v: Vec<&str>| v.join(", ");
    if !r.classes.is_empty() {
        println!(
            "  classe      : {}",
            list(r.classes.iter().map(|c| c.label.as_str()).collect())
        );
    }
    if !r.groups.is_empty() {
        println!(
            "  groupes     : {}",
            list(r.groups.iter().map(|g| g.label.as_str()).collect())
        );
    }
    for c in &r.children {
        println!("  enfant      : {} ({})", c.display_name, c.login);
    }
    for pa in &r.parents {
        println!(
            "  responsable : {} ({}, niveau {})",
            pa.display_name, pa.login, pa.level
        );
    }
    for t in &r.teachings {
        println!(
            "  enseigne    : {} — {}{}",
            t.class.label,
            t.subjects.join(", "),
            if t.principal {
                " (professeur principal)"
            } else {
                ""
            }
        );
    }
    for e in history.iter().take(5) {
        println!(
            "  historique  : {} {} par {} {}",
            messages::date_time(e.at),
            e.action,
            e.actor,
            e.detail
        );
    }
}

/// One letter: a fresh password, to change at first sign-in.
async fn letter(accounts: &Accounts, head: &LetterHead, person: &Person) -> anyhow::Result<Letter> {
    let relations = accounts.directory().relations(&person.login).await?;
    let password = accounts
        .set_password(&actor(), &person.login, None, true)
        .await?;
    Ok(Letter {
        etablissement: head.etablissement.clone(),
        url: head.url.clone(),
        name: person.display_name(),
        role: letters::role_line(person, &relations),
        login: person.login.to_string(),
        password,
    })
}

/// Readable by root only: the letters hold passwords.
fn write_pdf(dest: &Path, name: &str, out: &[Letter]) -> anyhow::Result<()> {
    let path = dest.join(name);
    cartable_core::files::unix::write_atomically_bytes(&path, &letters::pdf(out), 0o600)
        .with_context(|| path.display().to_string())?;
    println!("{} : {} courrier(s)", path.display(), out.len());
    Ok(())
}

/// Letters per class (pupils, then their responsables once each) and for the staff.
async fn letters(
    accounts: &Accounts,
    head: &LetterHead,
    dest: &Path,
    only: Option<&str>,
    all: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dest).with_context(|| dest.display().to_string())?;
    let wanted = |p: &Person| p.state == AccountState::Active && (all || p.last_login.is_none());
    let dir = accounts.directory();
    let classes: Vec<ClassCode> = match only {
        Some(c) => vec![
            ClassCode::parse(c)
                .map_err(|_| anyhow::anyhow!("{} : « {c} »", messages::UNKNOWN_CLASS))?,
        ],
        None => dir.classes().await?.into_iter().map(|c| c.code).collect(),
    };
    let mut parents_done = BTreeSet::new();
    let mut total = 0;
    for code in &classes {
        let pupils = accounts
            .list(PersonQuery {
                class: Some(code.clone()),
                profile: Some(Profile::Eleve),
                ..PersonQuery::default()
            })
            .await?;
        let mut out = Vec::new();
        for pupil in &pupils {
            if wanted(pupil) {
                out.push(letter(accounts, head, pupil).await?);
            }
            for p in dir.relations(&pupil.login).await?.parents {
                if !parents_done.insert(p.login.clone()) {
                    continue;
                }
                if let Some(parent) = dir.person(&p.login).await?
                    && wanted(&parent)
                {
                    out.push(letter(accounts, head, &parent).await?);
                }
            }
        }
        if !out.is_empty() {
            total += out.len();
            write_pdf(dest, &format!("courriers-{code}.pdf"), &out)?;
        }
    }
    if only.is_none() {
        let mut out = Vec::new();
        for p in accounts.list(PersonQuery::default()).await? {
            if !matches!(p.profile, Profile::Eleve | Profile::Responsable) && wanted(&p) {
                out.push(letter(accounts, head, &p).await?);
            }
        }
        if !out.is_empty() {
            total += out.len();
            write_pdf(dest, "courriers-personnels.pdf", &out)?;
        }
    }
    println!("{total} {}", messages::LETTERS_WRITTEN);
    Ok(())
}
