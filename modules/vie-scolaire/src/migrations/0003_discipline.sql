-- Punitions (mesures d'ordre intérieur: a list the établissement edits) given by teachers,
-- CPE and direction; sanctions from the national scale (Code de l'éducation R.511-13), given
-- by the direction only.
CREATE TABLE vs_punition_types (
    code    TEXT PRIMARY KEY,
    label   TEXT NOT NULL,
    -- Has a date, times, a supervisor and an attendance check.
    retenue INTEGER NOT NULL,
    -- Needs a written report to the CPE (exclusion ponctuelle de cours).
    report  INTEGER NOT NULL,
    ord     INTEGER NOT NULL
) STRICT;
INSERT INTO vs_punition_types(code, label, retenue, report, ord) VALUES
    ('observation', 'Observation écrite dans le carnet', 0, 0, 1),
    ('excuse', 'Excuse orale ou écrite', 0, 0, 2),
    ('devoir-supplementaire', 'Devoir supplémentaire', 0, 0, 3),
    ('retenue', 'Retenue', 1, 0, 4),
    ('exclusion-cours', 'Exclusion ponctuelle de cours (rapport écrit au CPE)', 0, 1, 5);

CREATE TABLE vs_punitions (
    id            INTEGER PRIMARY KEY,
    pupil         TEXT NOT NULL,
    kind          TEXT NOT NULL REFERENCES vs_punition_types(code),
    reason        TEXT NOT NULL,
    report        TEXT NOT NULL DEFAULT '',
    day           TEXT NOT NULL,
    given_by      TEXT NOT NULL,
    given_at      INTEGER NOT NULL,
    retenue_day   TEXT,
    retenue_start INTEGER,
    retenue_end   INTEGER,
    supervisor    TEXT,
    -- NULL: not checked yet; 1 present; 0 absent.
    attended      INTEGER
) STRICT;
CREATE INDEX vs_punitions_pupil ON vs_punitions(pupil);

CREATE TABLE vs_sanctions (
    id          INTEGER PRIMARY KEY,
    pupil       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('avertissement', 'blame', 'responsabilisation',
                  'exclusion-classe', 'exclusion-etablissement', 'exclusion-service-annexe',
                  'exclusion-definitive')),
    -- Days of an exclusion (8 at most), hours of a mesure de responsabilisation (20 at most).
    length      INTEGER,
    sursis      TEXT NOT NULL CHECK (sursis IN ('aucun', 'total', 'partiel')),
    sursis_days INTEGER,
    reason      TEXT NOT NULL,
    day         TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX vs_sanctions_pupil ON vs_sanctions(pupil);
