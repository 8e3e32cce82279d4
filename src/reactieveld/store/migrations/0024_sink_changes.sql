-- Memory sinks follow every field of a tagged response's record that a sync, a write-back
-- or a decision changes: its text and text format, its author (name, key, url), its status
-- on the platform, its external id, url, thread, parent and edit time, and its thread's
-- title and url. Not fetched_at (every re-read sets it) nor triage (the journal's). A
-- Discourse post approved from the review queue is renamed (queued-7 becomes its post's
-- id, with its post's url): the sink gets the new id and address.
-- The sinks' worker reads this table as it reads the journal (sink_positions.change_id:
-- how far each sink has read it) and compares the response's record with what the sink
-- last got: an edit is "updated", a response that leaves the public record (trash, spam,
-- hidden, deleted) "retracted", one that comes back "tagged" again. Written by triggers,
-- in the writer's own transaction, so every path that changes a response (a page of a
-- sync, a response reported gone, a write-back applied, a decision, an undo) is covered,
-- today's and tomorrow's. Only responses with a planning-question tag: the others are in
-- no sink.
CREATE TABLE sink_changes (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id)
);

ALTER TABLE sink_positions ADD COLUMN change_id INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER sink_changes_response
AFTER UPDATE OF body_text, body_raw, body_format, author_name, author_key, author_url,
    remote_status, external_id, url, thread_external_id, parent_external_id, updated_at
ON responses
WHEN (OLD.body_text IS NOT NEW.body_text OR OLD.body_raw IS NOT NEW.body_raw
      OR OLD.body_format IS NOT NEW.body_format OR OLD.author_name IS NOT NEW.author_name
      OR OLD.author_key IS NOT NEW.author_key OR OLD.author_url IS NOT NEW.author_url
      OR OLD.remote_status IS NOT NEW.remote_status OR OLD.external_id IS NOT NEW.external_id
      OR OLD.url IS NOT NEW.url OR OLD.thread_external_id IS NOT NEW.thread_external_id
      OR OLD.parent_external_id IS NOT NEW.parent_external_id
      OR OLD.updated_at IS NOT NEW.updated_at)
  AND EXISTS (SELECT 1 FROM tags WHERE response_id = NEW.id AND kind = 'question')
BEGIN
    INSERT INTO sink_changes (response_id) VALUES (NEW.id);
END;

CREATE TRIGGER sink_changes_title AFTER UPDATE OF title, url ON threads
WHEN OLD.title IS NOT NEW.title OR OLD.url IS NOT NEW.url
BEGIN
    INSERT INTO sink_changes (response_id)
    SELECT r.id FROM responses r
    WHERE r.source_id = NEW.source_id AND r.thread_external_id = NEW.external_id
      AND EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'question');
END;
