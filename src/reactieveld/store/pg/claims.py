"""Claims with a lease and the version check of actions, on PostgreSQL."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Claims(PgBase):
    pass
