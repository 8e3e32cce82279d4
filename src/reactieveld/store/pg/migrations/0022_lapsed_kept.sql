-- As SQLite's migration 0026: when a flag lapsed, kept through the decision that settles
-- it, so that undoing the decision puts it back lapsed, not open.
ALTER TABLE rule_flags ADD COLUMN lapsed_at BIGINT;
UPDATE rule_flags SET lapsed_at = resolved_at WHERE state = 'lapsed';
