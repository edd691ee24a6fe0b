-- Who pronounced a sanction: the chef d'établissement alone, or the conseil de discipline
-- (the only one who may exclude definitively); the letter's appeal routes depend on it.
ALTER TABLE vs_sanctions ADD COLUMN instance TEXT NOT NULL DEFAULT 'chef';
