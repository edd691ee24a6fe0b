//! A small multipart form for modules (an import file and a few fields): the CSRF token must
//! come first, every part is capped, so are their number and their total, and nothing is
//! written to disk.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, web};
use futures_util::TryStreamExt;

use crate::error::WebError;
use crate::session::csrf;

/// One part: its bytes and, for a file, the name the browser gave.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).trim().to_owned()
    }
}

/// Parts a module's form may have (its fields and a file or two).
pub const MAX_PARTS: usize = 64;
/// Bytes of all the parts but the largest together (the fields of a form).
const FIELDS_BYTES: usize = 256 * 1024;

/// Reads the whole form; a part over `max` bytes is refused with `too_big` (already in French),
/// as is a form of more than [`MAX_PARTS`] parts or more than `max` + 256 Ko in all.
pub async fn read(
    req: &HttpRequest,
    body: web::Payload,
    expected_csrf: &str,
    max: usize,
    too_big: &str,
) -> Result<BTreeMap<String, Part>, WebError> {
    let parts = read_list(req, body, expected_csrf, max, MAX_PARTS, too_big).await?;
    Ok(parts.into_iter().collect())
}

/// The same, keeping every part in order (a name may repeat: several recipients, several
/// files), with at most `max_parts` parts.
pub async fn read_list(
    req: &HttpRequest,
    body: web::Payload,
    expected_csrf: &str,
    max: usize,
    max_parts: usize,
    too_big: &str,
) -> Result<Vec<(String, Part)>, WebError> {
    let mut payload = Multipart::new(req.headers(), body);
    let mut out = Vec::new();
    let mut csrf_ok = false;
    let (mut parts, mut total) = (0usize, 0usize);
    while let Some(mut field) = payload
        .try_next()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
    {
        parts += 1;
        if parts > max_parts {
            return Err(WebError::BadRequest(format!("plus de {max_parts} parties")));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .try_next()
            .await
            .map_err(|e| WebError::BadRequest(e.to_string()))?
        {
            total += chunk.len();
            if bytes.len() + chunk.len() > max || total > max + FIELDS_BYTES {
                return Err(WebError::BadRequest(too_big.to_owned()));
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "csrf" {
            csrf::check(expected_csrf, String::from_utf8_lossy(&bytes).trim())?;
            csrf_ok = true;
            continue;
        }
        if !csrf_ok {
            return Err(WebError::Csrf);
        }
        out.push((name, Part { file_name, bytes }));
    }
    if !csrf_ok {
        return Err(WebError::Csrf);
    }
    Ok(out)
}

/// A field of a plain form read as pairs (where names repeat or are built, `note.<login>`):
/// its first value, or "".
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}
