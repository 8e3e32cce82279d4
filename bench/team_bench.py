"""Two-moderator latency: one connection acts, how soon does the other's
``Store.changes()`` name the response? SQLite and PostgreSQL side by side, in one run.

    python bench/team_bench.py                       # 200 changes of each kind
    python bench/team_bench.py --n 5                 # a quick check that it works
    python bench/team_bench.py --n 500 --pg-url postgresql://me@127.0.0.1/bench

What it counts: for each change, the time from A's store call (its transaction, the
commit included) to B's ``changes()`` iterator yielding a set with that response id, in
milliseconds; p50, p90, p99 and the maximum over ``--n`` changes on random responses of
a 2,000-response memory. Two kinds per backend, in the same run:

- ``claim`` (the baseline): A opens a response; the cheapest change B hears (one claims
  row; on PostgreSQL its notification), i.e. the live path with no action behind it;
- ``moderate``: A decides through ``Store.moderate`` as the app's key calls it (the
  version A saw checked, state, journal and outbox in one transaction, the claim
  released); its ratio to the claim's p50 is what a real decision adds.

Between changes A waits a random 0-300 ms, so a change falls anywhere in B's polling
period (SQLite polls every ``LIVE_POLL_SECONDS``; its p50 is about half of that by
design). PostgreSQL listens: LISTEN/NOTIFY on loopback. The last line compares the two
backends' decisions.

PostgreSQL: ``--pg-url`` (an empty database; the store makes its tables), else a
throwaway cluster like the tests' (Debian's binaries; tests/helpers/pg.py), else SQLite
only. Both memories are filled through the store's own ingest.

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
from dataclasses import dataclass
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


async def both_ways(a: Any, b: Any, n: int, interval: float) -> Runs:
    """The baseline and the decision on one memory (``a`` acts, ``b`` listens).

    Baseline: a claim, the cheapest change another moderator hears (one claims row, and
    on PostgreSQL its notification): what the live path costs with no action behind it.
    Decision: ``Store.moderate`` as the app's key calls it (the versions the moderator
    saw checked, journal, state and outbox in one transaction, the claim released), so
    the ratio is what a real decision adds to the signal itself."""
    # The versions as the moderator's queue shows them (read before, not timed).
    versions = {r.response.id: r.version for r in await a.queue(QueueFilter(), limit=ROWS)}
    ids = sorted(versions)
    claimed, decided = ids[: len(ids) // 2], ids[len(ids) // 2 :]
    actor = (await a.whoami()) or "anna"

    async def claim(rid: int) -> None:
        await a.claim(rid, actor=actor, minutes=5)

    async def decide(rid: int) -> None:
        seen = {rid: versions[rid]}
        outcome = await a.moderate([rid], RemoteStatus.APPROVED, actor=actor, seen=seen)
        assert not outcome.conflicts, outcome

    base = await measure(claim, b, claimed, n, interval)
    action = await measure(decide, b, decided, n, interval)
    return Runs(base, action)


async def sqlite_run(n: int, interval: float) -> Runs:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.db"
        a = await SqliteStore.open(path)
        b = await SqliteStore.open(path)
        try:
            await a.ensure_source(Source("blog", "wordpress"))
            await a.upsert_page("blog", Page(responses=responses(ROWS)))
            return await both_ways(a, b, n, interval)
        finally:
            await b.close()
            await a.close()


async def pg_run(url: str, n: int) -> Runs:
    from reactieveld.store.pg.store import PostgresStore

    a = await PostgresStore.open(url)
    b = await PostgresStore.open(url)
    try:
        await a.ensure_source(Source("blog", "wordpress"))
        await a.upsert_page("blog", Page(responses=responses(ROWS)))
        return await both_ways(a, b, n, LIVE_POLL_SECONDS)
    finally:
        await b.close()
        await a.close()


@dataclass
class Runs:
    """Milliseconds per change: the baseline (a claim) and the decision."""

    base: list[float]
    action: list[float]


def p(ms: list[float], q: int) -> float:
    return statistics.quantiles(ms, n=100, method="inclusive")[q - 1]


def line(name: str, ms: list[float], base: list[float] | None = None) -> str:
    ratio = f"{p(ms, 50) / p(base, 50):>7.2f}x" if base else f"{'1.00x':>8}"
    target = "ok" if p(ms, 50) <= 100 and p(ms, 99) <= 1000 else "MISSED"
    return (
        f"{name:<22} {len(ms):>5} {p(ms, 50):>8.1f} {p(ms, 90):>8.1f} {p(ms, 99):>8.1f} "
        f"{max(ms):>8.1f} {ratio}   {target}"
    )


def report(name: str, runs: Runs) -> list[str]:
    return [line(f"{name} claim", runs.base), line(f"{name} moderate", runs.action, runs.base)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="changes of each kind per backend")
    parser.add_argument(
        "--poll",
        type=float,
        nargs="+",
        default=[LIVE_POLL_SECONDS],
        help="SQLite polling periods to measure, seconds (default: the app's)",
    )
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: throwaway)")
    args = parser.parse_args()
    if not 2 <= args.n <= ROWS // 2:
        parser.error(f"--n must be 2 to {ROWS // 2} (percentiles; distinct responses)")
    print(f"change -> other connection's changes(), ms (SQLite polls every {LIVE_POLL_SECONDS}s)")
    print("ratio: p50 against the claim baseline of the same backend, measured in this run")
    print(
        f"{'backend':<22} {'n':>5} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'ratio':>8}"
        "   target"
    )
    sqlite_base: list[float] | None = None
    for interval in args.poll:
        runs = asyncio.run(sqlite_run(args.n, interval))
        sqlite_base = sqlite_base or runs.action
        for text in report(f"sqlite {interval:g}s", runs):
            print(text, flush=True)
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
        runs = asyncio.run(pg_run(url, args.n))
        for text in report("postgresql", runs):
            print(text, flush=True)
        if sqlite_base:
            # The team's engine against one person's file, same decisions, same run.
            ratio = p(runs.action, 50) / p(sqlite_base, 50)
            print(f"postgresql moderate p50 / sqlite moderate p50: {ratio:.2f}x")
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
