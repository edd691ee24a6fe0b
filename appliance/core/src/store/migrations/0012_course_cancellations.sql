-- Occurrences of a course the timetable cancelled (a teacher away, a class out): those who
-- read `courses` for a date (the appels) skip them. Keyed as an occurrence is seen from
-- outside the timetable: its audience, date and start.
CREATE TABLE course_cancellations (
    source    TEXT NOT NULL,
    audience  TEXT NOT NULL,
    date      TEXT NOT NULL,
    start_min INTEGER NOT NULL,
    PRIMARY KEY (audience, date, start_min)
) STRICT, WITHOUT ROWID;
