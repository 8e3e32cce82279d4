-- When a flag lapsed (store/screening.py LAPSE_FLAGS), kept through a moderator's
-- decision that settles it: undoing the decision puts the flag back as it was, lapsed,
-- not open (REOPEN_FLAGS). NULL: the flag had not lapsed.
ALTER TABLE rule_flags ADD COLUMN lapsed_at INTEGER;
UPDATE rule_flags SET lapsed_at = resolved_at WHERE state = 'lapsed';
