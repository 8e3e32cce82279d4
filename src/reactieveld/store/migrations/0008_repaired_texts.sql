-- How many texts of a source were stored repaired (a lone surrogate, which UTF-8 cannot
-- hold, replaced by U+FFFD; see SqliteStore.upsert_page). `reactieveld sources` shows it.
-- A table of its own rather than a column: it can be made again without harm.
CREATE TABLE IF NOT EXISTS source_repairs (
    source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    n INTEGER NOT NULL DEFAULT 0
);
