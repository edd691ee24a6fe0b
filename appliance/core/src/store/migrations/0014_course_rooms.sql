-- The room of each weekly course, as the timetable publishes it: what a room booking must not
-- overlap (réservations), freed by a cancelled occurrence.
ALTER TABLE courses ADD COLUMN room TEXT NOT NULL DEFAULT '';
