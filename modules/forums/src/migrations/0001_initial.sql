-- Forums: one per class (`classe:<code>`) and per group (`groupe:<code>`), implicit; their
-- subjects, the messages in them, and the reports members make of a message.
CREATE TABLE forum_subjects (
    id         INTEGER PRIMARY KEY,
    forum      TEXT NOT NULL,
    title      TEXT NOT NULL,
    author     TEXT NOT NULL,
    pinned     INTEGER NOT NULL DEFAULT 0,
    locked     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_at    INTEGER NOT NULL
);
CREATE INDEX forum_subjects_forum ON forum_subjects(forum, pinned, last_at);

CREATE TABLE forum_posts (
    id            INTEGER PRIMARY KEY,
    subject_id    INTEGER NOT NULL REFERENCES forum_subjects(id) ON DELETE CASCADE,
    author        TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    -- A moderator's: who hid it and why (the text is kept for the moderators).
    hidden_by     TEXT,
    hidden_reason TEXT NOT NULL DEFAULT '',
    -- Deleted by its author: the text is gone.
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX forum_posts_subject ON forum_posts(subject_id, id);
CREATE INDEX forum_posts_author ON forum_posts(author);

CREATE TABLE forum_reports (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES forum_posts(id) ON DELETE CASCADE,
    reporter    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_by TEXT,
    resolved_at INTEGER,
    -- 'masque' (the message was hidden) or 'garde' (kept).
    outcome     TEXT,
    UNIQUE (post_id, reporter)
);
CREATE INDEX forum_reports_open ON forum_reports(resolved_at);
