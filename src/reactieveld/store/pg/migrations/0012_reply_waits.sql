-- A reply that may have arrived waits for a sync round begun after it was marked (as
-- SQLite's migration 0018): ``outbox.awaits_round``, the source's newest round begun at
-- the mark (NULL: not waiting); ``sources.success_round``, its newest round that ended
-- well. A reply marked before these columns waits for a round begun from now on.
ALTER TABLE outbox ADD COLUMN awaits_round BIGINT;
ALTER TABLE sources ADD COLUMN success_round BIGINT;
UPDATE outbox SET awaits_round = (SELECT rounds FROM sources WHERE sources.id = outbox.source_id)
WHERE state = 'pending' AND capability = 'reply' AND (
    last_error = 'being sent; if reactieveld stopped meanwhile, the next sync shows whether the platform got it'
    OR last_error LIKE '% (the platform may have taken it: the next sync shows whether it did)'
);
