-- Cahier de textes: séances (what was done), the work given for a date, attachments copied
-- from the teacher's files (the cahier is an official record: it keeps its own copies).
CREATE TABLE cdt_seances (
    id          INTEGER PRIMARY KEY,
    class_code  TEXT,
    group_code  TEXT,
    subject     TEXT NOT NULL,
    teacher     TEXT NOT NULL,
    date        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    content     TEXT NOT NULL,
    publish_on  TEXT NOT NULL,
    school_year TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((class_code IS NULL) <> (group_code IS NULL))
);
CREATE INDEX cdt_seances_class ON cdt_seances(class_code, date);
CREATE INDEX cdt_seances_group ON cdt_seances(group_code, date);
CREATE INDEX cdt_seances_teacher ON cdt_seances(teacher, date);

CREATE TABLE cdt_travaux (
    id        INTEGER PRIMARY KEY,
    seance_id INTEGER NOT NULL REFERENCES cdt_seances(id) ON DELETE CASCADE,
    due       TEXT NOT NULL,
    text      TEXT NOT NULL,
    minutes   INTEGER
);
CREATE INDEX cdt_travaux_due ON cdt_travaux(due);

CREATE TABLE cdt_pieces (
    id        INTEGER PRIMARY KEY,
    seance_id INTEGER NOT NULL REFERENCES cdt_seances(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    size      INTEGER NOT NULL
);
