-- Réservations: types of resources (who may book, how far ahead, validated or not), the
-- resources (a room named as the timetable names it, or equipment with a quantity), and the
-- bookings, each occurrence of a weekly series a row of its own.
CREATE TABLE resa_types (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    -- Profiles who may book (`enseignant,vie-scolaire`…).
    profiles    TEXT NOT NULL,
    days_ahead  INTEGER NOT NULL CHECK (days_ahead BETWEEN 1 AND 366),
    validation  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE resa_resources (
    id       INTEGER PRIMARY KEY,
    type_id  INTEGER NOT NULL REFERENCES resa_types(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    -- The timetable's name of the room; empty for equipment.
    room     TEXT NOT NULL DEFAULT '',
    UNIQUE (type_id, name)
);

CREATE TABLE resa_bookings (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resa_resources(id) ON DELETE CASCADE,
    login       TEXT NOT NULL,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 1),
    status      TEXT NOT NULL CHECK (status IN ('attente', 'validee', 'refusee')),
    reason      TEXT NOT NULL DEFAULT '',
    -- The occurrences booked together share it (the first one's id).
    series      INTEGER,
    decided_by  TEXT,
    refusal     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    CHECK (end_at > start_at)
);
CREATE INDEX resa_bookings_time ON resa_bookings(resource_id, start_at);
CREATE INDEX resa_bookings_login ON resa_bookings(login, start_at);
CREATE INDEX resa_bookings_status ON resa_bookings(status);
