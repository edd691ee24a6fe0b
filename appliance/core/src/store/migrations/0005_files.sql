-- Quotas set for one person in the console (bytes), over the profile's default.
CREATE TABLE file_quotas (
    login TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL CHECK (bytes > 0)
) STRICT;

-- Work a teacher hands out to a class or group, then collects and returns.
CREATE TABLE devoirs (
    id INTEGER PRIMARY KEY,
    teacher TEXT NOT NULL,
    -- Folder name under devoirs/<teacher>/ in each pupil's space.
    ref TEXT NOT NULL,
    title TEXT NOT NULL,
    -- 'classe' or 'groupe', and its code.
    audience_kind TEXT NOT NULL CHECK (audience_kind IN ('classe', 'groupe')),
    audience TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- Unix time the pupils could see it; NULL while an exam waits to be released.
    released_at INTEGER,
    collected_at INTEGER,
    returned_at INTEGER,
    -- The files handed out (paths inside the devoir's folder), as a JSON array.
    files TEXT NOT NULL DEFAULT '[]',
    UNIQUE (teacher, ref)
) STRICT;

-- Each pupil's copy and where it stands.
CREATE TABLE devoir_copies (
    devoir INTEGER NOT NULL REFERENCES devoirs(id) ON DELETE CASCADE,
    pupil TEXT NOT NULL,
    -- 'prepare' (exam not yet released), 'distribue', 'rendu', 'pas-rendu', 'restitue'
    status TEXT NOT NULL,
    PRIMARY KEY (devoir, pupil)
) STRICT;
