-- Secret calendar addresses (iCal subscriptions) of the modules: one per module and person;
-- only the SHA-256 of the secret is kept.
CREATE TABLE module_feeds (
    module       TEXT NOT NULL,
    login        TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (module, login)
);
