-- Reasons and platform reports (issue 16).

-- A statement of reasons (the Digital Services Act, article 17) goes with the decision
-- itself: the reason's code from the configured list and, for "other", the moderator's
-- own short text. Columns of the append-only journal, written in the decision's own
-- insert; an undo is a journal entry of its own and never changes these.
ALTER TABLE actions ADD COLUMN reason TEXT;
ALTER TABLE actions ADD COLUMN reason_text TEXT;
CREATE INDEX actions_decisions ON actions (kind, id) WHERE kind = 'moderate';

-- How many times the platform's own users reported (flagged) a response, as its
-- connector read it into ``meta.reports``: derived by SQLite from the stored meta, so
-- every way a row is written (a page, a repair, a copy) keeps it right without a column
-- of its own to fill. VIRTUAL: ALTER TABLE can add only those; the partial index keeps
-- the Reported queue and its count to the few reported rows.
ALTER TABLE responses ADD COLUMN reports INTEGER GENERATED ALWAYS AS
    (CASE WHEN json_valid(meta) AND json_type(meta, '$.reports') = 'integer'
     THEN max(json_extract(meta, '$.reports'), 0) ELSE 0 END) VIRTUAL;
CREATE INDEX responses_reported ON responses (created_at, id) WHERE reports > 0;
