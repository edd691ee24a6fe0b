//! Images from the author's files: one chosen in « Mes documents » is copied, by the SHA-256
//! of its bytes, beside the spaces (`<files root>/actualites/images/`, kept by backups, not
//! shared over SMB) and named in the text; served only to those who see an actualité that
//! names it.

use std::io::Read;
use std::path::PathBuf;

use actix_web::{HttpResponse, web};
use cartable_core::directory::Login;
use cartable_core::files::ops::{self, Space};
use cartable_core::files::{RelPath, Tree};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::state::AppState;
use sha2::Digest;

use crate::list::{context, now};
use crate::{ID, messages, store};

/// Where the text names them.
pub const PREFIX: &str = "/actualites/image/";
/// Largest image.
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The kinds of image kept, by the first bytes of the file, with their extension and type.
fn kind_of(head: &[u8]) -> Option<(&'static str, &'static str)> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(("jpg", "image/jpeg"))
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(("gif", "image/gif"))
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

fn dir(state: &AppState) -> PathBuf {
    state.config.files.root.join(ID).join("images")
}

fn is_image_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The images in one's space, at its root and one folder down (200 at most).
pub async fn own_images(state: &AppState, login: &Login) -> Vec<String> {
    let root = Tree::new(&state.config.files.root).perso(login);
    tokio::task::spawn_blocking(move || {
        let space = Space {
            root: &root,
            owner: None,
        };
        let mut out = Vec::new();
        let Ok(top) = ops::list(&space, &RelPath::default()) else {
            return out;
        };
        for e in top {
            if !e.is_dir {
                if is_image_name(&e.name) {
                    out.push(e.name.clone());
                }
            } else if let Ok(rel) = RelPath::parse(&e.name)
                && let Ok(inner) = ops::list(&space, &rel)
            {
                out.extend(
                    inner
                        .into_iter()
                        .filter(|f| !f.is_dir && is_image_name(&f.name))
                        .map(|f| format!("{}/{}", e.name, f.name)),
                );
            }
            if out.len() >= 200 {
                break;
            }
        }
        out
    })
    .await
    .unwrap_or_default()
}

/// Copies one of `login`'s images; returns the Markdown that shows it, or why not (French).
pub async fn copy(state: &AppState, login: &Login, rel: &str) -> Result<String, String> {
    let rel_path = RelPath::parse_visible(rel).map_err(|_| messages::BAD_IMAGE.to_owned())?;
    let caption: String = rel_path
        .components()
        .last()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default()
        .rsplit_once('.')
        .map_or_else(String::new, |(stem, _)| stem.replace(['[', ']'], " "));
    let root = Tree::new(&state.config.files.root).perso(login);
    let dir = dir(state);
    let name = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let from = ops::open_file(
            &Space {
                root: &root,
                owner: None,
            },
            &rel_path,
        )
        .map_err(|_| messages::BAD_IMAGE.to_owned())?;
        let mut bytes = Vec::new();
        from.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| messages::BAD_IMAGE.to_owned())?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(messages::IMAGE_TOO_BIG.to_owned());
        }
        let (ext, _) = kind_of(&bytes).ok_or(messages::NOT_AN_IMAGE)?;
        let hash = sha2::Sha256::digest(&bytes);
        let name = format!(
            "{}.{ext}",
            hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let to = dir.join(&name);
        if !to.exists() {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let tmp = dir.join(format!(".{name}.tmp"));
            std::fs::write(&tmp, &bytes).map_err(|e| e.to_string())?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, &to).map_err(|e| e.to_string())?;
        }
        Ok(name)
    })
    .await
    .map_err(|e| e.to_string())??;
    Ok(format!("![{}]({PREFIX}{name})", caption.trim()))
}

/// `GET /actualites/image/{name}`: to whoever sees an actualité whose text names it.
pub async fn serve(
    m: InModule,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let name = name.into_inner();
    let valid = name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == '.' || c.is_ascii_lowercase())
        && !name.starts_with('.');
    if !valid {
        return Err(WebError::NotFound);
    }
    let cx = context(&state, &m.me.person).await?;
    let now = now(&state);
    let needle = format!("{PREFIX}{name})");
    let items = state.store.read(move |r| store::naming(r, &needle)).await?;
    if !items.iter().any(|it| cx.viewer.sees(it, now)) {
        return Err(WebError::NotFound);
    }
    let path = dir(&state).join(&name);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|_| WebError::NotFound)?
        .map_err(|_| WebError::NotFound)?;
    let (_, mime) = kind_of(&bytes).ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(bytes))
}
