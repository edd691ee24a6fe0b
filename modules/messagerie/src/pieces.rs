//! Attachments' bytes: in the file tree under `messagerie/`, named by their SHA-256 (a
//! forwarded piece is not copied again), written and synced before the message that names
//! them is committed; the purge removes the bytes no piece names any more.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use cartable_core::directory::Login;
use cartable_core::error::blocking;
use cartable_core::files::{RelPath, SafeName, Tree, ops};
use cartable_web::state::AppState;
use sha2::{Digest, Sha256};

/// Bytes of attachments one message may carry.
pub const MAX_MESSAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Bytes of attachments a person's messagerie may hold (what he sent and received).
pub const MAX_HELD_BYTES: i64 = 200 * 1024 * 1024;
/// Attachments of one message.
pub const MAX_PIECES: usize = 10;

pub fn root(state: &AppState) -> PathBuf {
    state.config.files.root.join(crate::ID)
}

fn path_of(root: &Path, hash: &str) -> PathBuf {
    root.join(&hash[..2]).join(hash)
}

/// A name fit to show and to download under (what Windows cannot show replaced).
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    SafeName::from_title(base, "piece-jointe")
        .as_str()
        .to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keeps bytes; returns their hash.
pub async fn keep(state: &AppState, bytes: Vec<u8>) -> Result<String, String> {
    let root = root(state);
    blocking(move || Ok(write_synced(&root, &bytes)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

fn write_synced(root: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let hash = hex(&Sha256::digest(bytes));
    let path = path_of(root, &hash);
    if path.exists() {
        return Ok(hash);
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{hash}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(hash)
}

/// Takes one of the person's own files (« Mes documents ») as an attachment: its name, size
/// and hash.
pub async fn from_files(
    state: &AppState,
    login: &Login,
    rel: &str,
) -> Result<(String, u64, String), String> {
    let rel_path = RelPath::parse_visible(rel).map_err(|e| e.to_string())?;
    let name = rel_path
        .components()
        .last()
        .map(|n| n.as_str().to_owned())
        .ok_or("nom vide")?;
    let perso = Tree::new(&state.config.files.root).perso(login);
    let root = root(state);
    blocking(move || {
        let from = ops::open_file(
            &ops::Space {
                root: &perso,
                owner: None,
            },
            &rel_path,
        );
        Ok(from.map_err(|e| e.to_string()).and_then(|f| {
            let mut bytes = Vec::new();
            f.take(MAX_MESSAGE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())?;
            if bytes.len() as u64 > MAX_MESSAGE_BYTES {
                return Err(crate::messages::PIECE_TOO_BIG.to_owned());
            }
            let size = bytes.len() as u64;
            let hash = write_synced(&root, &bytes).map_err(|e| e.to_string())?;
            Ok((name, size, hash))
        }))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The bytes of a piece.
pub async fn read(state: &AppState, hash: String) -> Result<Vec<u8>, String> {
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("pièce inconnue".to_owned());
    }
    let root = root(state);
    blocking(move || Ok(std::fs::read(path_of(&root, &hash))))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Removes the bytes no piece names (older than an hour: a message being written may not be
/// committed yet); returns how many files went.
pub async fn sweep(state: &AppState, keep: HashSet<String>) -> Result<usize, String> {
    let root = root(state);
    let now = state.clock.now().unix_timestamp();
    blocking(move || Ok(sweep_dir(&root, &keep, now)))
        .await
        .map_err(|e| e.to_string())
}

fn sweep_dir(root: &Path, keep: &HashSet<String>, now: i64) -> usize {
    let Ok(dirs) = std::fs::read_dir(root) else {
        return 0;
    };
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs((now - 3600).max(0) as u64);
    let mut n = 0;
    for d in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(d.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let stale = f
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < old);
            if stale && !keep.contains(&name) && std::fs::remove_file(f.path()).is_ok() {
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_kept_once_and_swept_when_unnamed() -> std::io::Result<()> {
        let tmp = std::env::temp_dir().join(format!("msg-pieces-{}", std::process::id()));
        let h1 = write_synced(&tmp, b"bonjour")?;
        let h2 = write_synced(&tmp, b"bonjour")?;
        assert_eq!(h1, h2);
        assert_eq!(std::fs::read(path_of(&tmp, &h1))?, b"bonjour");
        // Fresh files are kept even when unnamed (a send in progress).
        // The file's own time stands for « now ».
        let now = std::fs::metadata(path_of(&tmp, &h1))?
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        assert_eq!(sweep_dir(&tmp, &HashSet::new(), now), 0);
        // An hour later they go, unless named.
        assert_eq!(sweep_dir(&tmp, &HashSet::from([h1.clone()]), now + 7200), 0);
        assert_eq!(sweep_dir(&tmp, &HashSet::new(), now + 7200), 1);
        std::fs::remove_dir_all(&tmp)?;
        Ok(())
    }

    #[test]
    fn names_lose_their_folders_and_what_windows_cannot_show() {
        assert_eq!(clean_name("C:\\Users\\x\\devoir.pdf"), "devoir.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert!(!clean_name("a:b?.txt").contains([':', '?']));
    }
}
