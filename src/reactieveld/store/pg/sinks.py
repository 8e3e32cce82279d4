"""The memory sinks' positions and queue on PostgreSQL: ``sink_entries``,
``sink_advance``, ``sink_prune``, ``sink_due``, ``sink_mark_done``, ``sink_mark_failed``,
``sink_mark_retry``, ``sink_queue`` (what to deliver is decided in
:mod:`reactieveld.sinks`, as on SQLite: ``store/sinks.py``, whose statements these run
through ``dollar``; only the locking and the batched inserts are PostgreSQL's own)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import asyncpg

from reactieveld.store.base import JournalRef, SinkDelivery, SinkDue, SinkPosition, SinkQueued
from reactieveld.store.pg.base import PgBase, dollar
from reactieveld.store.rows import to_epoch
from reactieveld.store.sinks import (
    ADVANCE_SQL,
    CHANGES_SQL,
    DONE_SQL,
    DUE_SQL,
    ENTRIES_SQL,
    FAILED_SQL,
    MEMORY_ID_SQL,
    POSITION_SQL,
    PRUNE_BATCH,
    PRUNE_SQL,
    QUEUE_SQL,
    READ_MEMORY_ID_SQL,
    RETRY_SQL,
    START_SQL,
    dues,
    journal_refs,
    new_memory_id,
    position_of,
)


async def _position(conn: asyncpg.Connection, sink: str, lock: str = "") -> SinkPosition:
    return position_of(await conn.fetchrow(dollar(POSITION_SQL) + lock, sink))


class Sinks(PgBase):
    async def sinks_start(self, sinks: Sequence[str]) -> str:
        """A position row at the beginning for each of ``sinks`` without one, before its
        first read; returns the memory's id (part of every delivery id)."""

        async def fn(conn: asyncpg.Connection) -> str:
            await conn.executemany(dollar(START_SQL), [(s,) for s in sinks])
            await conn.execute(dollar(MEMORY_ID_SQL), new_memory_id())
            return str(await conn.fetchval(READ_MEMORY_ID_SQL))

        return await self._write(fn)

    async def sink_entries(self, sink: str, *, limit: int) -> tuple[SinkPosition, list[JournalRef]]:
        """The sink's position and up to ``limit`` journal entries and ``limit`` changes
        after it: the journal's first, each oldest first."""

        async def fn(conn: asyncpg.Connection) -> tuple[SinkPosition, list[JournalRef]]:
            pos = await _position(conn, sink)
            entries = journal_refs(await conn.fetch(dollar(ENTRIES_SQL), pos.journal, limit))
            changes = await conn.fetch(dollar(CHANGES_SQL), pos.changes, limit)
            return pos, entries + journal_refs(changes, True)

        return await self._read(fn)

    async def sink_advance(
        self,
        sink: str,
        *,
        expected: SinkPosition,
        to: SinkPosition,
        response_ids: Sequence[int],
        plan: Callable[[Mapping[int, str]], Sequence[SinkDelivery]],
        at: datetime,
    ) -> int | None:
        """One transaction: the deliveries ``plan`` makes of the digests the sink holds,
        and the position moved to ``to``; None when it was no longer ``expected``."""
        ids = list(response_ids)
        when = to_epoch(at)

        async def fn(conn: asyncpg.Connection) -> int | None:
            # The position row locked first: a second worker on this sink waits here and
            # then finds the position moved (SQLite's BEGIN IMMEDIATE does the same).
            await conn.execute(
                "INSERT INTO sink_positions (sink, journal_id) VALUES ($1, 0) "
                "ON CONFLICT (sink) DO NOTHING",
                sink,
            )
            pos = await _position(conn, sink, " FOR UPDATE")
            if pos != expected:
                return None  # another worker on this sink got here first
            state: dict[int, str] = {}
            if ids:
                state = dict(
                    await conn.fetch(
                        "SELECT response_id, digest FROM sink_state "
                        "WHERE sink = $1 AND response_id = ANY($2::bigint[])",
                        sink,
                        ids,
                    )
                )
            deliveries = plan(state)
            if deliveries:
                await conn.execute(
                    "INSERT INTO sink_outbox (sink, response_id, journal_id, event, payload, "
                    "created_at, next_attempt_at) SELECT $1, d.rid, d.jid, d.event, d.payload, "
                    "$6, $6 FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) "
                    "WITH ORDINALITY AS d (rid, jid, event, payload, n) ORDER BY d.n",
                    sink,
                    [d.response_id for d in deliveries],
                    [d.journal_id for d in deliveries],
                    [d.event for d in deliveries],
                    [d.payload for d in deliveries],
                    when,
                )
                # The last delivery per response holds its digest (as on SQLite).
                last = {d.response_id: d.digest for d in deliveries}
                await conn.execute(
                    "INSERT INTO sink_state (sink, response_id, digest) "
                    "SELECT $1, s.rid, s.digest FROM unnest($2::bigint[], $3::text[]) "
                    "AS s (rid, digest) ON CONFLICT (sink, response_id) "
                    "DO UPDATE SET digest = excluded.digest",
                    sink,
                    list(last),
                    list(last.values()),
                )
            await conn.execute(dollar(ADVANCE_SQL), sink, to.journal, to.changes)
            return len(deliveries)

        return await self._write(fn)

    async def sink_prune(self) -> int:
        """Delete the changes every sink has read (all when no sink has a position), a
        bounded batch per transaction; returns how many."""
        total = 0
        while True:
            done = await self._write(lambda c: c.execute(dollar(PRUNE_SQL), PRUNE_BATCH))
            n = int(done.split()[-1])  # "DELETE n"
            total += n
            if n < PRUNE_BATCH:
                return total

    async def sink_due(self, sink: str, *, limit: int = 50) -> list[SinkDue]:
        """The sink's pending deliveries, oldest first."""
        return dues(await self._read(lambda c: c.fetch(dollar(DUE_SQL), sink, limit)))

    async def sink_mark_done(self, delivery_id: int, *, at: datetime) -> None:
        await self._write(lambda c: c.execute(dollar(DONE_SQL), to_epoch(at), delivery_id))

    async def sink_mark_failed(self, delivery_id: int, *, error: str | None) -> None:
        await self._write(lambda c: c.execute(dollar(FAILED_SQL), error, delivery_id))

    async def sink_mark_retry(
        self, delivery_id: int, *, error: str | None, next_attempt_at: datetime
    ) -> None:
        await self._write(
            lambda c: c.execute(dollar(RETRY_SQL), error, to_epoch(next_attempt_at), delivery_id)
        )

    async def sink_queue(self, sink: str) -> list[SinkQueued]:
        """The sink's whole delivery queue, oldest first."""
        rows = await self._read(lambda c: c.fetch(dollar(QUEUE_SQL), sink))
        return [SinkQueued(*row) for row in rows]
