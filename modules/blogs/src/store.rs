//! The module's tables (`blog_…`), inside the store's transactions.

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::{Blog, Comment, Place, Post, Status};

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

fn blog_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Blog>> {
    let place: String = row.get(1)?;
    Ok(Place::parse(&place).map(|place| Blog {
        id: row.get(0).unwrap_or_default(),
        place,
        title: row.get(2).unwrap_or_default(),
        owner: row.get(3).unwrap_or_default(),
        pupils_write: row.get(4).unwrap_or_default(),
        comments: row.get(5).unwrap_or_default(),
        created: row.get(6).unwrap_or_default(),
    }))
}

const BLOG_COLUMNS: &str = "id, place, title, owner, pupils_write, comments, created_at";

/// Every blog (an établissement has tens); the caller keeps those the reader reads.
pub fn blogs(r: &ReadTxn<'_>) -> Result<Vec<Blog>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {BLOG_COLUMNS} FROM blog_blogs ORDER BY title COLLATE NOCASE LIMIT 2000"
        ))
        .map_err(err("read blogs"))?;
    let rows = st.query_map([], blog_of).map_err(err("read blogs"))?;
    Ok(rows.filter_map(|r| r.ok().flatten()).collect())
}

pub fn blog(r: &ReadTxn<'_>, id: i64) -> Result<Option<Blog>> {
    Ok(r.sql()
        .query_row(
            &format!("SELECT {BLOG_COLUMNS} FROM blog_blogs WHERE id = ?1"),
            [id],
            blog_of,
        )
        .optional()
        .map_err(err("read blog"))?
        .flatten())
}

pub fn add_blog(w: &WriteTxn<'_>, b: &Blog) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO blog_blogs(place, title, owner, pupils_write, comments, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            b.place.key(),
            b.title,
            b.owner,
            b.pupils_write,
            b.comments,
            b.created
        ],
    )
    .map_err(err("add blog"))?;
    Ok(c.last_insert_rowid())
}

fn post_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        id: row.get(0)?,
        blog: row.get(1)?,
        title: row.get(2)?,
        body: row.get(3)?,
        author: row.get(4)?,
        status: Status::parse(&row.get::<_, String>(5)?),
        created: row.get(6)?,
        published: row.get(7)?,
    })
}

const POST_COLUMNS: &str = "id, blog_id, title, body, author, status, created_at, published_at";

/// A blog's posts, newest first: the published ones, and the waiting ones too when asked.
pub fn posts(r: &ReadTxn<'_>, blog: i64, limit: usize) -> Result<Vec<Post>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {POST_COLUMNS} FROM blog_posts WHERE blog_id = ?1
             ORDER BY COALESCE(published_at, created_at) DESC, id DESC LIMIT ?2"
        ))
        .map_err(err("read posts"))?;
    st.query_map(
        rusqlite::params![blog, i64::try_from(limit).unwrap_or(i64::MAX)],
        post_of,
    )
    .map_err(err("read posts"))?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(err("read posts"))
}

pub fn post(r: &ReadTxn<'_>, id: i64) -> Result<Option<Post>> {
    r.sql()
        .query_row(
            &format!("SELECT {POST_COLUMNS} FROM blog_posts WHERE id = ?1"),
            [id],
            post_of,
        )
        .optional()
        .map_err(err("read post"))
}

pub fn add_post(w: &WriteTxn<'_>, p: &Post) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO blog_posts(blog_id, title, body, author, status, created_at, published_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            p.blog,
            p.title,
            p.body,
            p.author,
            p.status.as_str(),
            p.created,
            p.published
        ],
    )
    .map_err(err("add post"))?;
    Ok(c.last_insert_rowid())
}

/// A waiting post published; false if it was no longer waiting.
pub fn publish_post(w: &WriteTxn<'_>, id: i64, at: i64) -> Result<bool> {
    w.sql_mut()
        .execute(
            "UPDATE blog_posts SET status = 'publie', published_at = ?2
             WHERE id = ?1 AND status = 'attente'",
            rusqlite::params![id, at],
        )
        .map(|n| n == 1)
        .map_err(err("publish post"))
}

pub fn delete_post(w: &WriteTxn<'_>, id: i64) -> Result<()> {
    w.sql_mut()
        .execute("DELETE FROM blog_posts WHERE id = ?1", [id])
        .map(|_| ())
        .map_err(err("delete post"))
}

fn comment_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: row.get(0)?,
        post: row.get(1)?,
        author: row.get(2)?,
        body: row.get(3)?,
        status: Status::parse(&row.get::<_, String>(4)?),
        created: row.get(5)?,
    })
}

const COMMENT_COLUMNS: &str = "id, post_id, author, body, status, created_at";

/// A post's comments, oldest first (at most 500).
pub fn comments(r: &ReadTxn<'_>, post: i64) -> Result<Vec<Comment>> {
    let mut st = r
        .sql()
        .prepare(&format!(
            "SELECT {COMMENT_COLUMNS} FROM blog_comments WHERE post_id = ?1 ORDER BY id LIMIT 500"
        ))
        .map_err(err("read comments"))?;
    st.query_map([post], comment_of)
        .map_err(err("read comments"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read comments"))
}

pub fn comment(r: &ReadTxn<'_>, id: i64) -> Result<Option<Comment>> {
    r.sql()
        .query_row(
            &format!("SELECT {COMMENT_COLUMNS} FROM blog_comments WHERE id = ?1"),
            [id],
            comment_of,
        )
        .optional()
        .map_err(err("read comment"))
}

/// Posts and comments of a blog waiting for a teacher.
pub fn waiting_count(r: &ReadTxn<'_>, blog: i64) -> Result<usize> {
    r.sql()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM blog_posts WHERE blog_id = ?1 AND status = 'attente')
                  + (SELECT COUNT(*) FROM blog_comments c JOIN blog_posts p ON p.id = c.post_id
                     WHERE p.blog_id = ?1 AND c.status = 'attente')",
            [blog],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| usize::try_from(n).unwrap_or(0))
        .map_err(err("count waiting"))
}

/// Comments on a post at most (beyond, the form says so).
pub const MAX_COMMENTS: i64 = 500;

pub fn comment_count(r: &ReadTxn<'_>, post: i64) -> Result<i64> {
    r.sql()
        .query_row(
            "SELECT COUNT(*) FROM blog_comments WHERE post_id = ?1",
            [post],
            |row| row.get(0),
        )
        .map_err(err("count comments"))
}

pub fn add_comment(w: &WriteTxn<'_>, post: i64, author: &str, body: &str, at: i64) -> Result<i64> {
    let c = w.sql_mut();
    c.execute(
        "INSERT INTO blog_comments(post_id, author, body, status, created_at)
         VALUES (?1, ?2, ?3, 'attente', ?4)",
        rusqlite::params![post, author, body, at],
    )
    .map_err(err("add comment"))?;
    Ok(c.last_insert_rowid())
}

/// A moderator's decision on a waiting comment: published, or removed.
pub fn decide_comment(w: &WriteTxn<'_>, id: i64, publish: bool) -> Result<()> {
    let c = w.sql_mut();
    if publish {
        c.execute(
            "UPDATE blog_comments SET status = 'publie' WHERE id = ?1",
            [id],
        )
    } else {
        c.execute("DELETE FROM blog_comments WHERE id = ?1", [id])
    }
    .map(|_| ())
    .map_err(err("moderate comment"))
}

/// What a person wrote (their data export): (kind, title or text, when).
pub fn written_by(r: &ReadTxn<'_>, login: &str) -> Result<Vec<(String, String, i64)>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT 'billet', title, created_at FROM blog_posts WHERE author = ?1
             UNION ALL SELECT 'commentaire', body, created_at FROM blog_comments WHERE author = ?1
             ORDER BY 3",
        )
        .map_err(err("read writings"))?;
    st.query_map([login], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .map_err(err("read writings"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read writings"))
}

/// Everyone who wrote.
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT author FROM blog_posts UNION SELECT author FROM blog_comments")
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}

/// A departed person's comments go; his posts stay with the class's blog (its teachers
/// published them), under « ancien élève ».
pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM blog_comments WHERE author = ?1", [login])
        .map_err(err("purge comments"))
}

/// Blogs created before `before` go, with their posts (a school year's blog, kept a year).
pub fn delete_before(w: &WriteTxn<'_>, before: i64) -> Result<usize> {
    w.sql_mut()
        .execute(
            "DELETE FROM blog_blogs WHERE created_at < ?1
             AND NOT EXISTS (SELECT 1 FROM blog_posts p WHERE p.blog_id = blog_blogs.id
                             AND p.created_at >= ?1)",
            [before],
        )
        .map_err(err("purge blogs"))
}
