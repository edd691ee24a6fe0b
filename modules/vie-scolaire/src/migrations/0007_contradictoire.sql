-- The procédure contradictoire before a sanction: when the pupil and his family were told of
-- the facts and of their right to present their defence, and what they said.
ALTER TABLE vs_sanctions ADD COLUMN heard_day TEXT;
ALTER TABLE vs_sanctions ADD COLUMN observations TEXT NOT NULL DEFAULT '';
