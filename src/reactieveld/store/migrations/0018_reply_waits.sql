-- A reply that may have arrived (its POST under way when a process stopped, or answered
-- in a way the platform may have acted on) waits for a sync round that began after it
-- was marked: ``awaits_round`` is the number of the source's newest round begun at the
-- mark (NULL: not waiting), ``success_round`` the number of the source's newest round
-- that ended well (store/writeback.py ``synced_since``). Such a reply marked before these
-- columns (its state was in its error text) waits for a round begun from now on.
ALTER TABLE outbox ADD COLUMN awaits_round INTEGER;
ALTER TABLE sources ADD COLUMN success_round INTEGER;
UPDATE outbox SET awaits_round = (SELECT rounds FROM sources WHERE sources.id = outbox.source_id)
WHERE state = 'pending' AND capability = 'reply' AND (
    last_error = 'being sent; if reactieveld stopped meanwhile, the next sync shows whether the platform got it'
    OR last_error LIKE '% (the platform may have taken it: the next sync shows whether it did)'
);
