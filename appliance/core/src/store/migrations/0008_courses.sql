-- The établissement's weekly courses, as the timetable publishes them, for whoever needs
-- them without depending on the timetable (the cahier de textes offers a teacher his
-- courses). One row per course and teacher.
CREATE TABLE courses (
    source     TEXT NOT NULL,
    teacher    TEXT NOT NULL,
    class_code TEXT,
    group_code TEXT,
    subject    TEXT NOT NULL,
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 7),
    start_min  INTEGER NOT NULL,
    end_min    INTEGER NOT NULL,
    weeks      TEXT NOT NULL,
    CHECK ((class_code IS NULL) <> (group_code IS NULL))
);
CREATE INDEX courses_teacher ON courses(teacher);
