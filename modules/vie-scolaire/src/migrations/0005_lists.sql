-- The motifs and punitions lists are the établissement's: entries are added, and withdrawn
-- (hidden from the forms, kept for what already uses them).
ALTER TABLE vs_motifs ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vs_punition_types ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
