-- The year's periods as the direction set them (none: the default trimestres).
CREATE TABLE notes_periods (
    position     INTEGER PRIMARY KEY,
    first_day    TEXT NOT NULL,
    last_day     TEXT NOT NULL,
    locked_after TEXT NOT NULL,
    of           INTEGER NOT NULL
);

-- The avis the conseil de classe chooses from, as the établissement words them.
CREATE TABLE notes_avis (
    position INTEGER PRIMARY KEY,
    label    TEXT NOT NULL
);
INSERT INTO notes_avis(position, label) VALUES
    (1, 'Félicitations'),
    (2, 'Compliments'),
    (3, 'Encouragements'),
    (4, 'Mise en garde pour le travail'),
    (5, 'Mise en garde pour le comportement');

-- A teacher's appréciation of a pupil in his subject for a period.
CREATE TABLE notes_appreciations (
    period  INTEGER NOT NULL,
    pupil   TEXT NOT NULL,
    subject TEXT NOT NULL,
    text    TEXT NOT NULL,
    by      TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (period, pupil, subject)
) WITHOUT ROWID;

-- The conseil de classe for a pupil: the PP's synthèse, the CPE's appréciation, the avis
-- (its words, kept even if the list changes).
CREATE TABLE notes_conseil (
    period   INTEGER NOT NULL,
    pupil    TEXT NOT NULL,
    synthese TEXT NOT NULL DEFAULT '',
    cpe      TEXT NOT NULL DEFAULT '',
    avis     TEXT NOT NULL DEFAULT '',
    by       TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (period, pupil)
) WITHOUT ROWID;

-- Bulletins: a PDF per pupil, period and version. A draft is replaced when generated again;
-- once published it never changes (a re-edition is a new version).
CREATE TABLE notes_bulletins (
    id             INTEGER PRIMARY KEY,
    period         INTEGER NOT NULL,
    class          TEXT NOT NULL,
    pupil          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    pdf            BLOB NOT NULL,
    generated_by   TEXT NOT NULL,
    generated_at   INTEGER NOT NULL,
    published_from TEXT,
    published_by   TEXT,
    UNIQUE (period, pupil, version)
);
CREATE INDEX notes_bulletins_class ON notes_bulletins(class, period);
CREATE INDEX notes_bulletins_pupil ON notes_bulletins(pupil, period);
CREATE TRIGGER notes_bulletins_published_are_kept BEFORE UPDATE ON notes_bulletins
    WHEN OLD.published_from IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a published bulletin never changes');
END;

-- An évaluation of a teaching group (LV2, option): `class` then holds the group's code.
ALTER TABLE notes_evaluations ADD COLUMN is_group INTEGER NOT NULL DEFAULT 0;

-- Compétences of the socle commun an évaluation assesses (besides or instead of a mark).
ALTER TABLE notes_evaluations ADD COLUMN marked INTEGER NOT NULL DEFAULT 1;
CREATE TABLE notes_evaluation_skills (
    evaluation INTEGER NOT NULL REFERENCES notes_evaluations(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    PRIMARY KEY (evaluation, code)
) WITHOUT ROWID;
-- A pupil's level (1 insuffisante … 4 très bonne) in a composante on an évaluation.
CREATE TABLE notes_skill_levels (
    evaluation INTEGER NOT NULL REFERENCES notes_evaluations(id) ON DELETE CASCADE,
    pupil      TEXT NOT NULL,
    code       TEXT NOT NULL,
    level      INTEGER NOT NULL,
    by         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (evaluation, pupil, code)
) WITHOUT ROWID;
CREATE INDEX notes_skill_levels_pupil ON notes_skill_levels(pupil);
-- The bilan de fin de cycle (6e, 3e): the level the conseil settles per composante.
CREATE TABLE notes_cycle_bilan (
    pupil TEXT NOT NULL,
    code  TEXT NOT NULL,
    level INTEGER NOT NULL,
    by    TEXT NOT NULL,
    at    INTEGER NOT NULL,
    PRIMARY KEY (pupil, code)
) WITHOUT ROWID;

-- Marks the pupil and his family were told of (the notice goes out from the visibility day).
ALTER TABLE notes_marks ADD COLUMN told INTEGER NOT NULL DEFAULT 0;
CREATE INDEX notes_marks_untold ON notes_marks(told) WHERE told = 0;
