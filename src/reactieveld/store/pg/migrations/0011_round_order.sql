-- The order of a source's sync rounds (as SQLite's migration 0017): ``rounds`` counts
-- the rounds begun, each taking the next number at its start; ``recorded_round`` is the
-- number of the round whose end the bookkeeping columns hold, so that an older round's
-- end never replaces a newer one's (the table's grants cover the new columns).
ALTER TABLE sources ADD COLUMN rounds BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN recorded_round BIGINT;
