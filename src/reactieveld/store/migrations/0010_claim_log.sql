-- Who claimed what, kept (issue 13, item 8): ``claims`` holds only the leases open now
-- (a row vanishes on release), so afterwards nobody could tell who had a response open
-- before someone decided it. Every claim that BEGINS (a new one, or one taken over after
-- its lease ran out; not a renewal of one's own) adds a row here, in the claim's own
-- transaction, by the triggers below: every writer of ``claims`` is covered. The dashboard's
-- "claimed by one, decided by another" reads it (store/figures.py).
CREATE TABLE claim_log (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id),
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL  -- Unix seconds: when the claim began (claims.claimed_at)
);
CREATE INDEX claim_log_response ON claim_log (response_id, at);

CREATE TRIGGER claims_log_insert AFTER INSERT ON claims
BEGIN
    INSERT INTO claim_log (response_id, actor, at)
    VALUES (NEW.response_id, NEW.actor, NEW.claimed_at);
END;

-- A renewal keeps actor and claimed_at (store/claims.py): no row. A takeover changes one.
CREATE TRIGGER claims_log_update AFTER UPDATE ON claims
WHEN NEW.actor IS NOT OLD.actor OR NEW.claimed_at IS NOT OLD.claimed_at
BEGIN
    INSERT INTO claim_log (response_id, actor, at)
    VALUES (NEW.response_id, NEW.actor, NEW.claimed_at);
END;
