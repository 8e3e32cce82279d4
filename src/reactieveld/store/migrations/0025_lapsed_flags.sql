-- A rule's flag whose words an edit took away (store/screening.py ``lapsed``): the
-- response, read again, no longer matches the rule at all. ``lapsed`` leaves the Flagged
-- queue and its count, and stays in the response view as "text changed, the rule no
-- longer matches"; the same words back open it again. SQLite cannot change a CHECK in
-- place: the table is made again, with its indexes and trigger (0011, 0014).
CREATE TABLE rule_flags_new (
    id               INTEGER PRIMARY KEY,
    response_id      INTEGER NOT NULL REFERENCES responses(id),
    rule             TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('flag', 'hold')),
    text_hash        INTEGER NOT NULL,
    flagged_at       INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open'
                     CHECK (state IN ('open', 'misfire', 'upheld', 'lapsed')),
    resolved_at      INTEGER,
    resolved_by      TEXT,
    resolved_journal INTEGER,
    response_created INTEGER,
    UNIQUE (response_id, rule, text_hash)
);
INSERT INTO rule_flags_new (id, response_id, rule, action, text_hash, flagged_at, state,
    resolved_at, resolved_by, resolved_journal, response_created)
SELECT id, response_id, rule, action, text_hash, flagged_at, state, resolved_at,
    resolved_by, resolved_journal, response_created FROM rule_flags;
DROP TABLE rule_flags;
ALTER TABLE rule_flags_new RENAME TO rule_flags;
CREATE INDEX rule_flags_open ON rule_flags (state, response_id);
CREATE INDEX rule_flags_journal ON rule_flags (resolved_journal);
CREATE INDEX rule_flags_queue ON rule_flags (response_created, response_id)
    WHERE state = 'open';
CREATE TRIGGER rule_flags_response_created AFTER INSERT ON rule_flags
WHEN NEW.response_created IS NULL
BEGIN
    UPDATE rule_flags SET response_created =
        (SELECT r.created_at FROM responses r WHERE r.id = NEW.response_id)
    WHERE id = NEW.id;
END;
