-- Blogs: a class's or a group's (`classe:<code>`, `groupe:<code>`), created by a teacher;
-- their posts (a pupil's waits for a teacher's validation) and comments (always moderated).
CREATE TABLE blog_blogs (
    id           INTEGER PRIMARY KEY,
    place        TEXT NOT NULL,
    title        TEXT NOT NULL,
    owner        TEXT NOT NULL,
    pupils_write INTEGER NOT NULL DEFAULT 0,
    comments     INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL
);
CREATE INDEX blog_blogs_place ON blog_blogs(place);

CREATE TABLE blog_posts (
    id           INTEGER PRIMARY KEY,
    blog_id      INTEGER NOT NULL REFERENCES blog_blogs(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    author       TEXT NOT NULL,
    -- 'attente' (a pupil's, until a teacher publishes it) or 'publie'.
    status       TEXT NOT NULL CHECK (status IN ('attente', 'publie')),
    created_at   INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX blog_posts_blog ON blog_posts(blog_id, status, published_at);
CREATE INDEX blog_posts_author ON blog_posts(author);

CREATE TABLE blog_comments (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES blog_posts(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('attente', 'publie')),
    created_at INTEGER NOT NULL
);
CREATE INDEX blog_comments_post ON blog_comments(post_id, status);
CREATE INDEX blog_comments_author ON blog_comments(author);
