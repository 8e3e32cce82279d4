-- Moderation rules (issue 16): a rule of the config that matched a response's text as the
-- sync stored it. One row per response, rule and text (``text_hash``, the text's content
-- hash when it matched): a re-fetch of the same words flags nothing again, an edit that
-- still matches flags anew. ``state``: open (in the Flagged queue) until a moderator
-- decides; then ``misfire`` when they released it (approved) and ``upheld`` otherwise.
-- ``resolved_journal``: the decision's journal entry, so undoing it opens the flag again.
CREATE TABLE rule_flags (
    id               INTEGER PRIMARY KEY,
    response_id      INTEGER NOT NULL REFERENCES responses(id),
    rule             TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('flag', 'hold')),
    text_hash        INTEGER NOT NULL,
    flagged_at       INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'misfire', 'upheld')),
    resolved_at      INTEGER,
    resolved_by      TEXT,
    resolved_journal INTEGER,
    UNIQUE (response_id, rule, text_hash)
);
CREATE INDEX rule_flags_open ON rule_flags (state, response_id);
CREATE INDEX rule_flags_journal ON rule_flags (resolved_journal);
