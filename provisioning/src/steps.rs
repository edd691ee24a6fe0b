//! The install, as steps of actions. Each action knows whether it is already done, so `plan`
//! shows only what would change, a second `install` changes nothing, and an interrupted one
//! takes up where it stopped. A step that fails puts back the files it had changed.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Error;
use crate::system::System;

/// Folder of the tool's own state, beneath the root.
pub const STATE_DIR: &str = "var/lib/cartable-provision";

#[derive(Debug, Clone)]
pub enum Action {
    Packages(Vec<String>),
    User {
        name: String,
        home: String,
    },
    Dir {
        path: String,
        mode: u32,
    },
    /// A file with this content; with `keep`, only written when absent (secrets, keys).
    File {
        path: String,
        content: Vec<u8>,
        mode: u32,
        keep: bool,
    },
    /// A command run once for this input (its digest is kept).
    Command {
        argv: Vec<String>,
        input: String,
    },
    /// A unit enabled and running.
    Enable(String),
    /// A running unit restarted when a file it reads changed since it started.
    Restart {
        unit: String,
        reads: Vec<String>,
    },
    /// A line a shared file must hold (`/etc/hosts`): added at the end if missing, the rest
    /// of the file left as it is.
    Line {
        path: String,
        line: String,
    },
}

pub struct Step {
    pub id: &'static str,
    pub label: &'static str,
    pub actions: Vec<Action>,
}

/// One thing `install` would do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    pub step: &'static str,
    pub what: String,
    /// For a file: the lines removed (`-`) and added (`+`).
    pub diff: Vec<String>,
}

pub struct Ctx<'a> {
    pub root: &'a Path,
    /// When the install runs (certificates made now are valid from now).
    pub now: time::OffsetDateTime,
}

impl Ctx<'_> {
    pub fn at(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }
    fn marker(&self, step: &str, argv: &[String], input: &str) -> (PathBuf, String) {
        let mut h = Sha256::new();
        h.update(argv.join("\u{1f}").as_bytes());
        h.update(input.as_bytes());
        let digest = format!("{:x}", h.finalize());
        let name = format!("{step}-{}", &digest[..16]);
        (self.at(STATE_DIR).join("fait").join(name), digest)
    }
}

fn diff(old: &str, new: &str) -> Vec<String> {
    let olds: Vec<&str> = old.lines().collect();
    let news: Vec<&str> = new.lines().collect();
    let mut out: Vec<String> = olds
        .iter()
        .filter(|l| !news.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    out.extend(
        news.iter()
            .filter(|l| !olds.contains(l))
            .map(|l| format!("+ {l}")),
    );
    out
}

/// What an action would change now, if anything.
fn pending(ctx: &Ctx<'_>, sys: &dyn System, step: &'static str, a: &Action) -> Option<Change> {
    let change = |what: String, diff: Vec<String>| Some(Change { step, what, diff });
    match a {
        Action::Packages(names) => {
            let missing: Vec<&String> =
                names.iter().filter(|n| !sys.package_installed(n)).collect();
            (!missing.is_empty()).then(|| Change {
                step,
                what: format!(
                    "paquets à installer : {}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                diff: vec![],
            })
        }
        Action::User { name, .. } => (!sys.user_exists(name)).then(|| Change {
            step,
            what: format!("utilisateur système à créer : {name}"),
            diff: vec![],
        }),
        Action::Dir { path, .. } => (!ctx.at(path).is_dir()).then(|| Change {
            step,
            what: format!("dossier à créer : {path}"),
            diff: vec![],
        }),
        Action::File {
            path,
            content,
            keep,
            ..
        } => {
            let p = ctx.at(path);
            match std::fs::read(&p) {
                Err(_) => change(
                    format!("fichier à créer : {path}"),
                    if *keep {
                        vec!["+ (contenu secret)".into()]
                    } else {
                        diff("", &String::from_utf8_lossy(content))
                    },
                ),
                Ok(_) if *keep => None,
                Ok(old) if old == *content => None,
                Ok(old) => change(
                    format!("fichier à modifier : {path}"),
                    diff(
                        &String::from_utf8_lossy(&old),
                        &String::from_utf8_lossy(content),
                    ),
                ),
            }
        }
        Action::Command { argv, input } => {
            let (marker, digest) = ctx.marker(step, argv, input);
            (std::fs::read_to_string(marker).ok().as_deref() != Some(digest.as_str())).then(|| {
                Change {
                    step,
                    what: format!("commande : {}", argv.join(" ")),
                    diff: vec![],
                }
            })
        }
        Action::Enable(unit) if sys.unit_enabled(unit) => {
            sys.unit_active_since(unit).is_none().then(|| Change {
                step,
                what: format!("service à démarrer : {unit}"),
                diff: vec![],
            })
        }
        Action::Restart { unit, reads } => {
            let since = sys.unit_active_since(unit)?;
            let changed = reads.iter().find(|f| {
                std::fs::metadata(ctx.at(f))
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .is_some_and(|t| t.as_secs() > since)
            })?;
            Some(Change {
                step,
                what: format!(
                    "service à redémarrer : {unit} ({changed} a changé depuis son démarrage)"
                ),
                diff: vec![],
            })
        }
        Action::Enable(unit) => (!sys.unit_enabled(unit)).then(|| Change {
            step,
            what: format!("service à activer et démarrer : {unit}"),
            diff: vec![],
        }),
        Action::Line { path, line } => {
            let text = std::fs::read_to_string(ctx.at(path)).unwrap_or_default();
            (!text.lines().any(|l| l.trim() == line.trim())).then(|| Change {
                step,
                what: format!("ligne à ajouter : {path}"),
                diff: vec![format!("+ {line}")],
            })
        }
    }
}

/// Everything `install` would do, touching nothing.
pub fn plan(ctx: &Ctx<'_>, sys: &dyn System, steps: &[Step]) -> Vec<Change> {
    steps
        .iter()
        .flat_map(|s| s.actions.iter().filter_map(|a| pending(ctx, sys, s.id, a)))
        .collect()
}

/// A file as it was before a step changed it.
enum Before {
    Absent(PathBuf),
    Was(PathBuf, Vec<u8>),
}

fn apply(
    ctx: &Ctx<'_>,
    sys: &mut dyn System,
    step: &'static str,
    a: &Action,
    undo: &mut Vec<Before>,
) -> Result<(), Error> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |e| Error::Io(p, e)
    };
    match a {
        Action::Packages(names) => {
            let missing: Vec<String> = names
                .iter()
                .filter(|n| !sys.package_installed(n))
                .cloned()
                .collect();
            sys.install_packages(&missing)
        }
        Action::User { name, home } => sys.add_system_user(name, home),
        Action::Dir { path, mode } => {
            let p = ctx.at(path);
            std::fs::create_dir_all(&p).map_err(io(&p))?;
            std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(*mode))
                .map_err(io(&p))
        }
        Action::File {
            path,
            content,
            mode,
            ..
        } => {
            let p = ctx.at(path);
            undo.push(match std::fs::read(&p) {
                Ok(old) => Before::Was(p.clone(), old),
                Err(_) => Before::Absent(p.clone()),
            });
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            cartable_core::files::unix::write_atomically_bytes(&p, content, *mode)
                .map(|_| ())
                .map_err(io(&p))
        }
        Action::Command { argv, input } => {
            sys.run(argv)?;
            let (marker, digest) = ctx.marker(step, argv, input);
            if let Some(d) = marker.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            std::fs::write(&marker, digest).map_err(io(&marker))
        }
        Action::Enable(unit) => sys.enable_start(unit),
        Action::Restart { unit, .. } => sys.restart(unit),
        Action::Line { path, line } => {
            let p = ctx.at(path);
            let old = match std::fs::read(&p) {
                Ok(old) => {
                    undo.push(Before::Was(p.clone(), old.clone()));
                    old
                }
                Err(_) => {
                    undo.push(Before::Absent(p.clone()));
                    Vec::new()
                }
            };
            let mut text = String::from_utf8_lossy(&old).into_owned();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(line);
            text.push('\n');
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            cartable_core::files::unix::write_atomically_bytes(&p, text.as_bytes(), 0o644)
                .map(|_| ())
                .map_err(io(&p))
        }
    }
}

/// What `install` did to one step.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Done {
    pub step: &'static str,
    pub changes: usize,
}

/// Runs the steps in order. `fail_at` (tests) makes that step fail after its first change.
pub fn install(
    ctx: &Ctx<'_>,
    sys: &mut dyn System,
    make: &dyn Fn() -> Result<Vec<Step>, Error>,
    fail_at: Option<&str>,
    mut progress: impl FnMut(&Step, usize, usize),
) -> Result<Vec<Done>, Error> {
    let mut out = Vec::new();
    let count = make()?.len();
    for i in 0..count {
        // Computed again before each step: a step may depend on what an earlier one wrote.
        let steps = make()?;
        let Some(step) = steps.get(i) else {
            break;
        };
        progress(step, i, count);
        let todo: Vec<&Action> = step
            .actions
            .iter()
            .filter(|a| pending(ctx, &*sys, step.id, a).is_some())
            .collect();
        let mut undo = Vec::new();
        let mut result = Ok(());
        for (n, a) in todo.iter().enumerate() {
            result = apply(ctx, sys, step.id, a, &mut undo);
            if result.is_ok() && n == 0 && fail_at == Some(step.id) {
                result = Err(Error::Interrupted(step.id.to_owned()));
            }
            if result.is_err() {
                break;
            }
        }
        if let Err(e) = result {
            // Put back what this step changed: the machine is as before the step.
            for b in undo.into_iter().rev() {
                match b {
                    Before::Absent(p) => {
                        let _ = std::fs::remove_file(p);
                    }
                    Before::Was(p, old) => {
                        let _ = std::fs::write(p, old);
                    }
                }
            }
            return Err(Error::Step(step.id.to_owned(), Box::new(e)));
        }
        out.push(Done {
            step: step.id,
            changes: todo.len(),
        });
    }
    Ok(out)
}

/// Whether every step is done (nothing pending): what `status` reports.
pub fn remaining(ctx: &Ctx<'_>, sys: &dyn System, steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .filter(|s| {
            s.actions
                .iter()
                .any(|a| pending(ctx, sys, s.id, a).is_some())
        })
        .map(|s| s.id)
        .collect()
}
