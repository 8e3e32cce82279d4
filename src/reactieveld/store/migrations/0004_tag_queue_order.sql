-- Queues filtered by one question (or role) page through this index in queue order,
-- whatever the tag's density: a tag carries its response's created_at (which never
-- changes). Without it, a rare question meant scanning the whole queue for 50 rows.
ALTER TABLE tags ADD COLUMN response_created INTEGER;
UPDATE tags SET response_created =
    (SELECT r.created_at FROM responses r WHERE r.id = tags.response_id);
CREATE INDEX tags_queue ON tags (kind, code, response_created, response_id);
-- A tag written without it (another tool) still gets it.
CREATE TRIGGER tags_response_created AFTER INSERT ON tags
WHEN NEW.response_created IS NULL
BEGIN
    UPDATE tags SET response_created =
        (SELECT r.created_at FROM responses r WHERE r.id = NEW.response_id)
    WHERE response_id = NEW.response_id AND kind = NEW.kind AND code = NEW.code;
END;
