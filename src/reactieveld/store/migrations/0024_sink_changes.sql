-- Memory sinks follow what a sync (or a decision) changes of a tagged response: its text,
-- its author, its status on the platform, its thread's title. The sinks' worker reads this
-- table as it reads the journal (sink_positions.change_id: how far each sink has read it)
-- and compares the response's record with what the sink last got: an edit is "updated",
-- a response that leaves the public record (trash, spam, hidden, deleted) "retracted", one
-- that comes back "tagged" again. Written by triggers, in the writer's own transaction, so
-- every path that changes a response (a page of a sync, a response reported gone, a
-- write-back applied, a decision, an undo) is covered, today's and tomorrow's. Only
-- responses with a planning-question tag: the others are in no sink.
CREATE TABLE sink_changes (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id)
);

ALTER TABLE sink_positions ADD COLUMN change_id INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER sink_changes_response
AFTER UPDATE OF body_text, body_raw, author_name, remote_status ON responses
WHEN (OLD.body_text IS NOT NEW.body_text OR OLD.body_raw IS NOT NEW.body_raw
      OR OLD.author_name IS NOT NEW.author_name OR OLD.remote_status IS NOT NEW.remote_status)
  AND EXISTS (SELECT 1 FROM tags WHERE response_id = NEW.id AND kind = 'question')
BEGIN
    INSERT INTO sink_changes (response_id) VALUES (NEW.id);
END;

CREATE TRIGGER sink_changes_title AFTER UPDATE OF title ON threads
WHEN OLD.title IS NOT NEW.title
BEGIN
    INSERT INTO sink_changes (response_id)
    SELECT r.id FROM responses r
    WHERE r.source_id = NEW.source_id AND r.thread_external_id = NEW.external_id
      AND EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'question');
END;
