-- Two programs on one file (the app's outbox worker and `reactieveld sync`, or two app
-- windows) never send one outbox row twice: ``outbox_due`` leases the rows it takes to
-- its store (``leased_by``) until ``lease_until`` (Unix seconds), as on PostgreSQL; no
-- other store takes them until their outcome is recorded or the lease runs out.
ALTER TABLE outbox ADD COLUMN leased_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
-- A reply marked as being sent before these columns, by a process that is gone now:
-- a round begun since the mark may have listed the site before its POST arrived, so it
-- waits for a round begun from now on (the rule outbox_due applies to a row a gone
-- worker held, store/writeback.py LEASE_SET).
UPDATE outbox SET awaits_round = (SELECT rounds FROM sources WHERE sources.id = outbox.source_id)
WHERE state = 'pending' AND capability = 'reply'
    AND last_error = 'being sent; if reactieveld stopped meanwhile, the next sync shows whether the platform got it';
