"""Two-moderator latency: one connection decides, how soon does the other's
``Store.changes()`` name the response? SQLite and PostgreSQL side by side, in one run.

    python bench/team_bench.py                       # 200 decisions each
    python bench/team_bench.py --n 500 --pg-url postgresql://me@127.0.0.1/bench

What it counts: for each decision, the time from A's action call (its transaction, the
commit included) to B's ``changes()`` iterator yielding a set with that response id, in
milliseconds; p50, p90, p99 and the maximum over ``--n`` decisions on random responses
of a 2,000-response memory. Between decisions A waits a random 0-300 ms, so a decision
falls anywhere in B's polling period (SQLite polls every ``LIVE_POLL_SECONDS``; its p50
is about half of that by design). PostgreSQL listens: LISTEN/NOTIFY on loopback.

PostgreSQL: ``--pg-url`` (an empty database; the bench makes its tables), else a throwaway
cluster like the tests' (Debian's binaries; tests/helpers/pg.py), else SQLite only. The
PostgreSQL decision is the store's ``moderate`` when ported, else a stand-in that does
what an action does: the row, the journal and ``notify`` in one transaction.

Targets (issue 13): p50 <= 100 ms, p99 <= 1 s (the other moderator's screen adds one
in-place refresh of the queue window, a few ms).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reactieveld.model import Page, RemoteStatus, Response, Source
from reactieveld.store.base import LIVE_POLL_SECONDS, QueueFilter
from reactieveld.store.sqlite import SqliteStore

ROWS = 2000


def responses(n: int) -> list[Response]:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Response(
            source="blog",
            external_id=f"c{i}",
            thread_external_id="post-1",
            author_name=f"Inwoner {i % 97}",
            body_text=f"Reactie nummer {i} over het plan.",
            created_at=t0 + timedelta(minutes=i),
            remote_status=RemoteStatus.HOLD,
        )
        for i in range(n)
    ]


async def measure(
    decide: Callable[[int], Awaitable[None]],
    listener: Any,
    ids: list[int],
    n: int,
    interval: float = LIVE_POLL_SECONDS,
) -> list[float]:
    """Decide ``n`` random responses one by one; the milliseconds until ``listener``'s
    ``changes()`` yields each."""
    seen: dict[int, float] = {}
    arrived = asyncio.Event()
    ready = asyncio.Event()

    async def listen() -> None:
        async for found in listener.changes(interval=interval, ready=ready):
            now = time.perf_counter()
            for i in found.ids:
                seen.setdefault(i, now)
            arrived.set()

    task = asyncio.create_task(listen())
    await ready.wait()
    rng = random.Random(13)
    out: list[float] = []
    try:
        for rid in rng.sample(ids, n):
            await asyncio.sleep(rng.uniform(0, 0.3))  # anywhere in the poll period
            started = time.perf_counter()
            await decide(rid)
            while rid not in seen:
                arrived.clear()
                await asyncio.wait_for(arrived.wait(), 10)
            out.append((seen[rid] - started) * 1000)
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    return out


async def sqlite_run(n: int, interval: float) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.db"
        a = await SqliteStore.open(path)
        b = await SqliteStore.open(path)
        try:
            await a.ensure_source(Source("blog", "wordpress"))
            await a.upsert_page("blog", Page(responses=responses(ROWS)))
            ids = [r.response.id for r in await a.queue(QueueFilter(), limit=ROWS)]

            async def decide(rid: int) -> None:
                await a.moderate([rid], RemoteStatus.APPROVED, actor="anna", write_back=False)

            return await measure(decide, b, ids, n, interval)
        finally:
            await b.close()
            await a.close()


async def pg_run(url: str, n: int) -> list[float]:
    from reactieveld.store.pg.live import notify
    from reactieveld.store.pg.store import PostgresStore

    a = await PostgresStore.open(url)
    b = await PostgresStore.open(url)
    try:

        async def fill(c: Any) -> list[int]:
            sid = await c.fetchval(
                "INSERT INTO sources (name, type) VALUES ('bench-blog', 'wordpress') "
                "ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type RETURNING id"
            )
            rows = await c.fetch(
                "INSERT INTO responses (source_id, external_id, created_at, fetched_at, "
                "remote_status, content_hash) SELECT $1, 'b' || g, g, g, 'hold', g "
                "FROM generate_series(1, $2) g ON CONFLICT DO NOTHING RETURNING id",
                sid,
                ROWS,
            )
            return [int(r["id"]) for r in rows]

        ids = await a._write(fill)
        moderate = getattr(a, "moderate", None)

        async def decide(rid: int) -> None:
            if moderate is not None:
                await moderate([rid], RemoteStatus.APPROVED, actor="", write_back=False)
                return

            async def fn(c: Any) -> None:  # a stand-in until the actions are ported
                await c.execute(
                    "UPDATE responses SET remote_status = 'approved', triage = 'handled', "
                    "version = version + 1 WHERE id = $1",
                    rid,
                )
                await c.execute(
                    "INSERT INTO actions (at, actor, kind, response_id) "
                    "VALUES (0, session_user, 'status', $1)",
                    rid,
                )
                await notify(c, [rid])

            await a._write(fn)

        return await measure(decide, b, ids, n)
    finally:
        await b.close()
        await a.close()


def line(name: str, ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return (
        f"{name:<13} {len(ms):>5} {q[49]:>8.1f} {q[89]:>8.1f} {q[98]:>8.1f} {max(ms):>8.1f}"
        f"   {'ok' if q[49] <= 100 and q[98] <= 1000 else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="decisions per backend")
    parser.add_argument(
        "--poll",
        type=float,
        nargs="+",
        default=[LIVE_POLL_SECONDS],
        help="SQLite polling periods to measure, seconds (default: the app's)",
    )
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: throwaway)")
    args = parser.parse_args()
    print(f"decision -> other connection's changes(), ms (SQLite polls every {LIVE_POLL_SECONDS}s)")
    print(f"{'backend':<13} {'n':>5} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}   target")
    for interval in args.poll:
        ms = asyncio.run(sqlite_run(args.n, interval))
        print(line(f"sqlite {interval:g}s", ms), flush=True)
    cluster = None
    url = args.pg_url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from helpers.pg import Cluster, pg_bin

        found = pg_bin()
        if found is None:
            print("postgresql  (not installed: pass --pg-url, or apt-get install postgresql)")
            return 0
        cluster = Cluster(found)
        cluster.start()
        url = cluster.url(cluster.new_database())
    try:
        print(line("postgresql", asyncio.run(pg_run(url, args.n))))
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
