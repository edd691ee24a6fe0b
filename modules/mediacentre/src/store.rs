//! The module's tables (`mediacentre_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::directory::Profile;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::{Kind, MAX_SIGNETS, Resource, Signet};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

const RESOURCE_COLUMNS: &str =
    "id, title, description, editor, url, kind, profiles, classes, levels, created_by, updated_at";

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

fn resource_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Resource>> {
    let kind: String = row.get(5)?;
    let Some(kind) = Kind::parse(&kind) else {
        return Ok(None);
    };
    let profiles: String = row.get(6)?;
    Ok(Some(Resource {
        id: row.get(0)?,
        title: row.get(1)?,
        description: row.get(2)?,
        editor: row.get(3)?,
        url: row.get(4)?,
        kind,
        profiles: profiles
            .split_whitespace()
            .filter_map(Profile::parse)
            .collect(),
        classes: words(&row.get::<_, String>(7)?),
        levels: words(&row.get::<_, String>(8)?),
        created_by: row.get(9)?,
        updated: row.get(10)?,
    }))
}

/// Every resource, by title.
pub fn resources(r: &ReadTxn<'_>) -> Result<Vec<Resource>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM mediacentre_resources ORDER BY title COLLATE fr, id"
        ))
        .map_err(err("read resources"))?;
    let rows = st
        .query_map([], resource_of)
        .map_err(err("read resources"))?;
    Ok(rows.filter_map(|r| r.ok().flatten()).collect())
}

pub fn resource(r: &ReadTxn<'_>, id: i64) -> Result<Option<Resource>> {
    r.sql()
        .query_row(
            &format!("SELECT {RESOURCE_COLUMNS} FROM mediacentre_resources WHERE id = ?1"),
            [id],
            resource_of,
        )
        .optional()
        .map(Option::flatten)
        .map_err(err("read resource"))
}

/// Adds `res` (its id 0) or replaces the one of its id (its author stays); its id.
pub fn save_resource(w: &WriteTxn<'_>, res: &Resource) -> Result<i64> {
    let profiles = res
        .profiles
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    w.sql_mut()
        .query_row(
            "INSERT INTO mediacentre_resources
             (id, title, description, editor, url, kind, profiles, classes, levels, created_by,
              updated_at)
             VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(id) DO UPDATE SET title = excluded.title,
               description = excluded.description, editor = excluded.editor, url = excluded.url,
               kind = excluded.kind, profiles = excluded.profiles, classes = excluded.classes,
               levels = excluded.levels, updated_at = excluded.updated_at
             RETURNING id",
            rusqlite::params![
                res.id,
                res.title,
                res.description,
                res.editor,
                res.url,
                res.kind.key(),
                profiles,
                res.classes.join(" "),
                res.levels.join(" "),
                res.created_by,
                res.updated,
            ],
            |row| row.get(0),
        )
        .map_err(err("save resource"))
}

/// Removes a resource and the favourites naming it; whether it was there.
pub fn delete_resource(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute("DELETE FROM mediacentre_resources WHERE id = ?1", [id])
        .map(|n| n > 0)
        .map_err(err("delete resource"))
}

/// The resources `login` marked as favourites.
pub fn favorites(r: &ReadTxn<'_>, login: &str) -> Result<Vec<i64>> {
    let mut st = r
        .sql()
        .prepare("SELECT resource FROM mediacentre_favorites WHERE login = ?1")
        .map_err(err("read favourites"))?;
    st.query_map([login], |row| row.get(0))
        .map_err(err("read favourites"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read favourites"))
}

/// Marks or unmarks a favourite; whether it is one now.
pub fn toggle_favorite(w: &WriteTxn<'_>, login: &str, resource: i64) -> Result<bool> {
    let c = w.sql_mut();
    let gone = c
        .execute(
            "DELETE FROM mediacentre_favorites WHERE login = ?1 AND resource = ?2",
            rusqlite::params![login, resource],
        )
        .map_err(err("unmark favourite"))?;
    if gone > 0 {
        return Ok(false);
    }
    c.execute(
        "INSERT INTO mediacentre_favorites (login, resource) VALUES (?1, ?2)",
        rusqlite::params![login, resource],
    )
    .map_err(err("mark favourite"))?;
    Ok(true)
}

fn signet_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Signet> {
    Ok(Signet {
        id: row.get(0)?,
        owner: row.get(1)?,
        class: row.get(2)?,
        title: row.get(3)?,
        url: row.get(4)?,
        created: row.get(5)?,
    })
}

/// The signets `login` owns and those shared with `classes`, newest first.
pub fn signets(r: &ReadTxn<'_>, login: &str, classes: &[String]) -> Result<Vec<Signet>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT id, owner, class, title, url, created_at FROM mediacentre_signets
             WHERE owner = ?1 OR class IN (SELECT value FROM json_each(?2))
             ORDER BY created_at DESC, id DESC",
        )
        .map_err(err("read signets"))?;
    let classes = serde_json::to_string(classes).unwrap_or_else(|_| "[]".into());
    st.query_map(rusqlite::params![login, classes], signet_of)
        .map_err(err("read signets"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read signets"))
}

pub fn signet(r: &ReadTxn<'_>, id: i64) -> Result<Option<Signet>> {
    r.sql()
        .query_row(
            "SELECT id, owner, class, title, url, created_at FROM mediacentre_signets WHERE id = ?1",
            [id],
            signet_of,
        )
        .optional()
        .map_err(err("read signet"))
}

/// Adds a signet unless its owner already keeps [`MAX_SIGNETS`]: its id, or `None`.
pub fn add_signet(w: &WriteTxn<'_>, s: &Signet) -> Result<Option<i64>> {
    let c = w.sql_mut();
    let kept: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM mediacentre_signets WHERE owner = ?1",
            [&s.owner],
            |row| row.get(0),
        )
        .map_err(err("count signets"))?;
    if usize::try_from(kept).unwrap_or(usize::MAX) >= MAX_SIGNETS {
        return Ok(None);
    }
    c.execute(
        "INSERT INTO mediacentre_signets (owner, class, title, url, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![s.owner, s.class, s.title, s.url, s.created],
    )
    .map_err(err("add signet"))?;
    Ok(Some(c.last_insert_rowid()))
}

pub fn delete_signet(w: &WriteTxn<'_>, id: i64) -> Result<bool> {
    w.sql_mut()
        .execute("DELETE FROM mediacentre_signets WHERE id = ?1", [id])
        .map(|n| n > 0)
        .map_err(err("delete signet"))
}

/// Everyone with a signet or a favourite.
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT owner FROM mediacentre_signets UNION SELECT login FROM mediacentre_favorites",
        )
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}

/// A departed person's signets and favourites go.
pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    let c = w.sql_mut();
    let a = c
        .execute("DELETE FROM mediacentre_signets WHERE owner = ?1", [login])
        .map_err(err("purge signets"))?;
    let b = c
        .execute(
            "DELETE FROM mediacentre_favorites WHERE login = ?1",
            [login],
        )
        .map_err(err("purge favourites"))?;
    Ok(a + b)
}
