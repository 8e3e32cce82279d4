-- What the moderator saw of a response's text when deciding (as SQLite's migration
-- text_seen): its digest, compared by a connector that reads the comment before acting.
-- A row queued before this column (NULL) acts as before.
ALTER TABLE outbox ADD COLUMN expected_digest TEXT;
