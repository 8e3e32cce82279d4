-- Memory sinks (reactieveld.sinks): where each sink stands in the actions journal, what
-- it last delivered per response, and its own durable delivery queue. A sink is named by
-- its kind and target ("jsonl:<path>", "webhook:<url>").
CREATE TABLE sink_positions (
    sink       TEXT PRIMARY KEY,
    journal_id INTEGER NOT NULL DEFAULT 0
);

-- The digest of the last payload delivered for a response ('' after a retraction).
CREATE TABLE sink_state (
    sink        TEXT NOT NULL,
    response_id INTEGER NOT NULL REFERENCES responses(id),
    digest      TEXT NOT NULL,
    PRIMARY KEY (sink, response_id)
) WITHOUT ROWID;

-- Deliveries, in order per sink: pending -> done | failed; survives restarts.
CREATE TABLE sink_outbox (
    id              INTEGER PRIMARY KEY,
    sink            TEXT NOT NULL,
    response_id     INTEGER REFERENCES responses(id),
    journal_id      INTEGER REFERENCES actions(id),
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER,
    last_error      TEXT,
    done_at         INTEGER
);
CREATE INDEX sink_outbox_due ON sink_outbox (sink, state, id);
