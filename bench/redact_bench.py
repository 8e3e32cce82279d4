"""What redaction costs an export: ``reactieveld export --format csv`` of the same
responses with and without ``--include-personal-data``, in the same run, as a ratio.

    python bench/bigmem_build.py --rows 200000 --db /tmp/bigmem/store.db
    python bench/redact_bench.py /tmp/bigmem/store.db --since 2026-11-19

Each export is the command as a moderator runs it (its own process: start-up, the
memory's author names, the rows); the two alternate, ``--reps`` times each, and the
medians of their CPU time (user + system: the wall time on 2 shared CPUs under load
varied by half between two runs) are compared. The same script times the code before
and after a change (``PYTHONPATH=<old checkout>/src``); the outputs land in a
temporary folder.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = "from reactieveld.entry import main; main()"


def export(db: Path, since: str | None, out: Path, *, personal: bool) -> tuple[float, int]:
    """CPU seconds one export took, and the responses it wrote (its data rows)."""
    args = [sys.executable, "-c", RUN, "export", "--db", str(db), "--format", "csv"]
    args += ["-o", str(out)] + (["--since", since] if since else [])
    args += ["--include-personal-data"] if personal else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    with out.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in __import__("csv").reader(f)) - 1
    return spent, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--since", help="only responses since this date (YYYY-MM-DD)")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    spent: dict[bool, list[float]] = {True: [], False: []}
    rows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.reps):
            for personal in (True, False):
                out = Path(tmp) / f"{'plain' if personal else 'redacted'}.csv"
                seconds, rows = export(args.db, args.since, out, personal=personal)
                spent[personal].append(seconds)
    plain, redacted = (statistics.median(spent[p]) for p in (True, False))
    print(f"{rows:,} responses, CPU seconds, median of {args.reps}")
    print(f"  unredacted  {plain:7.2f} s  {1000 * plain / rows:.3f} ms/response")
    print(f"  redacted    {redacted:7.2f} s  {1000 * redacted / rows:.3f} ms/response")
    extra = 1000 * (redacted - plain) / rows
    print(f"  redacted / unredacted: {redacted / plain:.2f} (redaction {extra:.3f} ms/response)")


if __name__ == "__main__":
    main()
