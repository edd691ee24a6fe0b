-- Actualités: channels with their contributors and publishers, items with their audiences,
-- and who has read the important ones.
CREATE TABLE actu_channels (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE actu_channel_roles (
    channel_id INTEGER NOT NULL REFERENCES actu_channels(id) ON DELETE CASCADE,
    login      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('contributeur', 'publieur')),
    PRIMARY KEY (channel_id, login)
);
CREATE INDEX actu_channel_roles_login ON actu_channel_roles(login);

CREATE TABLE actu_items (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL REFERENCES actu_channels(id),
    kind         TEXT NOT NULL CHECK (kind IN ('info', 'menu')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    from_at      INTEGER NOT NULL,
    until_at     INTEGER,
    pinned       INTEGER NOT NULL DEFAULT 0,
    headline     INTEGER NOT NULL DEFAULT 0,
    important    INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL CHECK (status IN ('attente', 'publiee', 'refusee')),
    refusal      TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL,
    publisher    TEXT,
    created_at   INTEGER NOT NULL,
    -- Set once its audience has been told (at publication, or when its window opens).
    announced_at INTEGER,
    CHECK (until_at IS NULL OR until_at > from_at)
);
CREATE INDEX actu_items_from ON actu_items(status, from_at);
CREATE INDEX actu_items_author ON actu_items(author);

-- kind: tous | personnels | eleves | parents (code '') | niveau | classe | parents (code set).
CREATE TABLE actu_audiences (
    item_id INTEGER NOT NULL REFERENCES actu_items(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    PRIMARY KEY (item_id, audience)
);

CREATE TABLE actu_reads (
    item_id INTEGER NOT NULL REFERENCES actu_items(id) ON DELETE CASCADE,
    login   TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (item_id, login)
);
CREATE INDEX actu_reads_login ON actu_reads(login);
