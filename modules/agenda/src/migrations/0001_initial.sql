-- Agendas: the établissement's events (owner NULL) with the audiences they are published
-- to, and each person's own events (owner = login, seen by nobody else).
CREATE TABLE agenda_events (
    id          INTEGER PRIMARY KEY,
    owner       TEXT,
    title       TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    day         TEXT NOT NULL,
    start_min   INTEGER,
    end_min     INTEGER,
    author      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK ((start_min IS NULL) = (end_min IS NULL)),
    CHECK (end_min IS NULL OR end_min > start_min)
);
CREATE INDEX agenda_events_day ON agenda_events(day);
CREATE INDEX agenda_events_owner ON agenda_events(owner, day);

-- kind: tous | personnels | classe | parents (code: the class).
CREATE TABLE agenda_audiences (
    event_id INTEGER NOT NULL REFERENCES agenda_events(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('tous', 'personnels', 'classe', 'parents')),
    code     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, kind, code)
);
