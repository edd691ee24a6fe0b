-- Emploi du temps: weekly courses, changes of one occurrence, iCal subscriptions.
CREATE TABLE edt_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE edt_courses (
    id         INTEGER PRIMARY KEY,
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 7),
    start_min  INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min    INTEGER NOT NULL CHECK (end_min > start_min AND end_min <= 1440),
    weeks      TEXT NOT NULL CHECK (weeks IN ('H', 'A', 'B')),
    subject    TEXT NOT NULL,
    class_code TEXT,
    group_code TEXT,
    room       TEXT NOT NULL DEFAULT '',
    CHECK ((class_code IS NULL) <> (group_code IS NULL))
);
CREATE INDEX edt_courses_class ON edt_courses(class_code);
CREATE INDEX edt_courses_group ON edt_courses(group_code);

CREATE TABLE edt_course_teachers (
    course_id INTEGER NOT NULL REFERENCES edt_courses(id) ON DELETE CASCADE,
    login     TEXT NOT NULL,
    PRIMARY KEY (course_id, login)
);
CREATE INDEX edt_course_teachers_login ON edt_course_teachers(login);

CREATE TABLE edt_changes (
    course_id INTEGER NOT NULL REFERENCES edt_courses(id) ON DELETE CASCADE,
    date      TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('annule', 'salle')),
    room      TEXT,
    note      TEXT NOT NULL DEFAULT '',
    by_login  TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (course_id, date)
);
CREATE INDEX edt_changes_date ON edt_changes(date);

-- One secret iCal address per person; only its SHA-256 is kept.
CREATE TABLE edt_feeds (
    login        TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);
