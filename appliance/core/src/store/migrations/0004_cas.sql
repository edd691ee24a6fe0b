-- Store schema v4: CAS tickets. Service and proxy tickets are single use (`used_at`) and
-- short-lived (`expires_at`); proxy granting tickets last as long as the session. All are tied
-- to the session that got them, so that signing out reaches every service (single logout).
CREATE TABLE cas_tickets (
    ticket     TEXT PRIMARY KEY,
    -- ST (service), PT (proxy), PGT (proxy granting).
    kind       TEXT NOT NULL CHECK (kind IN ('ST', 'PT', 'PGT')),
    -- For a PGT, its callback URL; for a PT, the proxy it was issued through.
    proxy      TEXT,
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
