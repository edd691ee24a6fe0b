-- The day a devoir is due (ISO date), shown to the pupils; NULL when the teacher set none.
ALTER TABLE devoirs ADD COLUMN due_on TEXT;
