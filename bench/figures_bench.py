"""What ``reactieveld stats`` costs on a big memory, against a baseline in the same run:
the same command by another checkout (the code before a change) on its own copy.

    python bench/bigmem_build.py --rows 200000 --db figs/m200k.db
    python bench/figures_bench.py figs/m200k.db --until 2026-11-20 \\
        --days 30 365 --before ../before/src

(``../before``: a checkout of the code before the change, e.g. ``git worktree add
../before main``.)

Each run is the command as a moderator runs it (its own process: start-up, the memory,
every figure, the page); the two alternate, ``--reps`` times each, and the medians of
their CPU time (user + system: the wall time on 2 shared CPUs under load varies by half
between runs) are compared, with the pages they printed (they must be the same). What
a run costs whatever its period (start-up, a period without responses) is printed first:
it is part of every figure. The memory is copied into a temporary folder twice: the copy
``--before`` reads is put back to the schema that code knows (the indexes as before
migration figure_indexes), the other one this code migrates on opening. Without
``--before`` only this code is timed; with ``--same-schema`` the baseline knows the same
migrations (its copy keeps them). ``--each`` times each figure's statement too (this
code's, on its copy), ``--days 0`` is every day since the memory's first, ``--source`` a
source's figures. At 1,000,000 responses (a year, 59 % of it in the last 30 days), the
CPU seconds of ``stats`` before and after the answers' window took only the rows it needs
(the same run): 7 days 1.45 and 1.20, 30 days 3.72 and 3.04, a year 5.89 and 5.04; the
answers' figure (citizen) is half of each (1.51 s of 30 days), by_role next (0.46 s):

    python bench/bigmem_build.py --rows 1000000 --db figs1m/m1m.db
    python bench/figures_bench.py figs1m/m1m.db --until 2026-11-20 --days 7 30 365 0 \\
        --each --before ../before/src --same-schema
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
import time
from collections.abc import Sequence
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


def first_day(db: Path) -> str:
    """The UTC day of the memory's first response (``--days 0``: every day since)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (first,) = con.execute("SELECT min(created_at) FROM responses").fetchone()
    finally:
        con.close()
    return time.strftime("%Y-%m-%d", time.gmtime(first or 0))


def period_args(db: Path, until: str, days: int) -> list[str]:
    """``stats``' period: the ``days`` ending ``until``; 0: all (from the first day)."""
    if days == 0:
        return ["--since", first_day(db), "--until", until]
    return ["--until", until, "--days", str(days)]


def stats(
    src: str | None, db: Path, until: str, days: int, home: Path, sources: Sequence[str] = ()
) -> tuple[float, str]:
    """CPU seconds one ``reactieveld stats`` took (its own process), and its page."""
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))
    config = home / "config.toml"
    config.touch()
    env["REACTIEVELD_CONFIG"] = str(config)
    if src:
        env["PYTHONPATH"] = src
    args = [sys.executable, "-c", RUN, "--db", str(db), "--lang", "en", "stats"]
    args += period_args(db, until, days)
    for name in sources:
        args += ["--source", name]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, done.stdout


def each_figure(db: Path, until: str, days: int, sources: tuple[str, ...]) -> None:
    """The CPU seconds of each of the figures' statements (and the rules' tallies) for
    the ``days`` ending ``until``, on a memory this code migrated: which query costs."""
    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.read.figures import NOT_COUNTED, period_of
    from reactieveld.store.figures import figure_statements
    from reactieveld.store.planner import few_sources_sql
    from reactieveld.store.rows import to_epoch
    from reactieveld.store.screening import TALLY_SQL
    from reactieveld.store.values import FigureQuery

    period = (
        period_of(since=first_day(db), until=until)
        if days == 0
        else period_of(until=until, days=days)
    )
    query = FigureQuery(
        start=period.start,
        end=period.end,
        sources=sources,
        not_counted=NOT_COUNTED,
        organisation_roles=tuple(sorted(DEFAULT_CODEBOOK.organisation_roles)),
    )
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        few = bool(sources) and bool(con.execute(*few_sources_sql(sources)).fetchone()[0])
        statements = dict(figure_statements(query, few_sources=few))
        statements["rule_tallies"] = (TALLY_SQL, [to_epoch(period.start), to_epoch(period.end)])
        parts = []
        for name, (sql, params) in statements.items():
            start = time.process_time()
            con.execute(sql, params).fetchall()
            parts.append((time.process_time() - start, name))
    finally:
        con.close()
    total = sum(s for s, _ in parts)
    costly = "  ".join(f"{n} {s:.2f}" for s, n in sorted(parts, reverse=True) if s >= 0.01)
    print(
        f"{days or 'all':>4} days, each statement (CPU s, {total:.2f} in all): {costly}", flush=True
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--until", required=True, help="the periods' last day (YYYY-MM-DD)")
    ap.add_argument("--days", type=int, nargs="+", default=[30, 365], help="0: all")
    ap.add_argument("--before", help="the baseline's src folder (PYTHONPATH)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--source", action="append", default=[], help="the figures of a source")
    ap.add_argument("--each", action="store_true", help="time each statement too")
    ap.add_argument(
        "--same-schema",
        action="store_true",
        help=f"the baseline knows migration {WIDENED}: its copy keeps the indexes",
    )
    args = ap.parse_args()
    sources = tuple(args.source)
    with tempfile.TemporaryDirectory(prefix="figures_bench.", dir=args.db.parent) as tmp:
        folder = Path(tmp)
        after_db = copy_memory(args.db, folder / "after.db")
        runs: list[tuple[str, str | None, Path]] = [
            ("after", os.environ.get("PYTHONPATH"), after_db)
        ]
        if args.before:
            before_db = copy_memory(args.db, folder / "before.db")
            if not args.same_schema:
                as_before(before_db)
            runs.insert(0, ("before", args.before, before_db))
        for _, src, db in runs:  # each code migrates its own copy, untimed
            stats(src, db, args.until, 1, folder)
        # What every run costs whatever its period: start-up, the memory, an empty page.
        floor = statistics.median(
            stats(runs[-1][1], after_db, "1990-01-01", 1, folder)[0] for _ in range(args.reps)
        )
        print(f"start-up and a period without responses: {floor:.2f} s (in every figure below)")
        for days in args.days:
            if args.each:
                each_figure(after_db, args.until, days, sources)
            spent: dict[str, list[float]] = {name: [] for name, _, _ in runs}
            pages: dict[str, str] = {}
            for _ in range(args.reps):
                for name, src, db in runs:
                    seconds, pages[name] = stats(src, db, args.until, days, folder, sources)
                    spent[name].append(seconds)
            med = {name: statistics.median(v) for name, v in spent.items()}
            line = f"{days or 'all':>4} days: " + "  ".join(
                f"{n} {s:.2f} s" for n, s in med.items()
            )
            if "before" in med:
                same = "same page" if pages["before"] == pages["after"] else "PAGES DIFFER"
                line += f"  ratio before/after {med['before'] / med['after']:.1f}  ({same})"
            print(line, flush=True)


if __name__ == "__main__":
    main()
