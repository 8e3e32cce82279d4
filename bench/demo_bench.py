"""How long ``reactieveld --demo`` takes to seed its store, bare and with a year of history.

    python bench/demo_bench.py [--count 100000]

Seeds a fresh store in a temporary directory twice, as ``reactieveld --demo`` does on
first use (``cli.seed_demo``): once with ``history = false`` (the responses only), once
with the history (``reactieveld.demo_history``: decisions, codes and notes on the older
responses). Prints the wall time of each and the journal's size.
"""

from __future__ import annotations

import argparse
import pathlib
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reactieveld.cli import demo_source, seed_demo  # noqa: E402
from reactieveld.config import load_config  # noqa: E402
from reactieveld.connectors.demo import ANCHOR  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for history in (False, True):
            source = demo_source(count=args.count, anchor=ANCHOR.isoformat())
            source = replace(source, options={**source.options, "history": history})
            config = replace(load_config(None), sources=(source,))
            db = pathlib.Path(tmp) / f"demo-{history}.db"
            t = time.perf_counter()
            seed_demo(config, db)
            took = time.perf_counter() - t
            with sqlite3.connect(db) as conn:
                (actions,) = conn.execute("SELECT count(*) FROM actions").fetchone()
            label = "with history" if history else "bare"
            print(f"{args.count:,} responses, {label}: {took:.1f} s ({actions:,} journal entries)")


if __name__ == "__main__":
    main()
