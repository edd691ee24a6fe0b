-- Absences the vie scolaire enters itself (a family's phone call, several days), per
-- demi-journée, counted with those of the appels.
CREATE TABLE vs_reported (
    pupil    TEXT NOT NULL,
    day      TEXT NOT NULL,
    half     TEXT NOT NULL CHECK (half IN ('matin', 'apres-midi')),
    note     TEXT NOT NULL,
    by_login TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (pupil, day, half)
) STRICT, WITHOUT ROWID;
CREATE INDEX vs_reported_day ON vs_reported(day);
