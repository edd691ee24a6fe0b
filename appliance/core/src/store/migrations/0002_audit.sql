-- Store schema v2: the audit log of account changes, and tombstones of deleted accounts.

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    -- Who did it: a login, or `cartabled` / `import` / `lifecycle` for the system.
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_target ON audit_log(target, at);
CREATE INDEX audit_log_at ON audit_log(at);

-- What is kept of a deleted account: enough to say it was deleted, nothing personal.
CREATE TABLE tombstones (
    login      TEXT PRIMARY KEY,
    jointure   TEXT,
    profile    TEXT NOT NULL,
    deleted_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tombstones_jointure ON tombstones(jointure);
