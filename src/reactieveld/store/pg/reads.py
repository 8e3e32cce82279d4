"""Reading rows on PostgreSQL through the one query planner (``store/planner.py``):
``queue``, ``count``, ``counts``, ``count_by_state``, ``position``, ``get``, ``get_many``,
``get_by_external``, ``thread``, ``thread_rows``, ``tags``, ``notes``, ``journal``,
``author_count``, ``author_history``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Reads(PgBase):
    pass
