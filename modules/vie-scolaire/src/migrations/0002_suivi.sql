-- The pupil's file: every contact with the family (date, means, who) and every measure taken,
-- as the circulaire on assiduité asks.
CREATE TABLE vs_suivi (
    id       INTEGER PRIMARY KEY,
    pupil    TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('contact', 'mesure')),
    day      TEXT NOT NULL,
    means    TEXT NOT NULL DEFAULT '',
    note     TEXT NOT NULL,
    by_login TEXT NOT NULL,
    at       INTEGER NOT NULL
) STRICT;
CREATE INDEX vs_suivi_pupil ON vs_suivi(pupil, day);
