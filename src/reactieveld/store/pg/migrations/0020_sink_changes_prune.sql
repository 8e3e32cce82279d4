-- The changes every memory sink has read are deleted (store/sinks.py PRUNE_SQL): by the
-- sinks' worker after it moves its positions and after each sync round, both run as a
-- moderator.
GRANT DELETE ON sink_changes TO reactieveld_moderator;
