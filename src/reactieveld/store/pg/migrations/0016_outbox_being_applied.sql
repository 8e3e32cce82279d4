-- A write-back whose holder has begun to apply it (``outbox_hold`` renewed its lease just
-- before the request): that request may still arrive at the platform, so the row is not
-- free when its holder's session ends (pg/writeback.py ``HOLDER_GONE``), only when its
-- lease runs out, as a reply being sent. Taking a row clears it. PostgreSQL's alone: on a
-- SQLite file a holder's rows are freed early only when its process has ended.
ALTER TABLE outbox ADD COLUMN being_applied BOOLEAN NOT NULL DEFAULT false;
