-- Feeds out: which file of its deliveries each établissement fetched, and when.
CREATE TABLE flux_retraits (
    uai text NOT NULL REFERENCES etablissements,
    fichier text NOT NULL,
    octets bigint NOT NULL,
    retire_le timestamptz NOT NULL,
    PRIMARY KEY (uai, fichier)
);
