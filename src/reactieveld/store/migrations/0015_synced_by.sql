-- Who synced a source last (a team's sync service, a moderator's app): the name the
-- syncing process gives ("anna sync", "bert app"), shown in every app's header as
-- "synced by <name>" while that process holds the source (NULL: not said).
ALTER TABLE sources ADD COLUMN synced_by TEXT;
