-- Store schema v15: what the AAF says of teaching beyond the annuaire (MEF and subject codes,
-- each person's), kept for the GAR export; and the GAR export's runs.
CREATE TABLE gar_nomenclature (
    kind  TEXT NOT NULL,   -- 'mef' or 'matiere'
    code  TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (kind, code)
) STRICT, WITHOUT ROWID;

-- One row per person of the feed (pupils and staff): `feed::pedagogy::PersonFacts` as JSON.
CREATE TABLE gar_people (
    jointure TEXT PRIMARY KEY,
    facts    TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Each export, dry or real: when, whether it went through, what changed, where it was put.
CREATE TABLE gar_runs (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    dry     INTEGER NOT NULL,
    ok      INTEGER NOT NULL,
    summary TEXT NOT NULL,
    archive TEXT
) STRICT;
