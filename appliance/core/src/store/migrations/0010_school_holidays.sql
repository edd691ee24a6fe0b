-- The school holidays of the établissement (public holidays are computed, not stored).
CREATE TABLE school_holidays (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- ISO dates, both included.
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    UNIQUE (name, first_day, last_day)
);
