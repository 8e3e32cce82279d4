"""Search on PostgreSQL: the stored ``tsvector`` (GIN, ``unaccent``) behind the same query
language as SQLite's FTS5: ``search``, ``count_matches``, ``newest``.

The words become a ``to_tsquery('reactieveld', ...)`` by :func:`fts.pg_tsquery` (the twin
of FTS5's :func:`fts.fts_query`: the same words, all required, ``word*`` a prefix), and
the filter the planner's conditions in its PostgreSQL dialect. Ranking differs: SQLite
ranks by bm25 over body, author and title; here by ``ts_rank`` over the weighted vector
(body A, author B, title C), ties newest first; and above ``PG_RANK_LIMIT`` hits (not
SQLite's 8,000: see there) the newest hits come first, unranked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import asyncpg

from reactieveld.store import fts as _fts
from reactieveld.store import planner as _planner
from reactieveld.store.base import Keyset, QueueFilter, QueueRow, SearchHit
from reactieveld.store.codings import viewed
from reactieveld.store.fts import pg_tsquery
from reactieveld.store.pg.reads import RowReads, decorated, undecorated
from reactieveld.store.planner import POSTGRES
from reactieveld.store.rows import RESPONSE_COLS, RESPONSE_JOINS, to_epoch

#: Above this many hits PostgreSQL answers newest first (never above SQLite's RANK_LIMIT).
#: ``ts_rank`` reads every hit's vector from the table, and counting hits visits each one:
#: at 50k responses a word in 2,500 rows took 18 ms ranked, one in 7,000 44 ms; with 2,000
#: the worst ranked word stays near 5 ms and a common word answers newest first in ~6 ms
#: (bench/store_bench.py --backend postgresql). SQLite ranks words of 2,000-8,000 rows.
PG_RANK_LIMIT = 2_000

#: The user's words as PostgreSQL matches them (one parameter).
_QUERY = "to_tsquery('reactieveld', ?)"


class Search(RowReads):
    async def search(
        self, query: str, flt: QueueFilter | None = None, *, limit: int = 50
    ) -> list[SearchHit]:
        """Full-text search over body, author and thread title: ranked by ``ts_rank``
        when the query has at most ``PG_RANK_LIMIT`` hits, else the newest hits (rank
        None)."""
        match = pg_tsquery(query)
        if match is None:
            return []
        flt = viewed(flt or QueueFilter(), self.coder, self.double_share)
        w = _planner.filter_where(replace(flt, text=None), dialect=POSTGRES)
        w.clauses.insert(0, f"r.search @@ {_QUERY}")
        w.params.insert(0, match)

        async def fn(conn: asyncpg.Connection) -> list[SearchHit]:
            # Planned for the word's own values (``session.SESSION_SETTINGS``).
            # Counting the word's hits (not the filter's): the same rule as SQLite's.
            rank_limit = min(_fts.RANK_LIMIT, PG_RANK_LIMIT)
            hits = await _hits(conn, match, rank_limit + 1)
            ranked = hits <= rank_limit
            # SQLite's bm25 rank is smaller for a better hit; -ts_rank keeps that sense.
            rank = f"-ts_rank(r.search, {_QUERY})" if ranked else "NULL::real"
            params: list[Any] = [match] if ranked else []
            if ranked:
                order = "rank, r.created_at DESC, r.id DESC"
            elif await self._part_is_smaller(conn, flt or QueueFilter(), match):
                order = "r.created_at DESC, r.id DESC"  # the part's newest, as on SQLite
            else:
                order = "r.id DESC"  # newest stored first, as SQLite's rowid order
            # The top ``limit`` from the responses alone, then their rows joined: with a
            # word's row estimate far off (a word in 13 rows estimated at 1,305) the
            # planner hashed every thread (26,000 at 1M responses: 6 ms) for the join.
            top = f"SELECT r.id, {rank} AS rank FROM responses r{w.sql()} ORDER BY {order} LIMIT ?"
            sql = (
                f"SELECT {RESPONSE_COLS}, f.rank FROM ({top}) AS f "
                f"JOIN responses r ON r.id = f.id {RESPONSE_JOINS} "
                f"ORDER BY {order.replace('rank', 'f.rank')}"
            )
            raw = await conn.fetch(decorated(sql), *params, *w.params, limit)
            names = await self._names(conn, raw)
            rows = undecorated(raw, to_epoch(self.clock()), extra=1, names=names)
            rows = await self._blinded(conn, rows)
            return [
                SearchHit(row=row, rank=float(raw_row[-1]) if ranked else None)
                for row, raw_row in zip(rows, raw, strict=True)
            ]

        return await self._read(fn)

    async def _part_is_smaller(
        self, conn: asyncpg.Connection, flt: QueueFilter, match: str
    ) -> bool:
        """:func:`planner.filter_is_smaller` on PostgreSQL: the same kept count against
        the word's hits counted up to one more than it."""
        part = _planner.part_to_weigh(flt)
        size = None if part is None else await self._kept_size(conn, part)
        if size is None or size > _planner.SMALL_PART:
            return False
        return await _hits(conn, match, size + 1) > size

    async def newest(
        self, flt: QueueFilter, *, after: Keyset | None = None, limit: int = 100
    ) -> list[QueueRow]:
        """The responses ``flt`` matches, newest first, continuing after ``after``: the
        queue's query (PostgreSQL's planner picks the index SQLite's search planner picks
        by the kept counts)."""
        return await self.queue(flt, after=after, limit=limit)

    async def count_matches(self, words: str, flt: QueueFilter, *, cap: int) -> int:
        """How many responses match ``words`` and ``flt``, counted up to ``cap``."""
        if pg_tsquery(words) is None:
            return 0
        flt = viewed(flt, self.coder, self.double_share)
        w = _planner.filter_where(replace(flt, text=words), dialect=POSTGRES)
        return await self._value(
            f"SELECT count(*) FROM (SELECT 1 FROM responses r{w.sql()} LIMIT ?) AS c",
            [*w.params, cap],
        )


#: How many rows ANALYZE's statistics say hold a one-word query's lexeme (from its most
#: common elements: words in more than ~0.05 % of the rows), else NULL (``$1``: the
#: tsquery text).
_ESTIMATE = (
    "SELECT s.most_common_elem_freqs[array_position(s.most_common_elems::text::text[], "
    "trim(both '''' FROM querytree(q.q)))] * greatest(c.reltuples, 0) "
    "FROM (SELECT to_tsquery('reactieveld', $1) AS q) AS q, pg_stats s, pg_class c "
    "WHERE numnode(q.q) = 1 AND querytree(q.q) NOT LIKE '%:*%' "
    "AND s.schemaname = current_schema() AND s.tablename = 'responses' "
    "AND s.attname = 'search' AND c.oid = 'responses'::regclass"
)
#: A word the statistics put in more than this many times ``cap`` rows is not counted.
SURELY_MORE = 3
_HITS = (
    f"SELECT CASE WHEN coalesce(({_ESTIMATE}), 0) > $2 * {SURELY_MORE} THEN $2 ELSE "
    "(SELECT count(*) FROM (SELECT 1 FROM responses r "
    "WHERE r.search @@ to_tsquery('reactieveld', $1) LIMIT $2) AS h) END"
)


async def _hits(conn: asyncpg.Connection, match: str, cap: int) -> int:
    """How many responses match the tsquery text ``match``, counted up to ``cap``; ``cap``
    without counting for a word the statistics put in more than :data:`SURELY_MORE` x
    ``cap`` rows (counting the first 2,001 of a word in 100,000 rows read all of them
    from the GIN index and 2,000 table pages: 28 ms at 1M responses)."""
    return int(await conn.fetchval(_HITS, match, cap))
