"""Export records on PostgreSQL: ``record_contexts`` (the rule of assembling them is
``store/records.py``'s)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from reactieveld.store.base import RecordContext
from reactieveld.store.pg.base import PgBase
from reactieveld.store.records import contexts_from


class Records(PgBase):
    async def record_contexts(self, ids: Sequence[int]) -> dict[int, RecordContext]:
        """Every tag, the notes and the provenance of the responses ``ids``, one hop."""
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
            return contexts_from(tags, notes, where)

        return await self._read(fn)
