-- Store schema v3: audience (which service each profile used, per day, for the académie's
-- indicators) and the outbox of what is to be sent to the académie.

-- One row per day, service, profile and user; the user is a keyed hash that changes every
-- day, so distinct users can be counted without keeping who they are.
CREATE TABLE audience (
    day     TEXT NOT NULL,
    service TEXT NOT NULL,
    profile TEXT NOT NULL,
    user    BLOB NOT NULL,
    visits  INTEGER NOT NULL,
    PRIMARY KEY (day, service, profile, user)
) STRICT, WITHOUT ROWID;

-- Messages to the académie, kept until acknowledged. `key` is the idempotency key sent with
-- each attempt: a message resent after a lost answer is recognised, never counted twice.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    sent_at    INTEGER,
    last_error TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(sent_at, next_at);
