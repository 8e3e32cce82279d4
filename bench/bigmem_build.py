"""A municipality's memory after a few years, for using the app by hand on it.

    python bench/bigmem_build.py --rows 200000 --db /tmp/bigmem/store.db

The rows, queues, tags, reports and flags of ``store_bench.py`` (its ``Corpus`` and
``prepare_queues``), and one thread that holds thousands of comments: every
``BIG_EVERY``-th response of the first source goes to thread ``t0``, a top-level comment.
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import time
from dataclasses import replace

from store_bench import Corpus, ingest_store, prepare_queues

BIG_EVERY = 50


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    path = pathlib.Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    pages = Corpus(args.rows, args.seed).pages()
    for p in pages:
        p.responses[:] = [
            replace(r, thread_external_id="t0", parent_external_id=None)
            if r.source == "demo" and int(r.external_id[1:]) % BIG_EVERY == 7
            else r
            for r in p.responses
        ]
    print(f"generated in {time.perf_counter() - t0:.1f} s", flush=True)
    spent = asyncio.run(ingest_store(path, pages))
    prepare_queues(path)
    print(f"stored {args.rows:,} responses in {spent:.1f} s: {path}")


if __name__ == "__main__":
    main()
