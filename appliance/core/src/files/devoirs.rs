//! Devoirs: a teacher hands files out to a class or group, each pupil getting a copy in
//! `perso/<élève>/devoirs/<enseignant>/<devoir>`; an exam is prepared out of the pupils' sight
//! (in the service's `devoirs/` folder) and released in one move; "ramasser" copies each
//! pupil's folder to `perso/<enseignant>/devoirs/ramasses/<devoir>/<élève>` and says who handed
//! something in; "restituer" puts what the teacher left there (the corrected copies) back in
//! each pupil's folder, under `corrige`. Everything is a file in the spaces, so it is the same
//! over SMB.

use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::SafeName;
use super::copy::{changed_since, copy_into, ensure_dir_at};
use super::path::{RelPath, Want, open_beneath};
use super::tree::Tree;
use crate::config::FilesConfig;
use crate::directory::{
    AccountState, ClassCode, DirectoryRead, GroupCode, Login, Person, PersonQuery, Profile,
};
use crate::error::blocking;
use crate::store::{Devoir, DevoirStep, Store};
use crate::{Error, Result};

/// Who a devoir is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Classe(ClassCode),
    Groupe(GroupCode),
}

impl Audience {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Classe(_) => "classe",
            Self::Groupe(_) => "groupe",
        }
    }
    pub fn code(&self) -> &str {
        match self {
            Self::Classe(c) => c.as_str(),
            Self::Groupe(g) => g.as_str(),
        }
    }
    pub fn of(d: &Devoir) -> Option<Self> {
        match d.audience_kind.as_str() {
            "classe" => ClassCode::parse(&d.audience).ok().map(Self::Classe),
            "groupe" => GroupCode::parse(&d.audience).ok().map(Self::Groupe),
            _ => None,
        }
    }
}

/// Status of a pupil's copy.
pub const PREPARED: &str = "prepare";
pub const HANDED_OUT: &str = "distribue";
pub const HANDED_IN: &str = "rendu";
pub const NOT_HANDED_IN: &str = "pas-rendu";
pub const RETURNED: &str = "restitue";

/// Folder of the corrected copies in a pupil's devoir.
const CORRECTED: &str = "corrige";
/// What a teacher hands out.
pub struct Handout<'a> {
    /// As typed; the pupils' folder is named after it.
    pub title: &'a str,
    pub audience: Audience,
    pub files: Vec<RelPath>,
    /// Hidden from the pupils until released.
    pub exam: bool,
    pub due_on: Option<time::Date>,
}

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;

/// Folder of collected copies in the teacher's `devoirs/`.
/// The teacher's folder of collected copies, under his `devoirs/`.
pub const COLLECTED: &str = "ramasses";

/// A person as a folder name: "NOM Prénom", the login if that is not a safe name.
fn folder_of(p: &Person) -> SafeName {
    SafeName::parse(&format!("{} {}", p.family_name, p.given_name))
        .or_else(|_| SafeName::parse(p.login.as_str()))
        .unwrap_or_else(|_| SafeName::parse("eleve").unwrap_or_else(|_| unreachable!()))
}

/// A pupil's folder among the collected copies: name and login, so homonyms never mix.
fn collected_folder(p: &Person) -> SafeName {
    SafeName::parse(&format!("{} {} ({})", p.family_name, p.given_name, p.login))
        .unwrap_or_else(|_| folder_of(p))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

fn dir_fd(path: &Path) -> std::io::Result<OwnedFd> {
    open_beneath(path, &RelPath::default(), Want::Dir)
}

/// Opens (creating as needed, owned by `owner`) `rel` beneath `root`.
fn ensure_path(root: &Path, rel: &[&str], owner: Option<u32>) -> std::io::Result<OwnedFd> {
    let mut fd = dir_fd(root)?;
    for c in rel {
        fd = ensure_dir_at(&fd, c, owner)?;
    }
    Ok(fd)
}

/// The unix owner of a person's space (none when the service owns everything).
fn owner_of(tree: &Tree, login: &Login) -> Option<u32> {
    let uid = std::fs::metadata(tree.perso(login)).ok()?.uid();
    (uid != std::fs::metadata(tree.root()).ok()?.uid()).then_some(uid)
}

/// The devoirs service.
pub struct Devoirs<'a, D> {
    pub store: &'a Store,
    pub directory: &'a D,
    pub config: &'a FilesConfig,
}

/// What a step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub pupils: usize,
    pub handed_in: usize,
}

impl<D: DirectoryRead> Devoirs<'_, D> {
    fn tree(&self) -> Tree {
        Tree::new(self.config.root.clone())
    }

    /// Active pupils of the audience.
    pub async fn pupils(&self, audience: &Audience) -> Result<Vec<Person>> {
        let mut q = PersonQuery {
            profile: Some(Profile::Eleve),
            state: Some(AccountState::Active),
            per_page: PersonQuery::MAX_PAGE,
            ..PersonQuery::default()
        };
        match audience {
            Audience::Classe(c) => q.class = Some(c.clone()),
            Audience::Groupe(g) => q.group = Some(g.clone()),
        }
        Ok(self.directory.search(&q).await?.people)
    }

    /// Hands the files (paths in the teacher's own space) out to the audience; an exam stays
    /// hidden until [`Devoirs::release`].
    pub async fn distribute(
        &self,
        teacher: &Person,
        handout: Handout<'_>,
        now: i64,
    ) -> Result<(Devoir, Outcome)> {
        let Handout {
            title,
            audience,
            files,
            exam,
            due_on,
        } = handout;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > TITLE_MAX {
            return Err(Error::Invalid {
                field: "titre",
                reason: format!("un titre de 1 à {TITLE_MAX} caractères est attendu"),
            });
        }
        // The pupils' folder is named after the title, with what Windows cannot show replaced.
        let name = SafeName::from_title(title, "Devoir");
        if files.is_empty() {
            return Err(Error::Invalid {
                field: "fichiers",
                reason: "choisissez au moins un fichier".to_owned(),
            });
        }
        let t = teacher.login.to_string();
        let taken: Vec<String> = self
            .store
            .read(move |r| r.devoirs_of(&t))
            .await?
            .into_iter()
            .map(|d| d.reference)
            .collect();
        let mut reference = name.as_str().to_owned();
        let mut n = 2;
        while taken.contains(&reference) {
            reference = format!("{} ({n})", name.as_str());
            n += 1;
        }
        // Every file must be there before anything is recorded or copied.
        let perso = self.tree().perso(&teacher.login);
        let check = (perso.clone(), files.clone());
        blocking(move || {
            let (perso, files) = check;
            for f in &files {
                open_beneath(&perso, f, Want::File).map_err(|_| Error::Invalid {
                    field: "fichiers",
                    reason: format!("« {} » n'est pas dans « Mes documents »", f.as_string()),
                })?;
            }
            Ok(())
        })
        .await?;
        let pupils = self.pupils(&audience).await?;
        let mut devoir = Devoir {
            id: 0,
            teacher: teacher.login.to_string(),
            reference,
            title: title.to_owned(),
            audience_kind: audience.kind().to_owned(),
            audience: audience.code().to_owned(),
            created_at: now,
            released_at: (!exam).then_some(now),
            collected_at: None,
            returned_at: None,
            files: files.iter().map(RelPath::as_string).collect(),
            due_on: due_on.map(crate::dates::iso),
        };
        let d = devoir.clone();
        devoir.id = self.store.write(move |w| w.insert_devoir(&d)).await?;

        let tree = self.tree();
        let (teacher_login, teacher_folder) = (teacher.login.clone(), folder_of(teacher));
        let id = devoir.id;
        let reference = devoir.reference.clone();
        let logins: Vec<Login> = pupils.iter().map(|p| p.login.clone()).collect();
        let staged = tree.devoirs().join(id.to_string());
        let copied = blocking(move || {
            // The files as handed out, kept by the service: what every pupil receives.
            let staging = tree.devoirs().join(id.to_string());
            let source = staging.join("source");
            std::fs::create_dir_all(&source).map_err(io(&source))?;
            let source_fd = dir_fd(&source).map_err(io(&source))?;
            let perso = tree.perso(&teacher_login);
            for f in &files {
                let src =
                    open_beneath(&perso, f, Want::File).map_err(io(&perso.join(f.as_string())))?;
                let name = f
                    .components()
                    .last()
                    .cloned()
                    .ok_or_else(|| Error::Invalid {
                        field: "fichiers",
                        reason: "chemin vide".to_owned(),
                    })?;
                let target = super::ops::free_name(&source_fd, &name).map_err(io(&source))?;
                let mut out =
                    std::fs::File::create(source.join(target.as_str())).map_err(io(&source))?;
                std::io::copy(&mut std::fs::File::from(src), &mut out).map_err(io(&source))?;
            }
            let mut done = Vec::new();
            for login in &logins {
                let owner = owner_of(&tree, login);
                let target = if exam {
                    ensure_path(&staging, &[login.as_str()], owner)
                } else {
                    ensure_path(
                        &tree.perso(login),
                        &["devoirs", teacher_folder.as_str(), &reference],
                        owner,
                    )
                };
                match target.and_then(|t| copy_into(&source_fd, &t, owner)) {
                    Ok(_) => done.push(login.clone()),
                    Err(e) => tracing::warn!(%login, "devoir {id} : {e}"),
                }
            }
            Ok(done)
        })
        .await;
        let copied = match copied {
            Ok(c) => c,
            Err(e) => {
                // Nothing half-distributed is left recorded.
                let _ = blocking(move || Ok(std::fs::remove_dir_all(&staged))).await;
                self.store.write(move |w| w.delete_devoir(id)).await?;
                return Err(e);
            }
        };
        let status = if exam { PREPARED } else { HANDED_OUT };
        let n = copied.len();
        self.store
            .write(move |w| {
                for l in &copied {
                    w.set_devoir_copy(id, l.as_str(), status)?;
                }
                Ok(())
            })
            .await?;
        Ok((
            devoir,
            Outcome {
                pupils: n,
                handed_in: 0,
            },
        ))
    }

    async fn people(&self, d: &Devoir) -> Result<Vec<Person>> {
        let logins: Vec<String> = {
            let id = d.id;
            self.store
                .read(move |r| r.devoir_copies(id))
                .await?
                .into_iter()
                .map(|(l, _)| l)
                .collect()
        };
        let mut out = Vec::new();
        for l in logins {
            if let Ok(login) = Login::parse(&l)
                && let Some(p) = self.directory.person(&login).await?
            {
                out.push(p);
            }
        }
        Ok(out)
    }

    async fn teacher(&self, d: &Devoir) -> Result<Person> {
        let login = Login::parse(&d.teacher)?;
        self.directory
            .person(&login)
            .await?
            .ok_or_else(|| Error::NotFound(d.teacher.clone()))
    }

    /// Makes an exam visible to its pupils, all at once.
    pub async fn release(&self, d: &Devoir, now: i64) -> Result<Outcome> {
        if d.released_at.is_some() {
            return Ok(Outcome::default());
        }
        let teacher = self.teacher(d).await?;
        let pupils = self.people(d).await?;
        let tree = self.tree();
        let (id, reference, teacher_folder) = (d.id, d.reference.clone(), folder_of(&teacher));
        let logins: Vec<Login> = pupils.iter().map(|p| p.login.clone()).collect();
        let moved = blocking(move || {
            let staging = tree.devoirs().join(id.to_string());
            let mut done = Vec::new();
            for login in &logins {
                let owner = owner_of(&tree, login);
                let from = staging.join(login.as_str());
                let to = ensure_path(&tree.perso(login), &["devoirs", teacher_folder.as_str()], owner)
                    .and_then(|fd| {
                        let staged = dir_fd(&staging)?;
                        rustix::fs::renameat_with(
                            &staged,
                            login.as_str(),
                            &fd,
                            reference.as_str(),
                            rustix::fs::RenameFlags::NOREPLACE,
                        )?;
                        rustix::fs::fsync(&fd)?;
                        Ok(())
                    });
                match to {
                    Ok(()) => done.push(login.clone()),
                    Err(e) => tracing::warn!(%login, "ouverture du devoir {id} ({}) : {e}", from.display()),
                }
            }
            Ok(done)
        })
        .await?;
        let n = moved.len();
        self.store
            .write(move |w| {
                for l in &moved {
                    w.set_devoir_copy(id, l.as_str(), HANDED_OUT)?;
                }
                w.devoir_step(id, DevoirStep::Released, now)
            })
            .await?;
        Ok(Outcome {
            pupils: n,
            handed_in: 0,
        })
    }

    /// Copies each pupil's folder to the teacher's `devoirs/ramasses/<devoir>/`.
    pub async fn collect(&self, d: &Devoir, now: i64) -> Result<Outcome> {
        let teacher = self.teacher(d).await?;
        let pupils = self.people(d).await?;
        let tree = self.tree();
        let (id, reference, teacher_folder) = (d.id, d.reference.clone(), folder_of(&teacher));
        let since = d.released_at.unwrap_or(d.created_at);
        let files = d
            .files
            .iter()
            .filter_map(|f| f.rsplit('/').next().map(str::to_owned))
            .collect::<Vec<_>>();
        let teacher_login = teacher.login.clone();
        let people: Vec<(Login, SafeName)> = pupils
            .iter()
            .map(|p| (p.login.clone(), collected_folder(p)))
            .collect();
        let statuses = blocking(move || {
            let owner = owner_of(&tree, &teacher_login);
            let dest = ensure_path(
                &tree.perso(&teacher_login),
                &["devoirs", COLLECTED, &reference],
                owner,
            )
            .map_err(io(&tree.perso(&teacher_login)))?;
            let mut out = Vec::new();
            for (login, folder) in &people {
                let rel =
                    RelPath::parse(&format!("devoirs/{}/{reference}", teacher_folder.as_str()))
                        .map_err(|e| Error::Invalid {
                            field: "devoir",
                            reason: e.to_string(),
                        })?;
                let copied = open_beneath(&tree.perso(login), &rel, Want::Dir).and_then(|src| {
                    let handed_in = changed_since(&src, since, &files);
                    let to = ensure_dir_at(&dest, folder.as_str(), owner)?;
                    copy_into(&src, &to, owner)?;
                    Ok(handed_in)
                });
                match copied {
                    Ok(h) => out.push((login.clone(), if h { HANDED_IN } else { NOT_HANDED_IN })),
                    Err(e) => {
                        tracing::info!(%login, "devoir {id} : rien à ramasser ({e})");
                        out.push((login.clone(), NOT_HANDED_IN));
                    }
                }
            }
            Ok(out)
        })
        .await?;
        let handed_in = statuses.iter().filter(|(_, s)| *s == HANDED_IN).count();
        let n = statuses.len();
        self.store
            .write(move |w| {
                for (l, s) in &statuses {
                    w.set_devoir_copy(id, l.as_str(), s)?;
                }
                w.devoir_step(id, DevoirStep::Collected, now)
            })
            .await?;
        Ok(Outcome {
            pupils: n,
            handed_in,
        })
    }

    /// Puts what the teacher left in each pupil's collected folder back into the pupil's
    /// devoir, under `corrige`.
    pub async fn give_back(&self, d: &Devoir, now: i64) -> Result<Outcome> {
        let teacher = self.teacher(d).await?;
        let pupils = self.people(d).await?;
        let tree = self.tree();
        let (id, reference, teacher_folder) = (d.id, d.reference.clone(), folder_of(&teacher));
        let teacher_login = teacher.login.clone();
        let people: Vec<(Login, SafeName)> = pupils
            .iter()
            .map(|p| (p.login.clone(), collected_folder(p)))
            .collect();
        let returned = blocking(move || {
            let mut out = Vec::new();
            for (login, folder) in &people {
                let owner = owner_of(&tree, login);
                let rel = RelPath::parse(&format!(
                    "devoirs/{COLLECTED}/{reference}/{}",
                    folder.as_str()
                ))
                .map_err(|e| Error::Invalid {
                    field: "devoir",
                    reason: e.to_string(),
                })?;
                let done =
                    open_beneath(&tree.perso(&teacher_login), &rel, Want::Dir).and_then(|src| {
                        let to = ensure_path(
                            &tree.perso(login),
                            &["devoirs", teacher_folder.as_str(), &reference, CORRECTED],
                            owner,
                        )?;
                        copy_into(&src, &to, owner)
                    });
                match done {
                    Ok(_) => out.push(login.clone()),
                    Err(e) => tracing::info!(%login, "devoir {id} : rien à restituer ({e})"),
                }
            }
            Ok(out)
        })
        .await?;
        let n = returned.len();
        self.store
            .write(move |w| {
                for l in &returned {
                    w.set_devoir_copy(id, l.as_str(), RETURNED)?;
                }
                w.devoir_step(id, DevoirStep::Returned, now)
            })
            .await?;
        Ok(Outcome {
            pupils: n,
            handed_in: 0,
        })
    }
}

/// The teacher's folder of collected copies of a devoir, inside his own space.
pub fn collected_path(reference: &str) -> String {
    format!("devoirs/{COLLECTED}/{reference}")
}

/// Where a pupil finds a devoir in his own space.
pub fn pupil_path(teacher: &Person, reference: &str) -> PathBuf {
    PathBuf::from("devoirs")
        .join(folder_of(teacher).as_str())
        .join(reference)
}
