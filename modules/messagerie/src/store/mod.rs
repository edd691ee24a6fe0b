//! The module's tables (`msg_…`), inside the store's transactions: messages and each
//! person's copies here; attachments, folders, the rules and switches, reports and retention
//! beside.

mod folders;
mod pieces;
mod reports;
mod retention;
mod rules;

pub use folders::*;
pub use pieces::*;
pub use reports::*;
pub use retention::*;
pub use rules::*;

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::{OptionalExtension, params};

use crate::model::{Addressee, Entry, Folder, Message, State};

pub const MIGRATIONS: &[&str] = &[include_str!("../migrations/0001_initial.sql")];

/// Lines of a folder's page.
pub const PAGE: i64 = 25;

pub(super) const MESSAGE_COLUMNS: &str = "m.id, m.thread, m.parent, m.sender, m.sender_name, m.subject, \
     m.body, m.state, m.no_reply, m.addressees, m.reached, m.created_at, m.sent_at";

pub(super) fn message_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    let addressees: String = row.get(9)?;
    Ok(Message {
        id: row.get(0)?,
        thread: row.get(1)?,
        parent: row.get(2)?,
        sender: row.get(3)?,
        sender_name: row.get(4)?,
        subject: row.get(5)?,
        body: row.get(6)?,
        state: State::parse(&row.get::<_, String>(7)?),
        no_reply: row.get::<_, i64>(8)? != 0,
        // Written by this module only; an unreadable list shows no addressee rather than
        // failing the page.
        addressees: serde_json::from_str::<Vec<Addressee>>(&addressees).unwrap_or_default(),
        reached: row.get(10)?,
        created_at: row.get(11)?,
        sent_at: row.get(12)?,
    })
}

/// A message to write (a draft, or one being sent).
pub struct NewMessage<'a> {
    pub parent: Option<i64>,
    pub sender: &'a str,
    pub sender_name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub no_reply: bool,
    pub addressees: &'a [Addressee],
}

fn thread_of(w: &WriteTxn<'_>, parent: Option<i64>) -> Result<Option<i64>> {
    let Some(p) = parent else { return Ok(None) };
    w.sql_mut()
        .query_row("SELECT thread FROM msg_messages WHERE id = ?1", [p], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err("read thread"))
}

/// Writes a draft (a new one, or over the sender's own draft `id`); returns its id.
pub fn save_draft(w: &WriteTxn<'_>, id: Option<i64>, m: &NewMessage<'_>, at: i64) -> Result<i64> {
    let json = serde_json::to_string(m.addressees).unwrap_or_else(|_| "[]".to_owned());
    let c = w.sql_mut();
    if let Some(id) = id {
        let n = c
            .execute(
                "UPDATE msg_messages SET subject = ?3, body = ?4, no_reply = ?5, addressees = ?6,
                   created_at = ?7
                 WHERE id = ?1 AND sender = ?2 AND state = 'brouillon'",
                params![id, m.sender, m.subject, m.body, m.no_reply, json, at],
            )
            .map_err(err("write draft"))?;
        if n == 1 {
            c.execute(
                "UPDATE msg_boxes SET at = ?3 WHERE owner = ?2 AND message = ?1",
                params![id, m.sender, at],
            )
            .map_err(err("write draft"))?;
            return Ok(id);
        }
    }
    let thread = thread_of(w, m.parent)?;
    c.execute(
        "INSERT INTO msg_messages(thread, parent, sender, sender_name, subject, body, state,
           no_reply, addressees, created_at)
         VALUES (COALESCE(?1, 0), ?2, ?3, ?4, ?5, ?6, 'brouillon', ?7, ?8, ?9)",
        params![
            thread,
            m.parent,
            m.sender,
            m.sender_name,
            m.subject,
            m.body,
            m.no_reply,
            json,
            at
        ],
    )
    .map_err(err("write draft"))?;
    let id = c.last_insert_rowid();
    if thread.is_none() {
        c.execute("UPDATE msg_messages SET thread = id WHERE id = ?1", [id])
            .map_err(err("write draft"))?;
    }
    c.execute(
        "INSERT INTO msg_boxes(owner, message, role, place, at) VALUES (?1, ?2, 'de', 'brouillons', ?3)",
        params![m.sender, id, at],
    )
    .map_err(err("write draft"))?;
    Ok(id)
}

/// Sends the sender's draft `id` to `recipients` (login and role `a`, `cc`, `cci`): one box
/// each, unread in his reception; the draft moves to the sender's envoyés. False when it is
/// not his draft (already sent from another tab).
pub fn send(
    w: &WriteTxn<'_>,
    id: i64,
    sender: &str,
    recipients: &[(String, &str)],
    at: i64,
) -> Result<bool> {
    let c = w.sql_mut();
    let n = c
        .execute(
            "UPDATE msg_messages SET state = 'envoye', sent_at = ?3, reached = ?4
             WHERE id = ?1 AND sender = ?2 AND state = 'brouillon'",
            params![id, sender, at, recipients.len() as i64],
        )
        .map_err(err("send message"))?;
    if n != 1 {
        return Ok(false);
    }
    c.execute(
        "UPDATE msg_boxes SET place = 'envoyes', at = ?3 WHERE owner = ?2 AND message = ?1",
        params![id, sender, at],
    )
    .map_err(err("send message"))?;
    let mut st = c
        .prepare_cached(
            "INSERT OR IGNORE INTO msg_boxes(owner, message, role, place, unread, at)
             VALUES (?1, ?2, ?3, 'reception', 1, ?4)",
        )
        .map_err(err("send message"))?;
    for (login, role) in recipients {
        st.execute(params![login, id, role, at])
            .map_err(err("send message"))?;
    }
    Ok(true)
}

/// One of the owner's messages, with his copy's role and place.
pub fn open(r: &ReadTxn<'_>, owner: &str, id: i64) -> Result<Option<(Message, String, String)>> {
    open_in(r.sql(), owner, id)
}

pub fn open_w(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<Option<(Message, String, String)>> {
    open_in(w.sql_mut(), owner, id)
}

fn open_in(
    c: cartable_core::store::Sql<'_>,
    owner: &str,
    id: i64,
) -> Result<Option<(Message, String, String)>> {
    c.query_row(
        &format!(
            "SELECT {MESSAGE_COLUMNS}, b.role, b.place FROM msg_boxes b
                 JOIN msg_messages m ON m.id = b.message
                 WHERE b.owner = ?1 AND b.message = ?2"
        ),
        params![owner, id],
        |row| Ok((message_of(row)?, row.get(13)?, row.get(14)?)),
    )
    .optional()
    .map_err(err("read message"))
}

/// The messages of a conversation the owner has (not in his corbeille unless `id` is), oldest
/// first; drafts only his own.
pub fn thread(r: &ReadTxn<'_>, owner: &str, thread: i64) -> Result<Vec<Message>> {
    let mut st = r
        .sql()
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM msg_boxes b JOIN msg_messages m ON m.id = b.message
             WHERE b.owner = ?1 AND m.thread = ?2 AND m.state != 'brouillon'
             ORDER BY COALESCE(m.sent_at, m.created_at), m.id LIMIT 200"
        ))
        .map_err(err("read thread"))?;
    st.query_map(params![owner, thread], message_of)
        .map_err(err("read thread"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("read thread"))
}

/// Marks the owner's copy read; true if it was unread.
pub fn mark_read(w: &WriteTxn<'_>, owner: &str, id: i64, at: i64) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "UPDATE msg_boxes SET unread = 0, read_at = COALESCE(read_at, ?3)
             WHERE owner = ?1 AND message = ?2 AND unread = 1",
            params![owner, id, at],
        )
        .map_err(err("mark read"))?;
    Ok(n == 1)
}

pub fn mark_unread(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    let n = w
        .sql_mut()
        .execute(
            "UPDATE msg_boxes SET unread = 1 WHERE owner = ?1 AND message = ?2 AND role != 'de'",
            params![owner, id],
        )
        .map_err(err("mark unread"))?;
    Ok(n == 1)
}

/// The owner's unread messages in his reception and folders.
pub fn unread(r: &ReadTxn<'_>, owner: &str) -> Result<i64> {
    r.sql()
        .query_row(
            "SELECT COUNT(*) FROM msg_boxes WHERE owner = ?1 AND unread = 1 AND place != 'corbeille'",
            [owner],
            |row| row.get(0),
        )
        .map_err(err("count unread"))
}

/// Unread per place (`reception`, `dossier:3`).
pub fn unread_by_place(r: &ReadTxn<'_>, owner: &str) -> Result<Vec<(String, i64)>> {
    let mut st = r
        .sql()
        .prepare_cached(
            "SELECT place, COUNT(*) FROM msg_boxes WHERE owner = ?1 AND unread = 1 GROUP BY place",
        )
        .map_err(err("count unread"))?;
    st.query_map([owner], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(err("count unread"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("count unread"))
}

/// A page of a folder, newest first; with `search`, only messages whose subject, text or
/// sender's name contain it. Returns the lines and how many there are in all.
pub fn list(
    r: &ReadTxn<'_>,
    owner: &str,
    folder: &Folder,
    search: Option<&str>,
    page: i64,
) -> Result<(Vec<Entry>, i64)> {
    let place = folder.code();
    let like = search.map(|s| {
        format!(
            "%{}%",
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let filter = "b.owner = ?1 AND (?2 IS NULL AND b.place = ?3 OR ?2 IS NOT NULL AND b.place != 'corbeille')
         AND (?2 IS NULL OR m.subject LIKE ?2 ESCAPE '\\' OR m.body LIKE ?2 ESCAPE '\\'
              OR m.sender_name LIKE ?2 ESCAPE '\\')";
    let c = r.sql();
    let total: i64 = c
        .query_row(
            &format!(
                "SELECT COUNT(*) FROM msg_boxes b JOIN msg_messages m ON m.id = b.message WHERE {filter}"
            ),
            params![owner, like, place],
            |row| row.get(0),
        )
        .map_err(err("list folder"))?;
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS}, b.role, b.unread, b.at,
               (SELECT COUNT(*) FROM msg_pieces p WHERE p.message = m.id)
             FROM msg_boxes b JOIN msg_messages m ON m.id = b.message
             WHERE {filter}
             ORDER BY b.at DESC, b.message DESC LIMIT ?4 OFFSET ?5"
        ))
        .map_err(err("list folder"))?;
    let rows = st
        .query_map(params![owner, like, place, PAGE, page * PAGE], |row| {
            Ok(Entry {
                message: message_of(row)?,
                role: row.get(13)?,
                unread: row.get::<_, i64>(14)? != 0,
                at: row.get(15)?,
                pieces: row.get(16)?,
            })
        })
        .map_err(err("list folder"))?
        .collect::<rusqlite::Result<_>>()
        .map_err(err("list folder"))?;
    Ok((rows, total))
}

/// Moves the owner's copy to a place; into the corbeille it remembers where it was.
pub fn move_to(w: &WriteTxn<'_>, owner: &str, id: i64, to: &Folder, at: i64) -> Result<bool> {
    let to = to.code();
    let n = w
        .sql_mut()
        .execute(
            "UPDATE msg_boxes SET
               before = CASE WHEN ?3 = 'corbeille' AND place != 'corbeille' THEN place ELSE before END,
               place = ?3, at = CASE WHEN ?3 = 'corbeille' THEN ?4 ELSE at END
             WHERE owner = ?1 AND message = ?2",
            params![owner, id, to, at],
        )
        .map_err(err("move message"))?;
    Ok(n == 1)
}

/// Out of the corbeille, back where it was (its folder since deleted: its default place).
pub fn restore(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    let c = w.sql_mut();
    let row: Option<(Option<String>, String, String)> = c
        .query_row(
            "SELECT b.before, b.role, m.state FROM msg_boxes b JOIN msg_messages m ON m.id = b.message
             WHERE b.owner = ?1 AND b.message = ?2 AND b.place = 'corbeille'",
            params![owner, id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(err("restore message"))?;
    let Some((before, role, state)) = row else {
        return Ok(false);
    };
    let default = match (role.as_str(), state.as_str()) {
        ("de", "brouillon") => Folder::Drafts,
        ("de", _) => Folder::Sent,
        _ => Folder::Inbox,
    };
    let place = match before.as_deref().and_then(Folder::parse) {
        Some(Folder::Own(f)) if folder_exists_in(c, owner, f)? => Folder::Own(f),
        Some(Folder::Own(_)) | Some(Folder::Trash) | None => default,
        Some(other) => other,
    };
    c.execute(
        "UPDATE msg_boxes SET place = ?3, before = NULL WHERE owner = ?1 AND message = ?2",
        params![owner, id, place.code()],
    )
    .map_err(err("restore message"))?;
    Ok(true)
}

pub(super) fn folder_exists_in(
    c: cartable_core::store::Sql<'_>,
    owner: &str,
    id: i64,
) -> Result<bool> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM msg_folders WHERE owner = ?1 AND id = ?2)",
        params![owner, id],
        |row| row.get(0),
    )
    .map_err(err("read folders"))
}

/// Deletes the owner's copy (from the corbeille, or his draft); the message goes when no one
/// holds it any more and no report keeps it.
pub fn delete_copy(w: &WriteTxn<'_>, owner: &str, id: i64) -> Result<bool> {
    let c = w.sql_mut();
    let n = c
        .execute(
            "DELETE FROM msg_boxes WHERE owner = ?1 AND message = ?2
               AND (place = 'corbeille' OR place = 'brouillons')",
            params![owner, id],
        )
        .map_err(err("delete message"))?;
    drop_orphans(w)?;
    Ok(n == 1)
}

/// Empties the owner's corbeille; returns how many went.
pub fn empty_trash(w: &WriteTxn<'_>, owner: &str) -> Result<usize> {
    let n = w
        .sql_mut()
        .execute(
            "DELETE FROM msg_boxes WHERE owner = ?1 AND place = 'corbeille'",
            [owner],
        )
        .map_err(err("empty trash"))?;
    drop_orphans(w)?;
    Ok(n)
}

/// Messages no one holds and no report keeps (their pieces go with them; the bytes are
/// removed by the purge once no piece names their hash).
pub fn drop_orphans(w: &WriteTxn<'_>) -> Result<usize> {
    w.sql_mut()
        .execute(
            "DELETE FROM msg_messages WHERE NOT EXISTS (SELECT 1 FROM msg_boxes b WHERE b.message = msg_messages.id)
               AND NOT EXISTS (SELECT 1 FROM msg_reports r WHERE r.message = msg_messages.id AND r.handled_at IS NULL)",
            [],
        )
        .map_err(err("drop orphans"))
}

/// What a recall did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recalled {
    /// Recipients it was withdrawn from.
    pub withdrawn: usize,
    /// Recipients who had already read it (they keep it).
    pub read: usize,
}

/// Withdraws a sent message from those who have not read it, if sent after `since`.
pub fn recall(w: &WriteTxn<'_>, sender: &str, id: i64, since: i64) -> Result<Option<Recalled>> {
    let c = w.sql_mut();
    let n = c
        .execute(
            "UPDATE msg_messages SET state = 'rappele'
             WHERE id = ?1 AND sender = ?2 AND state = 'envoye' AND sent_at >= ?3",
            params![id, sender, since],
        )
        .map_err(err("recall"))?;
    if n != 1 {
        return Ok(None);
    }
    let read: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM msg_boxes WHERE message = ?1 AND role != 'de' AND read_at IS NOT NULL",
            [id],
            |r| r.get(0),
        )
        .map_err(err("recall"))?;
    let withdrawn = c
        .execute(
            "DELETE FROM msg_boxes WHERE message = ?1 AND role != 'de' AND read_at IS NULL",
            [id],
        )
        .map_err(err("recall"))?;
    Ok(Some(Recalled {
        withdrawn,
        read: read as usize,
    }))
}

/// Whether a message was recalled by its sender (its link then says so).
pub fn was_recalled(r: &ReadTxn<'_>, id: i64) -> Result<bool> {
    r.sql()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM msg_messages WHERE id = ?1 AND state = 'rappele')",
            [id],
            |row| row.get(0),
        )
        .map_err(err("read message"))
}

/// Messages and recipients the sender sent since `since` (the rate limits).
pub fn sent_since(r: &ReadTxn<'_>, sender: &str, since: i64) -> Result<(i64, i64)> {
    r.sql()
        .query_row(
            "SELECT COUNT(*), COALESCE(SUM(reached), 0) FROM msg_messages
             WHERE sender = ?1 AND sent_at >= ?2",
            params![sender, since],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(err("count sent"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Piece;
    use cartable_core::store::Store;

    fn piece(hash: &str) -> Piece {
        Piece {
            id: 0,
            message: 0,
            name: "a.pdf".into(),
            size: 10,
            hash: hash.into(),
            mime: "application/octet-stream".into(),
        }
    }

    async fn sent(store: &Store, from: &'static str, to: &'static [&'static str], at: i64) -> i64 {
        store
            .write(move |w| {
                let id = save_draft(
                    w,
                    None,
                    &NewMessage {
                        parent: None,
                        sender: from,
                        sender_name: from,
                        subject: "objet",
                        body: "texte",
                        no_reply: false,
                        addressees: &[],
                    },
                    at,
                )?;
                add_piece(w, id, &piece("h1"))?;
                let rs: Vec<(String, &str)> = to.iter().map(|t| (t.to_string(), "a")).collect();
                send(w, id, from, &rs, at)?;
                Ok(id)
            })
            .await
            .expect("send")
    }

    /// A message lives while someone holds it or a report keeps it; its pieces go with it.
    #[tokio::test]
    async fn a_message_goes_with_the_last_who_holds_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("s.sqlite"))
            .await
            .expect("open");
        store
            .migrate_module("messagerie", MIGRATIONS)
            .await
            .expect("migrate");
        let id = sent(&store, "prof", &["eleve1", "eleve2"], 1_000).await;
        let count = |store: &Store| {
            let store = store.clone();
            async move {
                store
                    .read(|r| {
                        Ok((
                            r.sql()
                                .query_row("SELECT COUNT(*) FROM msg_messages", [], |x| {
                                    x.get::<_, i64>(0)
                                })
                                .map_err(err("t"))?,
                            hashes(r)?.len(),
                        ))
                    })
                    .await
                    .expect("read")
            }
        };
        assert_eq!(count(&store).await, (1, 1));
        // The sender leaves the annuaire: the recipients keep it.
        store.write(|w| forget(w, "prof")).await.expect("forget");
        assert_eq!(count(&store).await, (1, 1));
        // One recipient reports it, the other puts it in the corbeille, emptied 30 days on.
        store
            .write(move |w| report(w, "eleve1", id, "menace", 2_000))
            .await
            .expect("report")
            .expect("reported");
        store
            .write(move |w| move_to(w, "eleve2", id, &Folder::Trash, 3_000))
            .await
            .expect("trash");
        store.write(|w| expire(w, 3_001, 0)).await.expect("expire");
        // Held by no one, but the open report keeps it for the direction.
        assert_eq!(count(&store).await, (1, 1));
        let reported = store.read(|r| reports(r, true)).await.expect("reports");
        assert_eq!(reported.len(), 1);
        let rid = reported[0].id;
        store
            .write(move |w| handle_report(w, rid, "direction", 4_000))
            .await
            .expect("handle");
        store.write(drop_orphans).await.expect("drop");
        assert_eq!(count(&store).await, (0, 0));
    }

    /// A recall takes it from those who have not read it, within its window only.
    #[tokio::test]
    async fn a_recall_spares_those_who_read_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("s.sqlite"))
            .await
            .expect("open");
        store
            .migrate_module("messagerie", MIGRATIONS)
            .await
            .expect("migrate");
        let id = sent(&store, "prof", &["a", "b", "c"], 10_000).await;
        store
            .write(move |w| mark_read(w, "a", id, 10_100))
            .await
            .expect("read");
        let late = store
            .write(move |w| recall(w, "prof", id, 10_001))
            .await
            .expect("recall");
        assert_eq!(late, None, "sent before the window");
        let done = store
            .write(move |w| recall(w, "prof", id, 9_000))
            .await
            .expect("recall");
        assert_eq!(
            done,
            Some(Recalled {
                withdrawn: 2,
                read: 1
            })
        );
        let holds = |who: &'static str| {
            let store = store.clone();
            async move {
                store
                    .read(move |r| open(r, who, id))
                    .await
                    .expect("open")
                    .is_some()
            }
        };
        assert!(holds("a").await);
        assert!(!holds("b").await);
        assert!(holds("prof").await);
        // Not twice.
        let again = store
            .write(move |w| recall(w, "prof", id, 9_000))
            .await
            .expect("recall");
        assert_eq!(again, None);
    }
}
