-- Vie scolaire v1: appels, their marks (every validation a new version), motifs, and the
-- families' justifications.

-- One appel per course occurrence: a course of the timetable on a day, or one the teacher
-- added (a replacement). `version` 0: not taken yet.
CREATE TABLE vs_appels (
    id        INTEGER PRIMARY KEY,
    day       TEXT NOT NULL,
    start_min INTEGER NOT NULL,
    end_min   INTEGER NOT NULL,
    audience  TEXT NOT NULL,
    is_group  INTEGER NOT NULL,
    subject   TEXT NOT NULL,
    teacher   TEXT NOT NULL,
    added     INTEGER NOT NULL DEFAULT 0,
    version   INTEGER NOT NULL DEFAULT 0,
    taken_by  TEXT,
    taken_at  INTEGER,
    UNIQUE (day, start_min, audience)
) STRICT;
CREATE INDEX vs_appels_teacher ON vs_appels(teacher, day);

-- Each validation of an appel: who, when, how many pupils were on the list (proof it was
-- taken, even with nobody absent).
CREATE TABLE vs_versions (
    appel_id INTEGER NOT NULL REFERENCES vs_appels(id),
    version  INTEGER NOT NULL,
    by_login TEXT NOT NULL,
    at       INTEGER NOT NULL,
    listed   INTEGER NOT NULL,
    PRIMARY KEY (appel_id, version)
) STRICT;

-- The marks of a version; present pupils have none.
CREATE TABLE vs_marks (
    appel_id INTEGER NOT NULL REFERENCES vs_appels(id),
    version  INTEGER NOT NULL,
    pupil    TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('absent', 'retard', 'depart', 'remarque')),
    minutes  INTEGER,
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (appel_id, version, pupil, kind)
) STRICT;
CREATE INDEX vs_marks_pupil ON vs_marks(pupil);

-- Motifs the établissement uses; the legal ones (L.131-8) by default.
CREATE TABLE vs_motifs (
    code      TEXT PRIMARY KEY,
    label     TEXT NOT NULL,
    justifies INTEGER NOT NULL,
    ord       INTEGER NOT NULL
) STRICT;
INSERT INTO vs_motifs(code, label, justifies, ord) VALUES
    ('maladie', 'Maladie de l''enfant', 1, 1),
    ('maladie-contagieuse', 'Maladie transmissible ou contagieuse d''un membre de la famille', 1, 2),
    ('reunion-familiale', 'Réunion solennelle de famille', 1, 3),
    ('transport', 'Difficulté accidentelle des communications', 1, 4),
    ('absence-responsables', 'Absence temporaire des responsables, l''enfant les suivant', 1, 5),
    ('rendez-vous-medical', 'Rendez-vous médical', 1, 6),
    ('autre', 'Autre motif (à apprécier par le CPE)', 0, 7);

-- What a family sends to justify a demi-journée's absence, and what the vie scolaire decided.
CREATE TABLE vs_justifications (
    id          INTEGER PRIMARY KEY,
    pupil       TEXT NOT NULL,
    day         TEXT NOT NULL,
    half        TEXT NOT NULL CHECK (half IN ('matin', 'apres-midi')),
    motif       TEXT NOT NULL,
    message     TEXT NOT NULL,
    piece_name  TEXT,
    piece       BLOB,
    sent_by     TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('attente', 'acceptee', 'refusee')),
    decided_by  TEXT,
    decided_at  INTEGER
) STRICT;
CREATE INDEX vs_justifications_pupil ON vs_justifications(pupil, day);
CREATE INDEX vs_justifications_waiting ON vs_justifications(state) WHERE state = 'attente';
