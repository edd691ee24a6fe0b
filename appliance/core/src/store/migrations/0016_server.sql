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
