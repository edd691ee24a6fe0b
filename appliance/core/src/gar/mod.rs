//! The nightly export to the GAR (Gestionnaire d'accès aux ressources): the five GAR-ENT flows
//! built from the annuaire already imported, packed as the GAR collects them (`tar.gz` and its
//! `md5`) into the folder the académie's transfer takes them from. A dry run says what changed
//! since the last export and writes nothing but its own record.

pub mod diff;
pub mod flows;
pub mod pack;

use std::path::{Path, PathBuf};

use crate::directory::{
    AccountState, AnyDirectory, DirectoryRead, Login, Person, PersonQuery, Profile,
};
use crate::store::{GarRun, Store};
use crate::{Error, Result};

pub use diff::{Change, Diff, Snapshot};
pub use flows::Flow;

/// Where and as whom the export is made.
#[derive(Debug, Clone)]
pub struct GarOptions {
    /// The folder the académie's transfer collects from.
    pub dest: PathBuf,
    /// The ENT's identifier at the GAR (the file names start with it).
    pub ent_id: String,
    /// The assignment managers, by login.
    pub managers: Vec<Login>,
    /// Where the last export's snapshot is kept.
    pub data_dir: PathBuf,
}

/// What an export did (or, dry, would do).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub diff: Diff,
    /// How many of each element, in the flows' order (`GAREleve`, `GARPersonMEF`…).
    pub sizes: Vec<(String, usize)>,
    /// What was left out, and why.
    pub warnings: Vec<String>,
    /// The archive written (a real run).
    pub archive: Option<PathBuf>,
}

fn snapshot_path(data_dir: &Path) -> PathBuf {
    data_dir.join("gar").join("dernier-export.json")
}

/// Every person of `profile` with an active account.
async fn everyone(dir: &AnyDirectory, profile: Profile) -> Result<Vec<Person>> {
    crate::directory::everyone(
        dir,
        PersonQuery {
            profile: Some(profile),
            ..PersonQuery::default()
        },
    )
    .await
}

async fn members(dir: &AnyDirectory, profiles: &[Profile]) -> Result<Vec<flows::Member>> {
    let mut out = Vec::new();
    for p in profiles {
        for person in everyone(dir, *p).await? {
            if person.jointure.is_none() {
                continue;
            }
            let relations = dir.relations(&person.login).await?;
            out.push(flows::Member { person, relations });
        }
    }
    Ok(out)
}

/// Builds the flows and compares them with the last export; unless `dry`, packs them into
/// `opts.dest` and keeps them as the new last export. Every run is recorded.
pub async fn export(
    store: &Store,
    directory: &AnyDirectory,
    opts: &GarOptions,
    now: time::OffsetDateTime,
    dry: bool,
) -> Result<Outcome> {
    let outcome = build_and_write(store, directory, opts, now, dry).await;
    let run = match &outcome {
        Ok(o) => GarRun {
            at: now.unix_timestamp(),
            dry,
            ok: true,
            summary: o.diff.summary(),
            archive: o.archive.as_ref().map(|p| p.display().to_string()),
        },
        Err(e) => GarRun {
            at: now.unix_timestamp(),
            dry,
            ok: false,
            summary: e.to_string(),
            archive: None,
        },
    };
    store.write(move |w| w.add_gar_run(&run)).await?;
    outcome
}

async fn build_and_write(
    store: &Store,
    directory: &AnyDirectory,
    opts: &GarOptions,
    now: time::OffsetDateTime,
    dry: bool,
) -> Result<Outcome> {
    let structure = directory.structure().await?.ok_or_else(|| Error::Invalid {
        field: "annuaire",
        reason: crate::messages::GAR_NO_STRUCTURE.to_owned(),
    })?;
    let pupils = members(directory, &[Profile::Eleve]).await?;
    let teachers = members(directory, &[Profile::Enseignant, Profile::Documentaliste]).await?;
    let classes = directory.classes().await?;
    let groups = directory.groups().await?;
    let mut managers = Vec::new();
    let mut unknown = Vec::new();
    for login in &opts.managers {
        match directory.person(login).await? {
            Some(p) if p.state == AccountState::Active => managers.push(p),
            _ => unknown.push(crate::messages::gar_manager_unknown(login.as_str())),
        }
    }
    let pedagogy = store.read(|r| r.pedagogy()).await?;
    let (flows, warnings) = flows::build(&flows::Input {
        uai: structure.uai.as_str(),
        name: &structure.name,
        pupils: &pupils,
        teachers: &teachers,
        classes: &classes,
        groups: &groups,
        pedagogy: &pedagogy,
        managers: &managers,
    });
    let mut warnings = warnings;
    warnings.extend(unknown);
    let snapshot = Snapshot::of(&flows);
    let mut sizes: Vec<(String, usize)> = Vec::new();
    for e in flows.iter().flat_map(|f| &f.entries) {
        match sizes.last_mut() {
            Some((name, n)) if name == e.element => *n += 1,
            _ => sizes.push((e.element.to_owned(), 1)),
        }
    }
    let opts = opts.clone();
    let stamp = format!(
        "{:04}{:02}{:02}_{:02}{:02}{:02}",
        now.year(),
        now.month() as u8,
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mtime = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let (diff, archive) = crate::error::blocking(move || {
        let path = snapshot_path(&opts.data_dir);
        let before: Option<Snapshot> = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let diff = Diff::between(before.as_ref(), &snapshot);
        if dry {
            return Ok((diff, None));
        }
        let base = format!("{}_GAR-ENT_Complet_{stamp}", opts.ent_id);
        let files: Vec<(String, String)> = flows
            .iter()
            .map(|f| (format!("{base}_2D_{}_0000.xml", f.name), f.document()))
            .collect();
        let archive = pack::pack(&opts.dest, &base, &files, mtime)?;
        // The new reference for the next dry run, once the archive is there.
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let json = serde_json::to_vec(&snapshot).unwrap_or_default();
        pack::write_synced(&path, &json)?;
        Ok((diff, Some(archive)))
    })
    .await?;
    Ok(Outcome {
        diff,
        sizes,
        warnings,
        archive,
    })
}
