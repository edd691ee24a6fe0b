//! The flows packed as the GAR collects them: one `.tar.gz` of the XML files and a `.md5`
//! holding its checksum, both written under a temporary name, synced, then renamed, so the
//! académie's transfer never picks up half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use crate::{Error, Result};

pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("part");
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Writes `<dest>/<base>.tar.gz` holding `files` (name, content) and `<dest>/<base>.md5`;
/// the archive's path.
pub fn pack(dest: &Path, base: &str, files: &[(String, String)], mtime: u64) -> Result<PathBuf> {
    std::fs::create_dir_all(dest).map_err(|e| Error::io(dest, e))?;
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (name, content) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, content.as_bytes())
            .map_err(|e| Error::io(dest.join(name), e))?;
    }
    let bytes = tar
        .into_inner()
        .and_then(|gz| gz.finish())
        .map_err(|e| Error::io(dest, e))?;
    let archive = dest.join(format!("{base}.tar.gz"));
    write_synced(&archive, &bytes)?;
    let sum = Md5::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    write_synced(&dest.join(format!("{base}.md5")), sum.as_bytes())?;
    if let Ok(d) = std::fs::File::open(dest) {
        let _ = d.sync_all();
    }
    Ok(archive)
}
