-- Double coding (issue 14): each coder's coding of a response in the double-coding sample
-- ([coding] double_share), kept apart, so that the agreement between coders can be
-- measured. The first coder's coding (ordinal 1) is a copy of the tags they gave the
-- response, kept in step as they change them; a later coder's (ordinal 2, 3, ...) lives
-- here only: the response's tags stay the first coder's until a difference is resolved.
-- A later coder says when their coding is done (``x`` in the Second coding queue): only
-- then does it count in the agreement and leave their queue.
CREATE TABLE codings (
    response_id      INTEGER NOT NULL REFERENCES responses(id),
    coder            TEXT NOT NULL,      -- the moderator (as the journal's actor)
    ordinal          INTEGER NOT NULL,   -- 1: the first coder; 2, 3, ...: who came after
    questions        TEXT NOT NULL DEFAULT '[]',  -- JSON array of question codes, sorted
    role             TEXT,               -- the role code, or NULL: none given
    codebook_version TEXT NOT NULL,      -- the codebook of the coder's latest change
    coded_at         INTEGER NOT NULL,   -- Unix seconds: the coder's first change
    changed_at       INTEGER NOT NULL,   -- Unix seconds: the coder's latest change
    done_at          INTEGER,            -- Unix seconds: a later coder's "done"; NULL: not yet
    PRIMARY KEY (response_id, coder),
    UNIQUE (response_id, ordinal)
);
CREATE INDEX codings_coder ON codings (coder, response_id);
