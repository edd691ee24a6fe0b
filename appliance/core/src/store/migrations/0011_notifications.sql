-- Store schema v11: a person's notifications, how each wants them, the address he gave and
-- checked, and the outbox of e-mails to the établissement's SMTP relay.

-- What a person is told in the ENT. `dedup` is the sender's key: one notification per
-- recipient and key (an absence is told once per demi-journée, not once per course).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    recipient  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    dedup      TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT,
    urgent     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    -- The address of the person's daily summary, while this waits for it.
    digest_to  TEXT,
    UNIQUE (recipient, dedup)
) STRICT;
CREATE INDEX notifications_of ON notifications(recipient, created_at);
CREATE INDEX notifications_unread ON notifications(recipient) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications(recipient) WHERE digest_to IS NOT NULL;

-- How a person wants each type by e-mail: 'immediat', 'quotidien' or 'jamais'. A type not
-- listed takes its default.
CREATE TABLE notify_prefs (
    login    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('immediat', 'quotidien', 'jamais')),
    PRIMARY KEY (login, kind)
) STRICT, WITHOUT ROWID;

-- A person's quiet hours (French time, whole hours); none: 20h to 7h.
CREATE TABLE notify_quiet (
    login      TEXT PRIMARY KEY,
    start_hour INTEGER NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
    end_hour   INTEGER NOT NULL CHECK (end_hour BETWEEN 0 AND 23)
) STRICT;

-- The address a person gave for notifications; used once checked by the link sent to it.
-- Until then (or without one) the annuaire's address is used.
CREATE TABLE mail_addresses (
    login        TEXT PRIMARY KEY,
    address      TEXT NOT NULL,
    token_hash   BLOB,
    requested_at INTEGER NOT NULL,
    verified_at  INTEGER
) STRICT;

-- E-mails for the relay, written in the same transaction as what they tell, kept until the
-- relay accepts them. `key` makes queuing idempotent: one mail per key, ever.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,
    address         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    notification_id INTEGER REFERENCES notifications(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    -- Not before: the end of quiet hours, or the next retry.
    next_at         INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER,
    -- Refused for good (the relay said the address does not exist): not retried.
    failed_at       INTEGER,
    last_error      TEXT
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_of ON mail_outbox(recipient, created_at);
CREATE INDEX mail_outbox_notification ON mail_outbox(notification_id);
