-- Each ENT module migrates its own tables; the version it reached is kept here.
CREATE TABLE module_versions (
    module  TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
