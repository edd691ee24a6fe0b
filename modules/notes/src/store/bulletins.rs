//! Bulletins: drafts replaced when generated again, published versions kept as they are.

use cartable_core::Result;
use cartable_core::dates::{iso, parse_iso};
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

/// A bulletin's record (its PDF is read apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulletin {
    pub id: i64,
    pub period: u8,
    pub class: String,
    pub pupil: String,
    pub version: i64,
    pub generated_at: i64,
    /// None: a draft, seen by the staff only.
    pub published_from: Option<time::Date>,
}

const COLUMNS: &str = "id, period, class, pupil, version, generated_at, published_from";

fn bulletin_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Bulletin> {
    Ok(Bulletin {
        id: row.get(0)?,
        period: row.get(1)?,
        class: row.get(2)?,
        pupil: row.get(3)?,
        version: row.get(4)?,
        generated_at: row.get(5)?,
        published_from: row
            .get::<_, Option<String>>(6)?
            .as_deref()
            .and_then(parse_iso),
    })
}

/// Writes a pupil's bulletin: replaces his draft, or starts a new version after the
/// published ones. Returns its version.
pub fn put_draft(
    w: &WriteTxn<'_>,
    period: u8,
    class: &str,
    pupil: &str,
    pdf: &[u8],
    by: &str,
    at: i64,
) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "DELETE FROM notes_bulletins WHERE period = ?1 AND pupil = ?2 AND published_from IS NULL",
        params![period, pupil],
    )
    .map_err(err("write bulletin"))?;
    let version: i64 = c
        .query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM notes_bulletins
             WHERE period = ?1 AND pupil = ?2",
            params![period, pupil],
            |r| r.get(0),
        )
        .map_err(err("write bulletin"))?;
    c.execute(
        "INSERT INTO notes_bulletins(period, class, pupil, version, pdf, generated_by,
           generated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![period, class, pupil, version, pdf, by, at],
    )
    .map_err(err("write bulletin"))?;
    Ok(version)
}

/// Publishes a class's drafts of a period from `from` on. Returns how many.
pub fn publish(
    w: &WriteTxn<'_>,
    period: u8,
    class: &str,
    from: time::Date,
    by: &str,
) -> Result<usize> {
    w.sql_mut()
        .execute(
            "UPDATE notes_bulletins SET published_from = ?3, published_by = ?4
             WHERE period = ?1 AND class = ?2 AND published_from IS NULL",
            params![period, class, iso(from), by],
        )
        .map_err(err("publish bulletins"))
}

/// A class's bulletins of a period, every version.
pub fn of_class(r: &ReadTxn<'_>, period: u8, class: &str) -> Result<Vec<Bulletin>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM notes_bulletins WHERE period = ?1 AND class = ?2
             ORDER BY pupil, version"
        ))
        .map_err(err("read bulletins"))?;
    st.query_map(params![period, class], bulletin_of)
        .map_err(err("read bulletins"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read bulletins"))
}

/// A pupil's bulletins, every period and version, newest first; `published_by` limits them to
/// those published on or before that day (what his family sees).
pub fn of_pupil(
    r: &ReadTxn<'_>,
    pupil: &str,
    published_by: Option<time::Date>,
) -> Result<Vec<Bulletin>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM notes_bulletins WHERE pupil = ?1
               AND (?2 IS NULL OR (published_from IS NOT NULL AND published_from <= ?2))
             ORDER BY period DESC, version DESC"
        ))
        .map_err(err("read bulletins"))?;
    st.query_map(params![pupil, published_by.map(iso)], bulletin_of)
        .map_err(err("read bulletins"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read bulletins"))
}

/// A bulletin and its PDF.
pub fn with_pdf(r: &ReadTxn<'_>, id: i64) -> Result<Option<(Bulletin, Vec<u8>)>> {
    r.sql()
        .query_row(
            &format!("SELECT {COLUMNS}, pdf FROM notes_bulletins WHERE id = ?1"),
            [id],
            |row| Ok((bulletin_of(row)?, row.get(7)?)),
        )
        .optional()
        .map_err(err("read bulletin"))
}
