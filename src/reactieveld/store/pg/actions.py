"""Moderator actions on PostgreSQL, each one transaction (state + journal with
``session_user`` as actor + outbox + NOTIFY): ``moderate``, ``mark_handled``,
``toggle_question``, ``set_role``, ``add_note``, ``reply``, ``undo_last``, ``enqueue``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Actions(PgBase):
    pass
