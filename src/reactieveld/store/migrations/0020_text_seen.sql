-- What the moderator saw of a response's text when deciding: its digest
-- (model_values.text_digest of body_text and body_raw's link targets). A connector that
-- reads the comment before acting compares it, and an approval of a comment edited on
-- the site since is a conflict, never published unseen. A row queued before this column
-- (NULL) acts as before. One statement: renumbered freely when migrations meet.
ALTER TABLE outbox ADD COLUMN expected_digest TEXT;
