-- The organisation's memory: sources, threads, responses, tags, notes, the actions
-- journal and the outbox. Times are integer Unix seconds (UTC).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    url           TEXT,
    cursor        TEXT,
    last_success  INTEGER,
    last_error    TEXT,
    last_error_at INTEGER,
    next_try      INTEGER
);

CREATE TABLE threads (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    external_id TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    url         TEXT,
    created_at  INTEGER,
    meta        TEXT,
    UNIQUE (source_id, external_id)
);

CREATE TABLE responses (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES sources(id),
    external_id        TEXT NOT NULL,
    thread_external_id TEXT,
    parent_external_id TEXT,
    author_name        TEXT NOT NULL DEFAULT '',
    author_key         TEXT,
    author_url         TEXT,
    body_text          TEXT NOT NULL DEFAULT '',
    body_raw           TEXT NOT NULL DEFAULT '',
    body_format        TEXT NOT NULL DEFAULT 'text',
    url                TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER,
    fetched_at         INTEGER NOT NULL,
    remote_status      TEXT NOT NULL,
    triage             TEXT NOT NULL DEFAULT 'new',
    role_hint          TEXT,
    meta               TEXT,
    content_hash       INTEGER NOT NULL,
    UNIQUE (source_id, external_id)
);
CREATE INDEX responses_triage ON responses (triage, created_at, id);
CREATE INDEX responses_status ON responses (remote_status, created_at, id);
CREATE INDEX responses_created ON responses (created_at, id);
CREATE INDEX responses_source ON responses (source_id, created_at, id);
CREATE INDEX responses_thread ON responses (source_id, thread_external_id, created_at);
CREATE INDEX responses_author ON responses (author_key);

CREATE TABLE tags (
    response_id     INTEGER NOT NULL REFERENCES responses(id),
    kind            TEXT NOT NULL CHECK (kind IN ('question', 'role')),
    code            TEXT NOT NULL,
    codebook_version TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    PRIMARY KEY (response_id, kind, code)
) WITHOUT ROWID;
CREATE INDEX tags_code ON tags (kind, code, response_id);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id),
    text        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX notes_response ON notes (response_id);

-- Append-only: who did what, when, with the state before and after (JSON).
CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    response_id INTEGER REFERENCES responses(id),
    before      TEXT NOT NULL DEFAULT '{}',
    after       TEXT NOT NULL DEFAULT '{}',
    undoes      INTEGER REFERENCES actions(id),
    batch       TEXT
);
CREATE INDEX actions_response ON actions (response_id, id);
CREATE INDEX actions_undoes ON actions (undoes);
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
BEGIN
    SELECT RAISE(ABORT, 'the actions journal is append-only');
END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN
    SELECT RAISE(ABORT, 'the actions journal is append-only');
END;

CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES sources(id),
    response_id        INTEGER REFERENCES responses(id),
    journal_id         INTEGER REFERENCES actions(id),
    capability         TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    thread_external_id TEXT,
    text               TEXT,
    expected_status    TEXT,
    meta               TEXT,
    state              TEXT NOT NULL DEFAULT 'pending',
    attempts           INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    next_attempt_at    INTEGER,
    last_error         TEXT,
    result_external_id TEXT,
    done_at            INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_response ON outbox (response_id, id);

-- Contentless: the text lives in responses/threads; the store writes this index itself,
-- in the same transaction as the rows it indexes (triggers measured 3.3x slower).
CREATE VIRTUAL TABLE responses_fts USING fts5(
    body, author, title,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE responses_vocab USING fts5vocab(responses_fts, 'row');
