//! The module's tables (`forum_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::{Forum, Post, Report, Subject};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

const SUBJECT_COLUMNS: &str = "s.id, s.forum, s.title, s.author, s.pinned, s.locked, s.created_at,
     s.last_at, (SELECT COUNT(*) FROM forum_posts p WHERE p.subject_id = s.id)";

fn subject_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Subject>> {
    let forum: String = row.get(1)?;
    let Some(forum) = Forum::parse(&forum) else {
        return Ok(None);
    };
    Ok(Some(Subject {
        id: row.get(0)?,
        forum,
        title: row.get(2)?,
        author: row.get(3)?,
        pinned: row.get(4)?,
        locked: row.get(5)?,
        created: row.get(6)?,
        last: row.get(7)?,
        posts: row.get(8)?,
    }))
}

/// A forum's subjects, pinned first then by last message; at most `limit`.
pub fn subjects(r: &ReadTxn<'_>, forum: &Forum, limit: usize) -> Result<Vec<Subject>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {SUBJECT_COLUMNS} FROM forum_subjects s WHERE s.forum = ?1
             ORDER BY s.pinned DESC, s.last_at DESC, s.id DESC LIMIT ?2"
        ))
        .map_err(err("read subjects"))?;
    let rows = st
        .query_map(
            rusqlite::params![forum.key(), i64::try_from(limit).unwrap_or(i64::MAX)],
            subject_of,
        )
        .map_err(err("read subjects"))?;
    Ok(rows.filter_map(|r| r.ok().flatten()).collect())
}

/// Subjects and last activity of each forum in `forums`: (key, subjects, last).
pub fn activity(r: &ReadTxn<'_>, forums: &[Forum]) -> Result<Vec<(String, i64, Option<i64>)>> {
    let mut st = r
        .sql()
        .prepare("SELECT COUNT(*), MAX(last_at) FROM forum_subjects WHERE forum = ?1")
        .map_err(err("read activity"))?;
    forums
        .iter()
        .map(|f| {
            let (n, last) = st
                .query_row([f.key()], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(err("read activity"))?;
            Ok((f.key(), n, last))
        })
        .collect()
}

pub fn subject(r: &ReadTxn<'_>, id: i64) -> Result<Option<Subject>> {
    Ok(r.sql()
        .query_row(
            &format!("SELECT {SUBJECT_COLUMNS} FROM forum_subjects s WHERE s.id = ?1"),
            [id],
            subject_of,
        )
        .optional()
        .map_err(err("read subject"))?
        .flatten())
}

fn post_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    let hidden_by: Option<String> = row.get(5)?;
    let reason: String = row.get(6)?;
    Ok(Post {
        id: row.get(0)?,
        subject: row.get(1)?,
        author: row.get(2)?,
        body: row.get(3)?,
        created: row.get(4)?,
        hidden: hidden_by.map(|b| (b, reason)),
        deleted: row.get(7)?,
    })
}

const POST_COLUMNS: &str =
    "id, subject_id, author, body, created_at, hidden_by, hidden_reason, deleted";

pub fn posts(r: &ReadTxn<'_>, subject: i64) -> Result<Vec<Post>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {POST_COLUMNS} FROM forum_posts WHERE subject_id = ?1 ORDER BY id"
        ))
        .map_err(err("read posts"))?;
    st.query_map([subject], post_of)
        .map_err(err("read posts"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read posts"))
}

pub fn post(r: &ReadTxn<'_>, id: i64) -> Result<Option<Post>> {
    r.sql()
        .query_row(
            &format!("SELECT {POST_COLUMNS} FROM forum_posts WHERE id = ?1"),
            [id],
            post_of,
        )
        .optional()
        .map_err(err("read post"))
}

/// A new subject with its first message; returns its id.
pub fn add_subject(
    w: &WriteTxn<'_>,
    forum: &Forum,
    title: &str,
    author: &str,
    body: &str,
    at: i64,
) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO forum_subjects(forum, title, author, created_at, last_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        rusqlite::params![forum.key(), title, author, at],
    )
    .map_err(err("add subject"))?;
    let id = c.last_insert_rowid();
    add_post(w, id, author, body, at)?;
    Ok(id)
}

/// A reply; the subject's last activity follows.
pub fn add_post(w: &WriteTxn<'_>, subject: i64, author: &str, body: &str, at: i64) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO forum_posts(subject_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![subject, author, body, at],
    )
    .map_err(err("add post"))?;
    let id = c.last_insert_rowid();
    c.execute(
        "UPDATE forum_subjects SET last_at = ?2 WHERE id = ?1",
        rusqlite::params![subject, at],
    )
    .map_err(err("touch subject"))?;
    Ok(id)
}

pub fn set_pinned(w: &WriteTxn<'_>, subject: i64, on: bool) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE forum_subjects SET pinned = ?2 WHERE id = ?1",
            rusqlite::params![subject, on],
        )
        .map(|_| ())
        .map_err(err("pin subject"))
}

pub fn set_locked(w: &WriteTxn<'_>, subject: i64, on: bool) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE forum_subjects SET locked = ?2 WHERE id = ?1",
            rusqlite::params![subject, on],
        )
        .map(|_| ())
        .map_err(err("lock subject"))
}

pub fn delete_subject(w: &WriteTxn<'_>, subject: i64) -> Result<()> {
    w.sql_mut()
        .execute("DELETE FROM forum_subjects WHERE id = ?1", [subject])
        .map(|_| ())
        .map_err(err("delete subject"))
}

/// Hidden by a moderator (`by`), with why; the open reports on it are settled with it.
pub fn hide(w: &WriteTxn<'_>, post: i64, by: &str, reason: &str, at: i64) -> Result<()> {
    let c = w.sql_mut();
    c.execute(
        "UPDATE forum_posts SET hidden_by = ?2, hidden_reason = ?3 WHERE id = ?1",
        rusqlite::params![post, by, reason],
    )
    .map_err(err("hide post"))?;
    c.execute(
        "UPDATE forum_reports SET resolved_by = ?2, resolved_at = ?3, outcome = 'masque'
         WHERE post_id = ?1 AND resolved_at IS NULL",
        rusqlite::params![post, by, at],
    )
    .map(|_| ())
    .map_err(err("settle reports"))
}

/// Deleted by its author: the text goes.
pub fn delete_post(w: &WriteTxn<'_>, post: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE forum_posts SET deleted = 1, body = '' WHERE id = ?1",
            [post],
        )
        .map(|_| ())
        .map_err(err("delete post"))
}

/// A member's report of a message; false if he had already reported it.
pub fn report(w: &WriteTxn<'_>, post: i64, reporter: &str, reason: &str, at: i64) -> Result<bool> {
    w.sql_mut()
        .execute(
            "INSERT OR IGNORE INTO forum_reports(post_id, reporter, reason, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![post, reporter, reason, at],
        )
        .map(|n| n == 1)
        .map_err(err("report post"))
}

/// The reports not yet handled, oldest first (bounded: a queue, not an archive).
pub fn open_reports(r: &ReadTxn<'_>) -> Result<Vec<Report>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT r.id, r.post_id, p.subject_id, s.forum, r.reporter, r.reason, r.created_at,
                    p.author, p.body
             FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id
             JOIN forum_subjects s ON s.id = p.subject_id
             WHERE r.resolved_at IS NULL ORDER BY r.created_at, r.id LIMIT 500",
        )
        .map_err(err("read reports"))?;
    let rows = st
        .query_map([], |row| {
            let forum: String = row.get(3)?;
            Ok(Forum::parse(&forum).map(|forum| Report {
                id: row.get(0).unwrap_or_default(),
                post: row.get(1).unwrap_or_default(),
                subject: row.get(2).unwrap_or_default(),
                forum,
                reporter: row.get(4).unwrap_or_default(),
                reason: row.get(5).unwrap_or_default(),
                created: row.get(6).unwrap_or_default(),
                post_author: row.get(7).unwrap_or_default(),
                post_body: row.get(8).unwrap_or_default(),
            }))
        })
        .map_err(err("read reports"))?;
    Ok(rows.filter_map(|r| r.ok().flatten()).collect())
}

/// The report `id` and the forum its message is in.
pub fn report_forum(r: &ReadTxn<'_>, id: i64) -> Result<Option<(i64, Forum, bool)>> {
    Ok(r.sql()
        .query_row(
            "SELECT r.post_id, s.forum, r.resolved_at IS NOT NULL
             FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id
             JOIN forum_subjects s ON s.id = p.subject_id WHERE r.id = ?1",
            [id],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(err("read report"))?
        .and_then(|(p, f, done)| Forum::parse(&f).map(|f| (p, f, done))))
}

/// Kept by a moderator: every open report on the message is settled.
pub fn keep(w: &WriteTxn<'_>, post: i64, by: &str, at: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "UPDATE forum_reports SET resolved_by = ?2, resolved_at = ?3, outcome = 'garde'
             WHERE post_id = ?1 AND resolved_at IS NULL",
            rusqlite::params![post, by, at],
        )
        .map(|_| ())
        .map_err(err("keep post"))
}

/// What a person wrote (their data export): (subject title, message, when).
pub fn written_by(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(String, String, i64)>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT s.title, p.body, p.created_at FROM forum_posts p
             JOIN forum_subjects s ON s.id = p.subject_id
             WHERE p.author = ?1 AND p.deleted = 0 ORDER BY p.created_at",
        )
        .map_err(err("read posts"))?;
    st.query_map([login], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read posts"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read posts"))
}

/// Subjects with no message since `before` go, with their messages and reports.
pub fn delete_before(w: &WriteTxn<'_>, before: i64) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM forum_subjects WHERE last_at < ?1", [before])
        .map_err(err("purge subjects"))
}

/// Everyone who wrote or reported.
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT author FROM forum_posts UNION SELECT reporter FROM forum_reports")
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}

/// A departed person's messages lose their text; his reports go.
pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    let c = w.sql_mut();
    let a = c
        .execute(
            "UPDATE forum_posts SET body = '', deleted = 1 WHERE author = ?1 AND deleted = 0",
            [login],
        )
        .map_err(err("purge posts"))?;
    let b = c
        .execute("DELETE FROM forum_reports WHERE reporter = ?1", [login])
        .map_err(err("purge reports"))?;
    Ok(a + b)
}
