"""Export records on PostgreSQL: ``record_contexts`` (the rule of assembling them is
``store/records.py``'s)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from reactieveld.store.base import QueueFilter, RecordContext
from reactieveld.store.decisions import decision_from_row, decisions_sql
from reactieveld.store.pg.base import PgBase, dollar
from reactieveld.store.planner import POSTGRES
from reactieveld.store.records import AUTHOR_NAMES_SQL, NAMES_SQL, author_names, contexts_from
from reactieveld.store.values import DecisionRecord


class Records(PgBase):
    async def record_contexts(self, ids: Sequence[int]) -> dict[int, RecordContext]:
        """Every tag, the notes, the provenance and the names the responses ``ids`` may
        hold, one hop."""
        ids = list(ids)
        if not ids:
            return {}

        async def fn(conn: asyncpg.Connection) -> dict[int, RecordContext]:
            tags = await conn.fetch(
                "SELECT response_id, kind, code, codebook_version, created_at, actor "
                "FROM tags WHERE response_id = ANY($1::bigint[])",
                ids,
            )
            notes = await conn.fetch(
                "SELECT response_id, text, actor, created_at FROM notes "
                "WHERE deleted_at IS NULL AND response_id = ANY($1::bigint[]) ORDER BY id",
                ids,
            )
            where = await conn.fetch(
                "SELECT r.id, th.url, s.type, s.url FROM responses r "
                "JOIN sources s ON s.id = r.source_id LEFT JOIN threads th "
                "ON th.source_id = r.source_id AND th.external_id = r.thread_external_id "
                "WHERE r.id = ANY($1::bigint[])",
                ids,
            )
            names = await conn.fetch(NAMES_SQL.format(ids="(SELECT unnest($1::bigint[]))"), ids)
            return contexts_from(tags, notes, where, names)

        return await self._read(fn)

    async def author_names(self) -> tuple[str, ...]:
        """Every distinct author name the memory holds (a redacted export's known names)."""

        async def fn(conn: asyncpg.Connection) -> tuple[str, ...]:
            return author_names(await conn.fetch(AUTHOR_NAMES_SQL))

        return await self._read(fn)

    async def decisions(
        self, flt: QueueFilter, *, after: int = 0, limit: int = 500
    ) -> list[DecisionRecord]:
        """The journal's decisions after journal id ``after``, oldest first, with their
        reasons (the statement-of-reasons log; SQL in store/decisions.py)."""
        sql, params = decisions_sql(flt, after=after, limit=limit, dialect=POSTGRES)

        async def fn(conn: asyncpg.Connection) -> list[DecisionRecord]:
            return [decision_from_row(r) for r in await conn.fetch(dollar(sql), *params)]

        return await self._read(fn)
