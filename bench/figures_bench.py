"""What ``reactieveld stats`` costs on a big memory, against a baseline in the same run:
the same command by another checkout (the code before a change) on its own copy.

    python bench/bigmem_build.py --rows 200000 --db /tmp/figs/m200k.db
    python bench/figures_bench.py /tmp/figs/m200k.db --until 2026-11-20 \\
        --days 30 365 --before /work/main/src

Each run is the command as a moderator runs it (its own process: start-up, the memory,
every figure, the page); the two alternate, ``--reps`` times each, and the medians of
their CPU time (user + system: the wall time on 2 shared CPUs under load varies by half
between runs) are compared, with the pages they printed (they must be the same). What
a run costs whatever its period (start-up, a period without responses) is printed first:
it is part of every figure. The memory is copied into a temporary folder twice: the copy
``--before`` reads is put back to the schema that code knows (the indexes as before
migration figure_indexes), the other one this code migrates on opening. Without
``--before`` only this code is timed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = "import sys; from reactieveld.entry import main; sys.exit(main())"

#: The migration whose indexes the baseline's copy loses, and those indexes before it.
WIDENED = "figure_indexes"
BEFORE = (
    "DROP INDEX IF EXISTS responses_created",
    "CREATE INDEX responses_created ON responses (created_at, id)",
    "DROP INDEX IF EXISTS responses_thread",
    "CREATE INDEX responses_thread ON responses (source_id, thread_external_id, created_at)",
)


def copy_memory(db: Path, to: Path) -> Path:
    """The memory ``db`` (and its author key) copied to ``to``."""
    for suffix in ("", ".author-key"):
        if Path(str(db) + suffix).exists():
            shutil.copyfile(str(db) + suffix, str(to) + suffix)
    return to


def as_before(db: Path) -> None:
    """Put a copy back to the schema before migration :data:`WIDENED` (if it has it)."""
    from reactieveld.store.schema import migrations

    number = next(n for n, name, _ in migrations() if name.endswith(f"_{WIDENED}.sql"))
    con = sqlite3.connect(db, isolation_level=None)
    try:
        if con.execute("PRAGMA user_version").fetchone()[0] >= number:
            for statement in BEFORE:
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {number - 1}")
    finally:
        con.close()


def stats(src: str | None, db: Path, until: str, days: int, home: Path) -> tuple[float, str]:
    """CPU seconds one ``reactieveld stats`` took (its own process), and its page."""
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))
    config = home / "config.toml"
    config.touch()
    env["REACTIEVELD_CONFIG"] = str(config)
    if src:
        env["PYTHONPATH"] = src
    args = [sys.executable, "-c", RUN, "--db", str(db), "--lang", "en", "stats"]
    args += ["--until", until, "--days", str(days)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--until", required=True, help="the periods' last day (YYYY-MM-DD)")
    ap.add_argument("--days", type=int, nargs="+", default=[30, 365])
    ap.add_argument("--before", help="the baseline's src folder (PYTHONPATH)")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="figures_bench.") as tmp:
        folder = Path(tmp)
        after_db = copy_memory(args.db, folder / "after.db")
        runs: list[tuple[str, str | None, Path]] = [
            ("after", os.environ.get("PYTHONPATH"), after_db)
        ]
        if args.before:
            before_db = copy_memory(args.db, folder / "before.db")
            as_before(before_db)
            runs.insert(0, ("before", args.before, before_db))
        stats(runs[-1][1], after_db, args.until, 1, folder)  # this code migrates its copy
        # What every run costs whatever its period: start-up, the memory, an empty page.
        floor = statistics.median(
            stats(runs[-1][1], after_db, "1990-01-01", 1, folder)[0] for _ in range(args.reps)
        )
        print(f"start-up and a period without responses: {floor:.2f} s (in every figure below)")
        for days in args.days:
            spent: dict[str, list[float]] = {name: [] for name, _, _ in runs}
            pages: dict[str, str] = {}
            for _ in range(args.reps):
                for name, src, db in runs:
                    seconds, pages[name] = stats(src, db, args.until, days, folder)
                    spent[name].append(seconds)
            med = {name: statistics.median(v) for name, v in spent.items()}
            line = f"{days:4d} days: " + "  ".join(f"{n} {s:.2f} s" for n, s in med.items())
            if "before" in med:
                same = "same page" if pages["before"] == pages["after"] else "PAGES DIFFER"
                line += f"  ratio before/after {med['before'] / med['after']:.1f}  ({same})"
            print(line, flush=True)


if __name__ == "__main__":
    main()
