-- The carnet d'adresses: what each person chose to show of himself (his e-mail from the
-- annuaire, a phone he types). Nothing is shown until he says so.
CREATE TABLE carnet_cards (
    login      TEXT PRIMARY KEY,
    show_email INTEGER NOT NULL DEFAULT 0,
    phone      TEXT NOT NULL DEFAULT '',
    show_phone INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
