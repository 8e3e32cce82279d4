-- Per-source sync counters the dashboard and the header line show.
ALTER TABLE sources ADD COLUMN last_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_updated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN syncing_since INTEGER;
