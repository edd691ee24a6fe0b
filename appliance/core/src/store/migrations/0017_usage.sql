-- Store schema v17: how the ENT is used, kept for the school year's charts (the daily detail
-- in `audience` goes after 40 days).
-- Visits by week (its Monday, French calendar), service and profile; service '' is the ENT as
-- a whole. `visitors` is filled when the week is over, from its people below.
CREATE TABLE usage_weeks (
    week     TEXT NOT NULL,
    service  TEXT NOT NULL,
    profile  TEXT NOT NULL,
    visits   INTEGER NOT NULL,
    visitors INTEGER,
    PRIMARY KEY (week, service, profile)
) STRICT, WITHOUT ROWID;
-- The week's people, each as a keyed hash of (week, login): counted then dropped when the week
-- is folded into usage_weeks; nobody can be followed from one week to the next.
CREATE TABLE usage_week_users (
    week    TEXT NOT NULL,
    service TEXT NOT NULL,
    profile TEXT NOT NULL,
    user    BLOB NOT NULL,
    PRIMARY KEY (week, service, profile, user)
) STRICT, WITHOUT ROWID;
-- Visits by week, hour of the day (French time) and profile.
CREATE TABLE usage_hours (
    week    TEXT NOT NULL,
    hour    INTEGER NOT NULL,
    profile TEXT NOT NULL,
    visits  INTEGER NOT NULL,
    PRIMARY KEY (week, hour, profile)
) STRICT, WITHOUT ROWID;
-- Visits by week, kind of device ('telephone', 'tablette', 'ordinateur') and profile.
CREATE TABLE usage_devices (
    week    TEXT NOT NULL,
    device  TEXT NOT NULL,
    profile TEXT NOT NULL,
    visits  INTEGER NOT NULL,
    PRIMARY KEY (week, device, profile)
) STRICT, WITHOUT ROWID;
