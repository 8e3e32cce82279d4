"""Export records on PostgreSQL: ``record_contexts``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Records(PgBase):
    pass
