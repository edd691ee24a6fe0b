-- An évaluation of a class in a subject, by its teacher.
CREATE TABLE notes_evaluations (
    id           INTEGER PRIMARY KEY,
    teacher      TEXT NOT NULL,
    class        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    title        TEXT NOT NULL,
    day          TEXT NOT NULL,
    -- A decimal as text (« 0.5 »).
    coefficient  TEXT NOT NULL,
    out_of       INTEGER NOT NULL,
    to_twenty    INTEGER NOT NULL,
    -- 'compte', 'si-meilleure', 'formative'.
    counting     TEXT NOT NULL,
    visible_from TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX notes_evaluations_class ON notes_evaluations(class, subject, day);
CREATE INDEX notes_evaluations_teacher ON notes_evaluations(teacher, day);

-- A pupil's mark: a value (decimal as text) or a status (abs, disp, nr, nn).
CREATE TABLE notes_marks (
    evaluation INTEGER NOT NULL REFERENCES notes_evaluations(id) ON DELETE CASCADE,
    pupil      TEXT NOT NULL,
    value      TEXT,
    status     TEXT,
    by         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (evaluation, pupil)
) WITHOUT ROWID;
CREATE INDEX notes_marks_pupil ON notes_marks(pupil);

-- Every mark ever entered or changed, with who and when (nothing is overwritten unseen).
CREATE TABLE notes_mark_history (
    id         INTEGER PRIMARY KEY,
    evaluation INTEGER NOT NULL,
    pupil      TEXT NOT NULL,
    value      TEXT,
    status     TEXT,
    by         TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX notes_mark_history_mark ON notes_mark_history(evaluation, pupil);
