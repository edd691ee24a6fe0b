//! A small multipart form for modules (an import file and a few fields): the CSRF token must
//! come first, every part is capped, and nothing is written to disk.

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

/// Reads the whole form; a part over `max` bytes is refused with `too_big` (already in French).
pub async fn read(
    req: &HttpRequest,
    body: web::Payload,
    expected_csrf: &str,
    max: usize,
    too_big: &str,
) -> Result<BTreeMap<String, Part>, WebError> {
    let mut payload = Multipart::new(req.headers(), body);
    let mut out = BTreeMap::new();
    let mut csrf_ok = false;
    while let Some(mut field) = payload
        .try_next()
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
    {
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
            if bytes.len() + chunk.len() > max {
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
        out.insert(name, Part { file_name, bytes });
    }
    if !csrf_ok {
        return Err(WebError::Csrf);
    }
    Ok(out)
}
