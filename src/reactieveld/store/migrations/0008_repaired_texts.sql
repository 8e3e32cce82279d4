-- How many texts of a source were stored repaired (a lone surrogate, which UTF-8 cannot
-- hold, replaced by U+FFFD; see SqliteStore.upsert_page). `reactieveld sources` shows it.
ALTER TABLE sources ADD COLUMN repaired INTEGER NOT NULL DEFAULT 0;
