"""Ingest on PostgreSQL: ``PostgresStore.upsert_page`` in pages of 100 (search vector,
threads, role tags and kept counts included), side by side with SQLite on the same rows.

    python bench/ingest_pg_bench.py                  # 100,000 rows, a throwaway cluster
    python bench/ingest_pg_bench.py --rows 1000000   # the issue's size
    python bench/ingest_pg_bench.py --url postgresql://me@host/db   # an existing database
    python bench/ingest_pg_bench.py --no-sqlite      # PostgreSQL only

Rows: ``store_bench.Corpus`` (the demo source with a Zipf tail of words; one page in ten
to a second source). Figures: rows/s = rows / seconds spent inside ``upsert_page`` (the
rows made beforehand, not timed); page p50/p99 = the time of one 100-row page's call on
loopback; then the same pages again (every row unchanged: the re-scan case). Checked a
second way after the run: ``count(*)`` of responses and of rows with a search vector.
The issue's target at 1M: >= 30,000 responses/s.

A ceiling beside it: the same rows' search vectors made by the server in pages of 100
and thrown away (``search_vector`` of the store, nothing stored, no index, no trigger):
the server's text parser alone, on one connection. The ratio says how much of an ingest
the parser is.

And a floor in CPU time (the throwaway cluster only: it reads the server's processes in
/proc): the least CPU any store must spend on a row, against what 30,000 rows/s allows on
this machine's cores (cores / 30,000 s a row, the server and this client together). Each
part is measured by writing the same rows in one ``INSERT ... SELECT unnest(...)`` a page
(no conflict check, no trigger, no look-up, no thread, no tag, no journal) into a table with
the responses' columns, and is the difference of two such writes:
  - rows: every column with the queue's btree indexes (the primary key, the unique key,
    the keyset indexes the queue pages need), no vector; the server's and this client's CPU;
  - gin: the search's GIN index kept (its pending list cleaned at the end, so that none of
    its work is left for later);
  - the vector, the cheaper of: the parser (the server making the vectors, as the store
    does) and elsewhere (vectors made outside the server: at least this client finding the
    bodies' words, lowered, with ``\w+``, less than any vector maker does, and the server
    reading the same vectors in tsvector's binary form, its cheapest input).
floor = rows + gin + the cheaper vector. CPU time, not wall time: the sum is the work,
whatever runs in parallel, so a floor above the allowance means no store, however parallel,
reaches the target on this machine with the indexes the queue and search need. Below it,
for scale: the floor with the primary and unique keys only (what an upsert needs, no index
for the queue's pages), and the rows with their vectors into a table without any index.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from store_bench import Corpus, pct  # noqa: E402

from reactieveld.model import Page, Source  # noqa: E402
from reactieveld.store.open import open_store  # noqa: E402
from reactieveld.store.pg.ingest import search_vector  # noqa: E402


async def run_pages(
    target: str, pages: list[Page], postmaster: int | None = None
) -> tuple[list[float], list[float], int, tuple[float, float]]:
    """Seconds per page, first and second pass; the rows stored (counted in SQL); the
    first pass's CPU seconds (this client, the server: 0 without ``postmaster``)."""
    store = await open_store(target)
    try:
        await store.ensure_source(Source("demo", "demo"))
        await store.ensure_source(Source("forum", "demo"))
        passes = []
        cpu = (0.0, 0.0)
        for n in range(2):
            spent = []
            client, server = time.process_time(), server_cpu(postmaster)
            for p in pages:
                t0 = time.perf_counter()
                await store.upsert_page(p.responses[0].source, p)
                spent.append(time.perf_counter() - t0)
            if n == 0:
                cpu = (time.process_time() - client, server_cpu(postmaster) - server)
            passes.append(spent)
        stored = await count_rows(store)
    finally:
        await store.close()
    return passes[0], passes[1], stored, cpu


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds (user + system) used so far by every process the server's postmaster
    started (backends, WAL writer, checkpointer, autovacuum), read from /proc; 0 without
    one (a server elsewhere)."""
    if postmaster is None:
        return 0.0
    ticks = 0
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


#: The responses' columns a floor writes, and the same values from ``unnest`` (``t``: the
#: thread's title, for the vector only).
FLOOR_INTO = (
    "source_id, external_id, thread_external_id, parent_external_id, author_name, "
    "author_url, body_text, body_raw, url, created_at, fetched_at, remote_status, triage, "
    "content_hash, search"
)
FLOOR_FROM = (
    "unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
    "$8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], "
    "$14::{vectors}[]) AS x(e, th, pa, b, a, au, br, u, ca, rs, tr, t, v)"
)


@dataclass(frozen=True)
class Spent:
    """CPU seconds of one way of writing every page: the server's, this client's."""

    server: float
    client: float


@dataclass(frozen=True)
class Floor:
    """The least CPU seconds for all rows, in parts (see the module text)."""

    rows: Spent  # every column and the queue's btree indexes, no vector, no GIN
    keys: Spent  # the same with the primary and unique keys only (no queue index)
    gin: float  # the server keeping the GIN index (its pending list cleaned at the end)
    parser: float  # the server making the vectors (the store's way)
    binary_in: float  # the server reading vectors made elsewhere, in binary
    words: float  # this client finding the words of the bodies (a vector's least making)
    bare: float  # the server writing the rows with vectors made, without any index

    @property
    def vector(self) -> float:
        """The cheaper way to a row's vector: the server's parser, or made elsewhere."""
        return min(self.parser, self.binary_in + self.words)

    @property
    def least(self) -> float:
        return self.rows.server + self.rows.client + self.gin + self.vector

    @property
    def least_keys(self) -> float:
        """The floor if the queue had no index of its own (the keys an upsert needs)."""
        return self.keys.server + self.keys.client + self.gin + self.vector


async def floor(url: str, pages: list[Page], postmaster: int, reps: int = 3, at: int = 0) -> Floor:
    """The floor's parts, each the difference of two ways of writing the same rows in one
    ``INSERT ... SELECT unnest(...)`` a page (no conflict check, no trigger, no look-up,
    the vectors made in the statement as the store makes them). Each way ``reps`` times
    into a new table: the least server and client CPU of them. ``at``: each table holds
    that many rows before the measured pages (:func:`prefill`). See the module text."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        sid = await conn.fetchval("SELECT id FROM sources ORDER BY id LIMIT 1")
        columns = [floor_columns(p) for p in pages]  # as the store has them (not counted)
        like = "LIKE responses INCLUDING DEFAULTS INCLUDING IDENTITY"

        async def write(
            name: str, vector: str, keep: str | None, vectors: Any = None, kind: str = "text"
        ) -> Spent:
            spent = [
                await write_once(f"{name}_{k}", vector, keep, vectors, kind) for k in range(reps)
            ]
            return Spent(min(x.server for x in spent), min(x.client for x in spent))

        async def write_once(
            name: str, vector: str, keep: str | None, vectors: Any, kind: str
        ) -> Spent:
            # ``keep``: which of the responses' indexes the table has ('btree', 'gin',
            # 'keys': the primary and unique keys only; None: none)
            await conn.execute(f"CREATE TABLE {name} ({like} INCLUDING INDEXES)")
            await drop_indexes(conn, name, keep)
            await prefill(conn, name, at)
            # The server's CPU read once around all pages (its clock ticks are 10 ms: read
            # a page at a time, the rounding would be most of a small part).
            client, s0 = 0.0, server_cpu(postmaster)
            for n, c in enumerate(columns):
                v = [None] * len(c[0]) if vectors is None else vectors[n]
                c0 = time.process_time()
                await conn.execute(
                    f"INSERT INTO {name} ({FLOOR_INTO}) SELECT $1, e, th, pa, a, au, b, br, "
                    f"u, ca, ca, rs, tr, 0, {vector} FROM {FLOOR_FROM.format(vectors=kind)}",
                    sid, *c, v,
                )  # fmt: skip
                client += time.process_time() - c0
            for (index,) in await conn.fetch(GIN_OF, name):
                await conn.fetchval("SELECT gin_clean_pending_list($1::regclass)", index)
            server = server_cpu(postmaster) - s0
            stored = await conn.fetchval(f"SELECT count(*) FROM {name}")
            assert stored == at + sum(len(c[0]) for c in columns), (name, stored)
            await conn.execute(f"DROP TABLE {name}")  # measured: its room back
            return Spent(server, client)

        made = search_vector("b", "a", "t")
        rows = await write("floor_rows", "NULL::tsvector", "btree")
        keys = await write("floor_keys", "NULL::tsvector", "keys")
        none = await write("floor_none", "NULL::tsvector", None)
        bare = await write("floor_bare", made, None)
        gin = await write("floor_gin", made, "gin")
        vectors = [  # the same vectors in binary, made beforehand (not counted)
            await conn.fetchval(
                f"SELECT array_agg(tsvectorsend({made}) ORDER BY n) FROM unnest($1::text[], "
                "$2::text[], $3::text[]) WITH ORDINALITY AS u(b, a, t, n)",
                c[3],
                c[4],
                c[11],
            )  # fmt: skip
            for c in columns
        ]
        # sent as they are: tsvector's binary input (tsvectorrecv) reads them
        await conn.set_type_codec(
            "tsvector", schema="pg_catalog", encoder=bytes, decoder=bytes, format="binary"
        )
        binary_in = await write("floor_binary", "v", None, vectors, kind="tsvector")
        return Floor(
            rows=rows,
            keys=keys,
            gin=gin.server - bare.server,
            parser=bare.server - none.server,
            binary_in=binary_in.server - none.server,
            words=least_words(columns),
            bare=bare.server,
        )
    finally:
        await conn.close()


def least_words(columns: list[list[Any]]) -> float:
    """CPU seconds for this client to find the words of every body (lowered, ``\\w+``):
    less than any vector maker does (no positions, no weights, no diacritics, no author
    or title), so a floor for a vector made here."""
    words = re.compile(r"\w+")
    bodies = [b for c in columns for b in c[3]]
    c0 = time.process_time()
    for b in bodies:
        words.findall(b.lower())
    return time.process_time() - c0


#: A table's GIN indexes (``$1`` the table).
GIN_OF = (
    "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = "
    "i.indexrelid JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = $1::regclass "
    "AND am.amname = 'gin'"
)


#: A table's indexes (``$1`` the table): name, kind, its constraint's name (or NULL),
#: the index's and the constraint's definitions.
INDEXES_OF = (
    "SELECT c.relname, am.amname, con.conname, pg_get_indexdef(i.indexrelid), "
    "pg_get_constraintdef(con.oid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
    "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
    "WHERE i.indrelid = $1::regclass"
)


async def drop_indexes(conn: Any, table: str, keep: str | None = None) -> list[Any]:
    """Drop the indexes of ``table`` but those ``keep`` names: an index kind ('btree',
    'gin') or 'keys' (the constraints' indexes: the primary and the unique key); None
    drops them all. Returns the dropped ones (rows of ``INDEXES_OF``)."""
    dropped = []
    for found in await conn.fetch(INDEXES_OF, table):
        index, kind, constraint = found[0], found[1], found[2]
        if kind == keep or (keep == "keys" and constraint is not None):
            continue
        if constraint is not None:
            await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        else:
            await conn.execute(f'DROP INDEX "{index}"')
        dropped.append(found)
    return dropped


async def prefill(conn: Any, table: str, at: int) -> None:
    """``at`` rows in ``table`` before the measured pages, so that a floor is a row's cost
    in a memory of that size: the stored responses over and over under other ids
    (negative ids, the external id with a suffix), written without indexes, the table's
    indexes built after them (as fast as a bulk load gets), then ANALYZE."""
    if at <= 0:
        return
    stored = await conn.fetchval("SELECT count(*) FROM responses")
    others = await conn.fetchval(
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
        "WHERE attrelid = 'responses'::regclass AND attnum > 0 AND NOT attisdropped "
        "AND attname NOT IN ('id', 'external_id')"
    )
    dropped = await drop_indexes(conn, table)
    await conn.execute(
        f"INSERT INTO {table} (id, external_id, {others}) SELECT -(k::bigint * 1000000000 + r.id), "
        f"r.external_id || ':' || k, {', '.join('r.' + c for c in others.split(', '))} "
        f"FROM responses r CROSS JOIN generate_series(1, {-(-at // stored)}) AS k "
        f"ORDER BY k, r.id LIMIT {at}"
    )
    for _, _, constraint, index_sql, constraint_sql in dropped:
        if constraint is not None:
            await conn.execute(
                f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_sql}'
            )
        else:
            await conn.execute(index_sql)
    await conn.execute(f"ANALYZE {table}")


def floor_columns(p: Page) -> list[list[Any]]:
    """A page's columns for ``FLOOR_FROM`` but the vectors, as the store has them (NUL
    repaired; the thread's title beside each response)."""
    from reactieveld.store.pg.ingest import storable_page
    from reactieveld.store.rows import to_epoch

    p = storable_page(p, nul=True)[0]
    titles = {t.external_id: t.title for t in p.threads}
    rs = p.responses
    return [
        [r.external_id for r in rs], [r.thread_external_id for r in rs],
        [r.parent_external_id for r in rs], [r.body_text for r in rs],
        [r.author_name for r in rs], [r.author_url for r in rs], [r.body_raw for r in rs],
        [r.url for r in rs], [to_epoch(r.created_at) for r in rs],
        [r.remote_status.value for r in rs], [r.triage.value for r in rs],
        [titles.get(r.thread_external_id) for r in rs],
    ]  # fmt: skip


async def parser_alone(url: str, pages: list[Page]) -> list[float]:
    """Seconds per page for the server to make the pages' search vectors, kept nowhere
    (the vectors summed so that none is skipped)."""
    import asyncpg

    sql = (
        f"SELECT sum(length(v)) FROM (SELECT {search_vector('b', 'a', 't')} AS v "
        "FROM unnest($1::text[], $2::text[], $3::text[]) AS u(b, a, t)) x"
    )
    conn = await asyncpg.connect(url)
    try:
        spent = []
        for c in (floor_columns(p) for p in pages):  # as the store has them
            t0 = time.perf_counter()
            await conn.fetchval(sql, c[3], c[4], c[11])
            spent.append(time.perf_counter() - t0)
    finally:
        await conn.close()
    return spent


async def count_rows(store: object) -> int:
    from reactieveld.store.pg.store import PostgresStore

    if isinstance(store, PostgresStore):
        n, vectors = await store._read(
            lambda c: c.fetchrow(
                "SELECT count(*), count(*) FILTER (WHERE search IS NOT NULL) FROM responses"
            )
        )
        assert n == vectors, (n, vectors)
        return int(n)
    return int(
        await store.read(lambda db: db.execute("SELECT count(*) FROM responses").fetchone()[0])
    )  # type: ignore[attr-defined]


def report(name: str, rows: int, first: list[float], again: list[float], stored: int) -> None:
    total = sum(first)
    print(
        f"{name:10} {rows:>9,} rows  {rows / total:>9,.0f} rows/s  "
        f"page p50 {pct(first, 50) * 1000:6.2f} ms  p99 {pct(first, 99) * 1000:6.2f} ms  "
        f"| unchanged again: {rows / sum(again):>9,.0f} rows/s  "
        f"p50 {pct(again, 50) * 1000:6.2f} ms   stored {stored:,}"
    )
    assert stored == rows, (stored, rows)


#: The issue's target (responses a second, at 1M).
TARGET = 30_000


async def main(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    pages = Corpus(args.rows, seed=7).pages()
    print(f"{len(pages):,} pages of rows made in {time.perf_counter() - t0:.1f} s (not timed)")
    cluster = None
    url = args.url
    if url is None:
        from helpers.pg import Cluster, pg_bin

        found = pg_bin()
        if found is None:
            sys.exit("no PostgreSQL binaries found: install postgresql, or give --url")
        cluster = Cluster(found)
        cluster.start()
        url = cluster.url(cluster.new_database())
    postmaster = None
    if cluster is not None:
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    try:
        first, again, stored, (client, server) = await run_pages(url, pages, postmaster)
        report("postgresql", args.rows, first, again, stored)
        alone = parser_alone(url, pages)
        ceiling = args.rows / sum(await alone)
        print(
            f"{'parser':10} {args.rows:>9,} rows  {ceiling:>9,.0f} rows/s  "
            "the server's parser alone (the same rows' search vectors, nothing stored); "
            f"ingest = {args.rows / sum(first) / ceiling:.2f}x that"
        )
        if postmaster is not None:
            us = 1e6 / args.rows
            allowed = (os.cpu_count() or 1) * 1e6 / TARGET
            f = await floor(url, pages, postmaster, args.floor_reps, args.at)
            ingest = (client + server) * us
            print(
                f"{'cpu':10} {args.rows:>9,} rows  ingest: client {client * us:5.1f} + server "
                f"{server * us:5.1f} = {ingest:5.1f} us of CPU a row = "
                f"{ingest / (allowed):.2f}x the allowance"
            )
            parts = (
                ("rows", (f.rows.server + f.rows.client) * us,
                 f"every column and the queue's btree indexes (server {f.rows.server * us:.1f}, "
                 f"client {f.rows.client * us:.1f})"),
                ("gin", f.gin * us, "the server keeping the search's GIN index"),
                ("parser", f.parser * us, "the server making the vectors, the store's way"),
                ("elsewhere", (f.binary_in + f.words) * us,
                 f"or: vectors made here, at least: the words found ({f.words * us:.1f}) and "
                 f"the server reading the vectors in binary ({f.binary_in * us:.1f})"),
            )  # fmt: skip
            for name, value, what in parts:
                print(f"{'  ' + name:10} {value:9.1f} us of CPU a row: {what}")
            least = f.least * us
            if args.at:
                print(f"{'':10} (each floor's table held {args.at:,} rows before its pages)")
            print(
                f"{'floor':10} {args.rows:>9,} rows  rows + gin + the cheaper vector = "
                f"{least:5.1f} us of CPU a row; {TARGET:,} rows/s on {os.cpu_count()} cores "
                f"allows {allowed:4.1f} us for server and client together: floor = "
                f"{least / allowed:.2f}x the allowance"
                + (" (not reachable on this machine)" if least > allowed else "")
                + f"; the ingest is {ingest / least:.2f}x the floor"
            )
            keys = f.least_keys * us
            print(
                f"{'keys only':10} {args.rows:>9,} rows  the same with the primary and unique "
                f"keys only (no queue index; queue pages at 1M would scan): {keys:5.1f} us of "
                f"CPU a row = {keys / allowed:.2f}x the allowance"
            )
            print(
                f"{'no index':10} {args.rows:>9,} rows  the rows with vectors made into a table "
                f"without any index: {f.bare * us:5.1f} us of the server's CPU a row = "
                f"{f.bare * us / allowed:.2f}x the allowance (no search index, no queue index)"
            )
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                first, again, stored, _ = await run_pages(str(pathlib.Path(tmp) / "b.db"), pages)
                report("sqlite", args.rows, first, again, stored)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", help="an existing database (its tables are written)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--floor-reps", type=int, default=3, help="each floor write this often (the least)"
    )
    parser.add_argument(
        "--at", type=int, default=0, help="the floor's tables hold this many rows before"
    )
    asyncio.run(main(parser.parse_args()))
