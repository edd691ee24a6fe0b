-- The médiacentre: resources the établissement offers (a link, a service signed in through
-- the ENT, a resource of the collectivité's bouquet) to chosen profiles, classes or levels;
-- each person's favourites among them; signets, personal or shared by a teacher with a class.
CREATE TABLE mediacentre_resources (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    editor      TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    -- Space-separated profile ids, class codes and levels the resource is for.
    profiles    TEXT NOT NULL DEFAULT '',
    classes     TEXT NOT NULL DEFAULT '',
    levels      TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE mediacentre_favorites (
    login    TEXT NOT NULL,
    resource INTEGER NOT NULL REFERENCES mediacentre_resources(id) ON DELETE CASCADE,
    PRIMARY KEY (login, resource)
);
CREATE INDEX mediacentre_favorites_resource ON mediacentre_favorites(resource);

CREATE TABLE mediacentre_signets (
    id         INTEGER PRIMARY KEY,
    owner      TEXT NOT NULL,
    -- NULL: the owner's own; else the class it is shared with.
    class      TEXT,
    title      TEXT NOT NULL,
    url        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX mediacentre_signets_owner ON mediacentre_signets(owner);
CREATE INDEX mediacentre_signets_class ON mediacentre_signets(class);
