"""The outbox on PostgreSQL: ``outbox_due`` (``FOR UPDATE SKIP LOCKED``: two workers never
take one item), ``outbox_items``, ``outbox_done``, ``outbox_sending``, ``outbox_retry``,
``outbox_fail``, ``outbox_requeue``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Writeback(PgBase):
    pass
