"""The dialogue figures on PostgreSQL: ``source_names``, ``dialogue_figures`` (the same
queries as on SQLite, :func:`reactieveld.store.figures.figure_statements`, with PostgreSQL's
UTC day), and the team's figures in them (decisions and codings per moderator)."""

from __future__ import annotations

from typing import Any

import asyncpg

from reactieveld.store import planner as _planner
from reactieveld.store.base import QueueFilter
from reactieveld.store.figures import count_by_role_sql, figure_statements, figures_from
from reactieveld.store.pg.base import PgBase, dollar
from reactieveld.store.sources import SOURCE_NAMES_SQL
from reactieveld.store.values import FigureCounts, FigureQuery

#: PostgreSQL's UTC day of a column of Unix seconds (``YYYY-MM-DD``).
PG_DAY = "to_char(to_timestamp({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


class Figures(PgBase):
    async def source_names(self) -> list[str]:
        rows = await self._read(lambda c: c.fetch(SOURCE_NAMES_SQL))
        return [str(r[0]) for r in rows]

    async def dialogue_figures(self, query: FigureQuery) -> FigureCounts:
        async def run(conn: asyncpg.Connection) -> dict[str, list[Any]]:
            # One snapshot for all of them: the figures on one screen agree.
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                few = False
                if query.sources:
                    sql, params = _planner.few_sources_sql(query.sources)
                    few = bool(await conn.fetchval(dollar(sql), *params))
                statements = figure_statements(query, PG_DAY, few_sources=few)
                return {k: await conn.fetch(dollar(q), *p) for k, (q, p) in statements.items()}

        return figures_from(await self._read(run))

    async def count_by_role(self, flt: QueueFilter) -> dict[str | None, int]:
        """The responses ``flt`` matches (as :meth:`count`), per role by the one rule."""
        where = _planner.filter_where(flt, dialect=_planner.POSTGRES)
        sql = dollar(count_by_role_sql(where.sql()))
        rows = await self._read(lambda c: c.fetch(sql, *where.params))
        return {r[0]: int(r[1]) for r in rows}
