//! Keeping the tree in step with the directory: read who is there (async, through the
//! directory), then lay out folders, owners and ACLs and write the NSS files (blocking, off the
//! executor). Run at start, after each import, and periodically.

use super::tree::{self, Roster, SyncReport, Tree};
use super::unix;
use crate::config::FilesConfig;
use crate::directory::{DirectoryRead, PersonQuery};
use crate::{Error, Result};

/// Reads the roster from the directory.
pub async fn roster(dir: &impl DirectoryRead) -> Result<Roster> {
    let mut people = Vec::new();
    let mut query = PersonQuery {
        per_page: PersonQuery::MAX_PAGE,
        ..PersonQuery::default()
    };
    loop {
        let page = dir.search(&query).await?;
        let n = page.people.len();
        people.extend(page.people.into_iter().map(|p| (p.login, p.profile)));
        if n < query.page_size() || people.len() >= page.total {
            break;
        }
        query.page += 1;
    }
    Ok(Roster {
        people,
        classes: dir.classes().await?.into_iter().map(|c| c.code).collect(),
        groups: dir.groups().await?,
        posix: dir.posix().await?,
    })
}

/// Brings the tree and the NSS files in line with the directory.
pub async fn keep_in_step(dir: &impl DirectoryRead, config: &FilesConfig) -> Result<SyncReport> {
    let roster = roster(dir).await?;
    let tree = Tree::new(config.root.clone());
    let nss_dir = config.nss_dir.clone();
    crate::error::blocking(move || {
        if let Some(nss) = nss_dir.filter(|_| !roster.posix.accounts.is_empty()) {
            std::fs::create_dir_all(&nss).map_err(|e| Error::io(&nss, e))?;
            let passwd = unix::passwd(&roster.posix, &tree.perso_root());
            let group = unix::group(&roster.posix);
            for (name, text) in [("passwd", passwd), ("group", group)] {
                let path = nss.join(name);
                unix::write_atomically(&path, &text, 0o644).map_err(|e| Error::io(&path, e))?;
            }
        }
        tree::sync(&tree, &roster).map_err(|e| Error::io(tree.root(), e))
    })
    .await
}
