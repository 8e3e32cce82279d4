"""The team's memory on PostgreSQL (asyncpg): :class:`~.store.PostgresStore`, the same
``Store`` protocol as the SQLite file, split by concern like ``store/`` itself."""
