-- Store schema v1: metadata, the embedded directory, sessions.
-- Sessions name the login, not a row of people, so they work with any directory backend.
-- Times are unix seconds (UTC).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE structures (
    id   INTEGER PRIMARY KEY,
    uai  TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    jointure             TEXT UNIQUE,
    profile              TEXT NOT NULL,
    given_name           TEXT NOT NULL,
    family_name          TEXT NOT NULL,
    email                TEXT,
    birth_date           TEXT,
    structure_id         INTEGER REFERENCES structures(id),
    password_hash        TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    state                TEXT NOT NULL DEFAULT 'active'
                         CHECK (state IN ('active', 'disabled', 'deleted')),
    state_since          INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    last_login_at        INTEGER
) STRICT;

-- Every login ever given, so none is reused for another person after deletion.
CREATE TABLE logins_used (
    login TEXT PRIMARY KEY
) STRICT;

CREATE TABLE classes (
    id           INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    code         TEXT NOT NULL,
    label        TEXT NOT NULL,
    UNIQUE (structure_id, code)
) STRICT;

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    code         TEXT NOT NULL,
    label        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('groupe', 'equipe', 'service')),
    UNIQUE (structure_id, code)
) STRICT;

CREATE TABLE class_pupils (
    class_id  INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, person_id)
) STRICT;
CREATE INDEX class_pupils_person ON class_pupils(person_id);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
) STRICT;
CREATE INDEX group_members_person ON group_members(person_id);

CREATE TABLE teachings (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    class_id  INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    subject   TEXT NOT NULL,
    PRIMARY KEY (person_id, class_id, subject)
) STRICT;
CREATE INDEX teachings_class ON teachings(class_id);

CREATE TABLE principal_teachers (
    class_id  INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, person_id)
) STRICT;

CREATE TABLE responsables (
    child_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    parent_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    level     INTEGER NOT NULL CHECK (level IN (1, 2)),
    PRIMARY KEY (child_id, parent_id)
) STRICT;
CREATE INDEX responsables_parent ON responsables(parent_id);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    login        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_login ON sessions(login);
