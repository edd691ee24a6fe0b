-- Store schema v4: CAS service tickets. Single use (`used_at`), short-lived (`expires_at`),
-- tied to the session that got them so that signing out reaches every service (single
-- logout).
CREATE TABLE cas_tickets (
    ticket     TEXT PRIMARY KEY,
    service    TEXT NOT NULL,
    login      TEXT NOT NULL,
    session    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Issued right after the person typed their password (CAS `renew`).
    renewed    INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX cas_tickets_session ON cas_tickets(session);
