-- Memory sinks follow every field of a tagged response's record that a sync or a write-back
-- changes (0024 followed its text, author name and status, and its thread's title, only).
-- A Discourse post approved from the review queue is renamed (queued-7 becomes its post's
-- id, with its post's url): a sink kept the old id and address for ever. Now also its
-- external id, url, thread, parent, author key and url, text format and edit time, and
-- its thread's url. Not fetched_at (every re-read sets it) nor triage (the journal's).
DROP TRIGGER sink_changes_response;
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

DROP TRIGGER sink_changes_title;
CREATE TRIGGER sink_changes_title AFTER UPDATE OF title, url ON threads
WHEN OLD.title IS NOT NEW.title OR OLD.url IS NOT NEW.url
BEGIN
    INSERT INTO sink_changes (response_id)
    SELECT r.id FROM responses r
    WHERE r.source_id = NEW.source_id AND r.thread_external_id = NEW.external_id
      AND EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'question');
END;
