//! What goes when: departed people, the corbeille, old messages; the data export.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};

use super::{MESSAGE_COLUMNS, drop_orphans, message_of};
use crate::model::Message;

/// Everyone who holds a message.
pub fn owners(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT DISTINCT owner FROM msg_boxes")
        .map_err(err("read owners"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read owners"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read owners"))
}

/// Removes a departed person's messagerie (his copies and folders).
pub fn forget(w: &WriteTxn<'_>, owner: &str) -> Result<usize> {
    let c = w.sql_mut();
    let n = c
        .execute("DELETE FROM msg_boxes WHERE owner = ?1", [owner])
        .map_err(err("forget"))?;
    c.execute("DELETE FROM msg_folders WHERE owner = ?1", [owner])
        .map_err(err("forget"))?;
    drop_orphans(w)?;
    Ok(n)
}

/// The corbeille emptied of what was put there before `trash_before`; copies older than
/// `before` deleted; handled reports older than `before` closed for good.
pub fn expire(w: &WriteTxn<'_>, trash_before: i64, before: i64) -> Result<usize> {
    let c = w.sql_mut();
    let mut n = c
        .execute(
            "DELETE FROM msg_boxes WHERE place = 'corbeille' AND at < ?1",
            [trash_before],
        )
        .map_err(err("expire"))?;
    n += c
        .execute(
            "DELETE FROM msg_boxes WHERE message IN
               (SELECT id FROM msg_messages WHERE COALESCE(sent_at, created_at) < ?1)",
            [before],
        )
        .map_err(err("expire"))?;
    c.execute(
        "DELETE FROM msg_reports WHERE handled_at IS NOT NULL AND handled_at < ?1",
        [before],
    )
    .map_err(err("expire"))?;
    c.execute("DELETE FROM msg_alerts WHERE at < ?1", [before])
        .map_err(err("expire"))?;
    drop_orphans(w)?;
    Ok(n)
}

/// Every hash of the pieces kept (the purge removes the other files).
pub fn hashes(r: &ReadTxn<'_>) -> Result<std::collections::HashSet<String>> {
    let mut st = r
        .sql()
        .prepare_cached("SELECT DISTINCT hash FROM msg_pieces")
        .map_err(err("read pieces"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read pieces"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read pieces"))
}

/// What a person holds, for his data export: (folder, message) newest first.
pub fn everything_of(r: &ReadTxn<'_>, owner: &str) -> Result<Vec<(String, Message)>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS}, b.place FROM msg_boxes b JOIN msg_messages m ON m.id = b.message
             WHERE b.owner = ?1 ORDER BY b.at DESC"
        ))
        .map_err(err("export"))?;
    st.query_map([owner], |row| Ok((row.get(13)?, message_of(row)?)))
        .map_err(err("export"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("export"))
}
