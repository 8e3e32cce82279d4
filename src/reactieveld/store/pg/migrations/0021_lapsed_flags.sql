-- A rule's flag whose words an edit took away, as SQLite's migration 0025: ``lapsed``
-- leaves the Flagged queue and stays in the response view as "text changed".
ALTER TABLE rule_flags DROP CONSTRAINT rule_flags_state_check;
ALTER TABLE rule_flags ADD CONSTRAINT rule_flags_state_check
    CHECK (state IN ('open', 'misfire', 'upheld', 'lapsed'));
