-- The dialogue figures (store/figures.py) read a period's responses and the threads it
-- touches; the indexes they walk now hold every column those statements read, so the
-- figures never look up the row itself (1.4 KB with its text): on a 1,000,000-response
-- memory every response of the period was a read of the table's page, 8-13 s for 30
-- days. Same keys as before (the queue's order by arrival, a thread's rows by time),
-- columns added at the end. (responses_source stays as it was: a wider one changed
-- which index SQLite chose for a source's tab; the figures of sources that are a large
-- part of the memory walk the period's index, of a small part their own.)
DROP INDEX responses_created;
CREATE INDEX responses_created ON responses (
    created_at, id, source_id, remote_status, triage, thread_external_id, role_hint
);
DROP INDEX responses_thread;
CREATE INDEX responses_thread ON responses (
    source_id, thread_external_id, created_at, id, remote_status, role_hint
);
