-- Why no resend of a failed write-back can succeed by itself (as SQLite's migration
-- failure_kind): the response view says what to do instead. A row recorded before this
-- column (NULL) is offered a resend as before.
ALTER TABLE outbox ADD COLUMN failure_kind TEXT;
