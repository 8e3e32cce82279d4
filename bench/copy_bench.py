"""``reactieveld store copy`` benchmark: a SQLite memory to PostgreSQL and back, timed.

    python bench/copy_bench.py                      # 100,000 responses, a throwaway cluster
    python bench/copy_bench.py --rows 20000         # a smoke run
    python bench/copy_bench.py --to postgresql://me@127.0.0.1/empty   # your own empty database

The memory: the demo source's responses (``DemoConnector``) in pages of 100, one in ten
decided (journal and outbox rows) and tagged with a planning question. Measured: rows per
second of all copied tables together, SQLite to PostgreSQL and PostgreSQL to a new SQLite
file, each including the target's search index and the count check. Without ``--to`` a
throwaway PostgreSQL cluster is started as the tests do (tests/helpers/pg.py).
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from reactieveld.connectors.demo import DemoConnector  # noqa: E402
from reactieveld.model import RemoteStatus, Source  # noqa: E402
from reactieveld.store.copy import copy_store  # noqa: E402
from reactieveld.store.open import copy_side, open_store  # noqa: E402
from reactieveld.store.sqlite import SqliteStore  # noqa: E402


async def fill(path: pathlib.Path, rows: int) -> None:
    store = await SqliteStore.open(path)
    try:
        await store.ensure_source(Source("demo", "demo"))
        demo = DemoConnector("demo", count=rows, seed=1)
        async for page in demo.fetch(None):
            up = await store.upsert_page("demo", page)
            some = up.new_ids[::10]
            if some:
                await store.moderate(some, RemoteStatus.APPROVED, actor="bench")
                await store.toggle_question(some, "1", actor="bench")
    finally:
        await store.close()


async def timed_copy(source: str, target: str) -> tuple[float, int]:
    src = await open_store(source, read_only=True)
    dst = await open_store(target)
    try:
        t0 = time.perf_counter()
        counts = await copy_store(copy_side(src), copy_side(dst))
        return time.perf_counter() - t0, sum(c.target for c in counts)
    finally:
        await dst.close()
        await src.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--to", help="an EMPTY PostgreSQL database (default: a throwaway one)")
    args = parser.parse_args()
    cluster = None
    if args.to is None:
        from helpers.pg import Cluster, pg_bin

        found = pg_bin()
        if found is None:
            print("no PostgreSQL installed: give --to URL", file=sys.stderr)
            return 2
        cluster = Cluster(found)
        cluster.start()
        args.to = str(cluster.url(cluster.new_database()))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            first, back = pathlib.Path(tmp) / "memory.db", pathlib.Path(tmp) / "back.db"
            t0 = time.perf_counter()
            asyncio.run(fill(first, args.rows))
            print(f"filled a SQLite memory with {args.rows:,} responses in "
                  f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
            for label, source, target in (
                ("SQLite -> PostgreSQL", str(first), args.to),
                ("PostgreSQL -> SQLite", args.to, str(back)),
            ):
                seconds, total = asyncio.run(timed_copy(source, target))
                rate = total / seconds
                print(f"{label}: {total:,} rows in {seconds:.2f} s = {rate:,.0f} rows/s "
                      "(search index and count check included)")  # fmt: skip
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
