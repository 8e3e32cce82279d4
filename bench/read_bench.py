"""Read-side timings: the dashboard figures, search without words, counting matches,
report records and responses per role, on a store ``bench/store_bench.py --db`` made.

    python bench/store_bench.py --quick --db /tmp/bench/store.db
    python bench/read_bench.py /tmp/bench/store.db

Only public functions that existed before issue 12 moved their SQL into ``store/``, so
the same script times the code before and after (``PYTHONPATH=<old checkout>/src``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.model import TriageState
from reactieveld.read import search
from reactieveld.read.figures import Period, compute_stats
from reactieveld.read.records import extras
from reactieveld.reports.formats import count_by_role
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore


async def p50(fn: Callable[[], Awaitable[object]], n: int) -> float:
    """Median milliseconds of ``n`` calls (after one warm-up call)."""
    await fn()
    spent = []
    for _ in range(n):
        t0 = time.perf_counter()
        await fn()
        spent.append(time.perf_counter() - t0)
    return statistics.median(spent) * 1000


async def main(path: Path, reps: int) -> None:
    store = await SqliteStore.open(path)
    try:
        oldest = await store.queue(QueueFilter(), limit=1, direction="newer")
        newest = await store.queue(QueueFilter(), limit=500)
        first = oldest[0].response.created_at.astimezone(UTC).date()
        last = max(r.response.created_at for r in newest).astimezone(UTC).date()
        period = Period(first, last)
        q3_forum = QueueFilter(questions=("3",), sources=("forum",))
        q35_new = QueueFilter(triage=TriageState.NEW, questions=("3", "5"))
        forum = QueueFilter(sources=("forum",))
        q3 = QueueFilter(questions=("3",))
        cb = DEFAULT_CODEBOOK
        cases: list[tuple[str, Callable[[], Awaitable[object]], int]] = [
            ("dashboard figures, whole store", lambda: compute_stats(store, period=period), 5),
            (
                "dashboard figures, source forum",
                lambda: compute_stats(store, period=period, sources=("forum",)),
                5,
            ),
            (
                "search 'vraag:3 bron:forum' (+count)",
                lambda: search.search(store, "vraag:3 bron:forum"),
                reps,
            ),
            (
                "newest 50: question 3, forum",
                lambda: search.newest(store, q3_forum, limit=50),
                reps,
            ),
            (
                "newest 50: new, question 3 or 5",
                lambda: search.newest(store, q35_new, limit=50),
                reps,
            ),
            (
                "count_matches 'gemeente' forum, cap 1000",
                lambda: search.count_matches(store, "gemeente", forum, cap=1000),
                reps,
            ),
            ("report records: extras of 500 rows", lambda: extras(store, newest, cb, "nl"), reps),
            ("count_by_role: question 3", lambda: count_by_role(store, q3), reps),
        ]
        print(f"read bench: {path} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
        for name, fn, n in cases:
            print(f"  {name:42s} p50 {await p50(fn, n):9.3f} ms  [{n}]")
    finally:
        await store.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path, help="a store made by bench/store_bench.py --db")
    ap.add_argument("--reps", type=int, default=100)
    args = ap.parse_args()
    asyncio.run(main(args.db, args.reps))
