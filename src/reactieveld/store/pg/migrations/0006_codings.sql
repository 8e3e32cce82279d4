-- Double coding (issue 14), as SQLite's migration 0013: each coder's coding of a response
-- in the double-coding sample, kept apart. The first coder's (ordinal 1) is a copy of the
-- tags they gave; a later coder's lives here only, so the response's tags stay the first
-- coder's until a difference is resolved, and counts once they say it is done. ``coder``
-- is the role that coded (``session_user``, as the journal's actor).
CREATE TABLE codings (
    response_id      BIGINT NOT NULL REFERENCES responses(id),
    coder            TEXT NOT NULL,
    ordinal          INTEGER NOT NULL,
    questions        TEXT NOT NULL DEFAULT '[]',  -- JSON array of question codes, sorted
    role             TEXT,
    codebook_version TEXT NOT NULL,
    coded_at         BIGINT NOT NULL,   -- Unix seconds: the coder's first change
    changed_at       BIGINT NOT NULL,   -- Unix seconds: the coder's latest change
    done_at          BIGINT,            -- Unix seconds: a later coder's "done"; NULL: not yet
    PRIMARY KEY (response_id, coder),
    UNIQUE (response_id, ordinal)
);
CREATE INDEX codings_coder ON codings (coder, response_id);

-- Moderators code (their own rows, through the store's actions); readers read the
-- agreement figures.
GRANT SELECT ON codings TO reactieveld_reader, reactieveld_moderator;
GRANT INSERT, UPDATE ON codings TO reactieveld_moderator;
