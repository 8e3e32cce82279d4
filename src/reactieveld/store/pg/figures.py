"""The dialogue figures on PostgreSQL: ``source_names``, ``dialogue_figures``,
``count_by_role`` (and the team's figures: decisions and codings per moderator)."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Figures(PgBase):
    pass
