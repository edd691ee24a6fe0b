-- The établissements and what they send. Every table is keyed by UAI first: a page per
-- établissement reads one index range; the dashboard reads the latest state per UAI.
CREATE TABLE etablissements (
    uai text PRIMARY KEY,
    nom text NOT NULL,
    ajoute_le timestamptz NOT NULL,
    revoque_le timestamptz,
    dernier_message timestamptz
);

-- Every message as received, once per (UAI, key): a message sent again is acknowledged and
-- ignored.
CREATE TABLE messages (
    uai text NOT NULL REFERENCES etablissements,
    cle text NOT NULL,
    type text NOT NULL,
    corps jsonb NOT NULL,
    recu_le timestamptz NOT NULL,
    PRIMARY KEY (uai, cle)
);
CREATE INDEX messages_par_date ON messages (uai, recu_le DESC);

CREATE TABLE indicateurs (
    uai text NOT NULL REFERENCES etablissements,
    jour date NOT NULL,
    service text NOT NULL,
    profil text NOT NULL,
    visites bigint NOT NULL,
    visiteurs bigint NOT NULL,
    PRIMARY KEY (uai, jour, service, profil)
);
-- Across établissements, by period.
CREATE INDEX indicateurs_par_jour ON indicateurs (jour);

CREATE TABLE etats (
    uai text NOT NULL REFERENCES etablissements,
    jour date NOT NULL,
    version text NOT NULL,
    genere_le timestamptz NOT NULL,
    dernier_import timestamptz,
    derniere_sauvegarde timestamptz,
    sauvegarde_configuree boolean,
    disque_libre bigint NOT NULL,
    disque_total bigint NOT NULL,
    en_attente bigint NOT NULL,
    comptes jsonb NOT NULL,
    PRIMARY KEY (uai, jour)
);

CREATE TABLE imports (
    uai text NOT NULL REFERENCES etablissements,
    livraison text NOT NULL,
    le timestamptz NOT NULL,
    refus text,
    resultat jsonb NOT NULL,
    PRIMARY KEY (uai, livraison)
);
CREATE INDEX imports_par_date ON imports (uai, le DESC);

CREATE TABLE exports_gar (
    uai text NOT NULL REFERENCES etablissements,
    le timestamptz NOT NULL,
    ok boolean NOT NULL,
    resume text NOT NULL,
    archive text,
    PRIMARY KEY (uai, le)
);

-- The académie's staff who read the dashboard.
CREATE TABLE comptes (
    login text PRIMARY KEY,
    nom text NOT NULL,
    condensat text NOT NULL,
    cree_le timestamptz NOT NULL
);

CREATE TABLE sessions (
    jeton bytea PRIMARY KEY,         -- SHA-256 of the cookie's token
    login text NOT NULL REFERENCES comptes ON DELETE CASCADE,
    csrf text NOT NULL,
    expire_le timestamptz NOT NULL
);
CREATE INDEX sessions_par_compte ON sessions (login);
