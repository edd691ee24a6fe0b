-- How absences are counted (demi-journée, heure or journée) and the alert threshold: the
-- établissement's settings, one row each.
CREATE TABLE vs_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- A class's or group's sortie (trip, outing): its pupils taking part are not absent from the
-- courses it covers. The participants are listed (all the audience's pupils by default; the
-- vie scolaire unticks those who stay).
CREATE TABLE vs_sorties (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL,
    audience   TEXT NOT NULL,
    is_group   INTEGER NOT NULL,
    day_from   TEXT NOT NULL,
    start_min  INTEGER NOT NULL,
    day_to     TEXT NOT NULL,
    end_min    INTEGER NOT NULL,
    by_login   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    -- Cancelled sorties are kept (who cancelled is in the journal), not counted.
    cancelled  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX vs_sorties_days ON vs_sorties(day_from, day_to);

CREATE TABLE vs_sortie_pupils (
    sortie_id INTEGER NOT NULL REFERENCES vs_sorties(id),
    pupil     TEXT NOT NULL,
    PRIMARY KEY (sortie_id, pupil)
) STRICT, WITHOUT ROWID;
CREATE INDEX vs_sortie_pupils_pupil ON vs_sortie_pupils(pupil);

-- A pupil dispensed from a subject (EPS, with a medical certificate) over some days; with
-- attendance he still comes to the course, without it he is not absent from it.
CREATE TABLE vs_dispenses (
    id         INTEGER PRIMARY KEY,
    pupil      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    day_from   TEXT NOT NULL,
    day_to     TEXT NOT NULL,
    attendance INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    by_login   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    withdrawn  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX vs_dispenses_pupil ON vs_dispenses(pupil);
CREATE INDEX vs_dispenses_days ON vs_dispenses(day_from, day_to);
