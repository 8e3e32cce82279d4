"""The memory sinks' positions and queue on PostgreSQL: ``sink_entries``,
``sink_advance``, ``sink_due``, ``sink_mark_done``, ``sink_mark_failed``,
``sink_mark_retry``, ``sink_queue``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Sinks(PgBase):
    pass
