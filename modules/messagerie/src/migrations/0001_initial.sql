-- A message as written: one row, whoever reads it. Drafts are messages not sent yet.
CREATE TABLE msg_messages (
    id          INTEGER PRIMARY KEY,
    -- The first message of the conversation (itself for a new one).
    thread      INTEGER NOT NULL,
    -- The message answered or forwarded.
    parent      INTEGER,
    sender      TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- 'brouillon', 'envoye', 'rappele'.
    state       TEXT NOT NULL,
    no_reply    INTEGER NOT NULL DEFAULT 0,
    -- The addressees as chosen (people and lists, with their place: a, cc, cci), JSON.
    addressees  TEXT NOT NULL DEFAULT '[]',
    -- How many people it reached (the rate limits count them).
    reached     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX msg_messages_thread ON msg_messages(thread);
CREATE INDEX msg_messages_sent ON msg_messages(sender, sent_at);

-- Each person's copy: where it is in his messagerie, read or not.
CREATE TABLE msg_boxes (
    owner      TEXT NOT NULL,
    message    INTEGER NOT NULL REFERENCES msg_messages(id) ON DELETE CASCADE,
    -- 'de' (his own), 'a', 'cc', 'cci'.
    role       TEXT NOT NULL,
    -- 'reception', 'envoyes', 'brouillons', 'corbeille', or 'dossier:<id>'.
    place      TEXT NOT NULL,
    -- Where it was before the corbeille (to restore it).
    before     TEXT,
    unread     INTEGER NOT NULL DEFAULT 0,
    read_at    INTEGER,
    -- When it reached this place (the corbeille is emptied by age).
    at         INTEGER NOT NULL,
    PRIMARY KEY (owner, message)
) WITHOUT ROWID;
CREATE INDEX msg_boxes_place ON msg_boxes(owner, place, message);
CREATE INDEX msg_boxes_unread ON msg_boxes(owner) WHERE unread = 1;
CREATE INDEX msg_boxes_message ON msg_boxes(message);

-- Attachments, kept with the message; the bytes are in the file tree, named by their hash.
CREATE TABLE msg_pieces (
    id       INTEGER PRIMARY KEY,
    message  INTEGER NOT NULL REFERENCES msg_messages(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    mime     TEXT NOT NULL
);
CREATE INDEX msg_pieces_message ON msg_pieces(message);
CREATE INDEX msg_pieces_hash ON msg_pieces(hash);

CREATE TABLE msg_folders (
    id    INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name  TEXT NOT NULL,
    UNIQUE (owner, name)
);

-- The communication rules, once the RUPN has changed them (until then: the defaults).
CREATE TABLE msg_rules (
    profile TEXT NOT NULL,
    scope   TEXT NOT NULL,
    PRIMARY KEY (profile, scope)
) WITHOUT ROWID;
CREATE TABLE msg_rules_edited (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    by  TEXT NOT NULL,
    at  INTEGER NOT NULL
);

-- Sending suspended for a profile, or 'tous' (everyone but the staff).
CREATE TABLE msg_suspensions (
    who   TEXT PRIMARY KEY,
    by    TEXT NOT NULL,
    at    INTEGER NOT NULL
);

-- Per-profile limits per sender and hour, where the RUPN changed the defaults.
CREATE TABLE msg_limits (
    profile    TEXT PRIMARY KEY,
    messages   INTEGER NOT NULL,
    recipients INTEGER NOT NULL
);

-- A sender who reached his limit (the RUPN is told once an hour per sender).
CREATE TABLE msg_alerts (
    id     INTEGER PRIMARY KEY,
    sender TEXT NOT NULL,
    what   TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX msg_alerts_sender ON msg_alerts(sender, at);

-- A message a recipient reported: hidden for him, shown to the RUPN and the direction.
CREATE TABLE msg_reports (
    id          INTEGER PRIMARY KEY,
    message     INTEGER NOT NULL REFERENCES msg_messages(id) ON DELETE CASCADE,
    reporter    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    handled_by  TEXT,
    handled_at  INTEGER,
    UNIQUE (message, reporter)
);
