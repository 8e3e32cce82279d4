-- The dialogue figures read a period's responses and the threads it touches (as
-- SQLite's migration figure_indexes): the indexes they walk hold every column those
-- statements read, so an index-only scan serves them, not a read of the row (its text)
-- per response. Same keys as before, the columns carried along (INCLUDE).
DROP INDEX responses_created;
CREATE INDEX responses_created ON responses (created_at, id)
    INCLUDE (source_id, remote_status, triage, thread_external_id, role_hint);
DROP INDEX responses_thread;
CREATE INDEX responses_thread ON responses (source_id, thread_external_id, created_at, id)
    INCLUDE (remote_status, role_hint);
