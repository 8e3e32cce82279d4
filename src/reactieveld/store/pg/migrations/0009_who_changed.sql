-- Who changed a response after a moderator saw it (as SQLite's migration 0016): the
-- version each journal entry made, and the version the platform's last change (a sync
-- saw its text or status change) made; NULL for what was stored before.
ALTER TABLE actions ADD COLUMN version INTEGER;
ALTER TABLE responses ADD COLUMN site_version INTEGER;
