-- Reasons and platform reports (issue 16), as SQLite's migration 0012.

-- The reason a decision was taken (a code of the configured list) and, for "other", the
-- moderator's own words, in the decision's journal entry itself.
ALTER TABLE actions ADD COLUMN reason TEXT;
ALTER TABLE actions ADD COLUMN reason_text TEXT;
CREATE INDEX actions_decisions ON actions (kind, id) WHERE kind = 'moderate';

-- How many times the platform's users reported a response (the connector's
-- ``meta.reports``), derived from the stored meta as on SQLite: a ``reports`` that is not
-- a whole number counts as not reported.
CREATE FUNCTION reactieveld_reports(meta TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(meta::jsonb -> 'reports') = 'number'
        AND (meta::jsonb ->> 'reports') ~ '^[0-9]{1,9}$'
        THEN (meta::jsonb ->> 'reports')::integer ELSE 0 END
$$;
ALTER TABLE responses ADD COLUMN reports INTEGER GENERATED ALWAYS AS
    (reactieveld_reports(meta)) STORED;
CREATE INDEX responses_reported ON responses (created_at, id) WHERE reports > 0;
