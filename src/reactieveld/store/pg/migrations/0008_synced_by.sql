-- Who synced a source last (as SQLite's migration 0015): the name the syncing process
-- gives ("sync_service sync", "anna app"), shown in every app's header, readers' too
-- (the table's SELECT grant covers the new column).
ALTER TABLE sources ADD COLUMN synced_by TEXT;
