-- The Samba AD domain (issue 19). Which accounts' passwords the domain holds: `set` once
-- cartable wrote the ENT password there, `pending` while it is owed (the domain was down when
-- the ENT set it; the next ENT sign-in, which has the password, pays it). No password is kept.
CREATE TABLE domain_passwords (
    login TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('set', 'pending')),
    at INTEGER NOT NULL,
    -- The key version (msDS-KeyVersionNumber) AD gave cartable's write: a change reported
    -- with another one was made elsewhere (a Windows PC).
    kvno INTEGER
);

-- Each comparison of the domain with the annuaire: what differed and what was repaired.
CREATE TABLE domain_runs (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    differences INTEGER NOT NULL,
    repaired INTEGER NOT NULL,
    error TEXT
);
