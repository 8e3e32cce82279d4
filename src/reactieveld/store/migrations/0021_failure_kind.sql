-- Why no resend of a failed write-back can succeed by itself (model_values.FAILURE_KINDS:
-- the comment is gone from the site, comments are closed...), as the outbox recorded it
-- from the connector's answer: the response view says what to do instead, and the
-- decision's key does not send it again where it can never succeed. A row recorded
-- before this column (NULL) is offered a resend as before. One statement: renumbered
-- freely when migrations meet.
ALTER TABLE outbox ADD COLUMN failure_kind TEXT;
