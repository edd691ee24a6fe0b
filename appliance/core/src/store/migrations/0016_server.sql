-- Store schema v16: the console's « Serveur » page.
-- Who a session's person was when it began: while the annuaire is unreachable the RUPN can
-- still open the server page (with the profile's own rights, no relation).
ALTER TABLE sessions ADD COLUMN profile TEXT;
ALTER TABLE sessions ADD COLUMN given_name TEXT;
ALTER TABLE sessions ADD COLUMN family_name TEXT;

-- Each backup run, scheduled or asked for, and how it went (a failure included).
CREATE TABLE backup_runs (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    trigger TEXT NOT NULL,   -- 'programmee' or 'manuelle'
    ok      INTEGER NOT NULL,
    folder  TEXT,
    bytes   INTEGER,
    error   TEXT
) STRICT;

-- The problems the server logged lately (the console's list), kept across restarts: the
-- newest 200, one line per part and text, counted.
CREATE TABLE incidents (
    area     TEXT NOT NULL,
    error    INTEGER NOT NULL,
    text     TEXT NOT NULL,
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (area, text)
) STRICT;
CREATE INDEX incidents_last ON incidents(last_at);
