"""Search on PostgreSQL: the stored ``tsvector`` (GIN, ``unaccent``) behind the same query
language as SQLite's FTS5: ``search``, ``count_matches``, ``newest``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Search(PgBase):
    pass
