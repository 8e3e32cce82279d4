"""Moderator actions on PostgreSQL: what one decision costs, and two moderators at once.

    python bench/pg_actions_bench.py            # a throwaway cluster (Debian's binaries)
    python bench/pg_actions_bench.py --items 2000 --repeat 500

(a) one decision (``moderate`` of one response: lock, journal, outbox, NOTIFY, commit):
    p50/p99 in ms over ``--repeat`` decisions on loopback.
(b) one decision on 100 responses at once (one transaction): p50 in ms.
(c) two moderators (two roles, two pools) deciding the same ``--items`` responses at
    once in random batches of 1-12 with the versions they saw: wall time, batches refused
    (a conflict, then decided again without what the other did), and the check of the
    issue's target: responses decided twice (0) and lost (0).
(d) the outbox: ``outbox_due`` (20, leased) + ``outbox_done`` per row: rows/s.

The rows are made by SQL (tests/helpers/pgrows.py); the cluster runs with fsync off, as
the tests' does, so the times are the store's and the server's work, not a disk's."""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers.pg import Cluster, pg_bin  # noqa: E402
from helpers.pgrows import moderator, race_jobs, seeded  # noqa: E402

from reactieveld.model import RemoteStatus  # noqa: E402
from reactieveld.store.pg.store import PostgresStore  # noqa: E402

A, HOLD, SPAM = RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def single(url: str, repeat: int) -> None:
    store, ids = await seeded(url, repeat + 100)
    try:
        times = []
        for rid in ids[:repeat]:
            t = time.perf_counter()
            await store.moderate([rid], SPAM, actor="bench")
            times.append(time.perf_counter() - t)
        print(f"(a) one decision:        p50 {ms(pct(times, 50))}, p99 {ms(pct(times, 99))}")
        rest, batch = ids[repeat : repeat + 100], []
        for round_ in range(10):  # each round changes all 100 (hold, spam, hold, ...)
            t = time.perf_counter()
            out = await store.moderate(rest, (HOLD, SPAM)[round_ % 2], actor="bench")
            batch.append(time.perf_counter() - t)
            assert out.changed == 100
        print(f"(b) one decision on 100: p50 {ms(statistics.median(batch))} (10 rounds)")
    finally:
        await store.close()


async def race(cluster: Cluster, url: str, items: int) -> None:
    owner, ids = await seeded(url, items)
    stores = [await moderator(cluster, url, n, max_size=6) for n in ("anna", "bram")]
    rng = random.Random(13)
    refused = 0

    async def read(store: PostgresStore, batch: list[int]) -> dict[int, int]:
        rows = await store._read(
            lambda c: c.fetch(
                "SELECT id, version FROM responses WHERE id = ANY($1) AND triage = 'new'", batch
            )
        )
        return {r[0]: r[1] for r in rows}

    async def work(store: PostgresStore, batch: list[int], status: RemoteStatus) -> None:
        nonlocal refused
        todo = await read(store, batch)
        while todo:
            out = await store.moderate(sorted(todo), status, actor="?", seen=todo)
            if not out.conflicts:
                return
            refused += 1
            todo = await read(store, batch)

    jobs = race_jobs(stores, ids, rng, work)
    try:
        t = time.perf_counter()
        await asyncio.gather(*jobs)
        took = time.perf_counter() - t
        rows = await owner._read(
            lambda c: c.fetch(
                "SELECT r.id, count(a.id) FROM responses r LEFT JOIN actions a "
                "ON a.response_id = r.id AND a.kind = 'moderate' GROUP BY r.id"
            )
        )
        twice = sum(1 for r in rows if r[1] > 1)
        lost = sum(1 for r in rows if r[1] == 0)
        print(
            f"(c) two moderators, {items} items, {len(jobs)} batches: {took:.2f} s; "
            f"{refused} refused and redone; decided twice {twice}, lost {lost}"
        )
    finally:
        for s in (*stores, owner):
            await s.close()


async def outbox(url: str, items: int) -> None:
    store, ids = await seeded(url, items)
    try:
        await store.moderate(ids, SPAM, actor="bench")
        t = time.perf_counter()
        done = 0
        while due := await store.outbox_due(limit=20):
            for item in due:
                await store.outbox_done(item.id, remote_status=SPAM)
                done += 1
        took = time.perf_counter() - t
        print(f"(d) outbox due + done:   {done / took:.0f} rows/s ({done} rows)")
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    found = pg_bin()
    if found is None:
        sys.exit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    cluster = Cluster(found)
    cluster.start()
    try:
        await single(cluster.url(cluster.new_database()), args.repeat)
        await race(cluster, cluster.url(cluster.new_database()), args.items)
        await outbox(cluster.url(cluster.new_database()), args.items)
    finally:
        cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
