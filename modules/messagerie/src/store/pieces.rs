//! Attachments: what names the bytes kept under `messagerie/`.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

use crate::model::Piece;

pub fn add_piece(w: &WriteTxn<'_>, message: i64, p: &Piece) -> Result<i64> {
    w.sql_mut()
        .execute(
            "INSERT INTO msg_pieces(message, name, size, hash, mime) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![message, p.name, p.size, p.hash, p.mime],
        )
        .map_err(err("write piece"))?;
    Ok(w.sql_mut().last_insert_rowid())
}

pub fn remove_piece(w: &WriteTxn<'_>, message: i64, piece: i64) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "DELETE FROM msg_pieces WHERE id = ?1 AND message = ?2",
            params![piece, message],
        )
        .map_err(err("remove piece"))?;
    Ok(n == 1)
}

pub fn pieces(r: &ReadTxn<'_>, message: i64) -> Result<Vec<Piece>> {
    pieces_in(r.sql(), message)
}

pub fn pieces_w(w: &WriteTxn<'_>, message: i64) -> Result<Vec<Piece>> {
    pieces_in(w.sql_mut(), message)
}

fn pieces_in(c: cartable_core::store::Sql<'_>, message: i64) -> Result<Vec<Piece>> {
    let mut st = c
        .prepare_cached(
            "SELECT id, message, name, size, hash, mime FROM msg_pieces WHERE message = ?1 ORDER BY id",
        )
        .map_err(err("read pieces"))?;
    st.query_map([message], piece_of)
        .map_err(err("read pieces"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read pieces"))
}

fn piece_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Piece> {
    Ok(Piece {
        id: row.get(0)?,
        message: row.get(1)?,
        name: row.get(2)?,
        size: row.get(3)?,
        hash: row.get(4)?,
        mime: row.get(5)?,
    })
}

/// A piece of a message the reader holds (or was reported to the reader's office).
pub fn piece_for(r: &ReadTxn<'_>, reader: &str, piece: i64) -> Result<Option<Piece>> {
    r.sql()
        .query_row(
            "SELECT p.id, p.message, p.name, p.size, p.hash, p.mime FROM msg_pieces p
             WHERE p.id = ?2 AND EXISTS (SELECT 1 FROM msg_boxes b
               WHERE b.message = p.message AND b.owner = ?1)",
            params![reader, piece],
            piece_of,
        )
        .optional()
        .map_err(err("read piece"))
}

/// A piece of a reported message (for those who handle reports).
pub fn reported_piece(r: &ReadTxn<'_>, piece: i64) -> Result<Option<Piece>> {
    r.sql()
        .query_row(
            "SELECT p.id, p.message, p.name, p.size, p.hash, p.mime FROM msg_pieces p
             WHERE p.id = ?1 AND EXISTS (SELECT 1 FROM msg_reports x WHERE x.message = p.message)",
            [piece],
            piece_of,
        )
        .optional()
        .map_err(err("read piece"))
}

/// Bytes of attachments in the messages the person holds.
pub fn used(r: &ReadTxn<'_>, owner: &str) -> Result<i64> {
    r.sql()
        .query_row(
            "SELECT COALESCE(SUM(p.size), 0) FROM msg_boxes b JOIN msg_pieces p ON p.message = b.message
             WHERE b.owner = ?1",
            [owner],
            |row| row.get(0),
        )
        .map_err(err("read usage"))
}

/// Whether any piece still names these bytes.
pub fn hash_used(r: &ReadTxn<'_>, hash: &str) -> Result<bool> {
    r.sql()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM msg_pieces WHERE hash = ?1)",
            [hash],
            |row| row.get(0),
        )
        .map_err(err("read pieces"))
}
