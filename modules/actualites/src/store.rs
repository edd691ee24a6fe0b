//! The module's tables (`actu_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::{Audience, Channel, ChannelRole, Item, Kind, Status};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

const ITEM_COLUMNS: &str = "id, channel_id, kind, title, body, from_at, until_at, pinned, headline,
     important, status, refusal, author, publisher, created_at";

fn item_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: row.get(0)?,
        channel: row.get(1)?,
        kind: Kind::parse(&row.get::<_, String>(2)?).unwrap_or(Kind::News),
        title: row.get(3)?,
        body: row.get(4)?,
        audiences: Vec::new(),
        from: row.get(5)?,
        until: row.get(6)?,
        pinned: row.get(7)?,
        headline: row.get(8)?,
        important: row.get(9)?,
        status: Status::parse(&row.get::<_, String>(10)?).unwrap_or(Status::Pending),
        refusal: row.get(11)?,
        author: row.get(12)?,
        publisher: row.get(13)?,
        created: row.get(14)?,
    })
}

fn with_audiences(r: &ReadTxn<'_>, mut items: Vec<Item>) -> Result<Vec<Item>> {
    let c = r.sql();
    let mut st = c
        .prepare("SELECT audience FROM actu_audiences WHERE item_id = ?1 ORDER BY audience")
        .map_err(err("read audiences"))?;
    for it in &mut items {
        it.audiences = st
            .query_map([it.id], |row| row.get::<_, String>(0))
            .map_err(err("read audiences"))?
            .filter_map(|a| a.ok())
            .filter_map(|a| Audience::parse(&a))
            .collect();
    }
    Ok(items)
}

/// Every item not refused whose window has not closed before `since`, newest first; the
/// caller keeps what the viewer sees. Bounded: an établissement publishes a few a week.
pub fn recent(r: &ReadTxn<'_>, since: i64, limit: usize) -> Result<Vec<Item>> {
    let items = {
        let mut st = r
            .sql()
            .prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM actu_items
                 WHERE until_at IS NULL OR until_at > ?1
                 ORDER BY from_at DESC, id DESC LIMIT ?2"
            ))
            .map_err(err("read items"))?;
        st.query_map(
            rusqlite::params![since, i64::try_from(limit).unwrap_or(i64::MAX)],
            item_of,
        )
        .map_err(err("read items"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read items"))?
    };
    with_audiences(r, items)
}

pub fn one(r: &ReadTxn<'_>, id: i64) -> Result<Option<Item>> {
    let item = r
        .sql()
        .query_row(
            &format!("SELECT {ITEM_COLUMNS} FROM actu_items WHERE id = ?1"),
            [id],
            item_of,
        )
        .optional()
        .map_err(err("read item"))?;
    Ok(with_audiences(r, item.into_iter().collect())?.pop())
}

fn write_audiences(w: &WriteTxn<'_>, id: i64, audiences: &[Audience]) -> Result<()> {
    let c = w.sql_mut();
    c.execute("DELETE FROM actu_audiences WHERE item_id = ?1", [id])
        .map_err(err("write audiences"))?;
    for a in audiences {
        c.execute(
            "INSERT OR IGNORE INTO actu_audiences(item_id, audience) VALUES (?1, ?2)",
            rusqlite::params![id, a.key()],
        )
        .map_err(err("write audiences"))?;
    }
    Ok(())
}

/// Saves a new item (`it.id` 0) or an edited one; returns its id. An edited item is told
/// again to its audience only if it was not yet.
pub fn save(w: &WriteTxn<'_>, it: &Item) -> Result<i64> {
    let c = w.sql_mut();
    let id = if it.id == 0 {
        c.execute(
            "INSERT INTO actu_items(channel_id, kind, title, body, from_at, until_at, pinned,
                 headline, important, status, refusal, author, publisher, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            rusqlite::params![
                it.channel,
                it.kind.as_str(),
                it.title,
                it.body,
                it.from,
                it.until,
                it.pinned,
                it.headline,
                it.important,
                it.status.as_str(),
                it.refusal,
                it.author,
                it.publisher,
                it.created
            ],
        )
        .map_err(err("add item"))?;
        c.last_insert_rowid()
    } else {
        c.execute(
            "UPDATE actu_items SET channel_id = ?2, kind = ?3, title = ?4, body = ?5,
                 from_at = ?6, until_at = ?7, pinned = ?8, headline = ?9, important = ?10,
                 status = ?11, refusal = ?12, publisher = ?13
             WHERE id = ?1",
            rusqlite::params![
                it.id,
                it.channel,
                it.kind.as_str(),
                it.title,
                it.body,
                it.from,
                it.until,
                it.pinned,
                it.headline,
                it.important,
                it.status.as_str(),
                it.refusal,
                it.publisher
            ],
        )
        .map_err(err("edit item"))?;
        it.id
    };
    write_audiences(w, id, &it.audiences)?;
    Ok(id)
}

/// A publisher's decision on a waiting item; false when it was no longer waiting (another
/// publisher decided first).
pub fn decide(
    w: &WriteTxn<'_>,
    id: i64,
    publisher: &str,
    accept: bool,
    reason: &str,
) -> Result<bool> {
    let status = if accept {
        Status::Published
    } else {
        Status::Refused
    };
    w.sql_mut()
        .execute(
            "UPDATE actu_items SET status = ?2, publisher = ?3, refusal = ?4
             WHERE id = ?1 AND status = 'attente'",
            rusqlite::params![id, status.as_str(), publisher, reason],
        )
        .map(|n| n == 1)
        .map_err(err("decide item"))
}

pub fn delete(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute("DELETE FROM actu_items WHERE id = ?1", [id])
        .map(|n| n > 0)
        .map_err(err("delete item"))
}

/// The items whose text contains `needle` (an image's address), at most 50.
pub fn naming(r: &ReadTxn<'_>, needle: &str) -> Result<Vec<Item>> {
    let items = {
        let mut st = r
            .sql()
            .prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM actu_items WHERE instr(body, ?1) > 0 LIMIT 50"
            ))
            .map_err(err("read items"))?;
        st.query_map([needle], item_of)
            .map_err(err("read items"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err("read items"))?
    };
    with_audiences(r, items)
}

/// Published items whose window is open at `now` and whose audience has not been told.
pub fn to_announce(r: &ReadTxn<'_>, now: i64) -> Result<Vec<Item>> {
    let items = {
        let mut st = r
            .sql()
            .prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM actu_items
                 WHERE status = 'publiee' AND announced_at IS NULL AND from_at <= ?1
                   AND (until_at IS NULL OR until_at > ?1)
                 ORDER BY from_at LIMIT 50"
            ))
            .map_err(err("read items"))?;
        st.query_map([now], item_of)
            .map_err(err("read items"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(err("read items"))?
    };
    with_audiences(r, items)
}

pub fn announced(w: &WriteTxn<'_>, id: i64, at: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE actu_items SET announced_at = ?2 WHERE id = ?1 AND announced_at IS NULL",
            rusqlite::params![id, at],
        )
        .map(|_| ())
        .map_err(err("mark announced"))
}

/// Records that `login` read an item (once: the first time stays).
pub fn read_by(w: &WriteTxn<'_>, id: i64, login: &str, at: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "INSERT OR IGNORE INTO actu_reads(item_id, login, at) VALUES (?1, ?2, ?3)",
            rusqlite::params![id, login, at],
        )
        .map(|_| ())
        .map_err(err("record read"))
}

/// Who read an item.
pub fn readers(r: &ReadTxn<'_>, id: i64) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT login FROM actu_reads WHERE item_id = ?1")
        .map_err(err("read readers"))?;
    st.query_map([id], |row| row.get(0))
        .map_err(err("read readers"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read readers"))
}

/// The items among `ids` that `login` has read.
pub fn read_among(r: &ReadTxn<'_>, login: &str) -> Result<Vec<i64>> {
    let mut st = r
        .sql()
        .prepare("SELECT item_id FROM actu_reads WHERE login = ?1")
        .map_err(err("read reads"))?;
    st.query_map([login], |row| row.get(0))
        .map_err(err("read reads"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read reads"))
}

pub fn channels(r: &ReadTxn<'_>) -> Result<Vec<Channel>> {
    let mut st = r
        .sql()
        .prepare("SELECT id, name FROM actu_channels ORDER BY name COLLATE NOCASE")
        .map_err(err("read channels"))?;
    st.query_map([], |row| {
        Ok(Channel {
            id: row.get(0)?,
            name: row.get(1)?,
        })
    })
    .map_err(err("read channels"))?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(err("read channels"))
}

/// Adds a channel; None if one already has that name.
pub fn add_channel(w: &WriteTxn<'_>, name: &str, at: i64) -> Result<Option<i64>> {
    let n = w
        .sql_mut()
        .execute(
            "INSERT OR IGNORE INTO actu_channels(name, created_at) VALUES (?1, ?2)",
            rusqlite::params![name, at],
        )
        .map_err(err("add channel"))?;
    Ok((n == 1).then(|| w.sql_mut().last_insert_rowid()))
}

/// A person's parts in channels.
pub fn roles_of(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(i64, ChannelRole)>> {
    let mut st = r
        .sql()
        .prepare("SELECT channel_id, role FROM actu_channel_roles WHERE login = ?1")
        .map_err(err("read roles"))?;
    Ok(st
        .query_map([login], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(err("read roles"))?
        .filter_map(|r| r.ok())
        .filter_map(|(c, r)| ChannelRole::parse(&r).map(|r| (c, r)))
        .collect())
}

/// Everyone with a part in a channel: (login, role).
pub fn members(r: &ReadTxn<'_>, channel: i64) -> Result<Vec<(String, ChannelRole)>> {
    let mut st = r
        .sql()
        .prepare("SELECT login, role FROM actu_channel_roles WHERE channel_id = ?1")
        .map_err(err("read members"))?;
    Ok(st
        .query_map([channel], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(err("read members"))?
        .filter_map(|r| r.ok())
        .filter_map(|(l, r)| ChannelRole::parse(&r).map(|r| (l, r)))
        .collect())
}

/// Gives a person a part in a channel (replacing the one he had), or takes it (`None`).
pub fn set_role(
    w: &WriteTxn<'_>,
    channel: i64,
    login: &str,
    role: Option<ChannelRole>,
) -> Result<()> {
    let c = w.sql_mut();
    match role {
        Some(role) => c.execute(
            "INSERT INTO actu_channel_roles(channel_id, login, role) VALUES (?1, ?2, ?3)
             ON CONFLICT(channel_id, login) DO UPDATE SET role = excluded.role",
            rusqlite::params![channel, login, role.as_str()],
        ),
        None => c.execute(
            "DELETE FROM actu_channel_roles WHERE channel_id = ?1 AND login = ?2",
            rusqlite::params![channel, login],
        ),
    }
    .map(|_| ())
    .map_err(err("set role"))
}

/// What a person wrote (their data export): (title, created).
pub fn written_by(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(String, i64)>> {
    let mut st = r
        .sql()
        .prepare("SELECT title, created_at FROM actu_items WHERE author = ?1 ORDER BY created_at")
        .map_err(err("read items"))?;
    st.query_map([login], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(err("read items"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read items"))
}

/// Removes items whose window closed before `before` (and those refused then), with their
/// reads; returns how many.
pub fn delete_before(w: &WriteTxn<'_>, before: i64) -> Result<usize> {
    w.sql_mut()
        .execute(
            "DELETE FROM actu_items WHERE COALESCE(until_at, from_at) < ?1",
            [before],
        )
        .map_err(err("purge items"))
}

/// Removes what a departed person leaves behind: his parts in channels and his reads.
pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    let c = w.sql_mut();
    let a = c
        .execute("DELETE FROM actu_channel_roles WHERE login = ?1", [login])
        .map_err(err("purge roles"))?;
    let b = c
        .execute("DELETE FROM actu_reads WHERE login = ?1", [login])
        .map_err(err("purge reads"))?;
    Ok(a + b)
}

/// Everyone the module keeps something about (parts in channels, reads).
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT login FROM actu_channel_roles UNION SELECT login FROM actu_reads")
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}
