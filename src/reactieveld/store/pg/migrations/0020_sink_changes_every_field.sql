-- Memory sinks follow every field of a tagged response's record that a sync or a write-back
-- changes, as SQLite's migration 0025: also its external id (a review queue's post renamed
-- to its post's id when approved), url, thread, parent, author key and url, text format
-- and edit time, and its thread's url. Their writers hold the kept counts' lock as 0018's
-- do (a rename: the page's upsert, a write-back's outcome).
DROP TRIGGER sink_changes_response ON responses;
CREATE TRIGGER sink_changes_response
    AFTER UPDATE OF body_text, body_raw, body_format, author_name, author_key, author_url,
        remote_status, external_id, url, thread_external_id, parent_external_id, updated_at
    ON responses
    FOR EACH ROW WHEN ((OLD.body_text, OLD.body_raw, OLD.body_format, OLD.author_name,
            OLD.author_key, OLD.author_url, OLD.remote_status, OLD.external_id, OLD.url,
            OLD.thread_external_id, OLD.parent_external_id, OLD.updated_at)
        IS DISTINCT FROM (NEW.body_text, NEW.body_raw, NEW.body_format, NEW.author_name,
            NEW.author_key, NEW.author_url, NEW.remote_status, NEW.external_id, NEW.url,
            NEW.thread_external_id, NEW.parent_external_id, NEW.updated_at))
    EXECUTE FUNCTION reactieveld_sink_change();

DROP TRIGGER sink_changes_title ON threads;
CREATE TRIGGER sink_changes_title AFTER UPDATE OF title, url ON threads
    FOR EACH ROW WHEN ((OLD.title, OLD.url) IS DISTINCT FROM (NEW.title, NEW.url))
    EXECUTE FUNCTION reactieveld_sink_change_title();
