"""Sources, pages and their cursors on PostgreSQL: ``ensure_source``, source states,
``record_sync``, ``upsert_page`` (``INSERT ... SELECT unnest(...) ON CONFLICT``, the search
vector written with the row), ``external_statuses``, ``record_history``, the author keys'
secret and ``meta``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Ingest(PgBase):
    pass
