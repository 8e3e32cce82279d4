"""Reading rows on PostgreSQL through the one query planner (``store/planner.py``):
``queue``, ``count``, ``counts``, ``count_by_state``, ``position``, ``get``, ``get_many``,
``get_by_external``, ``thread``, ``thread_rows``, ``tags``, ``notes``, ``journal``,
``author_count``, ``author_history``.

The SQL is the SQLite side's (built with ``?`` by the planner in its PostgreSQL dialect,
then numbered once by :func:`dollar`); the rows become models by ``store/rows.py``."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import asyncpg

from reactieveld.model import JournalEntry, Note, Tag, Thread
from reactieveld.store import planner as _planner
from reactieveld.store.base import (
    PILE_LIMIT,
    ChangedSince,
    Counts,
    Direction,
    Keyset,
    QueueFilter,
    QueueRow,
    RuleFlag,
    RuleTally,
)
from reactieveld.store.codings import (
    BLIND_SQL,
    as_coded,
    blinded,
    questions_of,
    sampled_ids,
    viewed,
)
from reactieveld.store.pg.base import PgBase, dollar
from reactieveld.store.planner import POSTGRES
from reactieveld.store.rows import (
    COUNTS_SQL,
    NOTES_SQL,
    RESPONSE_COLS,
    RESPONSE_FROM,
    RESPONSE_JOINS,
    TAGS_SQL,
    THREAD_SQL,
    counts_from,
    journal_entry_from_row,
    journal_sql,
    note_from_row,
    queue_rows,
    tag_from_row,
    thread_from_row,
    to_epoch,
)
from reactieveld.store.screening import (
    FLAGS_OF,
    TALLY_SQL,
    TEXTS_SQL,
    flag_of,
    period,
    screened,
    tallies_of,
)

#: The tags (kind, code pairs), the newest outbox state and the open rule flags (id, rule
#: pairs, in no order: put in the order they were made by :func:`undecorated`, not by a
#: sort for each row) of each row, as three more columns of the row's own SELECT (no
#: round trip of their own: a page is one statement). Added after ``RESPONSE_COLS`` by
#: :func:`decorated`; each an index look-up by response id, made for the rows returned.
DECORATION_COLS = (
    ", ARRAY(SELECT ARRAY[dt.kind, dt.code] FROM tags dt WHERE dt.response_id = r.id), "
    "(SELECT dx.state FROM outbox dx WHERE dx.response_id = r.id ORDER BY dx.id DESC LIMIT 1), "
    "ARRAY(SELECT ROW(df.id, df.rule) FROM rule_flags df WHERE df.state = 'open' "
    "AND df.response_id = r.id)"
)

#: ``RESPONSE_COLS`` without ``RESPONSE_JOINS``: the thread's title and the claim looked
#: up by key for each row returned (each is at most one row: threads' (source_id,
#: external_id), claims' response_id), the source by its id (named by
#: :meth:`RowReads._names`: a source is never renamed or removed). The same values;
#: planning a page took ~0.8 ms with the three joins (their orders weighed), ~0.3 ms
#: without (EXPLAIN ANALYZE at 1M responses), more than the page's execution.
LOOKED_UP_COLS = RESPONSE_COLS.replace("s.name", "r.source_id").replace(
    "th.title, r.version, c.actor, c.until",
    "(SELECT dh.title FROM threads dh WHERE dh.source_id = r.source_id "
    "AND dh.external_id = r.thread_external_id), r.version, "
    "(SELECT dc.actor FROM claims dc WHERE dc.response_id = r.id), "
    "(SELECT dc.until FROM claims dc WHERE dc.response_id = r.id)",
)
#: A use of a joined table's alias (``RESPONSE_JOINS``) outside ``RESPONSE_COLS``.
_JOINED_ALIAS = re.compile(r"\b(?:s|th|c)\.")


@functools.lru_cache(maxsize=512)
def decorated(sql: str) -> str:
    """A SELECT of ``RESPONSE_COLS`` (its first) with :data:`DECORATION_COLS` after them,
    numbered (:func:`dollar`); the columns looked up instead of joined
    (:data:`LOOKED_UP_COLS`) unless the rest of the statement names a joined table."""
    if RESPONSE_COLS not in sql:
        raise ValueError("not a SELECT of RESPONSE_COLS")
    cols = RESPONSE_COLS
    without = sql.replace(RESPONSE_JOINS, "")
    if not _JOINED_ALIAS.search(without.replace(RESPONSE_COLS, "")):
        sql, cols = without, LOOKED_UP_COLS
    return dollar(sql.replace(RESPONSE_COLS, cols + DECORATION_COLS, 1))


def undecorated(
    raw: Sequence[Sequence[Any]],
    now: int,
    *,
    extra: int = 0,
    names: Mapping[int, str] | None = None,
) -> list[QueueRow]:
    """Queue rows from the rows of a :func:`decorated` SELECT (``extra``: columns after
    the decoration, left out; ``names``: the sources' names by id, for rows that carry
    the source's id: :data:`LOOKED_UP_COLS`)."""
    end = len(raw[0]) - extra if raw else 0
    if names is None:
        plain = [tuple(r[: end - 3]) for r in raw]
    else:
        plain = [(r[0], names[r[1]], *r[2 : end - 3]) for r in raw]
    tags = [(r[0], kind, code) for r in raw for kind, code in r[end - 3] or ()]
    outbox = {r[0]: r[end - 2] for r in raw if r[end - 2] is not None}
    flags = [(r[0], rule) for r in raw if r[end - 1] for _, rule in sorted(r[end - 1], key=_first)]
    return queue_rows(plain, tags, outbox, now, flags)


def _first(pair: Sequence[Any]) -> Any:
    return pair[0]


#: How long the answer of :meth:`RowReads._source_is_smaller` holds (seconds): a page of
#: one source in a tab then costs one statement, not two.
DRIVE_SECONDS = 10.0


class RowReads(PgBase):
    """The helpers Reads and Search share (both derive from it: one MRO)."""

    async def _rows(
        self, conn: asyncpg.Connection, sql: str, params: Sequence[Any], *, blind: bool = True
    ) -> list[QueueRow]:
        """The queue rows of a ``?`` query of ``RESPONSE_COLS``, with tags and outbox;
        ``blind``: as :attr:`coder` may see them (not in Disagreements, which is about
        every coding)."""
        raw = await conn.fetch(decorated(sql), *params)
        rows = undecorated(raw, to_epoch(self.clock()), names=await self._names(conn, raw))
        return await self._blinded(conn, rows) if blind else rows

    async def _blinded(self, conn: asyncpg.Connection, rows: list[QueueRow]) -> list[QueueRow]:
        """``rows`` as :attr:`coder` may see them (store/codings.py ``blinded``)."""
        sampled = sampled_ids(rows, self.double_share) if self.coder else []
        if not sampled:
            return rows
        blind = dollar(BLIND_SQL.format(ids="(SELECT unnest(?::bigint[]))"))
        return blinded(rows, await conn.fetch(blind, self.coder, sampled), self.coder)

    async def _names(
        self, conn: asyncpg.Connection, raw: Sequence[Sequence[Any]]
    ) -> dict[int, str] | None:
        """The sources' names by id when the rows of a :func:`decorated` SELECT carry the
        source's id (:data:`LOOKED_UP_COLS`), else None. Kept from one page to the next
        (a source is never renamed or removed; ids are not reused), asked again when a
        row's source is not known yet: one statement more for a new source, no look-up
        per row otherwise."""
        if not raw or not isinstance(raw[0][1], int):
            return None
        names = self._source_names
        if any(r[1] not in names for r in raw):
            names.update({int(i): n for i, n in await conn.fetch("SELECT id, name FROM sources")})
        return names

    async def _kept_size(self, conn: asyncpg.Connection, flt: QueueFilter) -> int | None:
        counted = _planner.kept_count(flt)
        if counted is None:
            return None
        return int(await conn.fetchval(dollar(counted[0]), *counted[1]))

    async def _source_is_smaller(self, conn: asyncpg.Connection, flt: QueueFilter) -> bool | None:
        """:func:`planner.source_is_smaller` on PostgreSQL (the same two kept counts)."""
        pair = _planner.source_and_tab(flt)
        if pair is None:
            return None
        source, tab = _planner.kept_count(pair[0]), _planner.kept_count(pair[1])
        if source is None or tab is None:
            return None
        # Both in one statement (one round trip): the same two numbers compared.
        sql = f"SELECT ({source[0]}) < ({tab[0]})"
        params = (*source[1], *tab[1])
        # Asked again after DRIVE_SECONDS: it picks the index, never the rows (both walks
        # find the same), and the kept counts change by a page at a time.
        drives = self._drives
        known = drives.get((sql, params))
        now = time.monotonic()
        if known is not None and now - known[0] < DRIVE_SECONDS:
            return known[1]
        smaller = bool(await conn.fetchval(dollar(sql), *params))
        drives[(sql, params)] = (now, smaller)
        return smaller

    async def queue(
        self,
        flt: QueueFilter,
        *,
        after: Keyset | None = None,
        limit: int = 50,
        direction: Direction = "older",
    ) -> list[QueueRow]:
        """A window of the queue, newest first, continuing after ``after`` (keyset).

        ``direction="older"`` returns the rows below ``after`` (newest first);
        ``direction="newer"`` returns the rows above it, still newest first."""

        flt = viewed(flt, self.coder, self.double_share)

        async def fn(conn: asyncpg.Connection) -> list[QueueRow]:
            drive = await self._source_is_smaller(conn, flt)
            sql, params = _planner.queue_sql(
                flt,
                after=after,
                limit=limit,
                direction=direction,
                source_drives=drive,
                dialect=POSTGRES,
            )
            rows = await self._rows(conn, sql, params, blind=not flt.disagreements)
            if flt.second_coding is not None:  # blind: the coder's own coding, not the tags
                rows = as_coded(rows, await own_codings(conn, rows, flt.second_coding))
            return rows if direction == "older" else rows[::-1]

        return await self._read(fn)

    async def _value(self, sql: str, params: Sequence[Any]) -> int:
        """One number (planned for these values: ``session.SESSION_SETTINGS``)."""

        async def fn(conn: asyncpg.Connection) -> int:
            return int(await conn.fetchval(dollar(sql), *params) or 0)

        return await self._read(fn)


class Reads(RowReads):
    async def count(self, flt: QueueFilter) -> int:
        """How many responses a filter matches (a tab's from the kept counts)."""
        flt = viewed(flt, self.coder, self.double_share)
        sql, params = _planner.kept_count(flt) or _planner.counting(flt, dialect=POSTGRES)
        return await self._value(sql, params)

    async def count_by_state(self, flt: QueueFilter) -> dict[tuple[str, str], int]:
        """How many responses a filter matches, per (triage, remote status)."""
        flt = replace(flt, triage=None, statuses=())  # the tabs are the grouping
        flt = viewed(flt, self.coder, self.double_share)
        sql, params = _planner.kept_count(flt, grouped=True) or _planner.counting(
            flt, grouped=True, dialect=POSTGRES
        )

        rows = await self._read(lambda c: c.fetch(dollar(sql), *params))
        return {(triage, status): int(n) for triage, status, n in rows if n}

    async def position(self, flt: QueueFilter, key: Keyset) -> int:
        """How many rows of a queue lie above ``key`` (its index, newest first)."""
        flt = viewed(flt, self.coder, self.double_share)
        sql, params = _planner.counting(flt, above=key, dialect=POSTGRES)
        return await self._value(sql, params)

    async def counts(self) -> Counts:
        """Counts per triage state, status, source, question and role, from the counts
        the triggers keep (a few small rows), as on SQLite."""

        async def fn(conn: asyncpg.Connection) -> Counts:
            return counts_from({k: await conn.fetch(q) for k, q in COUNTS_SQL.items()})

        return await self._read(fn)

    async def _select(self, sql: str, *params: Any) -> list[QueueRow]:
        return await self._read(lambda conn: self._rows(conn, sql, params))

    async def get(self, response_id: int) -> QueueRow | None:
        """One response with its thread title and tags."""
        rows = await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE r.id = ?", response_id
        )
        return rows[0] if rows else None

    async def get_many(self, ids: Sequence[int]) -> list[QueueRow]:
        """Several responses by id, in the order asked."""
        if not ids:
            return []
        rows = await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE r.id = ANY(?::bigint[])",
            list(ids),
        )
        by_id = {r.response.id: r for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def get_by_external(self, source: str, external_id: str) -> QueueRow | None:
        """One response by its platform id."""
        rows = await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE s.name = ? AND r.external_id = ?",
            source,
            external_id,
        )
        return rows[0] if rows else None

    async def _fetch(self, sql: str, *params: Any) -> list[asyncpg.Record]:
        async def fn(conn: asyncpg.Connection) -> list[asyncpg.Record]:
            return list(await conn.fetch(dollar(sql), *params))

        return await self._read(fn)

    async def thread(self, source: str, thread_external_id: str) -> Thread | None:
        """A thread (post, topic, proposal) by its platform id."""
        rows = await self._fetch(THREAD_SQL, source, thread_external_id)
        return thread_from_row(source, rows[0]) if rows else None

    async def thread_rows(self, source: str, thread_external_id: str) -> list[QueueRow]:
        """All responses of a thread, oldest first (build the tree from parent ids)."""
        return await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} "
            "WHERE s.name = ? AND r.thread_external_id = ? ORDER BY r.created_at, r.id",
            source,
            thread_external_id,
        )

    async def tags(self, response_id: int) -> list[Tag]:
        """The tags of a response, questions first."""
        return [tag_from_row(r) for r in await self._fetch(TAGS_SQL, response_id)]

    async def notes(self, response_id: int) -> list[Note]:
        """The notes on a response, oldest first."""
        return [note_from_row(r) for r in await self._fetch(NOTES_SQL, response_id)]

    async def journal(
        self, response_id: int | None = None, *, limit: int = 100
    ) -> list[JournalEntry]:
        """Journal entries, newest first; of one response or of all."""
        sql, params = journal_sql(response_id, limit)
        return [journal_entry_from_row(r) for r in await self._fetch(sql, *params)]

    async def changed_since(self, seen: Mapping[int, int]) -> dict[int, ChangedSince]:
        """Who changed the responses of ``seen`` since (:mod:`reactieveld.store.changes`)."""
        from reactieveld.store.changes import changed_since

        return await changed_since(seen, lambda sql, ids: self._fetch(sql, *ids))

    @staticmethod
    def _same_author(row: QueueRow) -> tuple[str, list[Any]]:
        """The condition on ``r`` for the author of ``row``: its key, else its name within
        its source (SQLite asks its author index the same: ``_author_query``)."""
        r = row.response
        if r.author_key:
            return "r.author_key = ?", [r.author_key]
        return (
            "r.author_key IS NULL AND r.source_id = (SELECT id FROM sources WHERE name = ?) "
            "AND r.author_name = ?",
            [r.source, r.author_name or ""],
        )

    async def author_count(self, row: QueueRow) -> int:
        """How many other responses the same author wrote (by author key, else by name)."""
        cond, params = self._same_author(row)
        return await self._value(
            f"SELECT count(*) FROM responses r WHERE {cond} AND r.id != ?",
            [*params, row.response.id],
        )

    async def author_pending(self, row: QueueRow, *, limit: int = PILE_LIMIT) -> list[QueueRow]:
        """Every response by the author of ``row`` not handled yet, ``row`` included
        (see SqliteStore.author_pending)."""
        cond, params = self._same_author(row)
        return await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE {cond} AND r.triage = 'new' "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
            *params,
            limit,
        )

    async def rule_flags(self, response_id: int) -> list[RuleFlag]:
        """The moderation rules' flags on a response, oldest first (issue 16)."""
        rows = await self._read(lambda c: c.fetch(dollar(FLAGS_OF), response_id))
        return [flag_of(r) for r in rows]

    async def rule_tallies(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[RuleTally]:
        """Per rule, its flags made in [since, until): caught, misfired, upheld, open."""
        rows = await self._read(lambda c: c.fetch(dollar(TALLY_SQL), *period(since, until)))
        return tallies_of(rows)

    async def texts(self, *, after: int = 0, limit: int = 500) -> list[tuple[int, str, str | None]]:
        """(id, body text, the thread's title where the response's author wrote it, else
        None) of stored responses by id after ``after`` (``rules test``)."""
        rows = await self._read(lambda c: c.fetch(dollar(TEXTS_SQL), after, limit))
        return [screened(row) for row in rows]

    async def author_history(self, row: QueueRow, *, limit: int = 200) -> list[QueueRow]:
        """Other responses by the same author (author key, else name within the source)."""
        cond, params = self._same_author(row)
        return await self._select(
            f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE {cond} AND r.id != ? "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
            *params,
            row.response.id,
            limit,
        )


async def own_codings(
    conn: asyncpg.Connection, rows: Sequence[QueueRow], coder: str
) -> dict[int, tuple[frozenset[str], str | None]]:
    """``coder``'s codings of the responses of ``rows`` (questions, role)."""
    found = await conn.fetch(
        "SELECT response_id, questions, role FROM codings WHERE coder = $1 "
        "AND response_id = ANY($2::bigint[])",
        coder,
        [r.response.id for r in rows],
    )
    return {int(r[0]): (questions_of(r[1]), r[2]) for r in found}
