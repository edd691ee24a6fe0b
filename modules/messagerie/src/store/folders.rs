//! A person's own folders.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::params;

use super::folder_exists_in;
use crate::model::Folder;

pub fn folders(r: &ReadTxn<'_>, owner: &str) -> Result<Vec<(i64, String)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT id, name FROM msg_folders WHERE owner = ?1 ORDER BY name COLLATE fr, id",
        )
        .map_err(err("read folders"))?;
    st.query_map([owner], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(err("read folders"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read folders"))
}

/// A new folder; None when he already has one of that name.
pub fn add_folder(w: &WriteTxn<'_>, owner: &str, name: &str) -> Result<Option<i64>> {
    let n = w
        .sql_mut()
        .execute(
            "INSERT OR IGNORE INTO msg_folders(owner, name) VALUES (?1, ?2)",
            params![owner, name],
        )
        .map_err(err("write folder"))?;
    Ok((n == 1).then(|| w.sql_mut().last_insert_rowid()))
}

/// Deletes a folder; its messages go back to the reception (or envoyés).
pub fn delete_folder(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    let c = w.sql_mut();
    let place = Folder::Own(id).code();
    c.execute(
        "UPDATE msg_boxes SET place = CASE WHEN role = 'de' THEN 'envoyes' ELSE 'reception' END
         WHERE owner = ?1 AND place = ?2",
        params![owner, place],
    )
    .map_err(err("delete folder"))?;
    let n = c
        .execute(
            "DELETE FROM msg_folders WHERE owner = ?1 AND id = ?2",
            params![owner, id],
        )
        .map_err(err("delete folder"))?;
    Ok(n == 1)
}

pub fn folder_exists(r: &ReadTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    folder_exists_in(r.sql(), owner, id)
}

pub fn folder_exists_w(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    folder_exists_in(w.sql_mut(), owner, id)
}

pub fn folder_count(w: &WriteTxn<'_>, owner: &str) -> Result<usize> {
    w.sql_mut()
        .query_row(
            "SELECT COUNT(*) FROM msg_folders WHERE owner = ?1",
            [owner],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n as usize)
        .map_err(err("read folders"))
}
